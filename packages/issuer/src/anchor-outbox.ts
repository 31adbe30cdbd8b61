import { KmsEthereumSigner } from '@veramo/did-provider-ethr';
import { isCradleError } from '@cradle/core';
import { connectLedger, createRpcProvider } from '@cradle/ledger';
import type { LedgerClient } from '@cradle/ledger';
import type { RegistrarRuntime } from './registrar-runtime.js';

/** Where an anchor is. `superseded`: a newer version of the same list replaced it before it was sent. */
export type OutboxState = 'queued' | 'sent' | 'confirmed' | 'superseded';

/** One row of the anchoring outbox. */
export interface OutboxEntry {
  id: number;
  list: string;
  version: number;
  listId: string;
  digest: string;
  uri: string;
  state: OutboxState;
  txHash: string | null;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  confirmedAt: string | null;
  blockNumber: number | null;
}

/** What one `processOutbox()` pass did. */
export interface OutboxReport {
  /** Anchors confirmed during this pass. */
  confirmed: OutboxEntry[];
  /** Still waiting (queued with backoff, or sent and not yet deep enough). */
  pending: OutboxEntry[];
  /**
   * Anchors that had been confirmed but are no longer on the chain (a reorganisation deeper than the
   * configured `confirmations`), found by the re-check and queued again (or superseded by a newer one).
   */
  reorganised: OutboxEntry[];
  /** Set when the pass stopped early because the RPC was unreachable. */
  error?: { code: string; message: string };
  /**
   * True when nothing was done because another process (a replica on the same PostgreSQL) was running
   * the outbox at that moment: one anchoring worker at a time.
   */
  skipped?: boolean;
}

interface Row {
  id: number;
  list_name: string;
  version: number;
  list_id: string;
  digest: string;
  uri: string;
  state: OutboxState;
  tx_hash: string | null;
  tx_nonce: number | null;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  confirmed_at: string | null;
  block_number: number | null;
}

function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id,
    list: r.list_name,
    version: r.version,
    listId: r.list_id,
    digest: r.digest,
    uri: r.uri,
    state: r.state,
    txHash: r.tx_hash,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    confirmedAt: r.confirmed_at,
    blockNumber: r.block_number,
  };
}

/** Outbox rows not yet confirmed (queued or sent), oldest first. */
export async function pendingAnchors(rt: RegistrarRuntime): Promise<OutboxEntry[]> {
  const rows = (await rt.db.query(`SELECT * FROM "cradle_anchor_outbox" WHERE "state" IN ('queued', 'sent') ORDER BY "id"`)) as Row[];
  return rows.map(toEntry);
}

/** Every outbox row, newest first (for reports). */
export async function allAnchors(rt: RegistrarRuntime, limit = 100): Promise<OutboxEntry[]> {
  const rows = (await rt.db.query('SELECT * FROM "cradle_anchor_outbox" ORDER BY "id" DESC LIMIT ?', [limit])) as Row[];
  return rows.map(toEntry);
}

