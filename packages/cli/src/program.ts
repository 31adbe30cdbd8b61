import { Command } from 'commander';
import { registerCheckpointCommands } from './commands/checkpoint.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDevchainCommand } from './commands/devchain.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerRegistrarCommands } from './commands/registrar.js';
import { registerWalletCommands } from './commands/wallet.js';

/** The `cradle` command tree (CLI contract in DESIGN.md). Exposed for tests and embedding. */
export function createProgram(): Command {
  const program = new Command('cradle')
    .description('Cradle: verifiable birth registration. Registrars issue, guardians present, checkpoints verify offline.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerDevchainCommand(program);
  registerLedgerCommands(program);
  registerRegistrarCommands(program);
  registerWalletCommands(program);
  registerCheckpointCommands(program);
  registerDemoCommand(program);
  return program;
}
