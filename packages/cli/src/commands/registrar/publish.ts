import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { cliActor, withRegistrar } from './home.js';
import { outboxLine } from './pending.js';

/** `cradle registrar publish`: sign changed status lists and anchor their digests. */
export function registerPublishCommand(registrar: Command): void {
  withCommonOptions(registrar.command('publish'), 'registrar', { secret: true })
    .description('sign changed status lists and anchor their digests on the ledger')
    .action(
      action(async (opts: CommonOptions) =>
        withRegistrar(opts, async (r) => {
          const published = await r.publish({ actor: cliActor() });
          const report = await r.processOutbox({ force: true });
          const lines = [
            published.length === 0 ? 'No status list changed since the last publish.' : `Signed ${published.length} status list version(s):`,
            ...published.map((p) => `  ${p.purpose.padEnd(10)} ${p.url} v${p.version} digest ${p.digest}`),
            report.confirmed.length > 0 ? `Anchored ${report.confirmed.length}:` : 'Nothing newly anchored.',
            ...report.confirmed.map((e) => `  list ${e.list} v${e.version} in block ${e.blockNumber} (tx ${e.txHash})`),
            ...(report.pending.length > 0 ? [`Still pending ${report.pending.length}:`, ...report.pending.map(outboxLine)] : []),
            ...(report.error ? [`The ledger could not be reached (${report.error.code}): ${report.error.message}. The anchors wait in the outbox; run publish again later.`] : []),
          ];
          return {
            json: { published, anchored: report.confirmed, pending: report.pending, ...(report.error ? { error: report.error } : {}) },
            text: lines.join('\n'),
            exitCode: report.error ? 1 : 0,
          };
        }),
      ),
    );
}
