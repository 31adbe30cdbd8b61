import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './measure.js';
import { round } from './results.js';

/**
 * Whether a benchmark run shared the machine. The load average alone cannot say: `pnpm bench` builds the
 * packages right before it starts, so the 1-minute average is high on every run, and it cannot tell the
 * run's own child processes (chain, replicas, Chromium) from other work. So the probe counts CPU time
 * directly from /proc (Linux): all busy time of the machine minus what this process and its waited-for
 * children used. That difference is the other work, before the run (in a short idle window) and during it.
 */

/** What the load probe saw at one moment. */
export interface LoadSample {
  /** 1-, 5- and 15-minute load averages from /proc/loadavg (null where there is none). */
  loadavg: [number, number, number] | null;
  /** Runnable/total tasks from /proc/loadavg (e.g. "3/340"), or null. */
  tasks: string | null;
  /** Median wall time of a fixed CPU loop (ms) and its spread (slowest / fastest of the rounds). */
  probeMs: number;
  spread: number;
  /** CPU used by other processes while this one slept for the idle window, in cores (null without /proc). */
  othersIdleCores: number | null;
}

/** The verdict written next to the results. */
export interface LoadReport {
  before: LoadSample;
  after: LoadSample;
  /** CPU used by other processes during the run's judged suites, on average, in cores (null without /proc). */
  othersDuringCores: number | null;
  loaded: boolean;
  /** Why the run counts as loaded (empty when quiet). */
  reasons: string[];
}

/** A point on the machine's and this process's CPU clocks (ticks of 1/CLK_TCK s; both read from /proc). */
export interface CpuMark {
  at: number;
  machineBusy: number;
  ownBusy: number;
}

const ROUNDS = 7;
const IDLE_WINDOW_MS = 2_000;
/** Linux's USER_HZ: /proc/stat and /proc/self/stat count in these ticks on every mainstream platform. */
const TICKS_PER_S = 100;
/** Other work above this many cores, on average, makes a run "loaded". */
const OTHERS_LIMIT_CORES = 0.15;

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

/** Read the CPU clocks, or null where /proc is not there (not Linux). */
export function cpuMark(): CpuMark | null {
  try {
    // /proc/stat "cpu  user nice system idle iowait irq softirq steal ...": busy = all but idle and iowait.
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const machineBusy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
    // /proc/self/stat: fields after the ")" of the command name; utime stime cutime cstime are 14-17 (1-based).
    const self = readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    const ownBusy = (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
    if (!Number.isFinite(machineBusy) || !Number.isFinite(ownBusy)) return null;
    return { at: performance.now(), machineBusy, ownBusy };
  } catch {
    return null;
  }
}

/**
 * Average CPU used between two marks by everything except this process and its waited-for children, in
 * cores (1 = one core busy the whole time). Children still running at `to` count as others.
 */
export function othersCores(from: CpuMark | null, to: CpuMark | null): number | null {
  if (from === null || to === null || to.at <= from.at) return null;
  const others = to.machineBusy - from.machineBusy - (to.ownBusy - from.ownBusy);
  return round(Math.max(0, others) / TICKS_PER_S / ((to.at - from.at) / 1000), 2);
}

/** Sample the machine: load averages, other processes' CPU in an idle window, and a fixed CPU loop timed several times. */
export async function probeLoad(): Promise<LoadSample> {
  const avg = readLoadavg();
  const start = cpuMark();
  await sleep(IDLE_WINDOW_MS);
  const othersIdleCores = othersCores(start, cpuMark());
  fixedLoop(); // warm-up
  const times = Array.from({ length: ROUNDS }, fixedLoop);
  return { ...avg, probeMs: round(median(times), 2), spread: round(Math.max(...times) / Math.min(...times), 2), othersIdleCores };
}

/**
 * Judge a run from the probes before and after it and the CPU other processes used during it. Loaded when
 * other processes used more than 0.15 of a core on average in the idle window before or after the run, or
 * during the run; when either probe's rounds spread by more than 25% (the CPU was shared while probing);
 * or when the loop got 25% slower from before to after. The load average is printed but not judged (the
 * build before the run and the run's own children raise it).
 */
export function judgeLoad(before: LoadSample, after: LoadSample, othersDuringCores: number | null): LoadReport {
  const cores = cpus().length;
  const reasons: string[] = [];
  for (const [when, s] of [['before', before], ['after', after]] as const) {
    if (s.othersIdleCores !== null && s.othersIdleCores > OTHERS_LIMIT_CORES) reasons.push(`other processes used ${s.othersIdleCores} of ${cores} cores ${when} the run`);
  }
  if (othersDuringCores !== null && othersDuringCores > OTHERS_LIMIT_CORES) reasons.push(`other processes used ${othersDuringCores} of ${cores} cores on average during the run`);
  for (const [when, s] of [['before', before], ['after', after]] as const) {
    if (s.spread > 1.25) reasons.push(`the CPU probe varied ${s.spread}x between rounds ${when} the run`);
  }
  if (after.probeMs > before.probeMs * 1.25) reasons.push(`the CPU probe was ${round(after.probeMs / before.probeMs, 2)}x slower after the run than before`);
  return { before, after, othersDuringCores, loaded: reasons.length > 0, reasons };
}

/** One line for the report. */
export function describeLoad(r: LoadReport): string {
  const avg = (s: LoadSample) => (s.loadavg === null ? 'n/a' : s.loadavg.join(' '));
  const cores = (n: number | null) => (n === null ? 'n/a' : `${n}`);
  const probe =
    `other processes' CPU ${cores(r.before.othersIdleCores)} cores before, ${cores(r.othersDuringCores)} during, ${cores(r.after.othersIdleCores)} after; ` +
    `CPU probe ${r.before.probeMs} ms before, ${r.after.probeMs} ms after; load average ${avg(r.before)} before, ${avg(r.after)} after`;
  return r.loaded ? `**Machine was loaded during this run** (${r.reasons.join('; ')}): throughput figures are not results. ${probe}.` : `Machine quiet during this run: ${probe}.`;
}
