import type { Command } from 'commander';
import { CradleError, displayText } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField as t } from '../../output.js';
import { summary } from './credential-summary.js';
import { withWallet } from './home.js';

/** `cradle wallet show ID` and `cradle wallet delete ID`: one stored credential. */
export function registerShowCommands(wallet: Command): void {
  withCommonOptions(wallet.command('show'), 'wallet', { secret: true })
    .description('show one credential')
    .argument('<id>', 'credential id')
    .action(
      action(async (id: string, opts: CommonOptions) =>
        withWallet(opts, 'error', async (w) => {
          const c = await w.getCredential(id);
          if (c === undefined) throw new CradleError('NOT_FOUND', `No credential ${id} in this wallet (see \`cradle wallet list\`).`);
          return {
            json: { credential: { ...summary(c), credentialSubject: c.credentialSubject, jwt: c.jwt } },
            text: [
              `${t(c.type)} ${t(c.id)}`,
              `  format:    ${t(c.format)}`,
              `  issuer:    ${t(c.issuer)}`,
              `  child:     ${t(c.subject)}`,
              ...(c.validFrom ? [`  valid from: ${t(c.validFrom)}`] : []),
              ...(c.validUntil ? [`  valid until: ${t(c.validUntil)}`] : []),
              `  imported:  ${t(c.importedAt)}`,
              // JSON.stringify escapes control characters but not bidi ones: sanitize the rendered text too.
              `  subject:   ${displayText(JSON.stringify(c.credentialSubject, null, 2), { multiline: true }).replace(/\n/g, '\n  ')}`,
            ].join('\n'),
          };
        }),
      ),
    );

  withCommonOptions(wallet.command('delete'), 'wallet', { secret: true })
    .description('delete one credential from the wallet')
    .argument('<id>', 'credential id')
    .action(
      action(async (id: string, opts: CommonOptions) =>
        withWallet(opts, 'error', async (w) => {
          if (!(await w.deleteCredential(id))) throw new CradleError('NOT_FOUND', `No credential ${id} in this wallet.`);
          return { json: { id, deleted: true }, text: `Deleted ${id}.` };
        }),
      ),
    );
}
