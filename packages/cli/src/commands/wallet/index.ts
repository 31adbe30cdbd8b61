import type { Command } from 'commander';
import { registerBackupCommands } from './backup.js';
import { registerConsentCommand } from './consent.js';
import { registerCreateDidCommand } from './create-did.js';
import { registerImportCommand } from './import.js';
import { registerInitCommand } from './init.js';
import { registerListCommand } from './list.js';
import { registerPresentCommand } from './present.js';
import { registerReceiveCommand } from './receive.js';
import { registerRespondCommand } from './respond.js';
import { registerShowCommands } from './show.js';

/**
 * `cradle wallet ...`: the guardian's wallet.
 * One file per subcommand (or small group); a new subcommand is a new file registered here (order = help order).
 */
export function registerWalletCommands(program: Command): void {
  const wallet = program.command('wallet').description("guardian wallet: hold children's credentials and present them at checkpoints");
  registerInitCommand(wallet);
  registerCreateDidCommand(wallet);
  registerImportCommand(wallet);
  registerReceiveCommand(wallet);
  registerListCommand(wallet);
  registerShowCommands(wallet);
  registerPresentCommand(wallet);
  registerRespondCommand(wallet);
  registerConsentCommand(wallet);
  registerBackupCommands(wallet);
}
