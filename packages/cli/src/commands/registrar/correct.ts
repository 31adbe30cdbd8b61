import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { cliActor, readJsonFile, withRegistrar } from './home.js';

/** `cradle registrar correct`: replace a birth record with corrected claims (new credential, old one revoked). */
export function registerCorrectCommand(registrar: Command): void {
  withCommonOptions(registrar.command('correct'), 'registrar', { secret: true })
    .description('correct a birth record: issue a new credential with the corrected claims to the same child and revoke the old one')
    .argument('<id>', 'id of the birth-registration credential to replace')
    .requiredOption('--claims <file>', 'JSON file with the complete corrected birth-registration claims')
    .action(
      action(async (id: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { claims: string };
        const claims = await readJsonFile(opts.claims, 'claims');
        return withRegistrar(opts, async (r) => {
          const { revoked, issued } = await r.correct(id, claims, { actor: cliActor() });
          return {
            json: { id: issued.id, jwt: issued.jwt, replaces: revoked.id, revokedAt: revoked.revokedAt },
            text: [
              `Issued ${issued.id} with the corrected record; ${revoked.id} is revoked.`,
              'Next: `cradle registrar publish` so checkpoints learn of the revocation, then',
              `      \`cradle registrar certificate ${issued.id} --out FILE.pdf\` for the new certificate (the old paper now answers REVOKED).`,
            ].join('\n'),
          };
        });
      }),
    );
}
