import type { Command } from 'commander';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withWallet } from './home.js';

/** `cradle wallet create-did`: a did:key for a guardian or a child. */
export function registerCreateDidCommand(wallet: Command): void {
  withCommonOptions(wallet.command('create-did'), 'wallet', { secret: true })
    .description('create a did:key (Ed25519) for a guardian or a child')
    .option('--label <name>', 'a local label (never leaves the wallet)')
    .action(
      action(async (opts: CommonOptions & { label?: string }) =>
        withWallet(opts, 'error', async (w) => {
          const { did } = await w.createDid(opts.label === undefined ? {} : { label: opts.label });
          return { json: { did }, text: did };
        }),
      ),
    );
}
