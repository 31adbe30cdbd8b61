import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField as t } from '../../output.js';
import { withWallet } from './home.js';

interface ReceiveOptions extends CommonOptions {
  txCode?: string;
  child?: string;
  allowHttp?: boolean;
}

/** `cradle wallet receive OFFER_URI`: receive credentials from any OpenID4VCI 1.0 issuer (pre-authorized offer). */
export function registerReceiveCommand(wallet: Command): void {
  withCommonOptions(wallet.command('receive'), 'wallet', { secret: true })
    .description('receive a credential through an OpenID4VCI credential offer (the URI in the QR code the issuer shows)')
    .argument('<offer-uri>', 'openid-credential-offer://?credential_offer=… (or credential_offer_uri=…)')
    .option('--tx-code <code>', 'the transaction code the issuer gave you separately')
    .option('--child <did|label>', 'the DID the credential is for (its key proves possession); default: the only DID in the wallet')
    .option('--allow-http', 'accept an issuer on plain http (tests, closed networks only)')
    .action(
      action(async (offer: string, common: CommonOptions) => {
        const opts = common as ReceiveOptions;
        return withWallet(opts, 'error', async (w) => {
          const received = await w.receive(offer, {
            ...(opts.txCode === undefined ? {} : { txCode: opts.txCode }),
            ...(opts.child === undefined ? {} : { child: opts.child }),
            ...(opts.allowHttp === true ? { allowHttp: true } : {}),
          });
          return {
            json: {
              issuer: received.issuer,
              credentialConfigurationId: received.credentialConfigurationId,
              imported: received.imported.map(({ credential: c, created }) => ({ id: c.id, type: c.type, subject: c.subject, issuer: c.issuer, format: c.format, created })),
            },
            text: [
              `Received from ${t(received.issuer)}:`,
              ...received.imported.map(({ credential: c, created }) => `  ${created ? 'imported' : 'already held'} ${t(c.type)} ${t(c.id)}\n    child:  ${t(c.subject)}\n    issuer: ${t(c.issuer)}`),
            ].join('\n'),
          };
        });
      }),
    );
}
