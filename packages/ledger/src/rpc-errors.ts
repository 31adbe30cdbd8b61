import { CradleError } from '@cradle/core';
import { Interface, isError } from 'ethers';
import { cradleAnchorArtifact } from './generated/cradle-anchor-artifact.js';
import { ERC1056_ABI } from './erc1056-abi.js';

const knownErrors = [new Interface(cradleAnchorArtifact.abi), new Interface(ERC1056_ABI)];

/** Node and undici error codes that mean "could not talk to the RPC at all". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'TIMEOUT',
  'NETWORK_ERROR',
]);

const NONCE_PATTERN = /nonce too (low|high)|nonce has already been used|replacement (transaction )?underpriced|already known|invalid nonce|nonce.*(expected|mismatch)/i;

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** Walk an error and its causes / nested `error` fields (ethers and undici nest them). */
function chain(e: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [e];
  while (queue.length > 0 && out.length < 12) {
    const cur = queue.shift();
    const r = record(cur);
    if (r === undefined || seen.has(r)) continue;
    seen.add(r);
    out.push(r);
    queue.push(r.cause, r.error, r.info);
  }
  return out;
}

function findRevertData(links: Record<string, unknown>[]): string | undefined {
  for (const r of links) {
    const d = r.data;
    if (typeof d === 'string' && /^0x[0-9a-fA-F]{8}/.test(d)) return d;
    const nested = record(d);
    if (nested !== undefined && typeof nested.data === 'string' && /^0x[0-9a-fA-F]{8}/.test(nested.data)) return nested.data;
  }
  return undefined;
}

/** A decoded revert: custom error name and arguments, or the `Error(string)` reason. */
export interface DecodedRevert {
  /** Custom error name (`NotAuthorized`, `VersionNotIncreasing`, ...) or `Error` for `require` strings. */
  name: string;
  /** Human reason: the `require` string, or `Name(arg, ...)`. */
  reason: string;
  args: readonly unknown[];
}

/** Decode revert data against the anchor contract's and the ERC-1056 registry's errors. */
export function decodeRevertData(data: string): DecodedRevert | undefined {
  for (const iface of knownErrors) {
    try {
      const parsed = iface.parseError(data);
      if (parsed === null) continue;
      const args = [...parsed.args].map((a: unknown) => (typeof a === 'bigint' ? a.toString() : a));
      if (parsed.name === 'Error' && typeof args[0] === 'string') return { name: 'Error', reason: args[0], args };
      return { name: parsed.name, reason: `${parsed.name}(${args.map(String).join(', ')})`, args };
    } catch {
      // not one of ours
    }
  }
  return undefined;
}

function httpStatus(links: Record<string, unknown>[]): number | undefined {
  for (const r of links) {
    const resp = record(r.response);
    if (resp !== undefined && typeof resp.statusCode === 'number') return resp.statusCode;
    if (typeof r.responseStatus === 'string') {
      const n = Number.parseInt(r.responseStatus, 10);
      if (Number.isFinite(n)) return n;
    }
  }
  return undefined;
}

/**
 * Turn anything an RPC call threw into a `CradleError` the caller can act on:
 * - `RPC_UNREACHABLE`: connection refused, DNS failure, timeout, 5xx/404 from the endpoint. Retry later.
 * - `RPC_REVERTED`: the contract refused; `details.revert` names the custom error (e.g. `NotAuthorized`)
 *   and `details.reason` is readable. Retrying the same call will fail again.
 * - `RPC_NONCE`: nonce too low/high, replacement underpriced, already known. Re-read the nonce.
 * - `RPC_ERROR`: anything else (e.g. insufficient funds, bad request); `details.ethersCode` says which.
 * A `CradleError` passes through unchanged.
 *
 * @example
 * ```ts
 * try { await client.anchor(a) } catch (e) {
 *   const err = classifyRpcError(e);
 *   if (err.code === 'RPC_UNREACHABLE') outbox.retryLater();
 * }
 * ```
 */
export function classifyRpcError(e: unknown): CradleError {
  if (e instanceof CradleError) return e;
  const links = chain(e);
  const codes = links.map((r) => r.code).filter((c): c is string | number => typeof c === 'string' || typeof c === 'number');
  const messages = links.map((r) => r.message).filter((m): m is string => typeof m === 'string');
  const top = record(e);
  const ethersCode = typeof top?.code === 'string' ? top.code : undefined;
  const short = typeof top?.shortMessage === 'string' ? top.shortMessage : (messages[0] ?? String(e));

  if (codes.some((c) => typeof c === 'string' && UNREACHABLE_CODES.has(c)) || messages.some((m) => /fetch failed|socket hang up|request timeout/i.test(m))) {
    return new CradleError('RPC_UNREACHABLE', `The Ethereum RPC endpoint cannot be reached (${short}). Check the URL and the network; the operation can be retried.`, {
      cause: e,
      details: { ethersCode },
    });
  }
  if (isError(e, 'SERVER_ERROR')) {
    const status = httpStatus(links);
    if (status === undefined || status >= 500 || status === 404 || status === 408 || status === 429) {
      return new CradleError('RPC_UNREACHABLE', `The Ethereum RPC endpoint answered HTTP ${status ?? '?'}; the operation can be retried.`, {
        cause: e,
        details: { ethersCode, httpStatus: status },
      });
    }
  }
  if (codes.includes('NONCE_EXPIRED') || codes.includes('REPLACEMENT_UNDERPRICED') || messages.some((m) => NONCE_PATTERN.test(m))) {
    return new CradleError('RPC_NONCE', `Transaction nonce problem (${short}). Re-read the account nonce and resend.`, {
      cause: e,
      details: { ethersCode },
    });
  }
  const data = findRevertData(links);
  const decoded = data === undefined ? undefined : decodeRevertData(data);
  const revertReason = (() => {
    for (const r of links) {
      const rev = record(r.revert);
      if (rev !== undefined && typeof rev.name === 'string') return rev.name;
    }
    for (const r of links) if (typeof r.reason === 'string' && r.reason !== '') return r.reason;
    return undefined;
  })();
  const revertedText = messages.find((m) => /revert|VM Exception/i.test(m));
  if (codes.includes('CALL_EXCEPTION') || decoded !== undefined || revertedText !== undefined) {
    const reason = decoded?.reason ?? revertReason ?? revertedText ?? 'no reason given';
    return new CradleError('RPC_REVERTED', `The contract rejected the call: ${reason}.`, {
      cause: e,
      details: { revert: decoded?.name ?? revertReason, reason, args: decoded?.args, data, ethersCode },
    });
  }
  return new CradleError('RPC_ERROR', `The Ethereum RPC call failed: ${short}.`, { cause: e, details: { ethersCode } });
}
