import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withRegistrar } from './home.js';

/** `cradle registrar guardianship`: link a child to the guardians allowed to present for it. */
export function registerGuardianshipCommand(registrar: Command): void {
  withCommonOptions(registrar.command('guardianship'), 'registrar', { secret: true })
    .description('issue a guardianship credential linking a child to the guardians allowed to present for it')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--guardian <did...>', 'guardian DID (repeat for several)')
    .option('--role <role...>', 'role of each guardian, in the same order: mother, father, parent, legal-guardian, custodial-organisation (default parent)')
    .option('--basis <text>', 'why these guardians, e.g. birth-registration, court-order, custodial-care')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { subject: string; guardian: string[]; role?: string[]; basis?: string };
        const roles = opts.role ?? [];
        if (roles.length > opts.guardian.length) throw new CradleError('INVALID_ARGUMENT', 'More --role values than --guardian values.');
        const guardians = opts.guardian.map((id, i) => ({ id, role: roles[i] ?? 'parent' }));
        return withRegistrar(opts, async (r) => {
          const issued = await r.issueGuardianship({ subject: opts.subject, guardians, ...(opts.basis ? { basis: opts.basis } : {}) });
          return { json: { id: issued.id, jwt: issued.jwt }, text: `Issued ${issued.id}\n${issued.jwt}` };
        });
      }),
    );
}
