import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField as t } from '../../output.js';
import { withWallet } from './home.js';
import { MAX_INPUT_BYTES, looksLikeFile, readStdin } from './input.js';

/** The credential: from stdin (`-`), a file, or the argument itself; `registrar issue --json` output also works. */
async function readCredentialInput(input: string): Promise<string> {
  let text: string;
  if (input === '-') {
    text = await readStdin();
  } else if (looksLikeFile(input)) {
    const path = resolve(input);
    if (statSync(path).size > MAX_INPUT_BYTES) throw new CradleError('TOO_LARGE', `${input} is too large to be a credential.`);
    text = await readFile(path, 'utf8');
  } else {
    text = input;
  }
  text = text.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new CradleError('MALFORMED', 'The input looks like JSON but is not valid JSON.', { cause });
    }
    const jwt = (parsed as { jwt?: unknown } | null)?.jwt;
    if (typeof jwt !== 'string') throw new CradleError('MALFORMED', 'JSON input must have a "jwt" field (as `cradle registrar issue --json` prints).');
    return jwt;
  }
  return text;
}

/** `cradle wallet import INPUT|FILE|-`: store a credential addressed to a DID of this wallet. */
export function registerImportCommand(wallet: Command): void {
  withCommonOptions(wallet.command('import'), 'wallet', { secret: true })
    .description('import a credential (compact JWT or QR payload), from an argument, a file, or - for stdin')
    .argument('<input>', 'the credential, a file path, or -')
    .action(
      action(async (input: string, opts: CommonOptions) => {
        const credential = await readCredentialInput(input);
        return withWallet(opts, 'error', async (w) => {
          const { credential: c, created } = await w.importCredential(credential);
          return {
            json: {
              id: c.id,
              type: c.type,
              subject: c.subject,
              issuer: c.issuer,
              format: c.format,
              created,
              ...(c.validUntil !== undefined ? { validUntil: c.validUntil } : {}),
            },
            text:
              `${created ? 'Imported' : 'Already in the wallet:'} ${t(c.type)} ${t(c.id)}\n  child:  ${t(c.subject)}\n  issuer: ${t(c.issuer)}` +
              (c.guardians.length > 0 ? `\n  guardians: ${c.guardians.map((g) => t(g.id) + (g.role ? ` (${t(g.role)})` : '')).join(', ')}` : '') +
              (c.travelConsent !== undefined
                ? `\n  consent by ${t(c.travelConsent.by)}: may travel with ${t(c.travelConsent.traveller)} to ${c.travelConsent.countries.map(t).join(', ')}${c.validUntil === undefined ? '' : ` until ${t(c.validUntil)}`}`
                : '') +
              (c.validUntil !== undefined && Date.parse(c.validUntil) <= Date.now()
                ? `\nNote: this credential expired on ${t(c.validUntil)}; checkpoints will refuse it. Ask the registrar for a new one.`
                : '') +
              "\nThe wallet checked the credential's form and that it is addressed to a DID held here; the issuer's signature is checked at the checkpoint.",
          };
        });
      }),
    );
}
