/**
 * `@cradle/ledger/devchain`: a local EVM (Hardhat's EDR) with the ERC-1056 registry and the anchor
 * contract deployed. Node only, and a separate entry so browser bundles of `@cradle/ledger` never load
 * Hardhat.
 */
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BrowserProvider, HDNodeWallet, Mnemonic, Wallet } from 'ethers';
import type { Eip1193Provider, JsonRpcApiProvider } from 'ethers';
import { CradleError } from '@cradle/core';
import { deployContracts } from './deploy.js';
import type { DevAccount, LedgerConfig } from './ledger-config.js';
import { createRpcProvider } from './rpc-provider.js';

/**
 * Hardhat's well-known development mnemonic: the accounts are public knowledge, which is the point (a
 * dev chain never holds anything of value). Never use these keys on a real network.
 */
/**
 * A TCP port free on 127.0.0.1 right now, for the local servers around a dev chain (a registrar's
 * status server in the demo, tests and benchmarks).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createNetServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** Options of {@link startDevChain} and {@link createInProcessChain}. */
export interface DevChainOptions {
  /** TCP port on `host`; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1; the chain has no access control, keep it local). */
  host?: string;
  /** Default 31337. */
  chainId?: number;
  /** Funded accounts (default 10, 10,000 ETH each); account 0 deploys the contracts. */
  accounts?: number;
  /** Confirmations written into the config (default 1: with automine every tx is final at once). */
  confirmations?: number;
}

/** Admin helpers common to both variants. */
export interface DevChainControls {
  /** The ledger config of this chain (contains `devAccounts`). */
  config: LedgerConfig;
  accounts: DevAccount[];
  /** Gas the deployment took. */
  deployGas: { registry: bigint; anchor: bigint };
  /** Wall time from call to ready, in ms. */
  startupMs: number;
  /** A wallet of account `index`, connected to this chain. */
  signer(index?: number): Wallet;
  /** Mine `blocks` empty blocks (e.g. to reach a confirmation depth). */
  mine(blocks?: number): Promise<void>;
  /** Move the chain clock forward by `seconds` (takes effect on the next block; mines one). */
  increaseTime(seconds: number): Promise<void>;
  /** Turn automine off to keep transactions pending (e.g. to test replacements), and on again. */
  setAutomine(on: boolean): Promise<void>;
  /** Stop the chain and release its resources. Idempotent. */
  stop(): Promise<void>;
}

/** A dev chain served over JSON-RPC on `url`; other processes reach it through `config`. */
export interface DevChain extends DevChainControls {
  url: string;
}

/** A dev chain without a port: `provider` is an ethers provider over Hardhat's in-process EIP-1193 provider. */
export interface InProcessChain extends DevChainControls {
  /** Pass this to `connectLedger(config, { provider })` and `createResolver(config, { provider })`. */
  provider: BrowserProvider;
  eip1193: Eip1193Provider;
}

interface EdrProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

function devAccounts(count: number): DevAccount[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new CradleError('INVALID_ARGUMENT', 'accounts must be between 1 and 100.');
  const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, i) => {
    const w = root.deriveChild(i);
    return { address: w.address, privateKey: w.privateKey };
  });
}

async function createEdr(chainId: number, accounts: DevAccount[]): Promise<EdrProvider> {
  // Hardhat 2's own constructor for its in-process network (EDR); no Hardhat project or config file needed.
  const { createHardhatNetworkProvider } = await import('hardhat/internal/hardhat-network/provider/provider.js');
  return createHardhatNetworkProvider(
    {
      hardfork: 'prague',
      chainId,
      networkId: chainId,
      blockGasLimit: 60_000_000,
      minGasPrice: 0n,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: new Map(),
      genesisAccounts: accounts.map((a) => ({ privateKey: a.privateKey, balance: 10_000n * 10n ** 18n })),
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: true,
      throwOnCallFailures: true,
      allowBlocksWithSameTimestamp: false,
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  );
}

function controls(edr: EdrProvider, rpcProvider: JsonRpcApiProvider, accounts: DevAccount[]) {
  return {
    signer(index = 0): Wallet {
      const a = accounts[index];
      if (a === undefined) throw new CradleError('INVALID_ARGUMENT', `The dev chain has ${accounts.length} accounts; there is no account ${index}.`);
      return new Wallet(a.privateKey, rpcProvider);
    },
    async mine(blocks = 1): Promise<void> {
      if (!Number.isSafeInteger(blocks) || blocks < 1) throw new CradleError('INVALID_ARGUMENT', 'blocks must be >= 1.');
      await edr.request({ method: 'hardhat_mine', params: [`0x${blocks.toString(16)}`] });
    },
    async setAutomine(on: boolean): Promise<void> {
      await edr.request({ method: 'evm_setAutomine', params: [on] });
    },
    async increaseTime(seconds: number): Promise<void> {
      if (!Number.isSafeInteger(seconds) || seconds < 0) throw new CradleError('INVALID_ARGUMENT', 'seconds must be >= 0.');
      await edr.request({ method: 'evm_increaseTime', params: [seconds] });
      await edr.request({ method: 'evm_mine', params: [] });
    },
  };
}

function chainOptions(opts: DevChainOptions) {
  const chainId = opts.chainId ?? 31337;
  if (!Number.isSafeInteger(chainId) || chainId < 1) throw new CradleError('INVALID_ARGUMENT', 'chainId must be a positive integer.');
  const confirmations = opts.confirmations ?? 1;
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) throw new CradleError('INVALID_ARGUMENT', 'confirmations must be >= 1.');
  return { chainId, confirmations, accounts: devAccounts(opts.accounts ?? 10) };
}

