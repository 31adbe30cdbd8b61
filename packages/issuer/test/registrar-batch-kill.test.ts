// A real `cradle registrar issue-batch` process killed with SIGKILL while many rows are in flight
// (the batch is pipelined: rows sign while earlier ones commit), then run again: every row is issued
// exactly once, none is skipped, and the re-run's report agrees with what the killed run stored.
// Part of the registrar suite, so it runs on SQLite and, in vitest's `postgres` project, on PostgreSQL.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { cradleWithSecret, devChainWithLedgerFile } from '../../cli/test/helpers/e2e.js';
import { BIN, REPO } from '../../cli/test/helpers/run-cradle.js';
import { databaseFor, queryDatabase } from './helpers.js';

const SECRET = 'cli-batch-kill-secret-0123456789';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
/** Rows in the file: far more than the process can issue between two polls, so the kill lands mid-run. */
const ROWS = 2_000;
/** Credentials stored by the batch after which the process is killed. */
const KILL_AFTER = 100;

let devChain: DevChain;
let dir: string;
let home: string;

const { cradle, ok } = cradleWithSecret(SECRET);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-batch-kill-'));
  home = join(dir, 'registrar');
  const { chain, ledgerFile } = await devChainWithLedgerFile(dir);
  devChain = chain;
  const { database } = await databaseFor(home);
  await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', home, ...(database === undefined ? [] : ['--database', database])]);
}, 240_000);

afterAll(async () => {
  await devChain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** examples/data/children.csv's rows, repeated to `count` rows with distinct registration numbers KILL-000001…. */
async function campaign(count: number): Promise<string> {
  const lines = (await readFile(join(REPO, 'examples/data/children.csv'), 'utf8')).trim().split('\n');
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const src = lines[1 + (i % (lines.length - 1))]!.split(',');
    src[0] = CHILD;
    src[9] = `KILL-${String(i + 1).padStart(6, '0')}`; // registrationNumber
    rows.push(src.join(','));
  }
  return `${lines[0]}\n${rows.join('\n')}\n`;
}

/** The batch's credentials stored so far. */
async function storedCount(batchId: string): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM cradle_credential WHERE batch_id = ?', [batchId]);
  return Number(row!.n);
}

describe('cradle registrar issue-batch, killed with SIGKILL mid-run', () => {
  it(`${ROWS} rows: killed after ${KILL_AFTER} stored, then run again: every row issued exactly once, none skipped, resumedFrom = what was stored`, async () => {
    const text = await campaign(ROWS);
    const input = join(dir, 'campaign.csv');
    await writeFile(input, text);
    const batchId = createHash('sha256').update(text).digest('hex');
    const env = { ...process.env, CRADLE_SECRET: SECRET };

    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, 'registrar', 'issue-batch', '--home', home, '--input', input, '--json'], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve, reject) => {
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    // Poll the database (as an auditor would, from another connection) until the batch has stored enough.
    let atKill = 0;
    while (child.exitCode === null && child.signalCode === null) {
      atKill = await storedCount(batchId);
      if (atKill >= KILL_AFTER) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited;
    expect(child.signalCode, `the batch ended before it was killed (raise ROWS): ${stderr}`).toBe('SIGKILL');

    // What the killed run left: a contiguous recorded prefix, every row of it stored, nothing twice.
    const [batch] = await queryDatabase<{ last_row: number; issued: number; completed_at: string | null }>(home, 'SELECT last_row, issued, completed_at FROM cradle_batch WHERE id = ?', [batchId]);
    const stored = await storedCount(batchId);
    expect(stored).toBeGreaterThanOrEqual(atKill);
    expect(stored).toBeLessThan(ROWS);
    expect(batch!.completed_at).toBeNull();
    expect(batch!.issued).toBe(stored);
    const [upTo] = await queryDatabase<{ n: number }>(home, 'SELECT COUNT(DISTINCT batch_row) AS n FROM cradle_credential WHERE batch_id = ? AND batch_row <= ?', [batchId, batch!.last_row]);
    expect(Number(upTo!.n)).toBe(batch!.last_row);
    const twice = await queryDatabase<{ registration_number: string }>(home, 'SELECT registration_number FROM cradle_credential GROUP BY registration_number HAVING COUNT(*) > 1');
    expect(twice).toEqual([]);

    // The re-run: the report agrees with what was stored, and every row now has exactly one credential.
    const rerun = await cradle(['registrar', 'issue-batch', '--home', home, '--input', input, '--json']);
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    const report = JSON.parse(rerun.stdout) as { total: number; issued: number; newlyIssued: number; resumedFrom: number; rejected: number; credentials: { row: number; alreadyIssued: boolean }[] };
    expect([report.total, report.issued, report.rejected]).toEqual([ROWS, ROWS, 0]);
    expect([report.resumedFrom, report.newlyIssued]).toEqual([stored, ROWS - stored]);
    expect(report.credentials.map((c) => c.row)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    const perRegistration = await queryDatabase<{ registration_number: string; n: number }>(
      home,
      'SELECT registration_number, COUNT(*) AS n FROM cradle_credential WHERE batch_id = ? GROUP BY registration_number ORDER BY registration_number',
      [batchId],
    );
    expect(perRegistration.map((r) => [r.registration_number, Number(r.n)])).toEqual(Array.from({ length: ROWS }, (_, i) => [`KILL-${String(i + 1).padStart(6, '0')}`, 1]));
    const [after] = await queryDatabase<{ last_row: number; issued: number; completed_at: string | null }>(home, 'SELECT last_row, issued, completed_at FROM cradle_batch WHERE id = ?', [batchId]);
    expect([after!.last_row, after!.issued, after!.completed_at === null]).toEqual([ROWS, ROWS, false]);
    const shared = await queryDatabase<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM cradle_status_allocation GROUP BY list_name, idx HAVING COUNT(*) > 1');
    expect(shared).toEqual([]);
  }, 300_000);
});
