import { FetchRequest, JsonRpcProvider, Network, makeError } from 'ethers';
import type { FetchGetUrlFunc } from 'ethers';

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
  request.getUrlFunc = abortingGetUrl;
  const network = Network.from(chainId);
  return new JsonRpcProvider(request, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: opts.pollingIntervalMs ?? (isLocal(rpcUrl) ? 250 : 4000),
  });
}

/**
 * ethers' Node transport rejects a request on timeout but never destroys its socket: against an endpoint
 * that accepts connections and never answers, the socket stays open and keeps the process alive after the
 * command has answered. This one uses `fetch` and **aborts** the request at the timeout (or when ethers
 * cancels it), which closes the connection.
 */
const abortingGetUrl: FetchGetUrlFunc = async (req, signal) => {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeout);
  signal?.addListener(() => controller.abort());
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === null ? {} : { body: new Uint8Array(req.body) as Uint8Array<ArrayBuffer> }),
      signal: controller.signal,
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return { statusCode: res.status, statusMessage: res.statusText, headers, body };
  } catch (e) {
    if (timedOut) throw makeError('request timeout', 'TIMEOUT');
    if (signal?.cancelled) throw makeError('request cancelled', 'CANCELLED');
    throw e;
  } finally {
    clearTimeout(timer);
  }
};
