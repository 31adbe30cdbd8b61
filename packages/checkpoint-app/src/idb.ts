/**
 * The app's IndexedDB database, through `idb` (promises and typed stores over IndexedDB; no hand-written
 * request wrappers). One database holds the verifier's cache, the settings and the local log.
 */
import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import type { LogEntry } from './verification-log.js';

/** Name of the app's database. */
export const DB_NAME = 'cradle-checkpoint';
const DB_VERSION = 1;

/** Object stores of {@link DB_NAME}. */
export const STORES = {
  /** Verifier cache: DID documents, status lists, trust list (key/value, see idb-store.ts). */
  verifier: 'verifier',
  /** Operator settings (key/value). */
  settings: 'settings',
  /** Local verification log (auto-increment keys). */
  log: 'log',
} as const;

/** The database's schema, for `idb`'s types. */
export interface CheckpointDb extends DBSchema {
  verifier: { key: string; value: unknown };
  settings: { key: string; value: unknown };
  log: { key: number; value: LogEntry };
}

/** A key/value store of the database. */
export type KeyValueStore = typeof STORES.verifier | typeof STORES.settings;

/**
 * Opens (and on first use creates) the app database.
 * @example const db = await openCheckpointDb();
 */
export function openCheckpointDb(name = DB_NAME): Promise<IDBPDatabase<CheckpointDb>> {
  return openDB<CheckpointDb>(name, DB_VERSION, {
    upgrade(db) {
      if (!db.objectStoreNames.contains(STORES.verifier)) db.createObjectStore(STORES.verifier);
      if (!db.objectStoreNames.contains(STORES.settings)) db.createObjectStore(STORES.settings);
      if (!db.objectStoreNames.contains(STORES.log)) db.createObjectStore(STORES.log, { autoIncrement: true });
    },
  });
}

function prefixRange(prefix: string): IDBKeyRange | undefined {
  return prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/** A typed key/value view of one object store. */
export class IdbKeyValue {
  constructor(
    private readonly db: IDBPDatabase<CheckpointDb>,
    private readonly store: KeyValueStore,
  ) {}

  /** The value under `key`, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.db.get(this.store, key)) as T | undefined;
  }

  /** Stores `value` (structured-cloneable) under `key`. */
  async set(key: string, value: unknown): Promise<void> {
    await this.db.put(this.store, value, key);
  }

  /** Writes several entries atomically (one transaction): all of them or none. */
  async setMany(entries: Iterable<readonly [string, unknown]>, deleteKeys: Iterable<string> = []): Promise<void> {
    const tx = this.db.transaction(this.store, 'readwrite');
    try {
      // Requests are queued synchronously; their outcome is the transaction's (awaited via done).
      for (const key of deleteKeys) void tx.store.delete(key).catch(() => undefined);
      for (const [key, value] of entries) void tx.store.put(value, key).catch(() => undefined);
    } catch (e) {
      // A value that cannot be stored throws while queueing: undo what was queued before it.
      tx.abort();
      await tx.done.catch(() => undefined);
      throw e;
    }
    await tx.done;
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    await this.db.delete(this.store, key);
  }

  /** Every key that starts with `prefix`, in order. */
  async keys(prefix = ''): Promise<string[]> {
    return this.db.getAllKeys(this.store, prefixRange(prefix));
  }

  /** Every `[key, value]` whose key starts with `prefix`, read in one transaction. */
  async entries<T>(prefix = ''): Promise<[string, T][]> {
    const tx = this.db.transaction(this.store, 'readonly');
    const range = prefixRange(prefix);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range), tx.done]);
    return keys.map((k, i) => [k, values[i] as T]);
  }
}
