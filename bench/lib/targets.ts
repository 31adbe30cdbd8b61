import type { Figure } from './results.js';

/** A figure's target: in words for the table, and the test of a measured figure against it. */
export interface Target {
  readonly text: string;
  readonly met: (f: Figure) => boolean;
}

const ratioAtLeast = (x: number) => (f: Figure) => f.ratio !== null && f.ratio >= x;
const ratioAtMost = (x: number) => (f: Figure) => f.ratio !== null && f.ratio <= x;
const valueAtMost = (x: number) => (f: Figure) => f.value <= x;

/**
 * The targets of every figure (issue #21 and before), in one place, so a figure kept from an earlier
 * run is judged by today's target too. Figures without an entry have no target.
 */
export const TARGETS: Readonly<Record<string, Target>> = {
  'Offline verification, birth credential, all checks': { text: '>= 10x Veramo', met: ratioAtLeast(10) },
  'Offline verification vs raw Ed25519 (node:crypto)': { text: '>= 80% of raw Ed25519', met: ratioAtLeast(0.8) },
  'Checkpoint presentation verification, p99 latency': { text: '<= 5 ms', met: valueAtMost(5) },
  'Durable issuance, 32 concurrent callers, sustained over 100,000 credentials': { text: '>= 2x Veramo', met: ratioAtLeast(2) },
  'Issuance memory growth (heap, first to last 10k window)': { text: 'flat (< 64 MiB growth)', met: valueAtMost(64) },
  'Sync size: 1,000,000 credentials, 1% revoked (status-list pack)': { text: '<= 1.1x gzip -9', met: ratioAtMost(1.1) },
  'Re-sync after 100 more revocations (status-list pack)': { text: '<= 10% of a full sync', met: ratioAtMost(0.1) },
  'Gas: anchor update': { text: '<= 30,000 gas', met: valueAtMost(30_000) },
  'Gas per list, 10 lists anchored together': { text: '<= 25,000 gas', met: valueAtMost(25_000) },
  'QR: birth-registration credential': { text: '<= version 17 at M', met: valueAtMost(17) },
  'QR: checkpoint presentation (VP + 2 credentials)': { text: '<= version 20 at M', met: valueAtMost(20) },
  'QR: checkpoint presentation, guardian named with identity document': { text: '<= version 20 at M', met: valueAtMost(20) },
  'Checkpoint app (Chromium, CPU 4x slower): verify a credential, p99': { text: '<= 100 ms', met: valueAtMost(100) },
  'Checkpoint app (Chromium, CPU 4x slower): verify a guardian presentation (2 credentials), p99': { text: '<= 100 ms', met: valueAtMost(100) },
};

/** `f` with today's target and verdict (unchanged when it has no target). */
export function judged(f: Figure): Figure {
  const t = TARGETS[f.name];
  return t === undefined ? { ...f, target: null, met: null } : { ...f, target: t.text, met: t.met(f) };
}
