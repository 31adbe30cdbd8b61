import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { CradleError } from '@cradle/core';
import { CradleInitial1795000000000 } from './migrations/1795000000000-cradle-initial.js';
import { CradleRegistrationIdentity1795000000001 } from './migrations/1795000000001-cradle-registration-identity.js';
import { CradleAlerts1795000000005 } from './migrations/1795000000005-cradle-alerts.js';
import { CradleOid4vciOffer1795000000006 } from './migrations/1795000000006-cradle-oid4vci-offer.js';
import { CradleApiKeysAudit1795000000020 } from './migrations/1795000000020-cradle-api-keys-audit.js';
import { CradleRegistrationLookup1795000000021 } from './migrations/1795000000021-cradle-registration-lookup.js';
import { CradleRegistrationHolder1795000000022 } from './migrations/1795000000022-cradle-registration-holder.js';
import { CradleOid4vciNonce1795000000030 } from './migrations/1795000000030-cradle-oid4vci-nonce.js';
import { CradleBatchPrefix1795000000040 } from './migrations/1795000000040-cradle-batch-prefix.js';
import { BUSY_TIMEOUT_MS, databaseBusyError, isSqliteBusy } from './sqlite-busy.js';

/** Cradle's migrations, run after Veramo's. Append new ones; never edit a released one. */
export const cradleMigrations = [
  CradleInitial1795000000000,
  CradleRegistrationIdentity1795000000001,
  CradleAlerts1795000000005,
  CradleOid4vciOffer1795000000006,
  CradleApiKeysAudit1795000000020,
  CradleRegistrationLookup1795000000021,
  CradleRegistrationHolder1795000000022,
  CradleOid4vciNonce1795000000030,
  CradleBatchPrefix1795000000040,
];

/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000). Issuance inserts at random
 * places in large indexes (credential ids, status indices), so each commit dirties pages of its own and a
 * checkpoint every 1,000 pages copied and synced them again and again: the database thread's cost per
 * credential grew ~25% over 60,000 credentials (measured), the issuance rate decayed. The store also
 * checkpoints every {@link CHECKPOINT_INTERVAL_MS} (sqlite-store.ts), which bounds what an OS crash can
 * lose in time; this bounds the WAL's size (~80 MB at 4 KiB pages).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 20_000;

/** How often the SQLite store checkpoints the WAL (and so syncs it to disk, `synchronous=NORMAL`). */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Open (and migrate) the registrar's SQLite file: Veramo's entities and migrations plus Cradle's tables.
 * WAL mode lets readers (the HTTP status endpoint) run while an issuance commits; `synchronous=NORMAL`
 * is durable across process crashes in WAL mode: a commit is in the WAL when it returns. An OS crash or
 * power loss may lose the commits since the last checkpoint: at most the last
 * {@link CHECKPOINT_INTERVAL_MS} ms (the store's periodic checkpoint) or {@link WAL_AUTOCHECKPOINT_PAGES}
 * pages of WAL, whichever comes first.
 */
export async function openDatabase(path: string): Promise<DataSource> {
  await createPrivateFile(path);
  const dataSource = new DataSource({
    type: 'sqlite',
    driver: quietSqlite3,
    database: path,
    entities: Entities,
    migrations: [...veramoMigrations, ...cradleMigrations],
    migrationsRun: false,
    synchronize: false,
    logging: false,
    // Set on the connection before anything else runs (migrations included): wait for another
    // process's write lock instead of failing at once.
    busyTimeout: BUSY_TIMEOUT_MS,
    enableWAL: true,
  });
  try {
    await dataSource.initialize();
    await dataSource.query('PRAGMA synchronous = NORMAL');
    await dataSource.query('PRAGMA foreign_keys = ON');
    await dataSource.query(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (cause) {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (isSqliteBusy(cause)) throw databaseBusyError(cause);
    throw new CradleError('CONFIG_INVALID', `Cannot open the registrar database ${path}: ${(cause as Error).message}`, { cause, details: { path } });
  }
  return dataSource;
}

/**
 * TypeORM calls `verbose()` on the sqlite3 driver, which wraps every call to capture a stack trace (and
 * `util.inspect`s the arguments): about a tenth of issuance time. Errors still carry SQLite's message.
 */
const quietSqlite3: typeof sqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, {
  verbose: () => quietSqlite3,
});

/**
 * Make sure `path` exists with mode 0600 (and its directory, when created, 0700) before SQLite opens it:
 * SQLite would create it with the process umask (often 0644), and its `-wal` / `-shm` files copy the
 * database file's mode. An existing file is left as it is (see {@link tightenMode}).
 */
export async function createPrivateFile(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const fh = await open(path, 'wx', 0o600);
    await fh.close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Remove group/other permissions from `path` (0600 for files, 0700 for directories). Returns true when it
 * changed anything, false when it was already private or does not exist.
 */
export async function tightenMode(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  if (st === undefined || (st.mode & 0o077) === 0) return false;
  await chmod(path, st.isDirectory() ? 0o700 : 0o600);
  return true;
}
