import { CradleError } from '@cradle/core';
import type { AnchorState } from '@cradle/core';
import { Contract, Interface, Transaction } from 'ethers';
import type { Log, Provider, Signer, TransactionLike, TransactionReceipt } from 'ethers';
import { assertAddress, assertBytes32, normalizeAnchorInput } from './anchor-input.js';
import type { AnchorInput } from './anchor-input.js';
import { cradleAnchorArtifact } from './generated/cradle-anchor-artifact.js';
import type { LedgerConfig } from './ledger-config.js';
import { classifyRpcError } from './rpc-errors.js';
import { createRpcProvider } from './rpc-provider.js';

const anchorInterface = new Interface(cradleAnchorArtifact.abi);
const anchoredEvent = (() => {
  const e = anchorInterface.getEvent('Anchored');
  if (e === null) throw new Error('CradleAnchor ABI has no Anchored event');
  return e;
})();

/** The latest anchor of a list as the contract holds it, with the time of its block. */
export type LatestAnchor = AnchorState & { readonly blockTime: number };

/** One `Anchored` event read back from the chain. */
export interface AnchorEvent {
  identity: string;
  listId: string;
  version: number;
  digest: string;
  uri: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
}

/** A transaction that reached the requested confirmation depth. */
export interface ConfirmedTransaction {
  txHash: string;
  blockNumber: number;
  blockHash: string;
  gasUsed: bigint;
  confirmations: number;
}

/** A sent, not yet confirmed transaction (what an outbox stores). */
export interface SubmittedTransaction {
  txHash: string;
  from: string;
  nonce: number;
}

/**
 * Where a transaction is, as far as the node knows. `dropped` means the node knows nothing of it any more
 * (evicted from the mempool, or its block was reorganised away and it was not re-included): resend.
 */
export type TransactionState =
  | { state: 'pending'; from: string; nonce: number }
  | { state: 'mined'; blockNumber: number; blockHash: string; confirmations: number; succeeded: boolean }
  | { state: 'dropped' };

/**
 * Transaction overrides for an outbox that replaces a stuck transaction (same `nonce`, higher fees).
 * Set `gasLimit` when replacing: nodes estimate gas against the pending state, where the stuck anchor
 * already holds that version, so estimation would revert with `VersionNotIncreasing`.
 */
export interface TxOverrides {
  nonce?: number;
  gasLimit?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

/** A signed, not yet broadcast anchoring transaction: its hash is known before the node sees it. */
export interface SignedAnchorTransaction extends SubmittedTransaction {
  /** The serialized signed transaction, for {@link LedgerClient.broadcast}. */
  raw: string;
}

/** Options of {@link LedgerClient.anchor} and {@link LedgerClient.anchorMany}. */
export interface AnchorOptions {
  /** Default: the config's `confirmations`. */
  confirmations?: number;
  timeoutMs?: number;
  overrides?: TxOverrides;
}

function txOverrides(o: TxOverrides | undefined): Record<string, unknown> {
  if (o === undefined) return {};
  const out: Record<string, unknown> = {};
  if (o.nonce !== undefined) {
    if (!Number.isSafeInteger(o.nonce) || o.nonce < 0) throw new CradleError('INVALID_ARGUMENT', 'overrides.nonce must be an integer >= 0.');
    out.nonce = o.nonce;
  }
  for (const k of ['gasLimit', 'maxFeePerGas', 'maxPriorityFeePerGas'] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'bigint' || v <= 0n) throw new CradleError('INVALID_ARGUMENT', `overrides.${k} must be a positive bigint.`);
    out[k] = v;
  }
  return out;
}

/** Options for {@link connectLedger}. */
export interface ConnectLedgerOptions {
  /** Signs anchoring transactions; without one the client is read-only. Connected to the provider if needed. */
  signer?: Signer;
  /** Use this provider (e.g. an in-process dev chain) instead of one built from `config.rpcUrl`. */
  provider?: Provider;
  /** Per-request timeout when the client builds its own provider (default 10 s). */
  timeoutMs?: number;
}

