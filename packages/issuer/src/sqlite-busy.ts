import type { DataSource, EntityManager } from 'typeorm';
import { CradleError, isCradleError } from '@cradle/core';

/** How long SQLite waits for another process's write lock before answering SQLITE_BUSY (ms). */
export const BUSY_TIMEOUT_MS = 10_000;
/** Extra attempts of a whole write transaction after SQLITE_BUSY (on top of the busy timeout). */
const BUSY_RETRIES = 3;

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
 * A write transaction that is safe beside other processes on the same SQLite file. TypeORM opens a
 * DEFERRED transaction: a transaction that reads first and writes later must upgrade its lock, and
 * SQLite answers SQLITE_BUSY at once (no busy wait is possible: its snapshot would be stale) if another
 * process committed meanwhile. So the first statement takes the write lock (a no-op UPDATE), which
 * waits up to {@link BUSY_TIMEOUT_MS}; the whole transaction is retried a few times on SQLITE_BUSY and
 * then fails with `DATABASE_BUSY`. `fn` may run more than once: it must only touch the database.
 */
export async function writeTransaction<T>(db: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.query('UPDATE "cradle_meta" SET "value" = "value" WHERE 0');
        return fn(tx);
      });
    } catch (e) {
      if (!isSqliteBusy(e)) throw e;
      if (attempt >= BUSY_RETRIES) throw databaseBusyError(e);
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt + Math.random() * 100));
    }
  }
}
