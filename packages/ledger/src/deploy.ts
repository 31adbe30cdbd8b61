import { CradleError } from '@cradle/core';
import { ContractFactory, Wallet } from 'ethers';
import type { Signer } from 'ethers';
import ethrDidRegistry from 'ethr-did-registry';
import { readChainId } from './anchor-client.js';
import { assertAddress } from './anchor-input.js';
import { cradleAnchorArtifact } from './generated/cradle-anchor-artifact.js';
import type { LedgerConfig } from './ledger-config.js';
import { classifyRpcError } from './rpc-errors.js';
import { createRpcProvider } from './rpc-provider.js';

/** Options for {@link deployContracts}: `rpcUrl`, and a connected `signer` or a `privateKey`. */
export interface DeployOptions {
  signer?: Signer;
  /** The node's URL, recorded in the returned config (and used when no signer is given). */
  rpcUrl: string;
  privateKey?: string;
  /** Expected chain id; deployment is refused on any other chain (default: whatever the node says). */
  chainId?: number;
  /** Existing ERC-1056 registry (e.g. the canonical one); when absent a new one is deployed. */
  registry?: string;
  /** Blocks to wait on top of each deployment (default 1). */
  confirmations?: number;
  /** Name recorded in the returned config. */
  name?: string;
}

/** What {@link deployContracts} did. */
export interface DeployResult {
  /** A ledger config pointing at the deployed contracts (write it with `serializeLedgerConfig`). */
  config: LedgerConfig;
  registryDeployed: boolean;
  gasUsed: { registry?: bigint; anchor: bigint };
  txHashes: { registry?: string; anchor: string };
}

async function deployOne(factory: ContractFactory, args: unknown[], confirmations: number): Promise<{ address: string; gasUsed: bigint; txHash: string; blockNumber: number }> {
  try {
    const contract = await factory.deploy(...args);
    const tx = contract.deploymentTransaction();
    if (tx === null) throw new CradleError('RPC_ERROR', 'Deployment produced no transaction.');
    const receipt = await tx.wait(confirmations);
    if (receipt === null || receipt.status !== 1) throw new CradleError('RPC_REVERTED', `Deployment transaction ${tx.hash} failed.`);
    return { address: await contract.getAddress(), gasUsed: receipt.gasUsed, txHash: tx.hash, blockNumber: receipt.blockNumber };
  } catch (e) {
    throw classifyRpcError(e);
  }
}

/**
 * Deploy `CradleAnchor` (and an ERC-1056 `EthereumDIDRegistry` from `ethr-did-registry` unless
 * `registry` is given) and return a ledger config for them.
 *
 * @example
 * ```ts
 * const { config, gasUsed } = await deployContracts({ rpcUrl, privateKey, chainId: 11155111, confirmations: 3 });
 * ```
 */
export async function deployContracts(opts: DeployOptions): Promise<DeployResult> {
  const owned: { destroy(): void }[] = [];
  try {
    return await deploy(opts, owned);
  } finally {
    for (const p of owned) p.destroy();
  }
}

async function deploy(opts: DeployOptions, owned: { destroy(): void }[]): Promise<DeployResult> {
  const confirmations = opts.confirmations ?? 1;
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) throw new CradleError('INVALID_ARGUMENT', 'confirmations must be >= 1.');
  let signer = opts.signer;
  const rpcUrl = opts.rpcUrl;
  if (rpcUrl === undefined) throw new CradleError('INVALID_ARGUMENT', 'deployContracts needs rpcUrl (it is recorded in the ledger config).');
  let chainId: number;
  if (signer === undefined) {
    if (opts.privateKey === undefined) throw new CradleError('INVALID_ARGUMENT', 'deployContracts needs a connected signer or a privateKey.');
    // Ask the node first: the provider's static network decides the chain id the wallet signs for.
    const probe = createRpcProvider(rpcUrl, opts.chainId ?? 1, { timeoutMs: 15_000 });
    try {
      chainId = Number(BigInt(await probe.send('eth_chainId', [])));
    } catch (e) {
      throw classifyRpcError(e);
    } finally {
      probe.destroy();
    }
    try {
      const provider = createRpcProvider(rpcUrl, chainId, { timeoutMs: 30_000 });
      owned.push(provider);
      signer = new Wallet(opts.privateKey, provider);
    } catch (cause) {
      throw new CradleError('INVALID_ARGUMENT', 'The private key is not a valid secp256k1 key (0x + 64 hex digits).', { cause });
    }
  } else {
    if (signer.provider === null) throw new CradleError('INVALID_ARGUMENT', 'The signer has no provider: connect it first.');
    try {
      chainId = await readChainId(signer.provider);
    } catch (e) {
      throw classifyRpcError(e);
    }
  }
  const provider = signer.provider;
  if (provider === null) throw new CradleError('INVALID_ARGUMENT', 'The signer has no provider: connect it first.');
  if (opts.chainId !== undefined && chainId !== opts.chainId) {
    throw new CradleError('CHAIN_ID_MISMATCH', `The RPC serves chain ${chainId}, not ${opts.chainId}. Nothing was deployed.`, { details: { expected: opts.chainId, actual: chainId } });
  }

  let registry: string;
  let registryGas: bigint | undefined;
  let registryTx: string | undefined;
  if (opts.registry !== undefined) {
    registry = assertAddress(opts.registry, 'registry');
    const code = await provider.getCode(registry).catch((e: unknown) => {
      throw classifyRpcError(e);
    });
    if (code === '0x') throw new CradleError('INVALID_ARGUMENT', `No contract at registry address ${registry} on chain ${chainId}.`);
  } else {
    const { abi, bytecode } = ethrDidRegistry.EthereumDIDRegistry;
    const r = await deployOne(new ContractFactory(abi, bytecode, signer), [], confirmations);
    registry = r.address;
    registryGas = r.gasUsed;
    registryTx = r.txHash;
  }
  const a = await deployOne(new ContractFactory(cradleAnchorArtifact.abi, cradleAnchorArtifact.bytecode, signer), [registry], confirmations);
  const config: LedgerConfig = {
    chainId,
    rpcUrl,
    registry,
    anchor: a.address,
    confirmations,
    deployBlock: a.blockNumber,
  };
  if (opts.name !== undefined) config.name = opts.name;
  return {
    config,
    registryDeployed: opts.registry === undefined,
    gasUsed: registryGas === undefined ? { anchor: a.gasUsed } : { registry: registryGas, anchor: a.gasUsed },
    txHashes: registryTx === undefined ? { anchor: a.txHash } : { registry: registryTx, anchor: a.txHash },
  };
}
