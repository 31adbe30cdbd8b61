import type { RegistrarStore } from './registrar-store.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';

/** Which database a registrar uses: the SQLite file (default) or a PostgreSQL URL. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Open and migrate the registrar's database.
 *
 * @example
 * ```ts
 * const store = await openRegistrarStore({ kind: 'postgres', url: 'postgres://cradle@db:5432/registrar' });
 * ```
 */
export async function openRegistrarStore(location: StoreLocation): Promise<RegistrarStore> {
  return location.kind === 'postgres' ? openPostgresStore(location.url) : openSqliteStore(location.path);
}
