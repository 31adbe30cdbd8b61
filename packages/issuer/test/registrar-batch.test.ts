import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { IssuanceGroupCommit } from '../src/issuance-group-commit.js';
import { createRegistrar } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { BASE_URL, CHILD, GUARDIAN, SECRET, TestClock, chain, databaseFor, initRegistrar, queryDatabase, querySqlite, tempHome } from './helpers.js';

const DATA = fileURLToPath(new URL('../../../examples/data/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let devChain: DevChain;
let home: string;
let cleanup: () => void;
const clock = new TestClock();

async function open(): Promise<Registrar> {
  return createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now });
}

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  await (await initRegistrar(devChain, home, { now: clock.now })).close();
});

afterAll(async () => {
  await devChain?.stop();
  cleanup?.();
});

/**
 * Rows of the kill (-9) test's file. Progress comes every 128 rows (the batch's record step) and the
 * child is killed at the first report: the rows after it must take far longer than the kill takes to
 * land, even on a loaded machine, or the child would finish first.
 */
const CRASH_ROWS = 2_000;

describe('issueBatch', () => {
  it('rejects bad rows with row, field and message, and still issues the good ones', async () => {
    const registrar = await open();
    try {
      const report = await registrar.issueBatch({ input: join(DATA, 'children-with-errors.csv'), assignDids: true });
      expect(report.total).toBe(10);
      expect(report.issued).toBe(3);
      expect(report.rejected).toBe(7);
      expect(report.credentials.map((c) => c.row)).toEqual([1, 2, 3]);
      expect(report.credentials.every((c) => c.assignedDid && c.subject.startsWith('did:key:z6Mk'))).toBe(true);
      const firstField = new Map<number, string>();
      for (const r of report.rejections) if (!firstField.has(r.row)) firstField.set(r.row, r.field);
      expect(Object.fromEntries(firstField)).toEqual({
        4: 'givenName',
        5: 'placeOfBirth.country',
        6: 'birthDate',
        7: 'registrationDate',
        8: 'sex',
        9: 'parents[0].reference',
        10: 'birthDate',
      });
      for (const r of report.rejections) expect(r.message.length).toBeGreaterThan(0);
      // The custodial keys are in their own file, not in the registrar's keystore.
      const custody = await querySqlite<{ n: number }>(join(home, 'custody.sqlite'), 'SELECT COUNT(*) AS n FROM "private-key"');
      expect(custody[0]!.n).toBe(3);
      const own = await queryDatabase<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM "private-key"');
      expect(own[0]!.n).toBe(3);
      // Running the same file again issues nothing new; the rejected rows are tried (and rejected) again.
      const again = await registrar.issueBatch({ input: join(DATA, 'children-with-errors.csv'), assignDids: true });
      expect(again.resumedFrom).toBe(3);
      expect(again.newlyIssued).toBe(0);
      expect(again.rejected).toBe(7);
      expect(again.credentials).toEqual(report.credentials.map((c) => ({ ...c, alreadyIssued: true })));
    } finally {
      await registrar.close();
    }
  });

  it('without childDid and without assignDids, rows are rejected naming childDid', async () => {
    const registrar = await open();
    try {
      const file = join(home, 'two.csv');
      const lines = readFileSync(join(DATA, 'children.csv'), 'utf8').split('\n');
      writeFileSync(file, `${[lines[0], lines[5], lines[6]].join('\n')}\n`); // rows not issued by the test above
      const report = await registrar.issueBatch({ input: file });
      expect(report.issued).toBe(0);
      expect(report.rejections.map((r) => r.field)).toEqual(['childDid', 'childDid']);
    } finally {
      await registrar.close();
    }
  });

  it('JSON-lines input: { childDid, claims } per line', async () => {
    const registrar = await open();
    try {
      const file = join(home, 'children.jsonl');
      const claims = JSON.parse(readFileSync(join(DATA, 'birth-registration.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(file, [JSON.stringify({ childDid: CHILD, claims }), 'not json', JSON.stringify({ childDid: CHILD, claims: { ...claims, sex: 'F' } })].join('\n'));
      const report = await registrar.issueBatch({ input: file });
      expect(report.issued).toBe(1);
      expect(report.rejections.map((r) => [r.row, r.field])).toEqual([
        [2, 'line'],
        [3, 'sex'],
      ]);
    } finally {
      await registrar.close();
    }
  });

  it('killed (-9) in the middle: the rerun skips done rows, reuses no index and loses no credential', async () => {
    const lines = readFileSync(join(DATA, 'children.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!;
    const rows: string[] = [];
    for (let i = 0; i < CRASH_ROWS; i++) {
      const src = lines[1 + (i % (lines.length - 1))]!.split(',');
      src[0] = CHILD;
      src[9] = `CRASH-2026-${String(i).padStart(6, '0')}`; // registrationNumber: every row distinct
      rows.push(src.join(','));
    }
    const input = join(home, 'campaign.csv');
    writeFileSync(input, `${header}\n${rows.join('\n')}\n`);

    const childDatabase = await childDatabaseEnv(home);
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/batch-child.ts', import.meta.url)), home, input], {
      cwd: REPO,
      env: { ...process.env, CRADLE_SECRET: SECRET, CRADLE_TEST_LEDGER: JSON.stringify(devChain.config), ...childDatabase },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastReported = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) if (line !== '') lastReported = Number(line);
        if (lastReported >= 60 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(child.signalCode, stderr).toBe('SIGKILL');
    expect(lastReported).toBeGreaterThanOrEqual(60);
    expect(lastReported).toBeLessThan(CRASH_ROWS);

    const [batch] = await queryDatabase<{ id: string; last_row: number; issued: number }>(home, 'SELECT id, last_row, issued FROM cradle_batch WHERE path = ?', [input]);
    // Every row reported done before the kill is in the record, and every row up to the record is stored
    // (the record is the contiguous prefix; rows after it may have committed out of order).
    expect(batch!.last_row).toBeGreaterThanOrEqual(lastReported);
    const [stored] = await queryDatabase<{ n: number; upTo: number }>(home, 'SELECT COUNT(*) AS n, COUNT(CASE WHEN batch_row <= ? THEN 1 END) AS "upTo" FROM cradle_credential WHERE batch_id = ?', [
      batch!.last_row,
      batch!.id,
    ]);
    expect(Number(stored!.upTo)).toBe(batch!.last_row);
    expect(Number(stored!.n)).toBeGreaterThanOrEqual(batch!.last_row);
    // The issued counter is written by the credential's own INSERT: it matches the credentials exactly.
    expect(batch!.issued).toBe(Number(stored!.n));

    const registrar = await open();
    try {
      const report = await registrar.issueBatch({ input });
      expect(report.resumedFrom).toBe(Number(stored!.n));
      expect(report.newlyIssued).toBe(CRASH_ROWS - Number(stored!.n));
      expect(report.issued).toBe(CRASH_ROWS);
      expect(report.credentials.map((c) => c.row)).toEqual(Array.from({ length: CRASH_ROWS }, (_, i) => i + 1));
    } finally {
      await registrar.close();
    }
    const dupes = await queryDatabase<{ n: number }>(home,
      'SELECT COUNT(*) AS n FROM (SELECT revocation_list, revocation_index FROM cradle_credential GROUP BY 1, 2 HAVING COUNT(*) > 1) AS d',
    );
    expect(dupes[0]!.n).toBe(0);
    const [counts] = await queryDatabase<{ creds: number; allocs: number; distinctAllocs: number }>(home,
      'SELECT (SELECT COUNT(*) FROM cradle_credential) AS creds, (SELECT COUNT(*) FROM cradle_status_allocation) AS allocs, (SELECT COUNT(DISTINCT list_name || \'#\' || idx) FROM cradle_status_allocation) AS "distinctAllocs"',
    );
    expect(counts!.allocs).toBe(counts!.creds * 2);
    expect(counts!.distinctAllocs).toBe(counts!.allocs);
  });
});

/** The environment that points batch-child.ts at the suite's database (PostgreSQL), or nothing (SQLite in home). */
async function childDatabaseEnv(home: string): Promise<Record<string, string>> {
  const { database } = await databaseFor(home);
  return database === undefined ? {} : { CRADLE_TEST_DATABASE_URL: database };
}

/** `count` rows of examples/data/children.csv with distinct registration numbers `<prefix>-000001…`. */
function campaign(prefix: string, count: number, childDid: string = CHILD): { header: string; rows: string[][] } {
  const lines = readFileSync(join(DATA, 'children.csv'), 'utf8').trim().split('\n');
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const src = lines[1 + (i % (lines.length - 1))]!.split(',');
    src[0] = childDid;
    src[9] = `${prefix}-${String(i + 1).padStart(6, '0')}`;
    rows.push(src);
  }
  return { header: lines[0]!, rows };
}

function writeCsv(path: string, header: string, rows: string[][]): string {
  writeFileSync(path, `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return path;
}

describe('a row is identified by its registration (office + number), not by the file', () => {
  it('re-running a corrected file issues only the corrected row: every registration has exactly one credential', async () => {
    const { header, rows } = campaign('FIX', 6);
    const [birthDate, sex] = [rows[2]![3]!, rows[4]![4]!];
    rows[2]![3] = '2020-13-45'; // birthDate: rejected
    rows[4]![4] = 'F'; // sex: rejected
    const registrar = await open();
    try {
      const first = await registrar.issueBatch({ input: writeCsv(join(home, 'fix-1.csv'), header, rows) });
      expect([first.newlyIssued, first.rejected]).toEqual([4, 2]);
      rows[2]![3] = birthDate;
      rows[4]![4] = sex;
      const corrected = await registrar.issueBatch({ input: writeCsv(join(home, 'fix-2.csv'), header, rows) });
      expect(corrected.batchId).not.toBe(first.batchId);
      expect([corrected.newlyIssued, corrected.resumedFrom, corrected.rejected]).toEqual([2, 4, 0]);
      expect(corrected.credentials.filter((c) => !c.alreadyIssued).map((c) => c.row)).toEqual([3, 5]);
      // The same registrations in another file (rows reordered) issue nothing either.
      const shuffled = await registrar.issueBatch({ input: writeCsv(join(home, 'fix-3.csv'), header, [...rows].reverse()) });
      expect([shuffled.newlyIssued, shuffled.resumedFrom]).toEqual([0, 6]);
    } finally {
      await registrar.close();
    }
    const keys = await queryDatabase<{ n: number }>(home, `SELECT COUNT(*) AS n FROM cradle_credential WHERE row_key IS NOT NULL GROUP BY row_key HAVING COUNT(*) > 1`);
    expect(keys).toEqual([]);
  });

  it('two processes running one 300-row file at the same time: each registration gets exactly one credential', async () => {
    const { header, rows } = campaign('TWIN', 300);
    const input = writeCsv(join(home, 'twin.csv'), header, rows);
    const childDatabase = await childDatabaseEnv(home);
    const runs = [0, 1].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/batch-child.ts', import.meta.url)), home, input], {
            cwd: REPO,
            env: { ...process.env, CRADLE_SECRET: SECRET, CRADLE_TEST_LEDGER: JSON.stringify(devChain.config), ...childDatabase },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stderr }));
        }),
    );
    for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
    const [batch] = await queryDatabase<{ id: string }>(home, 'SELECT id FROM cradle_batch WHERE path = ?', [input]);
    const [{ n, keys }] = (await queryDatabase<{ n: number; keys: number }>(home, 'SELECT COUNT(*) AS n, COUNT(DISTINCT row_key) AS keys FROM cradle_credential WHERE batch_id = ?', [batch!.id])) as [
      { n: number; keys: number },
    ];
    expect([n, keys]).toEqual([300, 300]);
  }, 240_000);

  it('a run where every row was rejected; the re-run with assignDids issues them all', async () => {
    const { header, rows } = campaign('ALLREJ', 3, '');
    const input = writeCsv(join(home, 'all-rejected.csv'), header, rows);
    const registrar = await open();
    try {
      const first = await registrar.issueBatch({ input });
      expect([first.issued, first.rejected]).toEqual([0, 3]);
      const again = await registrar.issueBatch({ input, assignDids: true });
      expect([again.newlyIssued, again.rejected]).toEqual([3, 0]);
      expect(again.credentials.every((c) => c.assignedDid && c.subject.startsWith('did:key:'))).toBe(true);
    } finally {
      await registrar.close();
    }
  });

  it('a revoked credential does not block re-issuing its registration', async () => {
    const { header, rows } = campaign('REISSUE', 1);
    const input = writeCsv(join(home, 'reissue.csv'), header, rows);
    const registrar = await open();
    try {
      const first = await registrar.issueBatch({ input });
      await registrar.revoke(first.credentials[0]!.id);
      const second = await registrar.issueBatch({ input });
      expect(second.newlyIssued).toBe(1);
      expect(second.credentials[0]!.id).not.toBe(first.credentials[0]!.id);
    } finally {
      await registrar.close();
    }
  });
});

describe('pipelined: many rows in flight, the same guarantees as row by row', () => {
  /** Runs `batch` while counting the credentials waiting for their commit at once (signed, not yet stored). */
  async function inFlight<T>(batch: () => Promise<T>): Promise<{ result: T; stores: number; mostWaiting: number }> {
    const store = IssuanceGroupCommit.prototype.store;
    let waiting = 0;
    let mostWaiting = 0;
    let stores = 0;
    const spy = vi.spyOn(IssuanceGroupCommit.prototype, 'store').mockImplementation(function (this: IssuanceGroupCommit, ...args) {
      stores += 1;
      mostWaiting = Math.max(mostWaiting, ++waiting);
      return store.apply(this, args).finally(() => (waiting -= 1));
    });
    try {
      return { result: await batch(), stores, mostWaiting };
    } finally {
      spy.mockRestore();
    }
  }

  it('rows are signed while earlier rows commit, so their commits group; concurrency 1 is row by row', async () => {
    const { header, rows } = campaign('PIPE', 64);
    const registrar = await open();
    try {
      const piped = await inFlight(() => registrar.issueBatch({ input: writeCsv(join(home, 'pipe.csv'), header, rows) }));
      expect([piped.result.newlyIssued, piped.stores]).toEqual([64, 64]);
      expect(piped.mostWaiting).toBeGreaterThan(1);
      const { header: h1, rows: r1 } = campaign('SERIAL', 8);
      const serial = await inFlight(() => registrar.issueBatch({ input: writeCsv(join(home, 'serial.csv'), h1, r1), concurrency: 1 }));
      expect([serial.result.newlyIssued, serial.mostWaiting]).toEqual([8, 1]);
    } finally {
      await registrar.close();
    }
  });

  it('progress is reported in row order, each row once, never ahead of the recorded last_row, which is written every 128 rows', async () => {
    const { header, rows } = campaign('ORDER', 90);
    // Every third row without a DID: assigned in custody first, so rows finish out of order.
    for (let i = 0; i < rows.length; i += 3) rows[i]![0] = '';
    const input = writeCsv(join(home, 'order.csv'), header, rows);
    const registrar = await open();
    const reported: number[] = [];
    const recordedAtReport: Promise<[number, number]>[] = [];
    // A burst: the reports of one record, delivered together (one synchronous run of onProgress calls).
    let bursts = 0;
    let inBurst = false;
    try {
      const report = await registrar.issueBatch({
        input,
        assignDids: true,
        onProgress: (p) => {
          if (!inBurst) {
            inBurst = true;
            bursts += 1;
            queueMicrotask(() => (inBurst = false));
          }
          reported.push(p.done);
          if (p.done % 15 === 0) recordedAtReport.push(queryDatabase<{ last_row: number }>(home, 'SELECT last_row FROM cradle_batch WHERE path = ?', [input]).then(([b]) => [p.done, b!.last_row]));
          expect([p.total, p.issued + p.rejected]).toEqual([90, p.done]);
        },
      });
      expect(report.credentials.map((c) => c.row)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      expect(report.credentials.map((c) => c.assignedDid)).toEqual(rows.map((r) => r[0] === ''));
    } finally {
      await registrar.close();
    }
    expect(reported).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    // last_row is written once per 128 done rows and at the end, not once per commit: 90 rows, one record.
    expect(bursts).toBe(1);
    for (const [done, lastRow] of await Promise.all(recordedAtReport)) expect(lastRow).toBeGreaterThanOrEqual(done);
    const [batch] = await queryDatabase<{ last_row: number; issued: number }>(home, 'SELECT last_row, issued FROM cradle_batch WHERE path = ?', [input]);
    expect([batch!.last_row, batch!.issued]).toEqual([90, 90]);
  });

  it('a registration twice in one file is signed and stored once: the later row reports the earlier row\'s credential', async () => {
    const { header, rows } = campaign('TWICE', 6);
    rows[4] = [GUARDIAN, ...rows[1]!.slice(1)]; // row 5 repeats row 2's registration (office and number), for another child
    const registrar = await open();
    try {
      const { result, stores } = await inFlight(() => registrar.issueBatch({ input: writeCsv(join(home, 'twice.csv'), header, rows) }));
      expect(stores).toBe(5);
      expect([result.newlyIssued, result.resumedFrom]).toEqual([5, 1]);
      const [second, fifth] = [result.credentials[1]!, result.credentials[4]!];
      expect([fifth.row, fifth.id, fifth.subject, fifth.alreadyIssued]).toEqual([5, second.id, CHILD, true]);
    } finally {
      await registrar.close();
    }
  });

  it('a row whose issuance fails stops the batch: the rows before it are recorded, and the re-run issues the rest once', async () => {
    const { header, rows } = campaign('STOP', 40);
    rows[19]![0] = 'did:web:clinic.example'; // row 20: sd-jwt-vc binds to the child's did:key, so issuing it throws
    const input = writeCsv(join(home, 'stop.csv'), header, rows);
    const registrar = await open();
    try {
      await expect(registrar.issueBatch({ input, format: 'sd-jwt-vc' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      const [batch] = await queryDatabase<{ last_row: number; completed_at: string | null }>(home, 'SELECT last_row, completed_at FROM cradle_batch WHERE path = ?', [input]);
      expect([batch!.last_row, batch!.completed_at]).toEqual([19, null]);
      rows[19]![0] = CHILD;
      const fixed = await registrar.issueBatch({ input: writeCsv(join(home, 'stop-fixed.csv'), header, rows), format: 'sd-jwt-vc' });
      expect(fixed.issued).toBe(40);
      expect(fixed.resumedFrom).toBeGreaterThanOrEqual(19);
    } finally {
      await registrar.close();
    }
    const perRegistration = await queryDatabase<{ n: number }>(home, "SELECT COUNT(*) AS n FROM cradle_credential WHERE registration_number LIKE 'STOP-%' GROUP BY registration_number");
    expect(perRegistration.map((r) => Number(r.n))).toEqual(Array.from({ length: 40 }, () => 1));
  });

  it('an input that cannot be read or is not CSV is INVALID_ARGUMENT naming the file and why, and nothing is recorded', async () => {
    const registrar = await open();
    const dir = tempHome();
    try {
      const unclosed = join(dir.home, 'unclosed.csv');
      const ragged = join(dir.home, 'ragged.csv');
      writeFileSync(unclosed, 'childDid,givenName\n"did:key:z6Mk,Amina\n');
      writeFileSync(ragged, 'childDid,givenName\ndid:key:z6Mk,Amina,extra\n');
      const cases: [string, RegExp][] = [
        [join(dir.home, 'missing.csv'), /missing\.csv: there is no such file\. Give a \.csv file/],
        [dir.home, /: it is a directory\./],
        [unclosed, /unclosed\.csv is not a CSV file a batch can read \(Quote Not Closed.*\): nothing was issued/],
        [ragged, /ragged\.csv is not a CSV file a batch can read \(Invalid Record Length.*line 2\)/],
      ];
      for (const [input, message] of cases) {
        await expect(registrar.issueBatch({ input })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message), details: { field: 'input' } });
      }
      const recorded = await queryDatabase<{ path: string }>(home, 'SELECT path FROM cradle_batch');
      expect(recorded.filter((r) => r.path.startsWith(dir.home))).toEqual([]);
    } finally {
      await registrar.close();
      dir.cleanup();
    }
  });

  it('concurrency must be a whole number of rows from 1 to 1024', async () => {
    const registrar = await open();
    try {
      for (const concurrency of [0, 1.5, 1025, Number.NaN]) {
        await expect(registrar.issueBatch({ input: join(DATA, 'children.csv'), concurrency })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'concurrency' } });
      }
    } finally {
      await registrar.close();
    }
  });
});