function backoffMs(rt: RegistrarRuntime, attempts: number): number {
  const { initialMs, maxMs } = rt.config.anchorBackoff;
  const exp = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

async function update(rt: RegistrarRuntime, id: number, fields: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(fields);
  await rt.queue.run(() =>
    rt.db.query(`UPDATE "cradle_anchor_outbox" SET ${keys.map((k) => `"${k}" = ?`).join(', ')} WHERE "id" = ?`, [...keys.map((k) => fields[k]), id]),
  );
}

/** Options for {@link processOutbox}. */
export interface ProcessOutboxOptions {
  /** Ignore the backoff schedule and try every pending row now (an operator's explicit `publish`). */
  force?: boolean;
}

/**
 * One pass over the anchoring outbox. For each due row:
 *
 * - `queued`: read `latest(identity, listId)` from the chain first. If it already holds this version and
 *   digest (a crash after sending, before recording), mark it `confirmed` without sending; if the chain
 *   holds a newer version, mark it `superseded`; otherwise send the anchor through the `cradleAnchor`
 *   delegate and record the hash (`sent`), then wait up to `anchorWaitMs` for the configured confirmations.
 * - `sent`: ask the node where the transaction is. Mined and deep enough: `confirmed`. Reverted, dropped
 *   from the mempool for longer than `anchorDroppedAfterMs`, or reorganised away (receipt gone): back to
 *   `queued`, which re-checks the chain before re-sending. Pending for longer than `anchorStuckAfterMs`:
 *   replaced by the same transaction with the same nonce and a higher fee.
 *
 * Before that, the newest confirmed anchor of each list confirmed within `anchorRecheckMs` is compared
 * with the chain (one batched `latestMany` call): one the chain no longer holds was reorganised away
 * deeper than `confirmations` and is queued again (see `recheckConfirmed`).
 *
 * An unreachable RPC stops the pass; the row stays where it was and gets an exponential backoff. The
 * contract only accepts strictly increasing versions, so the same (list, version) can never be anchored
 * twice even if two processes raced; on PostgreSQL only one replica runs a pass at a time (an advisory
 * lock; the others return `skipped`), and a replica killed mid-pass leaves rows the next pass follows.
 */
export async function processOutbox(rt: RegistrarRuntime, opts: ProcessOutboxOptions = {}): Promise<OutboxReport> {
  rt.identity();
  const report = await rt.db.exclusive('anchoring', () => outboxPass(rt, opts));
  return report ?? { confirmed: [], pending: await pendingAnchors(rt), reorganised: [], skipped: true };
}

async function outboxPass(rt: RegistrarRuntime, opts: ProcessOutboxOptions): Promise<OutboxReport> {
  const identity = rt.identity();
  const confirmed: OutboxEntry[] = [];
  const reorganised: OutboxEntry[] = [];
  const due = (await rt.db.query(`SELECT * FROM "cradle_anchor_outbox" WHERE "state" IN ('queued', 'sent') ORDER BY "id"`)) as Row[];
  const nowIso = () => new Date(rt.config.now()).toISOString();
  let rows = opts.force ? due : due.filter((r) => r.next_attempt_at <= nowIso());
  const recent = await recentlyConfirmed(rt);
  let error: OutboxReport['error'];
  if (rows.length > 0 || recent.length > 0) {
    let ledger: LedgerClient | undefined;
    let provider: ReturnType<typeof createRpcProvider> | undefined;
    try {
      const anchorKey = await rt.agent.keyManagerGet({ kid: identity.anchorKid });
      provider = createRpcProvider(rt.config.ledger.rpcUrl, rt.config.ledger.chainId, { timeoutMs: rt.config.rpcTimeoutMs });
      const signer = new KmsEthereumSigner(anchorKey, { agent: rt.agent }, provider);
      ledger = await connectLedger(rt.config.ledger, { signer, provider });
      for (const row of await recheckConfirmed(rt, ledger, identity.address, recent)) {
        reorganised.push(toEntry(row));
        if (row.state === 'queued') rows = [...rows.filter((r) => r.id !== row.id), row];
      }
      for (const row of rows) {
        const done = await processRow(rt, ledger, identity.address, row);
        if (done !== undefined) confirmed.push(done);
      }
    } catch (e) {
      if (!isCradleError(e) || !['RPC_UNREACHABLE', 'RPC_ERROR', 'CHAIN_ID_MISMATCH'].includes(e.code)) throw e;
      error = { code: e.code, message: e.message };
      for (const row of rows) {
        const fresh = ((await rt.db.query('SELECT * FROM "cradle_anchor_outbox" WHERE "id" = ?', [row.id])) as Row[])[0];
        if (fresh === undefined || (fresh.state !== 'queued' && fresh.state !== 'sent')) continue;
        const attempts = fresh.attempts + 1;
        await update(rt, row.id, {
          attempts,
          last_error: `${e.code}: ${e.message}`,
          next_attempt_at: new Date(rt.config.now() + backoffMs(rt, attempts)).toISOString(),
        });
      }
    } finally {
      provider?.destroy();
    }
  }
  const pending = await pendingAnchors(rt);
  return error === undefined ? { confirmed, pending, reorganised } : { confirmed, pending, reorganised, error };
}

/** The newest confirmed row of each list, if it was confirmed within `anchorRecheckMs`. */
async function recentlyConfirmed(rt: RegistrarRuntime): Promise<Row[]> {
  if (rt.config.anchorRecheckMs === 0) return [];
  const since = new Date(rt.config.now() - rt.config.anchorRecheckMs).toISOString();
  return (await rt.db.query(
    `SELECT * FROM "cradle_anchor_outbox" o WHERE o."state" = 'confirmed' AND o."confirmed_at" >= ?
       AND o."version" = (SELECT MAX(c."version") FROM "cradle_anchor_outbox" c WHERE c."list_name" = o."list_name" AND c."state" = 'confirmed')
     ORDER BY o."id"`,
    [since],
  )) as Row[];
}

/**
 * Deep-reorg re-check: a confirmed anchor whose version the chain no longer holds (the chain went back
 * to an older version, or forgot the list) was reorganised away after it reached `confirmations`. It
 * goes back to `queued` (so it is sent again, and `/status/:name` falls back to the version the chain
 * does hold), or to `superseded` when a newer version of the list is already waiting to be anchored.
 * Returns the rows it changed, as they are now.
 */
async function recheckConfirmed(rt: RegistrarRuntime, ledger: LedgerClient, identity: string, recent: Row[]): Promise<Row[]> {
  if (recent.length === 0) return [];
  const onChain = await ledger.latestMany(recent.map((r) => ({ identity, listId: r.list_id })));
  const changed: Row[] = [];
  for (const [i, row] of recent.entries()) {
    const chainVersion = onChain[i]?.version ?? 0;
    if (chainVersion >= row.version) continue;
    const newer = (await rt.db.query(`SELECT "id" FROM "cradle_anchor_outbox" WHERE "list_name" = ? AND "version" > ? AND "state" IN ('queued', 'sent')`, [
      row.list_name,
      row.version,
    ])) as { id: number }[];
    const lastError = `confirmed anchor no longer on the chain (it holds version ${chainVersion}): reorganised deeper than ${rt.config.ledger.confirmations} confirmation(s)`;
    const next = newer.length > 0 ? { state: 'superseded' as const, last_error: `${lastError}; a newer version is queued` } : { state: 'queued' as const, last_error: `${lastError}; re-anchoring` };
    await update(rt, row.id, { ...next, confirmed_at: null, block_number: null, next_attempt_at: new Date(rt.config.now()).toISOString() });
    changed.push({ ...row, ...next, confirmed_at: null, block_number: null });
  }
  return changed;
}

async function processRow(rt: RegistrarRuntime, ledger: LedgerClient, identity: string, row: Row): Promise<OutboxEntry | undefined> {
  const now = () => new Date(rt.config.now());
  const markConfirmed = async (blockNumber: number | null, txHash: string | null): Promise<OutboxEntry> => {
    await update(rt, row.id, { state: 'confirmed', confirmed_at: now().toISOString(), block_number: blockNumber, tx_hash: txHash, last_error: null });
    const fresh = ((await rt.db.query('SELECT * FROM "cradle_anchor_outbox" WHERE "id" = ?', [row.id])) as Row[])[0]!;
    return toEntry(fresh);
  };

  if (row.state === 'sent' && row.tx_hash !== null) {
    const st = await ledger.getTransactionState(row.tx_hash);
    const sentAge = now().getTime() - Date.parse(row.sent_at ?? row.created_at);
    if (st.state === 'mined' && st.succeeded) {
      if (st.confirmations >= rt.config.ledger.confirmations) return markConfirmed(st.blockNumber, row.tx_hash);
      return undefined;
    }
    if (st.state === 'pending') {
      if (sentAge >= rt.config.anchorStuckAfterMs && row.tx_nonce !== null) await replaceStuck(rt, ledger, row);
      return undefined;
    }
    if (st.state === 'dropped' && sentAge < rt.config.anchorDroppedAfterMs) return undefined;
    // Reverted, dropped or reorganised away: back to queued; the chain is re-read before any re-send.
    row = { ...row, state: 'queued', last_error: st.state === 'mined' ? 'transaction reverted' : 'transaction dropped or reorganised away' };
    await update(rt, row.id, { state: 'queued', last_error: row.last_error });
  }

  const latest = await ledger.latest(identity, row.list_id);
  if (latest !== null && latest.version >= row.version) {
    if (latest.version === row.version && latest.digest.toLowerCase() === row.digest.toLowerCase()) return markConfirmed(latest.blockNumber, row.tx_hash);
    await update(rt, row.id, {
      state: 'superseded',
      last_error: `the chain already holds version ${latest.version} of this list (digest ${latest.digest})`,
    });
    return undefined;
  }
  // Signed first and recorded as `sent` with its hash BEFORE the node sees it: a crash right after the
  // broadcast leaves a row that follows the transaction, never one that knows nothing of it.
  const sent = await ledger.signAnchor({ identity, listId: row.list_id, version: row.version, digest: row.digest, uri: row.uri });
  const sentAt = now().toISOString();
  await update(rt, row.id, { state: 'sent', tx_hash: sent.txHash, tx_nonce: sent.nonce, sent_at: sentAt, attempts: row.attempts + 1, last_error: null });
  try {
    await ledger.broadcast(sent.raw);
  } catch (e) {
    // Unreachable: the node may have it; the row follows the hash (dropped after anchorDroppedAfterMs).
    // Refused (nonce, revert, funds): nothing is in flight; back to queued, the chain is re-read first.
    if (!isCradleError(e, 'RPC_UNREACHABLE')) await update(rt, row.id, { state: 'queued', tx_hash: null, tx_nonce: null, last_error: `send refused: ${(e as Error).message.slice(0, 300)}` });
    throw e;
  }
  if (rt.config.anchorWaitMs === 0) return undefined;
  try {
    const receipt = await ledger.waitForConfirmations(sent.txHash, rt.config.ledger.confirmations, rt.config.anchorWaitMs);
    return markConfirmed(receipt.blockNumber, sent.txHash);
  } catch (e) {
    if (isCradleError(e, 'RPC_REVERTED')) {
      await update(rt, row.id, { state: 'queued', last_error: e.message, next_attempt_at: new Date(now().getTime() + backoffMs(rt, row.attempts + 1)).toISOString() });
      return undefined;
    }
    if (isCradleError(e, 'RPC_UNREACHABLE')) return undefined; // stays `sent`; the next pass follows the hash
    throw e;
  }
}

/** Re-send a stuck anchor with the same nonce and a higher fee (replace-by-fee). */
async function replaceStuck(rt: RegistrarRuntime, ledger: LedgerClient, row: Row): Promise<void> {
  const signer = ledger.signer;
  if (signer === undefined || row.tx_hash === null || row.tx_nonce === null) return;
  const old = await ledger.provider.getTransaction(row.tx_hash).catch(() => null);
  if (old === null) return;
  const bump = (v: bigint | null | undefined): bigint | undefined => (v === null || v === undefined ? undefined : (v * 125n) / 100n + 1n);
  try {
    const tx = await signer.sendTransaction({
      to: old.to,
      data: old.data,
      nonce: row.tx_nonce,
      gasLimit: old.gasLimit,
      ...(old.maxFeePerGas !== null ? { maxFeePerGas: bump(old.maxFeePerGas), maxPriorityFeePerGas: bump(old.maxPriorityFeePerGas) } : { gasPrice: bump(old.gasPrice) }),
    });
    await update(rt, row.id, { tx_hash: tx.hash, sent_at: new Date(rt.config.now()).toISOString(), attempts: row.attempts + 1, last_error: `replaced stuck ${row.tx_hash}` });
  } catch (e) {
    // "nonce too low" means the original (or another) transaction with that nonce was mined meanwhile.
    await update(rt, row.id, { last_error: `replacement failed: ${(e as Error).message.slice(0, 300)}` });
  }
}
