import type { Database, Statement } from 'sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import { CHECKPOINT_INTERVAL_MS, openDatabase } from '../open-database.js';
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
  const prepared = new PreparedStatements((db.driver as unknown as { databaseConnection: Database }).databaseConnection);
  // Commits are synced to disk at checkpoints (synchronous=NORMAL): one every second bounds what an OS
  // crash can lose; PASSIVE never waits for readers or writers (a busy moment is simply skipped).
  const checkpoints = setInterval(() => void run.query('PRAGMA wal_checkpoint(PASSIVE)').catch(() => undefined), CHECKPOINT_INTERVAL_MS);
  checkpoints.unref();
  return {
    kind: 'sqlite',
    location: path,
    dataSource: db,
    query: (sql, params) => (PREPARED.test(sql) ? prepared.query(sql, params) : run.query(sql, params)),
    write: (fn) => sqliteWriteTransaction(db, fn),
    exclusive: async (_lock, fn) => fn(),
    snapshot: async (file) => {
      await db.query('VACUUM INTO ?', [file]);
    },
    close: async () => {
      clearInterval(checkpoints);
      // SQLite refuses to close a connection with statements not finalized.
      await prepared.finalize();
      await db.destroy();
    },
  };
}

/** Statements run on a kept prepared statement: plain reads and writes (no PRAGMA, DDL or transaction control). */
const PREPARED = /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i;

/** Most prepared statements kept (the least recently used one is finalized beyond). */
const MAX_PREPARED = 64;

/**
 * Statements of the store's `query` kept prepared, by SQL text, on TypeORM's one SQLite connection.
 * TypeORM's `query` prepares, runs and finalizes every statement: three trips through libuv's thread
 * pool, and a fresh compile each time (an issuance's INSERT compiles its five triggers). A kept statement
 * is one trip and no compile. This holds statements, not results: every call runs against the database.
 * Transactions (`write`) still go through TypeORM, on the same connection.
 */
class PreparedStatements {
  readonly #connection: Database;
  /** By SQL text, least recently used first. */
  readonly #kept = new Map<string, Kept>();

  constructor(connection: Database) {
    this.#connection = connection;
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const kept = this.#statement(sql);
    if (kept.failed !== undefined) return Promise.reject(kept.failed);
    return new Promise<T[]>((resolve, reject) => {
      kept.waiting.add(reject);
      // Called at once (node-sqlite3 queues it until the statement is compiled), so an eviction's
      // finalize always comes after it.
      kept.statement.all([...params], (err: Error | null, rows: T[]) => {
        kept.waiting.delete(reject);
        if (err) reject(err);
        else resolve(rows);
      });
    });
  }

  /** Finalize every kept statement (before the connection closes). */
  async finalize(): Promise<void> {
    const all = [...this.#kept.values()];
    this.#kept.clear();
    await Promise.all(all.map(({ statement }) => new Promise<void>((resolve) => statement.finalize(() => resolve()))));
  }

  #statement(sql: string): Kept {
    let kept = this.#kept.get(sql);
    if (kept !== undefined) {
      this.#kept.delete(sql);
      this.#kept.set(sql, kept);
      return kept;
    }
    const waiting = new Set<(e: Error) => void>();
    const statement = this.#connection.prepare(sql, (err: Error | null) => {
      if (!err) return;
      // A statement SQLite cannot compile never answers the calls queued on it: fail them, and forget it.
      created.failed = err;
      if (this.#kept.get(sql) === created) this.#kept.delete(sql);
      for (const reject of waiting) reject(err);
      waiting.clear();
    });
    const created: Kept = { statement, waiting, failed: undefined };
    kept = created;
    this.#kept.set(sql, kept);
    if (this.#kept.size > MAX_PREPARED) {
      const [oldest, evicted] = this.#kept.entries().next().value as [string, Kept];
      this.#kept.delete(oldest);
      // Queued by node-sqlite3 after the calls already made on it.
      evicted.statement.finalize();
    }
    return kept;
  }
}

interface Kept {
  statement: Statement;
  /** Rejects of the calls not yet answered. */
  waiting: Set<(e: Error) => void>;
  /** Set when SQLite could not compile the statement. */
  failed: Error | undefined;
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
