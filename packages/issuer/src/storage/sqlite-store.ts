import type { DataSource, EntityManager } from 'typeorm';
import { openDatabase } from '../open-database.js';
import { databaseBusyError, isSqliteBusy } from '../sqlite-busy.js';
import type { RegistrarStore, SqlExecutor } from './registrar-store.js';

/** Extra attempts of a whole write transaction after SQLITE_BUSY (on top of the busy timeout). */
const BUSY_RETRIES = 3;

function executor(db: DataSource | EntityManager): SqlExecutor {
  return { query: async <T>(sql: string, params: readonly unknown[] = []) => (await db.query(sql, [...params])) as T[] };
}

/**
 * The embedded default: one SQLite file (`<home>/registrar.sqlite`), opened and migrated by
 * `openDatabase` (WAL, busy timeout, 0600). Databases created by earlier versions open unchanged.
 *
 * @example
 * ```ts
 * const store = await openSqliteStore('/var/lib/cradle/registrar/registrar.sqlite');
 * ```
 */
export async function openSqliteStore(path: string): Promise<RegistrarStore> {
  const db = await openDatabase(path);
  const run = executor(db);
  return {
    kind: 'sqlite',
    location: path,
    dataSource: db,
    query: run.query,
    write: (fn) => sqliteWriteTransaction(db, fn),
    exclusive: async (_lock, fn) => fn(),
    snapshot: async (file) => {
      await db.query('VACUUM INTO ?', [file]);
    },
    close: () => db.destroy(),
  };
}

/**
 * A write transaction that is safe beside other processes on the same SQLite file. TypeORM opens a
 * DEFERRED transaction: a transaction that reads first and writes later must upgrade its lock, and
 * SQLite answers SQLITE_BUSY at once (no busy wait is possible: its snapshot would be stale) if another
 * process committed meanwhile. So the first statement takes the write lock (a no-op UPDATE), which
 * waits up to the busy timeout; the whole transaction is retried a few times on SQLITE_BUSY and then
 * fails with `DATABASE_BUSY`. `fn` may run more than once: it must only touch the database.
 */
async function sqliteWriteTransaction<T>(db: DataSource, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.query('UPDATE "cradle_meta" SET "value" = "value" WHERE 0');
        return fn(executor(tx));
      });
    } catch (e) {
      if (!isSqliteBusy(e)) throw e;
      if (attempt >= BUSY_RETRIES) throw databaseBusyError(e);
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt + Math.random() * 100));
    }
  }
}
