import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { CradleError } from '@cradle/core';
import { CradleInitial1795000000000 } from './migrations/1795000000000-cradle-initial.js';

/** Cradle's migrations, run after Veramo's. Append new ones; never edit a released one. */
export const cradleMigrations = [CradleInitial1795000000000];

/**
 * Open (and migrate) the registrar's SQLite file: Veramo's entities and migrations plus Cradle's tables.
 * WAL mode lets readers (the HTTP status endpoint) run while an issuance commits; `synchronous=NORMAL`
 * is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
 */
export async function openDatabase(path: string): Promise<DataSource> {
  await mkdir(dirname(path), { recursive: true });
  const dataSource = new DataSource({
    type: 'sqlite',
    driver: quietSqlite3,
    database: path,
    entities: Entities,
    migrations: [...veramoMigrations, ...cradleMigrations],
    migrationsRun: false,
    synchronize: false,
    logging: false,
  });
  try {
    await dataSource.initialize();
    await dataSource.query('PRAGMA journal_mode = WAL');
    await dataSource.query('PRAGMA synchronous = NORMAL');
    await dataSource.query('PRAGMA busy_timeout = 5000');
    await dataSource.query('PRAGMA foreign_keys = ON');
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (cause) {
    if (dataSource.isInitialized) await dataSource.destroy();
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