/** Options for {@link LedgerClient.anchorEvents}. */
export interface AnchorEventQuery {
  fromBlock: number;
  /** Default: the latest block. */
  toBlock?: number;
  identity?: string;
  listId?: string;
  /** Largest block span per `eth_getLogs` call (many RPCs cap it; default 10,000). */
  maxBlockRange?: number;
}

function toSafeNumber(v: bigint | number, what: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new CradleError('RPC_ERROR', `The RPC returned an out-of-range ${what}.`);
  return n;
}

async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classifyRpcError(e);
  }
}

/** @internal The chain id the node itself reports (`eth_chainId`), not a provider's cached network. */
export async function readChainId(provider: Provider): Promise<number> {
  const send = (provider as Partial<{ send: (method: string, params: unknown[]) => Promise<unknown> }>).send;
  if (typeof send === 'function') {
    const raw = await send.call(provider, 'eth_chainId', []);
    if (typeof raw !== 'string' || !/^0x[0-9a-fA-F]+$/.test(raw)) throw new CradleError('RPC_ERROR', 'The RPC answered eth_chainId with a malformed value.');
    return toSafeNumber(BigInt(raw), 'chain id');
  }
  return toSafeNumber((await provider.getNetwork()).chainId, 'chain id');
}

/**
 * A typed client of the `CradleAnchor` contract on the configured chain. Create it with
 * {@link connectLedger}; every RPC failure surfaces as a `CradleError` from {@link classifyRpcError}.
 */
/** How often {@link LedgerClient.waitForConfirmations} asks the node for the receipt and the head. */
const CONFIRMATION_POLL_MS = 250;

export class LedgerClient {
  readonly config: LedgerConfig;
  readonly provider: Provider;
  readonly signer: Signer | undefined;
  private readonly contract: Contract;
  private readonly ownsProvider: boolean;

  /** @internal Use {@link connectLedger}, which checks the chain id first. */
  constructor(config: LedgerConfig, provider: Provider, signer: Signer | undefined, ownsProvider: boolean) {
    this.config = config;
    this.provider = provider;
    this.signer = signer;
    this.ownsProvider = ownsProvider;
    this.contract = new Contract(config.anchor, anchorInterface, signer ?? provider);
  }

  private requireSigner(): Signer {
    if (this.signer === undefined) throw new CradleError('INVALID_ARGUMENT', 'This ledger client is read-only: pass a signer to connectLedger to anchor.');
    return this.signer;
  }

  /**
   * Send an anchoring transaction and return as soon as the node accepted it (no waiting). An outbox
   * stores the hash and nonce and follows it with {@link getTransactionState}.
   */
  async submitAnchor(input: AnchorInput, overrides?: TxOverrides): Promise<SubmittedTransaction> {
    this.requireSigner();
    const a = normalizeAnchorInput(input);
    const extra = txOverrides(overrides);
    const tx = await rpc(() => this.contract.getFunction('anchor').send(a.identity, a.listId, a.version, a.digest, a.uri, extra));
    return { txHash: tx.hash, from: tx.from, nonce: tx.nonce };
  }

  /**
   * Build and sign an anchoring transaction without sending it, so an outbox can record its hash and
   * nonce **before** the node sees it (a crash between sending and recording would otherwise leave a
   * transaction in flight that the outbox knows nothing of). Send it with {@link broadcast}.
   */
  async signAnchor(input: AnchorInput, overrides?: TxOverrides): Promise<SignedAnchorTransaction> {
    const signer = this.requireSigner();
    const a = normalizeAnchorInput(input);
    const extra = txOverrides(overrides);
    return rpc(async () => {
      const request = await this.contract.getFunction('anchor').populateTransaction(a.identity, a.listId, a.version, a.digest, a.uri, extra);
      const populated = await signer.populateTransaction(request);
      delete populated.from;
      const raw = await signer.signTransaction(Transaction.from(populated as TransactionLike<string>) as unknown as typeof populated);
      const tx = Transaction.from(raw);
      if (tx.hash === null || tx.from === null) throw new CradleError('RPC_ERROR', 'The signer returned an unsigned transaction.');
      return { txHash: tx.hash, from: tx.from, nonce: tx.nonce, raw };
    });
  }

