import type { Command } from 'commander';
import { CradleError, isAlertKind } from '@cradle/core';
import type { AlertKind } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import { cliActor, withRegistrar } from './home.js';

/** Recorded when `--reason` is left out (the DESIGN.md contract does not require it). */
const NO_REASON = '(no reason given on the command line)';

/** `cradle registrar alert ID --kind missing|protection-order|verify-with-authority | --clear --reason TEXT`. */
export function registerAlertCommand(registrar: Command): void {
  withCommonOptions(registrar.command('alert'), 'registrar', { secret: true })
    .description('raise or clear a child-protection alert on a birth credential (checkpoints with an alert key see it after the next publish)')
    .argument('<id>', 'birth credential id')
    .option('--kind <kind>', 'missing, protection-order or verify-with-authority')
    .option('--clear', 'clear the alert')
    .option('--reason <text>', 'why: recorded with the change, never published (give one: it is the audit trail)')
    .action(
      action(async (id: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { kind?: string; clear?: boolean; reason?: string };
        if ((opts.kind === undefined) === (opts.clear !== true)) {
          throw new CradleError('INVALID_ARGUMENT', 'Give exactly one of --kind missing|protection-order|verify-with-authority or --clear.');
        }
        let kind: AlertKind | null = null;
        if (opts.kind !== undefined) {
          if (!isAlertKind(opts.kind)) throw new CradleError('INVALID_ARGUMENT', `--kind must be missing, protection-order or verify-with-authority (got ${displayField(opts.kind)}).`);
          kind = opts.kind;
        }
        return withRegistrar(opts, async (r) => {
          const change = await r.alert(id, { kind, reason: opts.reason ?? NO_REASON, actor: cliActor() });
          const now = change.kind === null ? 'no alert' : `alert "${change.kind}"`;
          return {
            json: { ...change },
            text: `${change.id} now has ${now} (before: ${change.previous ?? 'none'}). Run \`cradle registrar publish\` so checkpoints learn of it.`,
          };
        });
      }),
    );
}
