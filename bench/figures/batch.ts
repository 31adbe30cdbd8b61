import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_CONCURRENCY } from '@cradle/issuer';
import type { Registrar } from '@cradle/issuer';
import { openBenchRegistrar } from '../lib/bench-registrar.js';
import { DATA_DIR, randomChildDids } from '../lib/cradle-world.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

/** Rows of the pipelined batch. */
const ROWS = Number(process.env.CRADLE_BENCH_BATCH ?? 20_000);
/** Rows of the same batch run row by row (concurrency 1), the same-run baseline. */
const ROW_BY_ROW = Math.min(ROWS, Number(process.env.CRADLE_BENCH_BATCH_SERIAL ?? 4_000));

/**
 * `registrar issue-batch` (the library's `issueBatch`, which the CLI calls) over a CSV of birth
 * registrations, each row a distinct registration with a child DID: the default pipeline (rows signed
 * while earlier rows commit, their commits grouped) against the same batch code with one row in flight,
 * in the same run and the same registrar. The row-by-row batch runs first, on the smaller database.
 */
export async function batchFigures(): Promise<Figure[]> {
  const { registrar, dir, close } = await openBenchRegistrar('cradle-bench-batch-');
  try {
    const template = await templateRows();
    const subjects = randomChildDids(1024);
    const rowByRow = await rate(registrar, await campaign(dir, 'ROWS', ROW_BY_ROW, template, subjects), 1);
    const pipelined = await rate(registrar, await campaign(dir, 'PIPE', ROWS, template, subjects), undefined);
    return [
      figure({
        name: `Batch issuance (registrar issue-batch), ${ROWS.toLocaleString('en-US')} rows`,
        value: round(pipelined, 0),
        unit: 'credentials/s',
        baseline: 'the same batch, one row at a time (same run)',
        baselineValue: round(rowByRow, 0),
        notes: `pipelined (${BATCH_CONCURRENCY} rows in flight, commits grouped); row by row over ${ROW_BY_ROW.toLocaleString('en-US')} rows; every credential committed before its row counts as done`,
      }),
    ];
  } finally {
    await close();
  }
}

/** Credentials per second of one batch over `input`; throws unless every row was issued now. */
async function rate(registrar: Registrar, input: { path: string; rows: number }, concurrency: number | undefined): Promise<number> {
  const started = performance.now();
  const report = await registrar.issueBatch({ input: input.path, ...(concurrency === undefined ? {} : { concurrency }) });
  const seconds = (performance.now() - started) / 1000;
  if (report.newlyIssued !== input.rows) throw new Error(`bench: batch issued ${report.newlyIssued} of ${input.rows} rows (${report.rejected} rejected)`);
  process.stdout.write(`\n    ${concurrency === 1 ? 'row by row' : 'pipelined'}: ${input.rows} rows in ${round(seconds, 1)} s`);
  return input.rows / seconds;
}

/** examples/data/children.csv: its header and data rows, split into columns. */
async function templateRows(): Promise<{ header: string; rows: string[][] }> {
  const lines = (await readFile(join(DATA_DIR, 'children.csv'), 'utf8')).trim().split('\n');
  return { header: lines[0]!, rows: lines.slice(1).map((l) => l.split(',')) };
}

/** A CSV of `count` rows: the sample rows in turn, each with a child DID and its own registration number. */
async function campaign(dir: string, prefix: string, count: number, template: { header: string; rows: string[][] }, subjects: readonly string[]): Promise<{ path: string; rows: number }> {
  const columns = template.header.split(',');
  const childDid = columns.indexOf('childDid');
  const number = columns.indexOf('registrationNumber');
  const lines = Array.from({ length: count }, (_, i) => {
    const row = [...template.rows[i % template.rows.length]!];
    row[childDid] = subjects[i % subjects.length]!;
    row[number] = `${prefix}-${String(i + 1).padStart(7, '0')}`;
    return row.join(',');
  });
  const path = join(dir, `${prefix.toLowerCase()}.csv`);
  await writeFile(path, `${template.header}\n${lines.join('\n')}\n`);
  return { path, rows: count };
}
