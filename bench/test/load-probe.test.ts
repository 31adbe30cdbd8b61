import { describe, expect, it } from 'vitest';
import { cpuWindow, describeLoad, judgeLoad, othersCores, parseCpuMark, stealPercent } from '../lib/load-probe.js';
import type { CpuMark, CpuWindow, LoadSample } from '../lib/load-probe.js';

// The first lines of /proc/stat as read on the bench's 2-core VM (2026-11-30), and a /proc/self/stat line
// read there (of `cat`; here with a node command line and its CPU times, utime 1200 and stime 300 ticks).
// Each scenario below adds its ticks to them (100 ticks a second per CPU, so a 2-second window on 2 CPUs
// holds 400). Columns of the cpu line: user nice system idle iowait irq softirq steal guest guest_nice.
const STAT = 'cpu  8075379 120507 1408276 1563378 9463 0 11591 4556 0 0\ncpu0 4036704 60812 691228 801805 1958 0 2497 2270 0 0\n';
const SELF = '29152 (node --expose-gc) R 29149 29149 22408 0 -1 4194304 101 0 0 0 1200 300 0 0 20 0 1 0 5628821 3133440 393';

/** The recorded machine and process clocks with ticks added: to user, idle and steal of the machine, and to this process's utime. */
function mark(atMs: number, add: { user?: number; idle?: number; steal?: number; own?: number }): CpuMark {
  const stat = `cpu  ${8075379 + (add.user ?? 0)} 120507 1408276 ${1563378 + (add.idle ?? 0)} 9463 0 11591 ${4556 + (add.steal ?? 0)} 0 0\n`;
  const self = `29152 (node) R 29149 29149 22408 0 -1 4194304 101 0 0 0 ${1200 + (add.own ?? 0)} 300 0 0 20 0 1 0 5628821 3133440 393`;
  const m = parseCpuMark(stat, self, atMs);
  if (m === null) throw new Error('sample did not parse');
  return m;
}

/**
 * A window of `seconds` on the 2-CPU machine: this process used `own` cores, other processes `others`
 * cores, the hypervisor stole `steal` of the CPU time (0..1); the rest is idle.
 */
function window(seconds: number, w: { own?: number; others?: number; steal?: number }): CpuWindow {
  const all = 2 * 100 * seconds;
  const own = Math.round((w.own ?? 0) * 100 * seconds);
  const others = Math.round((w.others ?? 0) * 100 * seconds);
  const steal = Math.round((w.steal ?? 0) * all);
  return cpuWindow(mark(0, {}), mark(seconds * 1000, { user: own + others, steal, idle: all - own - others - steal, own }));
}

/** A probe: the idle window (2 s, this process asleep) and the CPU loop (0.8 s, this process on one core). */
function sample(s: { probeMs?: number; spread?: number; idle?: CpuWindow; loop?: CpuWindow }): LoadSample {
  return {
    loadavg: [1.87, 2.3, 3.53],
    tasks: '3/340',
    probeMs: s.probeMs ?? 80,
    spread: s.spread ?? 1.05,
    idle: s.idle ?? window(2, { others: 0.02 }),
    loop: s.loop ?? window(0.8, { own: 1 }),
  };
}

const QUIET_DURING = window(180, { own: 1.2, others: 0.01 });

describe('load probe: reading /proc', () => {
  it('reads busy, steal and total time of the machine and this process from the recorded lines', () => {
    expect(parseCpuMark(STAT, SELF, 5)).toEqual({
      at: 5,
      machineBusy: 8075379 + 120507 + 1408276 + 0 + 11591,
      steal: 4556,
      total: 8075379 + 120507 + 1408276 + 1563378 + 9463 + 0 + 11591 + 4556,
      ownBusy: 1200 + 300,
    });
  });
  it('finds the process fields after a command name with spaces and parentheses', () => {
    expect(parseCpuMark(STAT, SELF.replace('(node --expose-gc)', '(a) b (c))'), 0)?.ownBusy).toBe(1500);
  });
  it('returns null for text that is not /proc/stat', () => {
    expect(parseCpuMark('intr 1 2 3\n', SELF, 0)).toBeNull();
    expect(parseCpuMark('cpu  1 2 3\n', SELF, 0)).toBeNull();
    expect(parseCpuMark(STAT, 'garbage', 0)).toBeNull();
  });
  it('counts other processes as machine busy time minus this process, without steal', () => {
    // 2 s: this process 1 core, others 0.5 cores, and 10 % of the CPU time stolen (not anybody's work here).
    const from = mark(0, {});
    const to = mark(2000, { user: 300, own: 200, steal: 40, idle: 60 });
    expect(othersCores(from, to)).toBe(0.5);
    expect(stealPercent(from, to)).toBe(10);
  });
  it('has no figure for a window without time in it', () => {
    const m = mark(0, {});
    expect(othersCores(m, m)).toBeNull();
    expect(stealPercent(m, m)).toBeNull();
    expect(cpuWindow(null, m)).toEqual({ othersCores: null, stealPercent: null });
  });
});

