import type { Command } from 'commander';
import type { AuditEntry } from '@cradle/issuer';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { wholeNumberOption } from '../../number-option.js';
import { action, displayField } from '../../output.js';
import { withRegistrar } from './home.js';

function entryLine(e: AuditEntry): string {
  const who = e.actorKey === null ? displayField(e.actor) : `${displayField(e.actor)} (${e.actorKey})`;
  const what = [e.action, e.credentialId ?? '', e.reason === null ? '' : `reason=${e.reason}`, e.detail === null ? '' : displayField(e.detail)].filter((x) => x !== '').join(' ');
  return `${String(e.seq).padStart(6)}  ${e.at}  ${who}  ${what}`;
}

/** `cradle registrar audit`: read the append-only audit log (who, when, what, why). */
export function registerAuditCommand(registrar: Command): void {
  withCommonOptions(registrar.command('audit'), 'registrar', { secret: true })
    .description('show the audit log: every issuance, status change (with its reason), publication and key change')
    .option('--credential <id>', 'only entries about this credential')
    .option('--after <seq>', 'only entries after this sequence number (to follow the log)')
    .option('--limit <n>', 'at most this many entries (default 100, at most 10000)')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { credential?: string; after?: string; limit?: string };
        const query = {
          ...(opts.credential === undefined ? {} : { credentialId: opts.credential }),
          after: wholeNumberOption(opts.after, '--after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }),
          limit: wholeNumberOption(opts.limit, '--limit', { min: 1, max: 10_000, fallback: 100 }),
        };
        return withRegistrar(opts, async (r) => {
          const entries = await r.audit(query);
          return { json: { entries }, text: entries.length === 0 ? 'No audit entries.' : entries.map(entryLine).join('\n') };
        });
      }),
    );
}
