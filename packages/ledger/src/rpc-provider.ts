import { FetchRequest, JsonRpcProvider, Network } from 'ethers';

/** Options for {@link createRpcProvider}. */
export interface RpcProviderOptions {
  /** Per-request timeout in milliseconds (default 10,000). */
  timeoutMs?: number;
  /** How often to poll for new blocks and receipts (default 250 ms on localhost, 4 s elsewhere). */
  pollingIntervalMs?: number;
}

function isLocal(rpcUrl: string): boolean {
  try {
    const host = new URL(rpcUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * An ethers JSON-RPC provider that fails fast: the network is static (ethers never loops on
 * `eth_chainId` waiting for the node to come up), every request has a timeout, nothing is cached (an
 * automining dev chain answers faster than ethers' 250 ms cache) and requests are not batched.
 * The chain id is still checked explicitly by `connectLedger`.
 *
 * @example
 * ```ts
 * const provider = createRpcProvider('http://127.0.0.1:8545', 31337, { timeoutMs: 3000 });
 * ```
 */
export function createRpcProvider(rpcUrl: string, chainId: number, opts: RpcProviderOptions = {}): JsonRpcProvider {
  const request = new FetchRequest(rpcUrl);
  request.timeout = opts.timeoutMs ?? 10_000;
  const network = Network.from(chainId);
  return new JsonRpcProvider(request, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: opts.pollingIntervalMs ?? (isLocal(rpcUrl) ? 250 : 4000),
  });
}
