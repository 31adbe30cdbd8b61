// The shape of a ledger config lives here, without ethers, so that browser-safe code (the verifier's store,
// the checkpoint app) can carry one. Reading and checksumming a config file is @cradle/ledger's
// `parseLedgerConfig` (it needs EIP-55 addresses from ethers).

/** A funded account of a local dev chain. Only `startDevChain` writes these; never put real keys here. */
export interface DevAccount {
  address: string;
  privateKey: string;
}

/**
 * Which chain and contracts Cradle talks to. Every command reads it with `--ledger FILE`.
 *
 * @example
 * ```json
 * { "chainId": 31337, "rpcUrl": "http://127.0.0.1:8545", "registry": "0x5FbD…", "anchor": "0xe7f1…",
 *   "confirmations": 1, "deployBlock": 1, "name": "devchain" }
 * ```
 */
export interface LedgerConfig {
  /** EIP-155 chain id; a provider answering another one is refused (`CHAIN_ID_MISMATCH`). */
  chainId: number;
  /** JSON-RPC endpoint (http or https). */
  rpcUrl: string;
  /** ERC-1056 `EthereumDIDRegistry` address. */
  registry: string;
  /** `CradleAnchor` contract address. */
  anchor: string;
  /** Blocks on top of the one holding a transaction before it counts as final (>= 1). */
  confirmations: number;
  /** Block the anchor contract was deployed in: event scans start here. */
  deployBlock?: number;
  /** Human name of the network (e.g. "sepolia", "devchain"). */
  name?: string;
  /** Dev chain only: pre-funded throwaway accounts. Absent for real networks. */
  devAccounts?: DevAccount[];
}
