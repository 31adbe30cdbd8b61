import type { Command } from 'commander';
import type { OutboxEntry } from '@cradle/issuer';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withRegistrar } from './home.js';

/** One line of the anchoring outbox, for humans. */
export function outboxLine(e: OutboxEntry): string {
  const when = e.state === 'queued' ? `next attempt ${e.nextAttemptAt}` : e.state === 'sent' ? `tx ${e.txHash}` : '';
  const err = e.lastError ? ` — last error: ${e.lastError}` : '';
  return `  ${e.state.padEnd(9)} list ${e.list} v${e.version} (attempts ${e.attempts}) ${when}${err}`;
}

/** `cradle registrar pending`: the anchoring outbox, and the list versions checkpoints see. */
export function registerPendingCommand(registrar: Command): void {
  withCommonOptions(registrar.command('pending'), 'registrar', { secret: true })
    .description('show the anchoring outbox, and which version of each status list checkpoints currently see')
    .option('--all', 'also show confirmed and superseded anchors (latest 100)')
    .action(
      action(async (opts: CommonOptions & { all?: boolean }) =>
        withRegistrar(opts, async (r) => {
          const rows = opts.all ? await r.anchors(100) : await r.pending();
          const lists = await r.statusLists();
          const behind = lists.filter((l) => l.anchoredVersion < l.signedVersion);
          const listLines = lists.map((l) => {
            const seen = l.anchoredVersion === 0 ? 'nothing yet (no version anchored)' : `version ${l.anchoredVersion}`;
            const waiting = l.anchoredVersion < l.signedVersion ? `; version ${l.signedVersion} waits for its anchor` : '';
            const unpublished = l.unpublishedChanges ? '; changes not yet published (run `cradle registrar publish`)' : '';
            return `  ${l.purpose.padEnd(10)} ${l.url}: checkpoints see ${seen}${waiting}${unpublished}`;
          });
          const outbox =
            rows.length === 0
              ? behind.length === 0
                ? 'The anchoring outbox is empty: every published list is anchored.'
                : 'The anchoring outbox is empty.'
              : [`${rows.length} anchor(s):`, ...rows.map(outboxLine)].join('\n');
          return {
            json: { pending: rows, lists },
            text: [outbox, ...(lists.length > 0 ? ['What checkpoints see (the anchored version, served at each list URL):', ...listLines] : [])].join('\n'),
          };
        }),
      ),
    );
}