  /** Send a transaction signed by {@link signAnchor}. */
  async broadcast(raw: string): Promise<void> {
    await rpc(() => this.provider.broadcastTransaction(raw));
  }

  /** {@link submitAnchor} for several lists of one identity in one transaction. */
  async submitAnchorMany(identity: string, lists: readonly Omit<AnchorInput, 'identity'>[], overrides?: TxOverrides): Promise<SubmittedTransaction> {
    this.requireSigner();
    if (lists.length === 0) throw new CradleError('INVALID_ARGUMENT', 'anchorMany needs at least one list.');
    const all = lists.map((l) => normalizeAnchorInput({ ...l, identity }));
    const id = assertAddress(identity, 'identity');
    const extra = txOverrides(overrides);
    const tx = await rpc(() =>
      this.contract.getFunction('anchorMany').send(
        id,
        all.map((a) => a.listId),
        all.map((a) => a.version),
        all.map((a) => a.digest),
        all.map((a) => a.uri),
        extra,
      ),
    );
    return { txHash: tx.hash, from: tx.from, nonce: tx.nonce };
  }

  /**
   * Anchor one list version and wait for `confirmations` (default: the config's) blocks.
   *
   * @example
   * ```ts
   * const { txHash } = await client.anchor({ identity, listId: statusListId(url), version: 2, digest, uri: url });
   * ```
   */
  async anchor(input: AnchorInput, opts: AnchorOptions = {}): Promise<ConfirmedTransaction> {
    const sent = await this.submitAnchor(input, opts.overrides);
    return this.waitForConfirmations(sent.txHash, opts.confirmations ?? this.config.confirmations, opts.timeoutMs);
  }

  /** Anchor several lists of one identity in one transaction (one authorisation check, cheaper per list). */
  async anchorMany(identity: string, lists: readonly Omit<AnchorInput, 'identity'>[], opts: AnchorOptions = {}): Promise<ConfirmedTransaction> {
    const sent = await this.submitAnchorMany(identity, lists, opts.overrides);
    return this.waitForConfirmations(sent.txHash, opts.confirmations ?? this.config.confirmations, opts.timeoutMs);
  }

  /** The latest anchor of a list, or `null` when it was never anchored. */
  async latest(identity: string, listId: string): Promise<LatestAnchor | null> {
    const id = assertAddress(identity, 'identity');
    const list = assertBytes32(listId, 'listId');
    const r = (await rpc(() => this.contract.getFunction('latest').staticCall(id, list))) as unknown as [bigint, string, bigint, bigint];
    return toRecord(id, list, r[0], r[1], r[2], r[3]);
  }

  /** {@link latest} for many (identity, listId) pairs, in batched calls; `null` for never-anchored lists. */
  async latestMany(pairs: readonly { identity: string; listId: string }[]): Promise<(LatestAnchor | null)[]> {
    const norm = pairs.map((p) => ({ identity: assertAddress(p.identity, 'identity'), listId: assertBytes32(p.listId, 'listId') }));
    const out: (LatestAnchor | null)[] = [];
    for (let i = 0; i < norm.length; i += 256) {
      const chunk = norm.slice(i, i + 256);
      const rows = (await rpc(() =>
        this.contract.getFunction('latestMany').staticCall(
          chunk.map((p) => p.identity),
          chunk.map((p) => p.listId),
        ),
      )) as unknown as [string, bigint, bigint, bigint][];
      if (rows.length !== chunk.length) throw new CradleError('RPC_ERROR', 'latestMany: the RPC returned a wrong number of rows.');
      chunk.forEach((p, j) => {
        const row = rows[j];
        out.push(row === undefined ? null : toRecord(p.identity, p.listId, row[1], row[0], row[2], row[3]));
      });
    }
    return out;
  }

