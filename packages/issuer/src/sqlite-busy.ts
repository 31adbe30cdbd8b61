import { CradleError, isCradleError } from '@cradle/core';
import type { RegistrarStore, SqlExecutor } from './storage/registrar-store.js';

/** How long SQLite waits for another process's write lock before answering SQLITE_BUSY (ms). */
export const BUSY_TIMEOUT_MS = 10_000;

/** True when `e` (or its cause) is SQLite's "database is locked" / "database is busy". */
export function isSqliteBusy(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    const r = cur as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (r.code === 'SQLITE_BUSY' || r.code === 'SQLITE_LOCKED' || (typeof r.message === 'string' && /SQLITE_BUSY|SQLITE_LOCKED|database is locked/.test(r.message))) return true;
    cur = r.driverError ?? r.cause;
  }
  return false;
}

/** The clear error for a database another process kept locked for too long. */
export function databaseBusyError(cause: unknown): CradleError {
  return new CradleError(
    'DATABASE_BUSY',
    'The registrar database is busy (another process, e.g. `cradle registrar serve`, is writing to it): retry in a moment. If it persists, look for a stuck process holding registrar.sqlite.',
    { cause },
  );
}

/** Map SQLITE_BUSY to {@link databaseBusyError}; anything else passes through unchanged. */
export function mapDatabaseError(e: unknown): unknown {
  return !isCradleError(e) && isSqliteBusy(e) ? databaseBusyError(e) : e;
}

/**
 * One write transaction on the registrar's store (SQLite or PostgreSQL), serialised against every other
 * writer: the same as `store.write(fn)`. `fn` may run more than once: it must only touch the database.
 */
export async function writeTransaction<T>(store: RegistrarStore, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return store.write(fn);
}
