import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createRegistrar } from '@cradle/issuer';
import { loadLedgerConfig } from '@cradle/ledger';
import { resolveHome, resolveSecret, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { DEFAULT_BASE_URL, configPath, readHomeConfig } from './home.js';
import type { RegistrarHomeConfig } from './home.js';

/** `cradle registrar init`: keys, did:ethr identity on the ledger, signing key, status lists. */
export function registerInitCommand(registrar: Command): void {
  withCommonOptions(registrar.command('init'), 'registrar', { secret: true })
    .description('create the registrar: keys, did:ethr identity on the ledger, signing key, status lists')
    .requiredOption('--ledger <file>', 'ledger config written by `cradle devchain` or `cradle ledger deploy`')
    .option('--base-url <url>', 'public URL where status lists will be served', DEFAULT_BASE_URL)
    .option('--key-validity-days <n>', 'ERC-1056 validity of the Ed25519 signing key and the anchoring delegate', String(5 * 365))
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { ledger: string; baseUrl: string; keyValidityDays: string };
        const home = resolveHome('registrar', opts);
        const ledgerPath = resolve(opts.ledger);
        const ledger = await loadLedgerConfig(ledgerPath);
        const days = Number(opts.keyValidityDays);
        if (!Number.isSafeInteger(days) || days < 1) throw new CradleError('INVALID_ARGUMENT', '--key-validity-days must be a whole number of days >= 1.');
        const secret = await resolveSecret(opts);
        if (existsSync(configPath(home))) {
          const existing = await readHomeConfig(home);
          if (existing.ledger.chainId !== ledger.chainId || existing.ledger.registry !== ledger.registry) {
            throw new CradleError('CONFLICT', `${home} already holds a registrar on chain ${existing.ledger.chainId}; use another --home.`);
          }
        }
        await mkdir(home, { recursive: true, mode: 0o700 });
        const config: RegistrarHomeConfig = { version: 1, ledgerPath, ledger, baseUrl: opts.baseUrl };
        // Written first, so an interrupted init (unfunded account, RPC outage) resumes with the same settings.
        await writeFile(configPath(home), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
        const r = await createRegistrar({
          home,
          secret,
          ledger,
          baseUrl: opts.baseUrl,
          signingKeyValiditySeconds: days * 86400,
          anchorDelegateValiditySeconds: days * 86400,
        });
        try {
          const result = await r.init();
          await writeFile(configPath(home), `${JSON.stringify({ ...config, did: result.did }, null, 2)}\n`, { mode: 0o600 });
          const validUntil = new Date(result.signingKeyValidUntil * 1000).toISOString();
          return {
            json: {
              home,
              did: result.did,
              address: result.address,
              anchorAddress: result.anchorAddress,
              verificationMethod: result.verificationMethod,
              signingKeyValidUntil: validUntil,
              funded: result.funded,
              alreadyInitialised: result.alreadyInitialised,
              baseUrl: opts.baseUrl,
            },
            text: [
              result.alreadyInitialised ? `Registrar already initialised in ${home}.` : `Registrar created in ${home}.`,
              `  DID                 ${result.did}`,
              `  signing key         ${result.verificationMethod} (Ed25519, valid on the ledger until ${validUntil})`,
              `  anchoring account   ${result.anchorAddress} (cradleAnchor delegate; keep it funded)`,
              `  status lists        ${opts.baseUrl}/status/<name>`,
              ...(result.funded.length > 0 ? [`  funded from the dev chain: ${result.funded.join(', ')}`] : []),
              'Keep CRADLE_SECRET (or the --secret-file) safe: without it the keys cannot be opened.',
            ].join('\n'),
          };
        } finally {
          await r.close();
        }
      }),
    );
}
