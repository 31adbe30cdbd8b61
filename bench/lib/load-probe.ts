import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { median } from './measure.js';
import { round } from './results.js';

/** What the load probe saw at one moment. */
export interface LoadSample {
  /** 1-, 5- and 15-minute load averages from /proc/loadavg (null where there is none). */
  loadavg: [number, number, number] | null;
  /** Runnable/total tasks from /proc/loadavg (e.g. "3/340"), or null. */
  tasks: string | null;
  /** Median wall time of a fixed CPU loop (ms) and its spread (slowest / fastest of the rounds). */
  probeMs: number;
  spread: number;
}

/** The verdict written next to the results. */
export interface LoadReport {
  before: LoadSample;
  after: LoadSample;
  loaded: boolean;
  /** Why the run counts as loaded (empty when quiet). */
  reasons: string[];
}

const ROUNDS = 7;

/** One round of fixed work: 200 SHA-256 chained over 64 KiB (single core, no allocation growth). */
function fixedLoop(): number {
  const block = new Uint8Array(64 * 1024).fill(7);
  const t = performance.now();
  let h = block;
  for (let i = 0; i < 200; i++) h = createHash('sha256').update(h).update(block).digest();
  if (h.length !== 32) throw new Error('unreachable');
  return performance.now() - t;
}

function readLoadavg(): Pick<LoadSample, 'loadavg' | 'tasks'> {
  try {
    const parts = readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/);
    return { loadavg: [Number(parts[0]), Number(parts[1]), Number(parts[2])], tasks: parts[3] ?? null };
  } catch {
    return { loadavg: null, tasks: null };
  }
}

/** Sample the machine: load averages and a fixed CPU loop timed several times. */
export function probeLoad(): LoadSample {
  const avg = readLoadavg();
  fixedLoop(); // warm-up
  const times = Array.from({ length: ROUNDS }, fixedLoop);
  return { ...avg, probeMs: round(median(times), 2), spread: round(Math.max(...times) / Math.min(...times), 2) };
}

/**
 * Judge a run from the probes before and after it. Loaded when, before the run, the 1-minute load
 * average was over half the cores (other work was running); when either probe's rounds spread by more
 * than 25% (the CPU was shared while probing); or when the loop got 25% slower from before to after
 * (the machine got busier during the run). The run itself adds about 1 to the load average afterwards.
 */
export function judgeLoad(before: LoadSample, after: LoadSample): LoadReport {
  const cores = cpus().length;
  const reasons: string[] = [];
  if (before.loadavg !== null && before.loadavg[0] > cores / 2) reasons.push(`load average ${before.loadavg[0]} on ${cores} cores before the run`);
  if (after.loadavg !== null && after.loadavg[0] > cores / 2 + 1) reasons.push(`load average ${after.loadavg[0]} on ${cores} cores after the run`);
  for (const [when, s] of [['before', before], ['after', after]] as const) {
    if (s.spread > 1.25) reasons.push(`the CPU probe varied ${s.spread}x between rounds ${when} the run`);
  }
  if (after.probeMs > before.probeMs * 1.25) reasons.push(`the CPU probe was ${round(after.probeMs / before.probeMs, 2)}x slower after the run than before`);
  return { before, after, loaded: reasons.length > 0, reasons };
}

/** One line for the report. */
export function describeLoad(r: LoadReport): string {
  const avg = (s: LoadSample) => (s.loadavg === null ? 'n/a' : s.loadavg.join(' '));
  const probe = `CPU probe ${r.before.probeMs} ms before, ${r.after.probeMs} ms after; load average ${avg(r.before)} before, ${avg(r.after)} after`;
  return r.loaded ? `**Machine was loaded during this run** (${r.reasons.join('; ')}): throughput figures are not results. ${probe}.` : `Machine quiet during this run: ${probe}.`;
}
