import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './measure.js';
import { round } from './results.js';

/**
 * Whether a benchmark run shared the machine. The load average alone cannot say: `pnpm bench` builds the
 * packages right before it starts, so the 1-minute average is high on every run, and it cannot tell the
 * run's own child processes (chain, replicas, Chromium) from other work. So the probe judges what it can
 * attribute, from /proc (Linux):
 * - other processes' CPU: all busy time of the machine minus what this process and its waited-for
 *   children used, in a short idle window before and after the run and during it;
 * - steal: on a virtual machine, the time the hypervisor gave this machine's CPUs to another guest
 *   (/proc/stat column 8), which slows every figure while no process here shows it.
 * A fixed CPU loop is timed too, but its spread is not evidence on its own: on this VM it reached 1.42x
 * with other processes at 0-0.04 cores (frequency scaling, a neighbour's bursts the hypervisor does not
 * account as steal). It counts only when other processes or steal show in the same window.
 */

/** Other processes' CPU and the hypervisor's steal over one window (null without /proc). */
export interface CpuWindow {
  /** CPU used by everything but this process and its waited-for children, in cores (1 = one core all the time). */
  othersCores: number | null;
  /** Steal, in percent of all the machine's CPU time in the window (what `top` shows as "st"). */
  stealPercent: number | null;
}

/** What the load probe saw at one moment. */
export interface LoadSample {
  /** 1-, 5- and 15-minute load averages from /proc/loadavg (null where there is none). */
  loadavg: [number, number, number] | null;
  /** Runnable/total tasks from /proc/loadavg (e.g. "3/340"), or null. */
  tasks: string | null;
  /** Median wall time of a round of a fixed CPU loop (ms) and its spread (slowest / fastest of the rounds). */
  probeMs: number;
  spread: number;
  /** The machine while this process slept for the idle window. */
  idle: CpuWindow;
  /** The machine while the CPU loop's rounds ran (what a spread is checked against). */
  loop: CpuWindow;
}

/** The signals a verdict can rest on. */
export type LoadSignal = 'other processes' | 'steal' | 'CPU probe';

/** The verdict written next to the results. */
export interface LoadReport {
  before: LoadSample;
  after: LoadSample;
  /** Other processes' CPU during the run's judged suites, on average, and steal over the whole run. */
  during: CpuWindow;
  /** False where there was nothing to judge by (no /proc: not Linux); `loaded` is then false too. */
  judged: boolean;
  loaded: boolean;
  /** The signals that made the run "loaded" (empty when quiet). */
  decidedBy: LoadSignal[];
  /** Why the run counts as loaded (empty when quiet). */
  reasons: string[];
  /** CPU-probe variations seen but not counted, because no other process or steal coincided with them. */
  uncounted: string[];
}

/** A point on the machine's and this process's CPU clocks (ticks of 1/USER_HZ s, read from /proc). */
export interface CpuMark {
  /** When, in ms (any monotonic clock). */
  at: number;
  /** user + nice + system + irq + softirq of all CPUs (guest time is already inside user and nice). */
  machineBusy: number;
  /** Steal of all CPUs (/proc/stat column 8). */
  steal: number;
  /** All time of all CPUs: user through steal (/proc/stat columns 1-8). */
  total: number;
  /** utime + stime + cutime + cstime of this process (/proc/self/stat fields 14-17). */
  ownBusy: number;
}

/*
 * The limits, for the shared 2-core VM the bench runs on (see README "Performance"):
 * - OTHERS_LIMIT_CORES: a quiet machine shows 0-0.04 cores of other work (system daemons, a shell); 0.15
 *   is clear of that noise and still far below one other busy process (a test gate keeps 1-2 cores busy).
 * - STEAL_LIMIT_PERCENT: this VM has stolen 0.05 % of its CPU time since boot; 5 % of both CPUs (0.1
 *   of a core) is the same order as the limit for other processes.
 * - The CPU loop: its rounds varying by more than 25 %, or its median 25 % slower after the run than
 *   before, counts only when the same probe's loop window had other work at or above 0.05 cores or
 *   steal at or above 1 % (above the quiet noise, below the limits that decide on their own): then the
 *   variation has a cause this probe can name. Without one it is reported as not counted.
 */
const OTHERS_LIMIT_CORES = 0.15;
const STEAL_LIMIT_PERCENT = 5;
const OTHERS_HINT_CORES = 0.05;
const STEAL_HINT_PERCENT = 1;
const SPREAD_LIMIT = 1.25;
const SLOWDOWN_LIMIT = 1.25;

