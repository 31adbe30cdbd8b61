import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CradleError, generateAlertKeyPair, readAlertKey } from '@cradle/core';
import type { AlertKeyJwk } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { writeFileAtomic } from './home.js';

/** Where `checkpoint init --alert-key` keeps the checkpoint's private alert key (0600). */
export function alertKeyPath(home: string): string {
  return join(home, 'alert-key.jwk');
}

/** Read a private alert key file (a JWK); clear errors for a missing, damaged or public-only file. */
export async function readPrivateAlertKeyFile(path: string): Promise<AlertKeyJwk> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `Cannot read the alert key ${path}: give the PRIVATE key file written by \`cradle checkpoint alert-key --out FILE\`.`, { cause });
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text.slice(0, 16 * 1024));
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `${path} is not a JWK (JSON).`, { cause });
  }
  return readAlertKey(jwk, 'private');
}

/** `cradle checkpoint alert-key --out PRIVATE.jwk --public-out PUBLIC.jwk`: a new checkpoint alert key pair. */
export function registerAlertKeyCommand(checkpoint: Command): void {
  withCommonOptions(checkpoint.command('alert-key'), 'checkpoint')
    .description('generate a checkpoint alert key pair: the public key goes to registrars (`registrar init --alert-recipient`), the private one to checkpoints (`checkpoint init --alert-key`)')
    .requiredOption('--out <file>', 'where to write the PRIVATE key (JWK, mode 0600); keep it only on checkpoints')
    .requiredOption('--public-out <file>', 'where to write the PUBLIC key (JWK) for registrars')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { out: string; publicOut: string };
        const pair = await generateAlertKeyPair();
        await writeFileAtomic(opts.out, new TextEncoder().encode(`${JSON.stringify(pair.privateJwk, null, 2)}\n`), 0o600);
        await writeFileAtomic(opts.publicOut, new TextEncoder().encode(`${JSON.stringify(pair.publicJwk, null, 2)}\n`), 0o644);
        return {
          json: { kid: pair.kid, privateKeyFile: opts.out, publicKeyFile: opts.publicOut, publicJwk: pair.publicJwk },
          text: [
            `Alert key ${pair.kid}`,
            `  private key: ${opts.out} (give it only to checkpoints: cradle checkpoint init ... --alert-key ${opts.out})`,
            `  public key:  ${opts.publicOut} (give it to registrars: cradle registrar init ... --alert-recipient ${opts.publicOut})`,
            'Anyone holding the private key can read every alert: keep it off registrars, wallets and bundles.',
          ].join('\n'),
        };
      }),
    );
}
