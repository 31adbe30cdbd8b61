import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { STATUS_REASONS } from '@cradle/issuer';
import type { StatusReason } from '@cradle/issuer';
import { cliActor, withRegistrar } from './home.js';

/** `cradle registrar revoke|suspend|unsuspend ID`: flip a credential's status bit. */
export function registerRevokeCommands(registrar: Command): void {
  for (const [name, what] of [
    ['revoke', 'revoke a credential (irreversible)'],
    ['suspend', 'suspend a credential (reversible)'],
    ['unsuspend', 'lift a suspension'],
  ] as const) {
    withCommonOptions(registrar.command(name), 'registrar', { secret: true })
      .description(what)
      .argument('<id>', 'credential id')
      .option('--reason <code>', `why, for the audit log: ${STATUS_REASONS.join(', ')}`)
      .action(
        action(async (id: string, opts: CommonOptions & { reason?: string }) =>
          withRegistrar(opts, async (r) => {
            const record = await r[name](id, { actor: cliActor(), ...(opts.reason === undefined ? {} : { reason: opts.reason as StatusReason }) });
            const state = record.revokedAt !== null ? 'revoked' : record.suspendedAt !== null ? 'suspended' : 'active';
            return {
              json: { id: record.id, status: state, revokedAt: record.revokedAt, suspendedAt: record.suspendedAt },
              text: `${record.id} is now ${state}. Run \`cradle registrar publish\` so checkpoints learn of it.`,
            };
          }),
        ),
      );
  }
}
