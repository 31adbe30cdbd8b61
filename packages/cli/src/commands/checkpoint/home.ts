import { CradleError } from '@cradle/core';
import { FileVerifierStore } from '@cradle/verifier/node/offline';
import { resolveHome } from '../../context.js';
import type { CommonOptions } from '../../context.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Parse a duration such as `24h`, `7d`, `90m`, `3600s` or `3600` (seconds).
 *
 * @example
 * ```ts
 * parseDuration('24h') // 86400
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d{1,9})\s*([smhdw]?)\s*$/i.exec(text);
  const n = m === null ? NaN : Number(m[1]) * (UNITS[(m[2] || 's').toLowerCase()] ?? NaN);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new CradleError('INVALID_ARGUMENT', `"${text}" is not a duration: use a number with s, m, h, d or w (e.g. 24h, 7d).`);
  }
  return n;
}

/** Parse `--at` (a date-time) into epoch milliseconds. */
export function parseTime(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new CradleError('INVALID_ARGUMENT', `"${text}" is not a date-time (e.g. 2026-11-23T10:00:00Z).`);
  return ms;
}

/** The checkpoint store of `--home` (it must exist: `checkpoint init` creates it). */
export async function openStore(opts: CommonOptions): Promise<FileVerifierStore> {
  return FileVerifierStore.open(resolveHome('checkpoint', opts));
}

export { writeFileAtomic } from '../../atomic-file.js';