/**
 * Start a local EVM (Hardhat EDR, automine) serving JSON-RPC on 127.0.0.1, deploy the ERC-1056 registry
 * and the anchor contract, and return its ledger config. Writes nothing to disk. Takes about a second.
 *
 * @example
 * ```ts
 * const chain = await startDevChain({ port: 0 });
 * const ledger = await connectLedger(chain.config, { signer: chain.signer(0) });
 * // ...
 * await chain.stop();
 * ```
 */
export async function startDevChain(opts: DevChainOptions = {}): Promise<DevChain> {
  const t0 = performance.now();
  const { chainId, confirmations, accounts } = chainOptions(opts);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new CradleError('INVALID_ARGUMENT', 'port must be between 0 and 65535.');

  const edr = await createEdr(chainId, accounts);
  // Hardhat's JSON-RPC handler on our own HTTP server: we need listen errors (port taken) to reject
  // and stop() to drop keep-alive connections, which Hardhat's JsonRpcServer does not do.
  const { JsonRpcHandler } = await import('hardhat/internal/hardhat-network/jsonrpc/handler.js');
  const handler = new JsonRpcHandler(edr as never);
  const server = createServer((req, res) => void handler.handleHttp(req, res));
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  } catch (cause) {
    const busy = (cause as { code?: unknown }).code === 'EADDRINUSE';
    throw new CradleError(
      busy ? 'CONFLICT' : 'RPC_ERROR',
      busy ? `Port ${port} on ${host} is already in use: pick another with --port (0 = any free port).` : `The dev chain could not listen on ${host}:${port}.`,
      { cause, details: { host, port } },
    );
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  const rpcProvider = createRpcProvider(url, chainId, { timeoutMs: 10_000, pollingIntervalMs: 50 });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    rpcProvider.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  try {
    const ctl = controls(edr, rpcProvider, accounts);
    const deployed = await deployContracts({ rpcUrl: url, signer: ctl.signer(0), confirmations: 1, name: 'devchain' });
    const config: LedgerConfig = { ...deployed.config, confirmations, name: 'devchain', devAccounts: accounts };
    return {
      ...ctl,
      config,
      url,
      accounts,
      deployGas: { registry: deployed.gasUsed.registry ?? 0n, anchor: deployed.gasUsed.anchor },
      startupMs: Math.round(performance.now() - t0),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The `rpcUrl` written into an in-process chain's config: it never resolves, so misuse fails fast. */
export const IN_PROCESS_RPC_URL = 'http://in-process.invalid/';

/**
 * The same chain without a port: an ethers provider over Hardhat's in-process EIP-1193 provider, for
 * tests and the demo. `config.rpcUrl` is {@link IN_PROCESS_RPC_URL}; pass `provider` explicitly.
 *
 * @example
 * ```ts
 * const chain = await createInProcessChain();
 * const ledger = await connectLedger(chain.config, { provider: chain.provider, signer: chain.signer(1) });
 * ```
 */
export async function createInProcessChain(opts: Omit<DevChainOptions, 'port' | 'host'> = {}): Promise<InProcessChain> {
  const t0 = performance.now();
  const { chainId, confirmations, accounts } = chainOptions(opts);
  const edr = await createEdr(chainId, accounts);
  const eip1193 = edr as Eip1193Provider;
  const provider = new BrowserProvider(eip1193, chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    provider.destroy();
  };
  const ctl = controls(edr, provider, accounts);
  const deployed = await deployContracts({ rpcUrl: IN_PROCESS_RPC_URL, signer: ctl.signer(0), confirmations: 1, name: 'devchain' });
  return {
    ...ctl,
    config: { ...deployed.config, confirmations, name: 'devchain-in-process', devAccounts: accounts },
    accounts,
    provider,
    eip1193,
    deployGas: { registry: deployed.gasUsed.registry ?? 0n, anchor: deployed.gasUsed.anchor },
    startupMs: Math.round(performance.now() - t0),
    stop,
  };
}
