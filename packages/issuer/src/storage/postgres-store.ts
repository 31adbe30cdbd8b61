import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { CradleError } from '@cradle/core';
import { cradleMigrations } from '../open-database.js';
import type { ExclusiveLock, RegistrarStore, SqlExecutor } from './registrar-store.js';

/**
 * Advisory lock keys (one 64-bit space per database). Constant and arbitrary; "cradle" in ASCII then a
 * lock number, so they do not collide with an application sharing the database by accident.
 */
const LOCK_KEYS = { write: '0x637261646c650001', migrate: '0x637261646c650002', anchoring: '0x637261646c650003' } as const;

/** Connections per process (each replica): issuance, status reads and the anchoring worker share them. */
const POOL_SIZE = 10;

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** `url` with its password replaced by `***`, for messages and `store.location`. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.href;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Rewrite `?` placeholders to PostgreSQL's `$1, $2, ...`, leaving quoted strings and identifiers alone,
 * so each statement of the registrar is written once for both databases.
 */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else {
      out += ch === '?' ? `$${++n}` : ch;
    }
  }
  return out;
}

function executor(db: DataSource | EntityManager): SqlExecutor {
  return { query: async <T>(sql: string, params: readonly unknown[] = []) => (await db.query(numberPlaceholders(sql), [...params])) as T[] };
}

/**
 * A registrar store on PostgreSQL, for a registry running several `registrar serve` replicas on one
 * database. Migrations run under an advisory lock (replicas starting together migrate once); every
 * {@link RegistrarStore.write} transaction first takes a transaction-level advisory lock, so status
 * changes and publications are serialised across replicas exactly as SQLite's write lock serialises
 * processes; issuance itself is one INSERT and runs concurrently (UNIQUE(list, index) decides a clash).
 *
 * The URL is the libpq form (`postgres://user@host:5432/db`); leave the password out of it and set
 * `PGPASSWORD` (read by the driver) to keep it off disk.
 *
 * @example
 * ```ts
 * const store = await openPostgresStore('postgres://cradle@db.internal:5432/registrar');
 * ```
 */
export async function openPostgresStore(url: string): Promise<RegistrarStore> {
  const location = redactPostgresUrl(url);
  const db = new DataSource({
    type: 'postgres',
    driver: pg,
    url,
    entities: Entities,
    migrations: [...veramoMigrations, ...cradleMigrations],
    migrationsRun: false,
    synchronize: false,
    logging: false,
    // Veramo's entities need no extension; do not try to CREATE EXTENSION (needs a superuser).
    installExtensions: false,
    extra: { max: POOL_SIZE, connectionTimeoutMillis: 15_000 },
  });
  try {
    await db.initialize();
    await exclusiveSession(db, LOCK_KEYS.migrate, true, () => db.runMigrations({ transaction: 'all' }));
  } catch (cause) {
    if (db.isInitialized) await db.destroy();
    throw new CradleError('CONFIG_INVALID', `Cannot open the registrar database ${location}: ${(cause as Error).message}`, { cause, details: { database: location } });
  }
  const run = executor(db);
  return {
    kind: 'postgres',
    location,
    dataSource: db,
    query: run.query,
    write: (fn) =>
      db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [BigInt(LOCK_KEYS.write).toString()]);
        return fn(executor(tx));
      }),
    exclusive: (lock: ExclusiveLock, fn) => exclusiveSession(db, LOCK_KEYS[lock], false, fn),
    snapshot: async () => {
      throw new CradleError(
        'CONFIG_INVALID',
        'A PostgreSQL registrar is backed up with PostgreSQL\'s own tools (pg_dump, or base backups with WAL archiving; see docs/deployment.md), not `registrar backup`.',
      );
    },
    close: () => db.destroy(),
  };
}

/**
 * Hold session advisory lock `key` on one dedicated connection while `fn` runs. `wait`: block until it
 * is free; otherwise return undefined at once when another session holds it. A process that dies loses
 * its connection, and the server releases the lock.
 */
async function exclusiveSession<T>(db: DataSource, key: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
  const runner = db.createQueryRunner();
  await runner.connect();
  const id = BigInt(key).toString();
  try {
    if (wait) await runner.query('SELECT pg_advisory_lock($1::bigint)', [id]);
    else {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS "locked"', [id])) as { locked: boolean }[];
      if (row?.locked !== true) return undefined;
    }
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
    }
  } finally {
    await runner.release();
  }
}