  /** True when `sender` may anchor for `identity` now (owner or valid `cradleAnchor` delegate). */
  async canAnchor(identity: string, sender: string): Promise<boolean> {
    return (await rpc(() => this.contract.getFunction('canAnchor').staticCall(assertAddress(identity, 'identity'), assertAddress(sender, 'sender')))) as boolean;
  }

  /** `Anchored` events in a block range (chunked by `maxBlockRange`), oldest first. */
  async anchorEvents(query: AnchorEventQuery): Promise<AnchorEvent[]> {
    const from = query.fromBlock;
    if (!Number.isSafeInteger(from) || from < 0) throw new CradleError('INVALID_ARGUMENT', 'fromBlock must be a block number >= 0.');
    const to = query.toBlock ?? (await this.blockNumber());
    if (!Number.isSafeInteger(to) || to < from) throw new CradleError('INVALID_ARGUMENT', 'toBlock must be a block number >= fromBlock.');
    const span = query.maxBlockRange ?? 10_000;
    if (!Number.isSafeInteger(span) || span < 1) throw new CradleError('INVALID_ARGUMENT', 'maxBlockRange must be >= 1.');
    const topics = anchorInterface.encodeFilterTopics(anchoredEvent, [
      query.identity === undefined ? null : assertAddress(query.identity, 'identity'),
      query.listId === undefined ? null : assertBytes32(query.listId, 'listId'),
    ]);
    const events: AnchorEvent[] = [];
    for (let start = from; start <= to; start += span) {
      const end = Math.min(to, start + span - 1);
      const logs = await rpc(() => this.provider.getLogs({ address: this.config.anchor, topics, fromBlock: start, toBlock: end }));
      for (const log of logs) events.push(this.parseAnchoredLog(log));
    }
    return events;
  }

  private parseAnchoredLog(log: Log): AnchorEvent {
    if (log.address.toLowerCase() !== this.config.anchor.toLowerCase()) throw new CradleError('RPC_ERROR', 'The RPC returned a log from another contract.');
    let parsed;
    try {
      parsed = anchorInterface.parseLog({ topics: [...log.topics], data: log.data });
    } catch (cause) {
      throw new CradleError('RPC_ERROR', 'The RPC returned a malformed Anchored log.', { cause });
    }
    if (parsed === null || parsed.name !== 'Anchored') throw new CradleError('RPC_ERROR', 'The RPC returned a log that is not Anchored.');
    const [identity, listId, version, digest, uri] = parsed.args as unknown as [string, string, bigint, string, string];
    return {
      identity,
      listId,
      version: toSafeNumber(version, 'version'),
      digest,
      uri,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      logIndex: log.index,
    };
  }

