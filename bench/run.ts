/**
 * `pnpm bench`: every figure against its baseline in the same run; writes bench/results.json,
 * bench/results.md and the table in the README. `pnpm bench -- --only=gas,sync` runs a subset (its
 * figures replace theirs in the last results; the others keep the date of the run that measured them).
 * A load probe runs before and after (bench/lib/load-probe.ts), so a loaded machine is reported as such.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchFigures } from './figures/batch.js';
import { checkpointAppFigures } from './figures/checkpoint-app.js';
import { coldStartFigures } from './figures/cold-start.js';
import { gasFigures } from './figures/gas.js';
import { issuanceFigures } from './figures/issuance.js';
import { qrFigures } from './figures/qr.js';
import { replicaFigures } from './figures/replicas.js';
import { syncSizeFigures } from './figures/sync-size.js';
import { verifyFigures } from './figures/verify.js';
import { cpuMark, describeLoad, judgeLoad, othersCores, probeLoad, stealPercent } from './lib/load-probe.js';
import type { LoadReport, LoadSample } from './lib/load-probe.js';
import { machine, markdownTable } from './lib/results.js';
import type { Figure } from './lib/results.js';
import { judged } from './lib/targets.js';

const here = dirname(fileURLToPath(import.meta.url));

const suites: Record<string, () => Promise<Figure[]>> = {
  verify: verifyFigures,
  issuance: issuanceFigures,
  batch: batchFigures,
  replicas: replicaFigures,
  sync: syncSizeFigures,
  gas: gasFigures,
  qr: qrFigures,
  'cold-start': coldStartFigures,
  'checkpoint-app': checkpointAppFigures,
};

/**
 * Suites whose own processes run outside this process tree, so the probe counts them as "other
 * processes": pg_ctl forks PostgreSQL away (replicas), and Chromium's renderer and GPU processes are not
 * children this process waits for (checkpoint-app: 1.04 cores "others" on an otherwise idle machine).
 */
const SUITES_WITH_DAEMONS = new Set(['replicas', 'checkpoint-app']);

/** Figures whose name changed (old -> new), so a partial run does not keep the old row beside the new one. */
const RENAMED_FIGURES: Record<string, string> = {
  'Durable issuance, sustained over 100,000 credentials': 'Durable issuance, 32 concurrent callers, sustained over 100,000 credentials',
};

const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const selected = onlyArg ? onlyArg.split(',') : Object.keys(suites);
const unknown = selected.filter((s) => !(s in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const figures: Figure[] = [];
const startedAt = new Date().toISOString();
const probeLine = (s: LoadSample): string =>
  `other processes ${s.idle.othersCores ?? 'n/a'} cores idle / ${s.loop.othersCores ?? 'n/a'} probing, steal ${s.idle.stealPercent ?? 'n/a'} / ${s.loop.stealPercent ?? 'n/a'} %, CPU loop ${s.probeMs} ms (spread ${s.spread}x), load average ${s.loadavg?.join(' ') ?? 'n/a'}`;
const before = await probeLoad();
console.log(`bench: load probe before: ${probeLine(before)}`);
const started = performance.now();
// Steal is the hypervisor's, not any process's: judged over the whole run, daemons or not.
const runStart = cpuMark();
// Other processes' CPU per suite. A suite that starts daemons (pg_ctl forks PostgreSQL away from this
// process tree) cannot tell them from other work, so its window is shown but not judged.
const othersPerSuite: { name: string; seconds: number; cores: number | null; judged: boolean }[] = [];
for (const name of selected) {
  const t = performance.now();
  process.stdout.write(`bench: ${name} ... `);
  const mark = cpuMark();
  const out = await suites[name]!();
  const others = othersCores(mark, cpuMark());
  figures.push(...out);
  othersPerSuite.push({ name, seconds: (performance.now() - t) / 1000, cores: others, judged: !SUITES_WITH_DAEMONS.has(name) });
  process.stdout.write(`${((performance.now() - t) / 1000).toFixed(1)} s (other processes ${others ?? 'n/a'} cores${SUITES_WITH_DAEMONS.has(name) ? ', includes its own servers or browser: not judged' : ''})\n`);
  for (const f of out) {
    const ratio = f.ratio === null ? '' : `  (${f.ratio}x ${f.baseline})`;
    const met = f.met === null ? '' : f.met ? '  target met' : `  TARGET NOT MET (${f.target})`;
    console.log(`  ${f.name}: ${f.value} ${f.unit}${ratio}${met}`);
  }
}
const judgedSuites = othersPerSuite.filter((s) => s.judged && s.cores !== null);
const judgedSeconds = judgedSuites.reduce((a, s) => a + s.seconds, 0);
const othersDuring = judgedSeconds > 0 ? Math.round((judgedSuites.reduce((a, s) => a + s.cores! * s.seconds, 0) / judgedSeconds) * 100) / 100 : null;
const stealDuring = stealPercent(runStart, cpuMark());
const after = await probeLoad();
const load: LoadReport = judgeLoad(before, after, { othersCores: othersDuring, stealPercent: stealDuring });
console.log(`bench: load probe after: ${probeLine(after)}; during the run: other processes ${othersDuring ?? 'n/a'} cores, steal ${stealDuring ?? 'n/a'} %`);
console.log(`bench: ${describeLoad(load)}`);
for (const f of figures) f.measured = { date: startedAt, loaded: load.judged ? load.loaded : null };

// A partial run (--only) updates its figures in the last full results instead of replacing them.
let merged = figures;
let previousMachine: unknown;
if (onlyArg) {
  try {
    const previous = JSON.parse(await readFile(join(here, 'results.json'), 'utf8')) as { machine?: { date?: string }; figures?: Figure[] };
    previousMachine = previous.machine;
    const fresh = new Map(figures.map((f) => [f.name, f]));
    // Figures from older runs keep their run's date; ones from before the load probe say so; a figure
    // renamed since is replaced by its successor when this run measured it.
    const kept = (previous.figures ?? []).filter((f) => !fresh.has(RENAMED_FIGURES[f.name] ?? '')).map((f) => fresh.get(f.name) ?? { ...f, measured: f.measured ?? { date: previous.machine?.date ?? 'unknown', loaded: null } });
    merged = [...kept, ...figures.filter((f) => !kept.includes(f))];
  } catch {
    merged = figures;
  }
}
// Every figure is judged by today's targets, including those kept from an earlier run.
merged = merged.map(judged);
const results = { machine: { ...machine(), load }, ...(previousMachine === undefined ? {} : { previousRun: previousMachine }), figures: merged };
const table = markdownTable(merged);
await writeFile(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(here, 'results.md'), `${table}\n\n${describeLoad(load)}\n`);
// The README's performance section shows the same table, between its markers.
const readmePath = join(here, '..', 'README.md');
const readme = await readFile(readmePath, 'utf8');
const open = '<!-- bench-results -->';
const close = '<!-- /bench-results -->';
const a = readme.indexOf(open);
const b = readme.indexOf(close);
if (a >= 0 && b > a) {
  const m = machine();
  const body = `${table}\n\nLast run ${startedAt.slice(0, 10)} on ${String(m.cores)} cores (${String(m.cpu)}), Node ${String(m.node)}: ${describeLoad(load)} "measured" gives each figure's run (a partial run keeps older figures).`;
  await writeFile(readmePath, `${readme.slice(0, a + open.length)}\n${body}\n${readme.slice(b)}`);
}
console.log(`bench: ${figures.length} figures in ${((performance.now() - started) / 1000).toFixed(1)} s -> bench/results.json, bench/results.md`);
