import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import type { GuardianRef } from '@cradle/issuer';
import { cliActor, readJsonFile, withRegistrar } from './home.js';
import { credentialFormatOption } from './issue.js';

/** `cradle registrar guardianship`: link a child to the guardians allowed to present for it. */
export function registerGuardianshipCommand(registrar: Command): void {
  withCommonOptions(registrar.command('guardianship'), 'registrar', { secret: true })
    .description('issue a guardianship credential linking a child to the guardians allowed to present for it')
    .requiredOption('--subject <did>', "the child's DID")
    .option('--guardian <did...>', 'guardian DID (repeat for several)')
    .option('--role <role...>', 'role of each --guardian, in the same order: mother, father, parent, legal-guardian, custodial-organisation (default parent)')
    .option('--guardians <file>', 'JSON array of guardians as recorded: [{"id","role","name","document":{"type":"passport|national-id|other","country":"KE","number"}}]')
    .option('--basis <text>', 'why these guardians, e.g. birth-registration, court-order, custodial-care')
    .option('--format <format>', 'vc+jwt (VCDM 2.0), jwt-vc (VCDM 1.1) or sd-jwt-vc (selective disclosure)', 'vc+jwt')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { subject: string; guardian?: string[]; role?: string[]; guardians?: string; basis?: string; format: string };
        const format = credentialFormatOption(opts.format);
        const guardians = await guardiansFromOptions(opts);
        return withRegistrar(opts, async (r) => {
          const issued = await r.issueGuardianship({ subject: opts.subject, guardians, format, ...(opts.basis ? { basis: opts.basis } : {}), actor: cliActor() });
          return { json: { id: issued.id, jwt: issued.jwt }, text: `Issued ${issued.id}\n${issued.jwt}` };
        });
      }),
    );
}

/** Guardians from `--guardians FILE.json` or from `--guardian DID [--role ROLE]` (not both); the registrar schema-checks them. */
async function guardiansFromOptions(opts: { guardian?: string[]; role?: string[]; guardians?: string }): Promise<GuardianRef[]> {
  const flags = opts.guardian ?? [];
  const roles = opts.role ?? [];
  if (opts.guardians !== undefined) {
    if (flags.length > 0 || roles.length > 0) throw new CradleError('INVALID_ARGUMENT', 'Give either --guardians FILE.json or --guardian DID flags, not both.');
    const list = await readJsonFile(opts.guardians, 'guardians');
    if (!Array.isArray(list)) {
      throw new CradleError('INVALID_ARGUMENT', `${opts.guardians} must hold a JSON array of guardians: [{"id","role","name","document":{"type","country","number"}}].`);
    }
    // Shapes are checked by the registrar against the guardianship schema (INVALID_CLAIMS names the field).
    return list as GuardianRef[];
  }
  if (flags.length === 0) throw new CradleError('INVALID_ARGUMENT', 'Name the guardians: --guardians FILE.json, or one or more --guardian DID.');
  if (roles.length > flags.length) throw new CradleError('INVALID_ARGUMENT', 'More --role values than --guardian values.');
  return flags.map((id, i) => ({ id, role: roles[i] ?? 'parent' }));
}
