// The SQLite store runs plain reads and writes on kept prepared statements: each call still runs against
// the database (statements are kept, never results), errors come back as before, and the connection
// closes cleanly with statements kept. Its WAL is checkpointed every second.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRegistrarStore } from '../src/storage/open-registrar-store.js';
import type { RegistrarStore } from '../src/storage/registrar-store.js';
import { uniqueViolationTable } from '../src/storage/registrar-store.js';
import { querySqlite, tempHome } from './helpers.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(): Promise<{ store: RegistrarStore; path: string }> {
  const { home, cleanup } = tempHome();
  cleanups.push(cleanup);
  const path = join(home, 'registrar.sqlite');
  return { store: await openRegistrarStore({ kind: 'sqlite', path }), path };
}

/** Read the database file without its WAL (what a crash of the machine right now would leave). */
async function queryFileOnly<T>(path: string, sql: string, params: unknown[]): Promise<T[]> {
  const sqlite3 = (await import('sqlite3')).default;
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(`file:${path}?immutable=1`, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI, (err) => {
      if (err) return reject(err);
      db.all(sql, params, (e, rows) => {
        db.close();
        if (e) reject(e);
        else resolve(rows as T[]);
      });
    });
  });
}

const INSERT_META = 'INSERT INTO "cradle_meta" ("key", "value") VALUES (?, ?)';
const SELECT_META = 'SELECT "key", "value" FROM "cradle_meta" WHERE "key" LIKE ? ORDER BY "key"';

describe('the SQLite store on kept prepared statements', () => {
  it('the same statement run again reads what the database holds now, not what it held the first time', async () => {
    const { store } = await open();
    try {
      await store.query(INSERT_META, ['test.a', '1']);
      expect(await store.query(SELECT_META, ['test.%'])).toEqual([{ key: 'test.a', value: '1' }]);
      await store.query(INSERT_META, ['test.b', '2']);
      await store.query('UPDATE "cradle_meta" SET "value" = ? WHERE "key" = ?', ['3', 'test.a']);
      expect(await store.query(SELECT_META, ['test.%'])).toEqual([
        { key: 'test.a', value: '3' },
        { key: 'test.b', value: '2' },
      ]);
      // A write inside a transaction (TypeORM, the same connection) is seen by the kept statement after it.
      await store.write((tx) => tx.query('DELETE FROM "cradle_meta" WHERE "key" = ?', ['test.b']));
      expect(await store.query(SELECT_META, ['test.%'])).toEqual([{ key: 'test.a', value: '3' }]);
    } finally {
      await store.close();
    }
  });

  it('writes are committed when the call returns: another connection reads them', async () => {
    const { store, path } = await open();
    try {
      await store.query(INSERT_META, ['test.durable', 'yes']);
      expect(await querySqlite(path, SELECT_META, ['test.%'])).toEqual([{ key: 'test.durable', value: 'yes' }]);
    } finally {
      await store.close();
    }
  });

  it('commits reach the database file itself within seconds (the WAL is checkpointed every second), not only the WAL', async () => {
    const { store, path } = await open();
    try {
      await store.query(INSERT_META, ['test.synced', 'yes']);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      // immutable=1: SQLite reads the database file alone, ignoring the WAL.
      expect(await queryFileOnly(path, SELECT_META, ['test.%'])).toEqual([{ key: 'test.synced', value: 'yes' }]);
    } finally {
      await store.close();
    }
  });

  it("a constraint violation rejects with SQLite's error, which the registrar still recognises; the statement keeps working", async () => {
    const { store } = await open();
    try {
      await store.query(INSERT_META, ['test.once', '1']);
      const failure = await store.query(INSERT_META, ['test.once', '2']).catch((e: unknown) => e);
      expect(uniqueViolationTable(failure)).toBe('cradle_meta');
      await store.query(INSERT_META, ['test.twice', '2']);
      expect((await store.query(SELECT_META, ['test.%'])).length).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('a statement SQLite cannot compile rejects at once (it does not hang), every time', async () => {
    const { store } = await open();
    try {
      await expect(store.query('SELECT "nope" FROM "no_such_table"')).rejects.toThrow(/no such table/);
      await expect(store.query('SELECT "nope" FROM "no_such_table"')).rejects.toThrow(/no such table/);
      expect(await store.query('SELECT 1 AS "one"')).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('more distinct statements than it keeps: all answer, and the store closes cleanly (nothing left unfinalized)', async () => {
    const { store } = await open();
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => store.query<{ n: number }>(`SELECT ${i} AS "n"`)));
    expect(answers.map((rows) => rows[0]?.n)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    await expect(store.close()).resolves.toBeUndefined();
  });
});
