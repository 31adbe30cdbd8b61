import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import type { CommonOptions } from '../context.js';
import { withCommonOptions } from '../context.js';
import { printError, printOutput } from '../output.js';
import { untilSignal } from '../signals.js';

interface DevchainOptions extends CommonOptions {
  port: string;
  out: string;
}

/** Parse a TCP port option strictly (0 = any free port). */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new CradleError('INVALID_ARGUMENT', `--port must be a number between 0 and 65535, not "${value}".`);
  return Number(value);
}

function describe(chain: DevChain, out: string): string {
  const lines = [
    `Cradle dev chain running at ${chain.url} (chain id ${chain.config.chainId}), started in ${chain.startupMs} ms`,
    `  EthereumDIDRegistry  ${chain.config.registry}`,
    `  CradleAnchor         ${chain.config.anchor}`,
    `  ledger config        ${out}`,
    '  dev accounts (public test keys, 10,000 ETH each; never use them on a real network):',
    ...chain.accounts.map((a, i) => `    ${String(i).padStart(2)}  ${a.address}  ${a.privateKey}`),
    'Press Ctrl+C to stop.',
  ];
  return lines.join('\n');
}

async function runDevchain(opts: DevchainOptions): Promise<void> {
  let chain: DevChain | undefined;
  try {
    const port = parsePort(opts.port);
    const out = resolve(opts.out);
    chain = await startDevChain({ port });
    await writeFile(out, serializeLedgerConfig(chain.config), { mode: 0o600 });
    printOutput({ json: { rpcUrl: chain.url, chainId: chain.config.chainId, ledger: out, startupMs: chain.startupMs, config: chain.config }, text: describe(chain, out) }, opts);
    await untilSignal();
    await chain.stop();
    if (!opts.json) process.stderr.write('dev chain stopped\n');
    process.exitCode = 0;
  } catch (e) {
    await chain?.stop();
    printError(e, opts);
    process.exitCode = 1;
  }
}

/**
 * `cradle devchain [--port N] [--out LEDGER.json] [--json]`: a local EVM (Hardhat EDR) on 127.0.0.1 with
 * the ERC-1056 registry and the anchor contract deployed; writes the ledger config and runs until
 * SIGINT/SIGTERM.
 */
export function registerDevchainCommand(program: Command): void {
  withCommonOptions(program.command('devchain'), undefined)
    .description('run a local EVM (Hardhat EDR) with the DID registry and anchor contract deployed, until stopped')
    .option('--port <n>', 'JSON-RPC port on 127.0.0.1 (0 = any free port)', '8545')
    .option('--out <file>', 'where to write the ledger config', 'ledger.json')
    .action((opts: DevchainOptions) => runDevchain(opts));
}
