import type { DataSource } from 'typeorm';

/**
 * Runs the registrar's SQL. Every statement is written once for both databases: `?` placeholders (the
 * PostgreSQL store numbers them), double-quoted identifiers and aliases, and only what SQLite and
 * PostgreSQL share (no `MAX(a, b)`, no `INSERT OR ...`, booleans as integers).
 */
export interface SqlExecutor {
  /** Run one statement; SELECTs return their rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** The database behind a registrar. */
export type StoreKind = 'sqlite' | 'postgres';

/** Locks that at most one process (replica) may hold at a time. */
export type ExclusiveLock = 'anchoring';

/**
 * Where a registrar keeps what it stores: its own tables (`cradle_*`: credentials, status lists and their
 * allocations, signed versions, the anchoring outbox, batches, settings) and Veramo's (keys, DIDs,
 * encrypted private keys, through {@link RegistrarStore.dataSource}). Two implementations:
 * the embedded SQLite file (the default) and PostgreSQL (a registry, with several `registrar serve`
 * replicas on one database). Open one with `openRegistrarStore`.
 *
 * Isolation contract, the same on both: single statements are atomic (an issuance is one INSERT whose
 * triggers write its status allocations, so a UNIQUE(list, index) clash aborts all of it);
 * {@link RegistrarStore.write} transactions are serialised against every other writer of the same
 * database, in this process and in any other (SQLite's write lock; a PostgreSQL advisory lock), so a
 * read-modify-write inside one (flip a status bit, sign the next list version) never loses an update.
 */
export interface RegistrarStore extends SqlExecutor {
  readonly kind: StoreKind;
  /** The file path, or the PostgreSQL URL without its password: safe to print. */
  readonly location: string;
  /** The TypeORM data source, migrated (Veramo's entities and Cradle's tables). */
  readonly dataSource: DataSource;
  /**
   * One write transaction, serialised against every other writer of this database. `fn` may run more
   * than once (retried on SQLITE_BUSY): it must only touch the database. A failure that persists is
   * `DATABASE_BUSY`.
   */
  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Run `fn` while holding `lock` against every other process on this database, or return undefined at
   * once when another process holds it (PostgreSQL: a session advisory lock, released by the server if
   * the holder dies). On SQLite, a single host's file, `fn` simply runs.
   */
  exclusive<T>(lock: ExclusiveLock, fn: () => Promise<T>): Promise<T | undefined>;
  /**
   * Write a consistent copy of the whole database to `file` while it stays in use (SQLite `VACUUM INTO`).
   * PostgreSQL refuses (`CONFIG_INVALID`): back it up with the server's own tools (pg_dump, base backups).
   */
  snapshot(file: string): Promise<void>;
  /** Close every connection. */
  close(): Promise<void>;
}

/**
 * The table a UNIQUE / primary-key violation happened on, whichever database raised it, or undefined
 * when `e` is something else. SQLite says `UNIQUE constraint failed: <table>.<column>`; PostgreSQL gives
 * SQLSTATE 23505 and the table name.
 */
export function uniqueViolationTable(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    const r = cur as { code?: unknown; table?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (r.code === '23505' && typeof r.table === 'string') return r.table;
    const m = typeof r.message === 'string' ? /UNIQUE constraint failed: ([A-Za-z0-9_]+)\./.exec(r.message) : null;
    if (m !== null) return m[1];
    cur = r.driverError ?? r.cause;
  }
  return undefined;
}
