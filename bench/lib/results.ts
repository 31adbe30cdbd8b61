import { cpus, totalmem, arch, platform } from 'node:os';
import { judged } from './targets.js';

/** One benchmark figure, as written to `bench/results.json`. Baseline fields are null where there is none. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  /** value / baselineValue (for "lower is better" units the target says which way). */
  ratio: number | null;
  /** The target in words, e.g. ">= 10x Veramo", or null. */
  target: string | null;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
  /** Free-form context: sizes, counts, p50/p99. */
  notes?: string;
  /** When the run that measured it started, and whether the machine was loaded then. */
  measured?: { date: string; loaded: boolean | null };
}

/** Build a figure, computing the ratio and judging it against its target (bench/lib/targets.ts). */
export function figure(f: Omit<Figure, 'ratio' | 'met' | 'target' | 'measured'>): Figure {
  const ratio = f.baselineValue !== null && f.baselineValue !== 0 ? round(f.value / f.baselineValue, 3) : null;
  return judged({ ...f, value: round(f.value, 3), ratio, target: null, met: null });
}

export function round(x: number, digits = 2): number {
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}

export function machine(): Record<string, unknown> {
  const c = cpus();
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    date: new Date().toISOString(),
  };
}

/** Render figures as a Markdown table (for the README's performance section). */
export function markdownTable(figures: readonly Figure[]): string {
  const fmt = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const when = (f: Figure): string =>
    f.measured === undefined ? '—' : `${f.measured.date.slice(0, 10)}${f.measured.loaded === true ? ' (loaded)' : f.measured.loaded === null ? ' (load not probed)' : ''}`;
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ?? '—'} | ${f.baselineValue === null ? '—' : `${fmt(f.baselineValue)} ${f.unit}`} | ${f.ratio === null ? '—' : `${fmt(f.ratio)}x`} | ${f.target ?? '—'} | ${f.met === null ? '—' : f.met ? 'yes' : '**no**'} | ${when(f)} |`,
  );
  return ['| figure | value | baseline | baseline value | ratio | target | met | measured |', '| --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
