import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import type { CredentialFormat } from '@cradle/issuer';
import { action } from '../../output.js';
import { cliActor, readJsonFile, withRegistrar } from './home.js';

/** `cradle registrar issue`: one birth-registration credential. */
export function registerIssueCommand(registrar: Command): void {
  withCommonOptions(registrar.command('issue'), 'registrar', { secret: true })
    .description('issue a birth-registration credential to a child DID')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--claims <file>', 'JSON file with the birth-registration claims')
    .option('--format <format>', 'vc+jwt (VCDM 2.0), jwt-vc (VCDM 1.1) or sd-jwt-vc (selective disclosure)', 'vc+jwt')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { subject: string; claims: string; format: string };
        const format = credentialFormatOption(opts.format);
        const claims = await readJsonFile(opts.claims, 'claims');
        return withRegistrar(opts, async (r) => {
          const issued = await r.issueBirthRegistration({ subject: opts.subject, claims, format, actor: cliActor() });
          // A warning goes to stderr: stdout stays the contract's {"id","jwt"} (plus warnings with --json).
          for (const w of issued.warnings ?? []) process.stderr.write(`warning [${w.code}]: ${w.message}\n`);
          return { json: { id: issued.id, jwt: issued.jwt, ...(issued.warnings === undefined ? {} : { warnings: issued.warnings }) }, text: `Issued ${issued.id}\n${issued.jwt}` };
        });
      }),
    );
}

/** The `--format` of `registrar issue` and `registrar guardianship`. */
export function credentialFormatOption(value: string): CredentialFormat {
  if (value !== 'vc+jwt' && value !== 'jwt-vc' && value !== 'sd-jwt-vc') throw new CradleError('INVALID_ARGUMENT', `--format must be vc+jwt, jwt-vc or sd-jwt-vc, not "${value}".`);
  return value;
}
