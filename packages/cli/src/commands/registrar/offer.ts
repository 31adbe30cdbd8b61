import { resolve } from 'node:path';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { CradleError } from '@cradle/core';
import { createOfferUri } from '@cradle/issuer';
import { writeFileAtomic } from '../../atomic-file.js';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withRegistrar } from './home.js';

interface OfferOptions extends CommonOptions {
  expiresIn: string;
  png?: string;
  qr: boolean;
}

/** `cradle registrar offer ID`: an OpenID4VCI pre-authorized offer (URI + QR) and its transaction code. */
export function registerOfferCommand(registrar: Command): void {
  withCommonOptions(registrar.command('offer'), 'registrar', { secret: true })
    .description('create a single-use OpenID4VCI credential offer for an issued credential: a URI/QR for the wallet and a transaction code for the parent')
    .argument('<id>', 'id of the issued credential')
    .option('--expires-in <seconds>', 'how long the offer can be redeemed (60 .. 2592000)', '86400')
    .option('--png <file>', 'also write the offer QR code as a PNG image')
    .option('--no-qr', 'do not draw the QR code in the terminal')
    .action(
      action(async (id: string, common: CommonOptions) => {
        const opts = common as OfferOptions;
        if (!/^\d{1,7}$/.test(opts.expiresIn)) throw new CradleError('INVALID_ARGUMENT', `--expires-in must be a number of seconds, not "${opts.expiresIn}".`, { details: { field: 'expiresIn' } });
        const png = opts.png === undefined ? undefined : resolve(opts.png);
        return withRegistrar(opts, async (r) => {
          const offer = await createOfferUri(r, id, Number(opts.expiresIn));
          if (png !== undefined) await writeFileAtomic(png, await QRCode.toBuffer(offer.uri, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 }));
          const qr = opts.qr ? await QRCode.toString(offer.uri, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 }) : '';
          return {
            json: { uri: offer.uri, txCode: offer.txCode, expiresAt: offer.expiresAt, offerId: offer.offerId, credentialId: offer.credentialId, ...(png ? { png } : {}) },
            text: [
              ...(qr === '' ? [] : [qr]),
              `Offer for credential ${offer.credentialId} (single use, until ${offer.expiresAt}):`,
              `  ${offer.uri}`,
              ...(png ? [`  QR image: ${png}`] : []),
              `Transaction code: ${offer.txCode}`,
              '  Give it to the parent separately (say it or write it down; never with the QR). The wallet asks for it.',
              '  The wallet must hold the key of the credential subject (the child DID). `registrar serve` must be reachable at the base URL.',
            ].join('\n'),
          };
        });
      }),
    );
}
