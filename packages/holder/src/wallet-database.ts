import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import { CradleError } from '@cradle/core';
import { walletEntities, walletMigrations } from './wallet-tables.js';

/**
 * Open (and create or migrate) the wallet's SQLite file: Veramo's tables (keys, private keys, DIDs)
 * and the wallet's own (credentials, labels, settings), each with its migrations.
 */
export async function openWalletDatabase(databasePath: string): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'sqlite',
    driver: quietSqlite3,
    database: databasePath,
    entities: [...Entities, ...walletEntities],
    migrations: [...veramoMigrations, ...walletMigrations],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
  try {
    return await dataSource.initialize();
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `Cannot open the wallet database ${databasePath}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * A DataSource-shaped view of a transaction, for Veramo's stores (which only call `getRepository` on a
 * connected DataSource): writing through it makes their writes part of the transaction.
 */
export function transactionView(manager: EntityManager): DataSource {
  const view = { isInitialized: true, getRepository: manager.getRepository.bind(manager) };
  return view as unknown as DataSource;
}

/**
 * TypeORM calls `verbose()` on the sqlite3 driver, which wraps every call to capture a stack trace (and
 * `util.inspect`s the arguments): about a tenth of issuance time. Errors still carry SQLite's message.
 */
const quietSqlite3: typeof sqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, {
  verbose: () => quietSqlite3,
});
