// Group commit of issuance (#21): concurrent issuances share one INSERT, each is acknowledged only
// after the statement carrying it committed, one row's failure is that row's alone, and a registrar
// killed (-9) while many callers issue has stored every credential it acknowledged.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAlertKeyPair } from '@cradle/core';
import type { DevChain } from '@cradle/ledger/devchain';
import { CREDENTIAL_COLUMNS, IssuanceGroupCommit, groupSize } from '../src/issuance-group-commit.js';
import type { CredentialRow } from '../src/issuance-group-commit.js';
import { SerialQueue } from '../src/serial-queue.js';
import { createRegistrar } from '../src/index.js';
import type { RegistrarStore } from '../src/storage/registrar-store.js';
import { uniqueViolationTable } from '../src/storage/registrar-store.js';
import { BASE_URL, CHILD, GUARDIAN, SECRET, chain, databaseFor, initRegistrar, openTestStore, queryDatabase, sampleClaims, tempHome } from './helpers.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
let devChain: DevChain;
const homes: (() => void)[] = [];

beforeAll(async () => {
  devChain = await chain();
});

afterAll(async () => {
  await devChain?.stop();
  for (const cleanup of homes) cleanup();
});

function home(): string {
  const t = tempHome();
  homes.push(t.cleanup);
  return t.home;
}

/** A credential row for `list` at `index` (the database checks the row, not the JWT inside it). */
function row(list: string, index: number, registration?: { key: string; subject: string }): CredentialRow {
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const values: Record<(typeof CREDENTIAL_COLUMNS)[number], unknown> = {
    id,
    subject: registration?.subject ?? CHILD,
    type: 'BirthRegistrationCredential',
    format: 'vc+jwt',
    jwt: `jwt-of-${id}`,
    revocation_list: list,
    revocation_index: index,
    suspension_list: null,
    suspension_index: null,
    alert_list: null,
    alert_index: null,
    batch_id: null,
    batch_row: null,
    row_key: null,
    issued_by: null,
    issued_by_key: null,
    registration_number: registration === undefined ? null : 'REG-1',
    registration_key: registration?.key ?? null,
    registration_duplicate: 0,
    created_at: '2026-11-23T10:00:00.000Z',
  };
  return CREDENTIAL_COLUMNS.map((c) => values[c]);
}

/** A migrated registrar database (the suite's: SQLite or PostgreSQL) with one status list, and a statement counter in front of it. */
async function database(): Promise<{ db: RegistrarStore; counting: { statements: number; query: RegistrarStore['query'] }; list: string }> {
  const db = await openTestStore(home());
  const list = 'a'.repeat(32);
  await db.query(`INSERT INTO "cradle_status_list" ("name", "url", "purpose", "length", "capacity", "bits", "created_at") VALUES (?, ?, 'revocation', 131072, 131072, ?, '2026-11-23')`, [list, `${BASE_URL}/status/${list}`, Buffer.alloc(16384)]);
  const counting = {
    statements: 0,
    query: <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
      counting.statements += 1;
      return db.query<T>(sql, params);
    },
  };
  return { db, counting, list };
}