  /**
   * Wait until `txHash` is `confirmations` blocks deep (1 = mined). Throws `RPC_REVERTED` if it reverted,
   * `RPC_UNREACHABLE` on timeout.
   */
  async waitForConfirmations(txHash: string, confirmations = this.config.confirmations, timeoutMs?: number): Promise<ConfirmedTransaction> {
    assertBytes32(txHash, 'txHash');
    if (!Number.isSafeInteger(confirmations) || confirmations < 1) throw new CradleError('INVALID_ARGUMENT', 'confirmations must be >= 1.');
    // Poll receipt and head ourselves rather than ethers' waitForTransaction, whose block subscription
    // can miss blocks mined between its first check and its listener (seen on a loaded machine).
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    for (;;) {
      let receipt: TransactionReceipt | null;
      let head: number;
      try {
        receipt = await this.provider.getTransactionReceipt(txHash);
        head = await this.provider.getBlockNumber();
      } catch (e) {
        throw classifyRpcError(e);
      }
      if (receipt !== null) {
        if (receipt.status !== 1) {
          throw new CradleError('RPC_REVERTED', `Transaction ${txHash} reverted on chain.`, { details: { txHash, blockNumber: receipt.blockNumber } });
        }
        const depth = head - receipt.blockNumber + 1;
        if (depth >= confirmations) {
          return { txHash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, gasUsed: receipt.gasUsed, confirmations: depth };
        }
      }
      if (Date.now() >= deadline) {
        throw new CradleError('RPC_UNREACHABLE', `Transaction ${txHash} was not confirmed in time.`, { details: { txHash } });
      }
      await new Promise((r) => setTimeout(r, CONFIRMATION_POLL_MS));
    }
  }

  /** Where a transaction is: pending, mined (with depth and success), or dropped. */
  async getTransactionState(txHash: string): Promise<TransactionState> {
    assertBytes32(txHash, 'txHash');
    const receipt = await rpc(() => this.provider.getTransactionReceipt(txHash));
    if (receipt !== null) {
      const head = await this.blockNumber();
      return {
        state: 'mined',
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        confirmations: Math.max(0, head - receipt.blockNumber + 1),
        succeeded: receipt.status === 1,
      };
    }
    const tx = await rpc(() => this.provider.getTransaction(txHash));
    if (tx !== null) return { state: 'pending', from: tx.from, nonce: tx.nonce };
    return { state: 'dropped' };
  }

  /** The latest block number. */
  async blockNumber(): Promise<number> {
    return rpc(() => this.provider.getBlockNumber());
  }

  /** Release the provider if this client created it (stops polling timers). */
  close(): void {
    if (this.ownsProvider) this.provider.destroy();
  }
}

function toRecord(identity: string, listId: string, version: bigint, digest: string, timestamp: bigint, blockNumber: bigint): LatestAnchor | null {
  if (version === 0n) return null;
  return {
    identity,
    listId,
    version: toSafeNumber(version, 'version'),
    digest: digest.toLowerCase(),
    blockTime: toSafeNumber(timestamp, 'timestamp'),
    blockNumber: toSafeNumber(blockNumber, 'block number'),
  };
}

/**
 * Connect to the configured chain. First asks the node for its chain id and refuses
 * (`CHAIN_ID_MISMATCH`) a provider on any other chain; an unreachable RPC fails fast with
 * `RPC_UNREACHABLE`.
 *
 * @example
 * ```ts
 * const config = await loadLedgerConfig('ledger.json');
 * const ledger = await connectLedger(config, { signer: new Wallet(key) });
 * const latest = await ledger.latest(identity, listId);
 * ```
 */
export async function connectLedger(config: LedgerConfig, opts: ConnectLedgerOptions = {}): Promise<LedgerClient> {
  let provider = opts.provider ?? opts.signer?.provider ?? undefined;
  const ownsProvider = provider === undefined;
  if (provider === undefined) provider = createRpcProvider(config.rpcUrl, config.chainId, { timeoutMs: opts.timeoutMs ?? 10_000 });
  let signer = opts.signer;
  if (signer !== undefined && signer.provider !== provider) signer = signer.connect(provider);
  try {
    const actual = await rpc(() => readChainId(provider));
    if (actual !== config.chainId) {
      throw new CradleError(
        'CHAIN_ID_MISMATCH',
        `The RPC at ${config.rpcUrl} serves chain ${actual}, but the ledger config says ${config.chainId}. Fix rpcUrl or chainId; nothing was sent.`,
        { details: { expected: config.chainId, actual } },
      );
    }
  } catch (e) {
    if (ownsProvider) provider.destroy();
    throw e;
  }
  return new LedgerClient(config, provider, signer, ownsProvider);
}
