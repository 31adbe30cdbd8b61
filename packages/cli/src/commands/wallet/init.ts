import type { Command } from 'commander';
import { resolveHome, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withWallet } from './home.js';

/** `cradle wallet init`: an empty wallet. */
export function registerInitCommand(wallet: Command): void {
  withCommonOptions(wallet.command('init'), 'wallet', { secret: true })
    .description('create an empty wallet')
    .action(
      action(async (opts: CommonOptions) =>
        withWallet(opts, 'create', async (w) => ({
          json: { home: resolveHome('wallet', opts), database: w.databasePath, created: w.created },
          text: w.created
            ? `Wallet created at ${w.databasePath}.\nKeep CRADLE_SECRET (or the --secret-file) safe: the keys cannot be opened without it. Make backups with \`cradle wallet backup\`.`
            : `A wallet already exists at ${w.databasePath}; the secret opens it. Nothing changed.`,
        })),
      ),
    );
}
