import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action, notImplemented } from '../output.js';

/** `cradle devchain`: a local EVM with the registry and anchor contracts, for demos and tests. */
export function registerDevchainCommand(program: Command): void {
  withCommonOptions(program.command('devchain'), undefined)
    .description('run a local EVM (Hardhat EDR) with the DID registry and anchor contract deployed, until stopped')
    .option('--port <n>', 'JSON-RPC port on 127.0.0.1', '8545')
    .option('--out <file>', 'where to write the ledger config', 'ledger.json')
    .action(action(() => notImplemented('devchain')));
}
