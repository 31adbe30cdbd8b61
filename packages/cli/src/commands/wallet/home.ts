import { createWallet } from '@cradle/holder';
import type { Wallet } from '@cradle/holder';
import { resolveHome, resolveSecret } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import type { CommandOutput } from '../../output.js';

/** Run one command against the wallet of `--home` (created first if `ifMissing` says so), closing it afterwards. */
export async function withWallet(
  opts: CommonOptions,
  ifMissing: 'create' | 'error',
  fn: (wallet: Wallet) => Promise<CommandOutput>,
): Promise<CommandOutput> {
  const home = resolveHome('wallet', opts);
  const secret = await resolveSecret(opts);
  const wallet = await createWallet({ home, secret, ifMissing });
  try {
    return await fn(wallet);
  } finally {
    await wallet.close();
  }
}
