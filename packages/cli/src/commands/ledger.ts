import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { deployContracts, serializeLedgerConfig } from '@cradle/ledger';
import type { DeployResult } from '@cradle/ledger';
import type { CommonOptions } from '../context.js';
import { withCommonOptions } from '../context.js';
import { action } from '../output.js';
import type { CommandOutput } from '../output.js';

interface DeployCommandOptions extends CommonOptions {
  rpc: string;
  privateKeyFile: string;
  out: string;
  registry?: string;
  confirmations: string;
  chainId?: string;
  name?: string;
}

function positiveInt(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new CradleError('INVALID_ARGUMENT', `${flag} must be a whole number >= ${min}, not "${value}".`);
  }
  return Number(value);
}

async function readPrivateKey(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `Cannot read the private key file ${file}.`, { cause });
  }
  const key = text.trim();
  const hex = key.startsWith('0x') ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new CradleError('INVALID_ARGUMENT', `${file} must hold one secp256k1 private key (64 hex digits).`);
  return hex;
}

/** ETH cost of `gas` at `gwei`, as a short decimal string. */
function ethCost(gas: bigint, gwei: number): string {
  const wei = gas * BigInt(gwei) * 10n ** 9n;
  return (Number(wei) / 1e18).toFixed(6);
}

function report(result: DeployResult, out: string): CommandOutput {
  const total = (result.gasUsed.registry ?? 0n) + result.gasUsed.anchor;
  const c = result.config;
  const text = [
    `Deployed on chain ${c.chainId} (${c.rpcUrl}):`,
    `  EthereumDIDRegistry  ${c.registry}${result.registryDeployed ? `  (new, ${result.gasUsed.registry} gas)` : '  (existing)'}`,
    `  CradleAnchor         ${c.anchor}  (${result.gasUsed.anchor} gas, block ${c.deployBlock})`,
    `  total gas ${total}: ${ethCost(total, 1)} ETH at 1 gwei, ${ethCost(total, 30)} ETH at 30 gwei`,
    `  ledger config written to ${out} (confirmations: ${c.confirmations})`,
  ].join('\n');
  return {
    text,
    json: {
      ledger: out,
      config: c,
      registryDeployed: result.registryDeployed,
      gasUsed: Object.fromEntries(Object.entries(result.gasUsed).map(([k, v]) => [k, v.toString()])),
      txHashes: result.txHashes,
    },
  };
}

/**
 * `cradle ledger deploy --rpc URL --private-key-file F --out LEDGER.json [--registry ADDR]
 * [--confirmations N] [--chain-id N]`: deploy the anchor contract (and an ERC-1056 registry unless one is
 * given) to any EVM network and write its ledger config.
 */
export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the EVM ledger: deploy the anchor contract to a real network');
  withCommonOptions(ledger.command('deploy'), undefined)
    .description('deploy CradleAnchor (and EthereumDIDRegistry unless --registry) and write the ledger config')
    .requiredOption('--rpc <url>', 'JSON-RPC URL of the network (Sepolia, an L2, a Besu node, ...)')
    .requiredOption('--private-key-file <file>', 'file holding the funded deployer key (hex); never pass keys on the command line')
    .requiredOption('--out <file>', 'where to write the ledger config')
    .option('--registry <address>', 'existing ERC-1056 registry to use (e.g. the canonical 0xdca7ef03e98e0dc2b855be647c39abe984fcf21b)')
    .option('--confirmations <n>', 'blocks to wait for each deployment, and recorded for anchoring', '2')
    .option('--chain-id <n>', 'refuse to deploy unless the RPC serves this chain id')
    .option('--name <name>', 'network name recorded in the config')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as DeployCommandOptions;
        const confirmations = positiveInt(opts.confirmations, '--confirmations', 1);
        const chainId = opts.chainId === undefined ? undefined : positiveInt(opts.chainId, '--chain-id', 1);
        const privateKey = await readPrivateKey(opts.privateKeyFile);
        const result = await deployContracts({
          rpcUrl: opts.rpc,
          privateKey,
          confirmations,
          ...(chainId === undefined ? {} : { chainId }),
          ...(opts.registry === undefined ? {} : { registry: opts.registry }),
          ...(opts.name === undefined ? {} : { name: opts.name }),
        });
        const out = resolve(opts.out);
        await writeFile(out, serializeLedgerConfig(result.config));
        return report(result, out);
      }),
    );
}
