/**
 * `pnpm bench`: every figure against its baseline in the same run; writes bench/results.json and
 * bench/results.md. `pnpm bench -- --only gas,sync` runs a subset.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldStartFigures } from './figures/cold-start.js';
import { gasFigures } from './figures/gas.js';
import { issuanceFigures } from './figures/issuance.js';
import { qrFigures } from './figures/qr.js';
import { syncSizeFigures } from './figures/sync-size.js';
import { verifyFigures } from './figures/verify.js';
import { machine, markdownTable } from './lib/results.js';
import type { Figure } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));

const suites: Record<string, () => Promise<Figure[]>> = {
  verify: verifyFigures,
  issuance: issuanceFigures,
  sync: syncSizeFigures,
  gas: gasFigures,
  qr: qrFigures,
  'cold-start': coldStartFigures,
};

const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const selected = onlyArg ? onlyArg.split(',') : Object.keys(suites);
const unknown = selected.filter((s) => !(s in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const figures: Figure[] = [];
const started = performance.now();
for (const name of selected) {
  const t = performance.now();
  process.stdout.write(`bench: ${name} ... `);
  const out = await suites[name]!();
  figures.push(...out);
  process.stdout.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  for (const f of out) {
    const ratio = f.ratio === null ? '' : `  (${f.ratio}x ${f.baseline})`;
    const met = f.met === null ? '' : f.met ? '  target met' : `  TARGET NOT MET (${f.target})`;
    console.log(`  ${f.name}: ${f.value} ${f.unit}${ratio}${met}`);
  }
}
// A partial run (--only) updates its figures in the last full results instead of replacing them.
let merged = figures;
if (onlyArg) {
  try {
    const previous = JSON.parse(await readFile(join(here, 'results.json'), 'utf8')) as { figures?: Figure[] };
    const fresh = new Map(figures.map((f) => [f.name, f]));
    const kept = (previous.figures ?? []).map((f) => fresh.get(f.name) ?? f);
    merged = [...kept, ...figures.filter((f) => !kept.includes(f))];
  } catch {
    merged = figures;
  }
}
const results = { machine: machine(), figures: merged };
await writeFile(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(here, 'results.md'), `${markdownTable(merged)}\n`);
console.log(`bench: ${figures.length} figures in ${((performance.now() - started) / 1000).toFixed(1)} s -> bench/results.json, bench/results.md`);
