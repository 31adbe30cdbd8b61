import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action, notImplemented } from '../output.js';

/** `cradle wallet ...`: the guardian's wallet. */
export function registerWalletCommands(program: Command): void {
  const wallet = program.command('wallet').description("guardian wallet: hold children's credentials and present them at checkpoints");

  withCommonOptions(wallet.command('init'), 'wallet', { secret: true })
    .description('create an empty wallet')
    .action(action(() => notImplemented('wallet init')));

  withCommonOptions(wallet.command('create-did'), 'wallet', { secret: true })
    .description('create a did:key (Ed25519) for a guardian or a child')
    .option('--label <name>', 'a local label (never leaves the wallet)')
    .action(action(() => notImplemented('wallet create-did')));

  withCommonOptions(wallet.command('import'), 'wallet', { secret: true })
    .description('import a credential (compact JWT or QR payload), from an argument, a file, or - for stdin')
    .argument('<input>', 'the credential, a file path, or -')
    .action(action(() => notImplemented('wallet import')));

  withCommonOptions(wallet.command('list'), 'wallet', { secret: true })
    .description('list DIDs and credentials')
    .action(action(() => notImplemented('wallet list')));

  withCommonOptions(wallet.command('show'), 'wallet', { secret: true })
    .description('show one credential')
    .argument('<id>', 'credential id')
    .action(action(() => notImplemented('wallet show')));

  withCommonOptions(wallet.command('present'), 'wallet', { secret: true })
    .description("present a child's credentials at a checkpoint")
    .requiredOption('--child <did>', "the child's DID")
    .requiredOption('--nonce <n>', "the checkpoint's nonce")
    .requiredOption('--domain <d>', "the checkpoint's domain")
    .option('--png <file>', 'also write the QR code as a PNG')
    .action(action(() => notImplemented('wallet present')));

  withCommonOptions(wallet.command('backup'), 'wallet', { secret: true })
    .description('write an encrypted backup of keys and credentials')
    .argument('<file>', 'backup file to write')
    .action(action(() => notImplemented('wallet backup')));

  withCommonOptions(wallet.command('restore'), 'wallet', { secret: true })
    .description('restore a backup into this (empty) wallet')
    .argument('<file>', 'backup file to read')
    .action(action(() => notImplemented('wallet restore')));
}