const ROUNDS = 10;
/** SHA-256 blocks per round: ~80 ms, so the loop window (~0.8 s) holds enough clock ticks to judge. */
const HASHES_PER_ROUND = 2_000;
const IDLE_WINDOW_MS = 2_000;
/** Linux's USER_HZ: /proc/stat and /proc/self/stat count in these ticks on every mainstream platform. */
const TICKS_PER_S = 100;

/** One round of fixed work: SHA-256 chained over 64 KiB (single core, no allocation growth). */
function fixedLoop(): number {
  const block = new Uint8Array(64 * 1024).fill(7);
  const t = performance.now();
  let h = block;
  for (let i = 0; i < HASHES_PER_ROUND; i++) h = createHash('sha256').update(h).update(block).digest();
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

/**
 * A mark from the text of /proc/stat and /proc/self/stat, or null when they do not parse.
 *
 * @example
 * ```ts
 * parseCpuMark('cpu  100 0 50 800 10 0 5 20 0 0\n', '42 (node) R 1 42 42 0 -1 4194304 101 0 0 0 30 10 0 0 20 0 1 0', 0)
 * // { at: 0, machineBusy: 155, steal: 20, total: 985, ownBusy: 40 }
 * ```
 */
export function parseCpuMark(procStat: string, selfStat: string, at: number): CpuMark | null {
  // /proc/stat "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
  const line = procStat.split('\n', 1)[0]!.trim().split(/\s+/);
  if (line[0] !== 'cpu' || line.length < 9) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.slice(1, 9).map(Number) as [number, number, number, number, number, number, number, number];
  // /proc/self/stat: fields after the ")" of the command name; utime stime cutime cstime are 14-17 (1-based).
  const f = selfStat.slice(selfStat.lastIndexOf(')') + 2).split(' ').map(Number);
  const ownBusy = (f[11] ?? NaN) + (f[12] ?? NaN) + (f[13] ?? NaN) + (f[14] ?? NaN);
  const machineBusy = user + nice + system + irq + softirq;
  const total = machineBusy + idle + iowait + steal;
  if (![machineBusy, total, steal, ownBusy].every(Number.isFinite)) return null;
  return { at, machineBusy, steal, total, ownBusy };
}

/** Read the CPU clocks, or null where /proc is not there (not Linux). */
export function cpuMark(): CpuMark | null {
  try {
    return parseCpuMark(readFileSync('/proc/stat', 'utf8'), readFileSync('/proc/self/stat', 'utf8'), performance.now());
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

/** Steal between two marks, in percent of all the machine's CPU time between them. */
export function stealPercent(from: CpuMark | null, to: CpuMark | null): number | null {
  if (from === null || to === null || to.total <= from.total) return null;
  return round((100 * Math.max(0, to.steal - from.steal)) / (to.total - from.total), 1);
}

/** Other processes' CPU and steal between two marks. */
export function cpuWindow(from: CpuMark | null, to: CpuMark | null): CpuWindow {
  return { othersCores: othersCores(from, to), stealPercent: stealPercent(from, to) };
}

/** Sample the machine: load averages, an idle window, and a fixed CPU loop timed several times (with its window). */
export async function probeLoad(): Promise<LoadSample> {
  const avg = readLoadavg();
  const idleStart = cpuMark();
  await sleep(IDLE_WINDOW_MS);
  const idle = cpuWindow(idleStart, cpuMark());
  fixedLoop(); // warm-up
  const loopStart = cpuMark();
  const times = Array.from({ length: ROUNDS }, fixedLoop);
  const loop = cpuWindow(loopStart, cpuMark());
  return { ...avg, probeMs: round(median(times), 2), spread: round(Math.max(...times) / Math.min(...times), 2), idle, loop };
}

/** What other work or steal showed in a window, when it reaches `cores` / `percent` (for a reason's wording). */
function attributable(w: CpuWindow, cores: number, percent: number): string | null {
  const parts: string[] = [];
  if (w.othersCores !== null && w.othersCores >= cores) parts.push(`other processes used ${w.othersCores} cores`);
  if (w.stealPercent !== null && w.stealPercent >= percent) parts.push(`steal was ${w.stealPercent} %`);
  return parts.length === 0 ? null : parts.join(' and ');
}

/**
 * Judge a run from the probes before and after it and the machine during it (pure: takes the samples,
 * reads no clock). Loaded when other processes used more than 0.15 of a core on average (in the idle
 * window or the loop window before or after the run, or during it), or when steal was above 5 % of the
 * CPU time in any of those windows. The CPU loop (its rounds spreading by more than 25 %, or 25 % slower
 * after the run than before) counts only where other processes (>= 0.05 cores) or steal (>= 1 %) showed
 * in the same loop window; otherwise it is listed as not counted. The load average is printed but not
 * judged (the build before the run and the run's own children raise it).
 */
export function judgeLoad(before: LoadSample, after: LoadSample, during: CpuWindow): LoadReport {
  const cores = cpus().length;
  const reasons: string[] = [];
  const uncounted: string[] = [];
  const decidedBy = new Set<LoadSignal>();
  const windows = [
    ['in the idle window before the run', before.idle],
    ['while the CPU probe ran before the run', before.loop],
    ['on average during the run', during],
    ['in the idle window after the run', after.idle],
    ['while the CPU probe ran after the run', after.loop],
  ] as const;
  for (const [when, w] of windows) {
    if (w.othersCores !== null && w.othersCores > OTHERS_LIMIT_CORES) {
      reasons.push(`other processes used ${w.othersCores} of ${cores} cores ${when}`);
      decidedBy.add('other processes');
    }
    if (w.stealPercent !== null && w.stealPercent > STEAL_LIMIT_PERCENT) {
      reasons.push(`the hypervisor stole ${w.stealPercent} % of the CPU time ${when}`);
      decidedBy.add('steal');
    }
  }
  const probeVariations: [string, string | null][] = [];
  for (const [when, s] of [['before', before], ['after', after]] as const) {
    if (s.spread > SPREAD_LIMIT) probeVariations.push([`the CPU probe varied ${s.spread}x between rounds ${when} the run`, attributable(s.loop, OTHERS_HINT_CORES, STEAL_HINT_PERCENT)]);
  }
  if (after.probeMs > before.probeMs * SLOWDOWN_LIMIT) {
    const cause = attributable(before.loop, OTHERS_HINT_CORES, STEAL_HINT_PERCENT) ?? attributable(after.loop, OTHERS_HINT_CORES, STEAL_HINT_PERCENT);
    probeVariations.push([`the CPU probe was ${round(after.probeMs / before.probeMs, 2)}x slower after the run than before`, cause]);
  }
  // The loop decides only where nothing else did; beside other processes or steal it is listed as a reason.
  const decidedElsewhere = decidedBy.size > 0;
  for (const [variation, cause] of probeVariations) {
    if (cause === null) {
      uncounted.push(variation);
    } else {
      reasons.push(`${variation} while ${cause}`);
      if (!decidedElsewhere) decidedBy.add('CPU probe');
    }
  }
  const judged = windows.some(([, w]) => w.othersCores !== null || w.stealPercent !== null);
  return { before, after, during, judged, loaded: reasons.length > 0, decidedBy: [...decidedBy], reasons, uncounted };
}

const SIGNAL_WORDS: Record<LoadSignal, string> = {
  'other processes': "other processes' CPU",
  steal: 'steal',
  'CPU probe': 'the CPU probe, with other work or steal in the same window',
};

/** One line for the report: the verdict, the signal that decided it, and every figure the probe took. */
export function describeLoad(r: LoadReport): string {
  const avg = (s: LoadSample) => (s.loadavg === null ? 'n/a' : s.loadavg.join(' '));
  const n = (x: number | null, unit: string) => (x === null ? 'n/a' : `${x}${unit}`);
  const cpu = (w: CpuWindow) => n(w.othersCores, ' cores');
  const st = (w: CpuWindow) => n(w.stealPercent, ' %');
  const probe =
    `other processes' CPU ${cpu(r.before.idle)} idle / ${cpu(r.before.loop)} probing before, ${cpu(r.during)} during, ${cpu(r.after.idle)} idle / ${cpu(r.after.loop)} probing after; ` +
    `steal ${st(r.before.idle)} / ${st(r.before.loop)} before, ${st(r.during)} during, ${st(r.after.idle)} / ${st(r.after.loop)} after; ` +
    `CPU probe ${r.before.probeMs} ms (spread ${r.before.spread}x) before, ${r.after.probeMs} ms (spread ${r.after.spread}x) after; ` +
    `load average ${avg(r.before)} before, ${avg(r.after)} after`;
  const notCounted = r.uncounted.length === 0 ? '' : `; not counted, as no other process or steal coincided: ${r.uncounted.join('; ')}`;
  if (r.loaded) {
    return `**Machine was loaded during this run** (decided by ${r.decidedBy.map((d) => SIGNAL_WORDS[d]).join(' and ')}: ${r.reasons.join('; ')}${notCounted}): throughput figures are not results. ${probe}.`;
  }
  if (!r.judged) return `Machine load not judged (no /proc on this platform): ${probe}.`;
  return `Machine quiet during this run (decided by other processes' CPU and steal, both under their limits${notCounted}): ${probe}.`;
}
