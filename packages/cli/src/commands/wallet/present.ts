import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { parseCheckpointChallenge } from '@cradle/holder';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withWallet } from './home.js';
import { looksLikeFile, readStdin } from './input.js';

interface PresentCliOptions extends CommonOptions {
  child: string;
  nonce?: string;
  domain?: string;
  challenge?: string;
  guardian?: string;
  ttl?: string;
  png?: string;
  disclose?: string;
}

/** The nonce and domain: from --challenge (the checkpoint's QR text), or from --nonce and --domain. */
async function challengeOf(opts: PresentCliOptions): Promise<{ nonce: string; domain: string }> {
  if (opts.challenge !== undefined) {
    if (opts.nonce !== undefined || opts.domain !== undefined) {
      throw new CradleError('INVALID_ARGUMENT', 'Give either --challenge or --nonce and --domain, not both.');
    }
    const text = opts.challenge === '-' ? await readStdin() : looksLikeFile(opts.challenge) ? await readFile(opts.challenge, 'utf8') : opts.challenge;
    return parseCheckpointChallenge(text);
  }
  if (opts.nonce === undefined || opts.domain === undefined) {
    throw new CradleError('INVALID_ARGUMENT', "Give the checkpoint's --nonce and --domain (as shown under its QR code), or its --challenge.");
  }
  return { nonce: opts.nonce.trim(), domain: opts.domain.trim() };
}

function parseSeconds(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw new CradleError('INVALID_ARGUMENT', '--ttl is a whole number of seconds (1 to 3600).');
  return Number(text);
}

/** `cradle wallet present`: a guardian-signed presentation for a checkpoint's challenge. */
export function registerPresentCommand(wallet: Command): void {
  withCommonOptions(wallet.command('present'), 'wallet', { secret: true })
    .description("present a child's credentials at a checkpoint")
    .requiredOption('--child <did>', "the child's DID (or its label in this wallet)")
    .option('--nonce <n>', "the checkpoint's nonce (or give --challenge)")
    .option('--domain <d>', "the checkpoint's domain (or give --challenge)")
    .option('--challenge <text|file|->', 'the text of the checkpoint\'s challenge QR code, {"nonce","domain"}: as an argument, a file, or - for stdin')
    .option('--guardian <did>', 'the presenting guardian (default: the guardian held in this wallet)')
    .option('--ttl <seconds>', 'how long the presentation is valid (default 300, at most 3600)')
    .option('--png <file>', 'also write the QR code as a PNG')
    .option('--disclose <claims>', 'SD-JWT VC birth credentials: the claims to reveal, comma-separated (default givenName,familyName,birthDate)')
    .action(
      action(async (common: CommonOptions) => {
        // commander enforces --child
        const opts = common as PresentCliOptions;
        const { nonce, domain } = await challengeOf(opts);
        return withWallet(opts, 'error', async (w) => {
          const ttlSeconds = opts.ttl === undefined ? undefined : parseSeconds(opts.ttl);
          const p = await w.present({
            child: opts.child,
            nonce,
            domain,
            ...(opts.guardian !== undefined ? { guardian: opts.guardian } : {}),
            ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
            ...(opts.disclose !== undefined ? { disclose: opts.disclose.split(',').map((c) => c.trim()).filter((c) => c !== '') } : {}),
            png: opts.png !== undefined,
          });
          let pngPath: string | undefined;
          if (opts.png !== undefined && p.png !== undefined) {
            pngPath = resolve(opts.png);
            await writeFile(pngPath, p.png);
          }
          return {
            json: { jwt: p.jwt, qr: p.qr, child: p.child, guardian: p.guardian, expiresAt: p.expiresAt, consentIds: p.consentIds, ...(pngPath ? { png: pngPath } : {}) },
            text:
              `Presentation for ${p.child}, signed by guardian ${p.guardian}, valid until ${p.expiresAt}.\n` +
              (p.consentIds.length > 0 ? `Carries ${p.consentIds.length} travel consent(s): ${p.consentIds.join(', ')}.\n` : '') +
              (pngPath ? `QR code written to ${pngPath}.\n` : '') +
              `QR payload:\n${p.qr}`,
          };
        });
      }),
    );
}
