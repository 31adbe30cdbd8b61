/**
 * Whether this phone can give real answers, said BEFORE the officer scans: not set up (no trusted
 * registrar), no status data, status data older than the limit, or ready.
 */
import type { TrustSummary } from './verifier-adapter.js';

/** The phone's readiness to check documents. */
export type Readiness =
  | { state: 'not-set-up' }
  | { state: 'no-status' }
  | { state: 'stale'; ageSeconds: number; limitSeconds: number }
  | { state: 'ready'; registrars: number; ageSeconds: number };

/**
 * Readiness from the trust summary, the operator's freshness limit and the time now (ms).
 * @example readinessOf({ registrars: [], statusLists: 0 }, 259200, Date.now()) // { state: 'not-set-up' }
 */
export function readinessOf(summary: TrustSummary, limitSeconds: number, now: number): Readiness {
  if (summary.registrars.length === 0) return { state: 'not-set-up' };
  if (summary.statusAsOf === undefined) return { state: 'no-status' };
  const ageSeconds = Math.max(0, (now - new Date(summary.statusAsOf).getTime()) / 1000);
  if (ageSeconds > limitSeconds) return { state: 'stale', ageSeconds, limitSeconds };
  return { state: 'ready', registrars: summary.registrars.length, ageSeconds };
}