describe('group commit', () => {
  it('rows stored while a commit is in flight go together in the next INSERTs, in halves above 16: 40 rows, 4 statements', async () => {
    const { db, counting, list } = await database();
    try {
      const sizes: number[] = [];
      const commits = new IssuanceGroupCommit(
        { query: (sql, params) => (sizes.push((params?.length ?? 0) / CREDENTIAL_COLUMNS.length), counting.query(sql, params)) },
        new SerialQueue(),
      );
      const rows = Array.from({ length: 40 }, (_, i) => row(list, i));
      await Promise.all(rows.map((r) => commits.store(r)));
      // The first alone, at once; of the 39 that arrived meanwhile half (20), then half of 19 (10), then 9.
      expect(sizes).toEqual([1, 20, 10, 9]);
      expect(counting.statements).toBe(4);
      const stored = await db.query<{ id: string }>('SELECT "credential_id" AS "id" FROM "cradle_status_allocation" ORDER BY "idx"');
      expect(stored.map((s) => s.id)).toEqual(rows.map((r) => r[0]));
      // Each row of a grouped INSERT still gets its own audit row from the trigger.
      const audited = await db.query<{ id: string }>('SELECT "credential_id" AS "id" FROM "cradle_audit" WHERE "action" = \'issue\' ORDER BY "seq"');
      expect(audited.map((a) => a.id).sort()).toEqual(rows.map((r) => r[0] as string).sort());
    } finally {
      await db.close();
    }
  });

  it('groups take half of what waits above 16 rows (at most 128), so the callers of one commit sign while the next one runs', async () => {
    expect([1, 2, 16, 17, 31, 32, 255, 256, 257, 1000].map(groupSize)).toEqual([1, 2, 16, 9, 16, 16, 128, 128, 128, 128]);
    const { db, list } = await database();
    try {
      const sizes: number[] = [];
      const commits = new IssuanceGroupCommit(
        { query: (sql, params) => (sizes.push((params?.length ?? 0) / CREDENTIAL_COLUMNS.length), db.query(sql, params)) },
        new SerialQueue(),
      );
      // 32 callers, each storing its next row as soon as its last one is committed (clerks of the HTTP service).
      let index = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          for (let i = 0; i < 8; i++) await commits.store(row(list, index++));
        }),
      );
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(256);
      // Never all the callers (or all but one) waiting on one commit: at most half of them, rounded up.
      expect(Math.max(...sizes)).toBeLessThanOrEqual(16);
    } finally {
      await db.close();
    }
  });

  it('a caller hears "stored" only after the statement carrying its row has returned', async () => {
    const { db, list } = await database();
    try {
      const seen: string[] = [];
      const slow = {
        query: async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
          const r = await db.query<T>(sql, params);
          seen.push('committed');
          return r;
        },
      };
      const commits = new IssuanceGroupCommit(slow, new SerialQueue());
      await Promise.all([row(list, 1), row(list, 2), row(list, 3)].map((r) => commits.store(r).then(() => seen.push('acknowledged'))));
      expect(seen).toEqual(['committed', 'acknowledged', 'committed', 'acknowledged', 'acknowledged']);
    } finally {
      await db.close();
    }
  });

  it("one row's failure (an index already taken) fails that caller alone; the rest of its group is stored", async () => {
    const { db, counting, list } = await database();
    try {
      const commits = new IssuanceGroupCommit(counting, new SerialQueue());
      await commits.store(row(list, 7));
      const rows = [row(list, 1), row(list, 7), row(list, 2), row(list, 3)];
      counting.statements = 0;
      const results = await Promise.allSettled(rows.map((r) => commits.store(r)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      // Index 1 alone at once; the group (7, 2, 3) fails as a whole; then 7, 2 and 3 each alone.
      expect(counting.statements).toBe(5);
      expect(uniqueViolationTable((results[1] as PromiseRejectedResult).reason)).toBe('cradle_status_allocation');
      const stored = (await db.query<{ id: string }>('SELECT "id" FROM "cradle_credential"')).map((s) => s.id);
      expect(stored).toHaveLength(4);
      expect(stored).toEqual(expect.arrayContaining([rows[0]![0], rows[2]![0], rows[3]![0]]));
      expect(stored).not.toContain(rows[1]![0]);
      const audited = (await db.query<{ id: string }>('SELECT "credential_id" AS "id" FROM "cradle_audit" WHERE "action" = \'issue\'')).map((a) => a.id);
      expect(audited.sort()).toEqual([...stored].sort());
    } finally {
      await db.close();
    }
  });

  it("a registration's holder is looked up once per group, when the rows are written: warn marks a known duplicate, refuse keeps the row out", async () => {
    const { db, counting, list } = await database();
    try {
      let lookups = 0;
      let inserts = 0;
      const commits = new IssuanceGroupCommit(counting, new SerialQueue());
      const first = row(list, 1, { key: 'key-1', subject: CHILD });
      expect(await commits.store(first, { registration: 'warn' })).toEqual({ stored: true });
      counting.statements = 0;
      const original = counting.query;
      counting.query = <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
        if (sql.includes('"cradle_registration_holder"')) lookups += 1;
        if (sql.startsWith('INSERT')) inserts += 1;
        return original<T>(sql, params);
      };
      const other = row(list, 2, { key: 'key-1', subject: GUARDIAN }); // another child, same registration
      const again = row(list, 3, { key: 'key-1', subject: CHILD }); // the holder's own child again
      const refused = row(list, 4, { key: 'key-1', subject: GUARDIAN });
      const takes = row(list, 5, { key: 'key-2', subject: GUARDIAN }); // a free registration ...
      const afterIt = row(list, 6, { key: 'key-2', subject: CHILD }); // ... taken by the row before, in the same group
      const outcomes = await Promise.all([
        commits.store(other, { registration: 'warn' }),
        commits.store(again, { registration: 'warn' }),
        commits.store(refused, { registration: 'refuse' }),
        commits.store(takes, { registration: 'refuse' }),
        commits.store(afterIt, { registration: 'warn' }),
      ]);
      const holderOfKey1 = { credentialId: first[0], subject: CHILD };
      expect(outcomes).toEqual([
        { stored: true, duplicateOf: holderOfKey1 },
        { stored: true },
        { stored: false, heldBy: holderOfKey1 },
        { stored: true },
        { stored: true, duplicateOf: { credentialId: takes[0], subject: GUARDIAN } },
      ]);
      // One look-up per INSERT (of every registration of its rows), not one per row.
      expect(inserts).toBeLessThanOrEqual(2);
      expect(lookups).toBe(inserts);
      expect(counting.statements).toBe(2 * inserts);
      const stored = await db.query<{ id: string; duplicate: number }>('SELECT "id", "registration_duplicate" AS "duplicate" FROM "cradle_credential"');
      expect(Object.fromEntries(stored.map((r) => [r.id, Number(r.duplicate)]))).toEqual({
        [first[0] as string]: 0,
        [other[0] as string]: 1,
        [again[0] as string]: 0,
        [takes[0] as string]: 0,
        [afterIt[0] as string]: 1,
      });
      const [held] = await db.query<{ id: string }>('SELECT "credential_id" AS "id" FROM "cradle_registration_holder" WHERE "registration_key" = \'key-2\'');
      expect(held?.id).toBe(takes[0]);
    } finally {
      await db.close();
    }
  });

  it('a row signed with a key rotated out meanwhile is not stored (staleKey); the key is read once per group, before its INSERT', async () => {
    const { db, counting, list } = await database();
    try {
      let reads = 0;
      const commits = new IssuanceGroupCommit(counting, new SerialQueue(), {
        currentSigningKey: async () => {
          reads += 1;
          return 'key-2';
        },
      });
      const rows = [row(list, 1), row(list, 2), row(list, 3), row(list, 4)];
      const outcomes = await Promise.all([
        commits.store(rows[0]!, { signedWith: 'key-2' }),
        commits.store(rows[1]!, { signedWith: 'key-1' }),
        commits.store(rows[2]!, { signedWith: 'key-2' }),
        commits.store(rows[3]!, { signedWith: 'key-1' }),
      ]);
      expect(outcomes).toEqual([{ stored: true }, { stored: false, staleKey: true }, { stored: true }, { stored: false, staleKey: true }]);
      expect(reads).toBe(2); // the first row alone, then the other three together
      const stored = (await db.query<{ id: string }>('SELECT "id" FROM "cradle_credential"')).map((r) => r.id).sort();
      expect(stored).toEqual([rows[0]![0], rows[2]![0]].sort());
    } finally {
      await db.close();
    }
  });

  it('concurrent issuances through a registrar with alert keys: each credential stored with all its status entries and its audit row', async () => {
    const h = home();
    const registrar = await initRegistrar(devChain, h, { alertRecipients: [(await generateAlertKeyPair()).publicJwk] });
    try {
      const issued = await Promise.all(
        Array.from({ length: 48 }, (_, i) =>
          i % 3 === 2 ? registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] }) : registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() }),
        ),
      );
      for (const c of issued) {
        // Birth: revocation, suspension and alert entries; guardianship: no alert entry.
        expect(c.status.map((s) => s.purpose)).toEqual(c.type === 'BirthRegistrationCredential' ? ['revocation', 'suspension', 'message'] : ['revocation', 'suspension']);
        expect((await registrar.get(c.id))?.jwt).toBe(c.jwt);
      }
      const allocations = await queryDatabase<{ id: string; list: string; idx: number }>(h, 'SELECT "credential_id" AS "id", "list_name" AS "list", "idx" FROM "cradle_status_allocation"');
      const expected = issued.flatMap((c) => c.status.map((s) => `${c.id} ${s.listName}#${s.index}`)).sort();
      expect(allocations.map((a) => `${a.id} ${a.list}#${a.idx}`).sort()).toEqual(expected);
      const audited = await queryDatabase<{ id: string }>(h, 'SELECT "credential_id" AS "id" FROM "cradle_audit" WHERE "action" = \'issue\'');
      expect(audited.map((a) => a.id).sort()).toEqual(issued.map((c) => c.id).sort());
    } finally {
      await registrar.close();
    }
  });

  it('killed (-9) while 32 callers issue: every credential it acknowledged is stored with its status entries, none shares an index', async () => {
    const h = home();
    await (await initRegistrar(devChain, h)).close();
    const { database: url } = await databaseFor(h);
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/issue-child.ts', import.meta.url)), h], {
      cwd: REPO,
      env: { ...process.env, CRADLE_SECRET: SECRET, CRADLE_TEST_LEDGER: JSON.stringify(devChain.config), ...(url === undefined ? {} : { CRADLE_TEST_DATABASE_URL: url }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let stderr = '';
    let partial = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 300 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(child.signalCode, stderr).toBe('SIGKILL');
    const stored = new Set((await queryDatabase<{ id: string }>(h, 'SELECT "id" FROM "cradle_credential"')).map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const [counts] = await queryDatabase<{ allocations: number | string; distinct: number | string }>(h, 'SELECT COUNT(*) AS "allocations", COUNT(DISTINCT "list_name" || \'#\' || "idx") AS "distinct" FROM "cradle_status_allocation"');
    expect([Number(counts!.allocations), Number(counts!.distinct)]).toEqual([2 * stored.size, 2 * stored.size]);
    const [audit] = await queryDatabase<{ n: number | string }>(h, 'SELECT COUNT(*) AS "n" FROM "cradle_audit" WHERE "action" = \'issue\'');
    expect(Number(audit!.n)).toBe(stored.size);
    // And the registrar opens and issues again.
    const again = await createRegistrar({ home: h, secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, ...(url === undefined ? {} : { database: url }) });
    try {
      const issued = await again.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
      expect((await again.get(issued.id))?.jwt).toBe(issued.jwt);
    } finally {
      await again.close();
    }
  }, 120_000);
});