describe('load probe: the verdict', () => {
  it('a quiet machine is quiet even when the CPU loop spreads 1.42x (no other process or steal to explain it)', () => {
    const r = judgeLoad(sample({ idle: window(2, { others: 0.03 }) }), sample({ spread: 1.42, idle: window(2, {}) }), QUIET_DURING);
    expect(r.loaded).toBe(false);
    expect(r.decidedBy).toEqual([]);
    expect(r.uncounted).toEqual(['the CPU probe varied 1.42x between rounds after the run']);
    expect(describeLoad(r)).toMatch(/^Machine quiet during this run \(decided by other processes' CPU and steal, both under their limits; not counted, as no other process or steal coincided: the CPU probe varied 1\.42x between rounds after the run\)/);
  });
  it('a quiet machine is quiet when the loop is slower after the run than before with nothing to explain it', () => {
    const r = judgeLoad(sample({ probeMs: 80 }), sample({ probeMs: 110 }), QUIET_DURING);
    expect(r.loaded).toBe(false);
    expect(r.uncounted).toEqual(['the CPU probe was 1.38x slower after the run than before']);
  });
  it('other processes using 0.5 cores make the run loaded, decided by their CPU', () => {
    for (const [before, after, during] of [
      [sample({ idle: window(2, { others: 0.5 }) }), sample({}), QUIET_DURING],
      [sample({}), sample({ loop: window(0.8, { own: 1, others: 0.5 }) }), QUIET_DURING],
      [sample({}), sample({}), window(180, { own: 1, others: 0.5 })],
    ] as const) {
      const r = judgeLoad(before, after, during);
      expect(r.loaded).toBe(true);
      expect(r.decidedBy).toEqual(['other processes']);
      expect(describeLoad(r)).toMatch(/^\*\*Machine was loaded during this run\*\* \(decided by other processes' CPU: other processes used 0\.5 of \d+ cores /);
    }
  });
  it('steal of 20 % makes the run loaded, decided by steal', () => {
    for (const [before, during] of [
      [sample({ loop: window(0.8, { own: 1, steal: 0.2 }) }), QUIET_DURING],
      [sample({}), window(180, { own: 1.2, steal: 0.2 })],
    ] as const) {
      const r = judgeLoad(before, sample({}), during);
      expect(r.loaded).toBe(true);
      expect(r.decidedBy).toEqual(['steal']);
      expect(r.reasons[0]).toMatch(/^the hypervisor stole 20 % of the CPU time /);
      expect(describeLoad(r)).toMatch(/^\*\*Machine was loaded during this run\*\* \(decided by steal: /);
    }
  });
  it('other processes and steal under their limits alone leave the run quiet', () => {
    const r = judgeLoad(sample({ idle: window(2, { others: 0.15 }), loop: window(0.8, { own: 1, steal: 0.05 }) }), sample({}), window(180, { others: 0.1, steal: 0.04 }));
    expect(r.loaded).toBe(false);
    expect(r.reasons).toEqual([]);
  });
  it('a CPU-loop spread counts when other processes or steal show in the same loop window', () => {
    const withOthers = judgeLoad(sample({ spread: 1.6, loop: window(0.8, { own: 1, others: 0.08 }) }), sample({}), QUIET_DURING);
    expect(withOthers.loaded).toBe(true);
    expect(withOthers.decidedBy).toEqual(['CPU probe']);
    expect(withOthers.reasons).toEqual(['the CPU probe varied 1.6x between rounds before the run while other processes used 0.08 cores']);
    expect(describeLoad(withOthers)).toMatch(/^\*\*Machine was loaded during this run\*\* \(decided by the CPU probe, with other work or steal in the same window: /);

    const withSteal = judgeLoad(sample({}), sample({ spread: 1.6, loop: window(0.8, { own: 1, steal: 0.025 }) }), QUIET_DURING);
    expect(withSteal.loaded).toBe(true);
    expect(withSteal.reasons).toEqual(['the CPU probe varied 1.6x between rounds after the run while steal was 2.5 %']);

    // Beside other processes over their limit, the spread is a reason but not what decided.
    const both = judgeLoad(sample({ spread: 1.6, loop: window(0.8, { own: 1, others: 0.5 }) }), sample({}), QUIET_DURING);
    expect(both.decidedBy).toEqual(['other processes']);
    expect(both.reasons).toHaveLength(2);

    // The same spread with the other work in the idle window only (not while the loop ran) does not count.
    const elsewhere = judgeLoad(sample({ spread: 1.6, idle: window(2, { others: 0.08 }) }), sample({}), QUIET_DURING);
    expect(elsewhere.loaded).toBe(false);
  });
  it('without /proc there is nothing to judge by, and the line says so', () => {
    const none: CpuWindow = { othersCores: null, stealPercent: null };
    const r = judgeLoad(sample({ spread: 1.6, idle: none, loop: none }), sample({ idle: none, loop: none }), none);
    expect(r).toMatchObject({ judged: false, loaded: false });
    expect(describeLoad(r)).toMatch(/^Machine load not judged \(no \/proc on this platform\): /);
  });
  it('says every figure the probe took, counted or not', () => {
    const line = describeLoad(judgeLoad(sample({}), sample({ spread: 1.42 }), QUIET_DURING));
    expect(line).toContain("other processes' CPU 0.02 cores idle / 0 cores probing before, 0.01 cores during");
    expect(line).toContain('steal 0 % / 0 % before, 0 % during');
    expect(line).toContain('CPU probe 80 ms (spread 1.05x) before, 80 ms (spread 1.42x) after');
    expect(line).toContain('load average 1.87 2.3 3.53 before');
  });
});
