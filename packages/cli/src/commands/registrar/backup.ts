import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createRegistrar, restoreRegistrar } from '@cradle/issuer';
import { parseLedgerConfig } from '@cradle/ledger';
import { resolveHome, resolveSecret, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { configPath, readHomeConfig, withRegistrar, writeHomeConfig } from './home.js';
import type { RegistrarHomeConfig } from './home.js';

interface BackupOptions extends CommonOptions {
  passphraseFile?: string;
  force?: boolean;
}

async function passphrase(opts: BackupOptions): Promise<string> {
  if (opts.passphraseFile === undefined) return resolveSecret(opts);
  let text: string;
  try {
    text = (await readFile(opts.passphraseFile, 'utf8')).trim();
  } catch (cause) {
    throw new CradleError('SECRET_MISSING', `Cannot read the passphrase file ${opts.passphraseFile}.`, { cause });
  }
  if (text.length < 8) throw new CradleError('SECRET_MISSING', `The passphrase in ${opts.passphraseFile} is shorter than 8 characters.`);
  return text;
}

/** `cradle registrar backup FILE` and `cradle registrar restore FILE`. */
export function registerBackupCommands(registrar: Command): void {
  withCommonOptions(registrar.command('backup'), 'registrar', { secret: true })
    .description("write an encrypted backup of the registrar's keys and records (and its config) to FILE, while it runs")
    .argument('<file>', 'backup file to write (replaced atomically)')
    .option('--passphrase-file <file>', 'encrypt with this passphrase instead of the registrar secret')
    .action(
      action(async (file: string, opts: BackupOptions) =>
        withRegistrar(opts, async (r) => {
          const config = await readHomeConfig(resolveHome('registrar', opts));
          const out = resolve(file);
          const manifest = await r.backup({ file: out, passphrase: await passphrase(opts), extra: { config } });
          return {
            json: { file: out, did: manifest.did, createdAt: manifest.createdAt },
            text: `Backup of ${manifest.did} written to ${out} (encrypted${opts.passphraseFile ? ' with the passphrase' : ' with the registrar secret'}). Keep it away from the secret.`,
          };
        }),
      ),
    );

  withCommonOptions(registrar.command('restore'), 'registrar', { secret: true })
    .description('restore a registrar from a backup FILE into --home (e.g. on a new machine)')
    .argument('<file>', 'backup file written by `cradle registrar backup`')
    .option('--passphrase-file <file>', 'the passphrase the backup was encrypted with (default: the registrar secret)')
    .option('--force', 'replace a registrar that already lives in --home (it is lost)')
    .action(
      action(async (file: string, opts: BackupOptions) => {
        const dir = resolveHome('registrar', opts);
        if (existsSync(configPath(dir)) && opts.force !== true) {
          const current = await readHomeConfig(dir).catch(() => undefined);
          throw new CradleError(
            'CONFLICT',
            `${dir} already holds a registrar${current?.did ? ` (${current.did})` : ''}: restore into a new --home, or pass --force to replace it.`,
          );
        }
        const manifest = await restoreRegistrar({ file: resolve(file), home: dir, passphrase: await passphrase(opts), force: opts.force === true });
        const saved = (manifest.extra as { config?: Partial<RegistrarHomeConfig> } | undefined)?.config;
        if (saved?.version !== 1 || typeof saved.baseUrl !== 'string') throw new CradleError('BACKUP_INVALID', 'The backup holds no registrar config (not written by `cradle registrar backup`).');
        const config: RegistrarHomeConfig = { version: 1, ledgerPath: String(saved.ledgerPath ?? ''), ledger: parseLedgerConfig(saved.ledger), baseUrl: saved.baseUrl, did: manifest.did };
        await writeHomeConfig(dir, config);
        // Open it once: the registrar secret must open its keys, and the identity must be the backup's.
        const secret = await resolveSecret(opts);
        const r = await createRegistrar({ home: dir, secret, ledger: config.ledger, baseUrl: config.baseUrl, expectedDid: manifest.did });
        const pending = (await r.pending()).length;
        await r.close();
        return {
          json: { home: dir, did: manifest.did, backupCreatedAt: manifest.createdAt, pendingAnchors: pending },
          text: `Restored registrar ${manifest.did} (backup of ${manifest.createdAt}) into ${dir}.${pending > 0 ? ` ${pending} anchor(s) wait in the outbox: run \`cradle registrar publish\`.` : ''}`,
        };
      }),
    );
}
