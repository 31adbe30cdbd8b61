import { readFile, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import type { Wallet } from '@cradle/holder';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withWallet } from './home.js';

interface BackupOptions extends CommonOptions {
  passphraseFile?: string;
}

/** The backup passphrase: never a command-line argument (it would show in `ps` and shell history). */
async function resolvePassphrase(opts: BackupOptions): Promise<string> {
  let passphrase: string | undefined;
  if (opts.passphraseFile !== undefined) {
    try {
      passphrase = (await readFile(opts.passphraseFile, 'utf8')).trim();
    } catch (cause) {
      throw new CradleError('SECRET_MISSING', `Cannot read the passphrase file ${opts.passphraseFile}.`, { cause });
    }
  } else {
    passphrase = process.env.CRADLE_BACKUP_PASSPHRASE?.trim();
  }
  if (passphrase === undefined || passphrase === '') {
    throw new CradleError('SECRET_MISSING', 'No backup passphrase: set CRADLE_BACKUP_PASSPHRASE or pass --passphrase-file FILE.');
  }
  return passphrase;
}

/** `cradle wallet backup FILE` and `cradle wallet restore FILE`: passphrase-encrypted copies of keys and credentials. */
export function registerBackupCommands(wallet: Command): void {
  withCommonOptions(wallet.command('backup'), 'wallet', { secret: true })
    .description('write an encrypted backup of keys and credentials (passphrase: --passphrase-file or $CRADLE_BACKUP_PASSPHRASE)')
    .argument('<file>', 'backup file to write')
    .option('--passphrase-file <file>', 'file holding the backup passphrase (default: $CRADLE_BACKUP_PASSPHRASE)')
    .action(
      action(async (file: string, opts: BackupOptions) => {
        const passphrase = await resolvePassphrase(opts);
        return withWallet(opts, 'error', async (w) => {
          const b = await w.backup(file, passphrase);
          return {
            json: { ...b },
            text: `Backup written to ${b.path}: ${b.dids} DIDs, ${b.credentials} credentials, encrypted with the passphrase. Keep the passphrase apart from the file.`,
          };
        });
      }),
    );

  withCommonOptions(wallet.command('restore'), 'wallet', { secret: true })
    .description('restore a backup into this (empty) wallet (passphrase: --passphrase-file or $CRADLE_BACKUP_PASSPHRASE)')
    .argument('<file>', 'backup file to read')
    .option('--passphrase-file <file>', 'file holding the backup passphrase (default: $CRADLE_BACKUP_PASSPHRASE)')
    .action(
      action(async (file: string, opts: BackupOptions) => {
        const passphrase = await resolvePassphrase(opts);
        return withWallet(opts, 'create', async (w) => {
          let b: Awaited<ReturnType<Wallet['restore']>>;
          try {
            b = await w.restore(file, passphrase);
          } catch (e) {
            // A failed restore into a new home leaves no empty wallet behind: nothing changed on disk.
            if (w.created) {
              await w.close();
              await rm(w.databasePath, { force: true });
              await rm(`${w.databasePath}-journal`, { force: true });
            }
            throw e;
          }
          return {
            json: { ...b },
            text: `Restored ${b.dids} DIDs and ${b.credentials} credentials from ${b.path} into ${w.databasePath}. Its keys are now encrypted with this wallet's secret.`,
          };
        });
      }),
    );
}
