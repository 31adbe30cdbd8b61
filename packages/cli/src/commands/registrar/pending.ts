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

/** `cradle registrar pending`: the anchoring outbox. */
export function registerPendingCommand(registrar: Command): void {
  withCommonOptions(registrar.command('pending'), 'registrar', { secret: true })
    .description('show the anchoring outbox')
    .option('--all', 'also show confirmed and superseded anchors (latest 100)')
    .action(
      action(async (opts: CommonOptions & { all?: boolean }) =>
        withRegistrar(opts, async (r) => {
          const rows = opts.all ? await r.anchors(100) : await r.pending();
          return {
            json: { pending: rows },
            text: rows.length === 0 ? 'The anchoring outbox is empty: every published list is anchored.' : [`${rows.length} anchor(s):`, ...rows.map(outboxLine)].join('\n'),
          };
        }),
      ),
    );
}
