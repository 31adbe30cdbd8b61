/** Small promise wrappers over IndexedDB; the app's only persistent storage. */

/** Name of the app's database. One database holds the verifier's cache, settings and the local log. */
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

/** Turns an IDBRequest into a promise. */
export function requestToPromise<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when a transaction commits, rejects when it aborts. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/**
 * Opens (and on first use creates) the app database.
 * @example const db = await openCheckpointDb();
 */
export function openCheckpointDb(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<IDBDatabase> {
  const request = factory.open(name, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(STORES.verifier)) db.createObjectStore(STORES.verifier);
    if (!db.objectStoreNames.contains(STORES.settings)) db.createObjectStore(STORES.settings);
    if (!db.objectStoreNames.contains(STORES.log)) db.createObjectStore(STORES.log, { autoIncrement: true });
  };
  return requestToPromise(request);
}

/** A typed key/value view of one object store. */
export class IdbKeyValue {
  constructor(
    private readonly db: IDBDatabase,
    private readonly store: string,
  ) {}

  /** The value under `key`, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    const tx = this.db.transaction(this.store, 'readonly');
    return (await requestToPromise(tx.objectStore(this.store).get(key))) as T | undefined;
  }

  /** Stores `value` (structured-cloneable) under `key`. */
  async set(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction(this.store, 'readwrite');
    tx.objectStore(this.store).put(value, key);
    await transactionDone(tx);
  }

  /** Writes several entries atomically: all of them or none. */
  async setMany(entries: Iterable<readonly [string, unknown]>, deleteKeys: Iterable<string> = []): Promise<void> {
    const tx = this.db.transaction(this.store, 'readwrite');
    const os = tx.objectStore(this.store);
    for (const key of deleteKeys) os.delete(key);
    for (const [key, value] of entries) os.put(value, key);
    await transactionDone(tx);
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    const tx = this.db.transaction(this.store, 'readwrite');
    tx.objectStore(this.store).delete(key);
    await transactionDone(tx);
  }

  /** Every key that starts with `prefix`, in order. */
  async keys(prefix = ''): Promise<string[]> {
    const tx = this.db.transaction(this.store, 'readonly');
    const range = prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    const keys = await requestToPromise(tx.objectStore(this.store).getAllKeys(range));
    return keys.filter((k): k is string => typeof k === 'string');
  }

  /** Every `[key, value]` whose key starts with `prefix`. */
  async entries<T>(prefix = ''): Promise<[string, T][]> {
    const tx = this.db.transaction(this.store, 'readonly');
    const os = tx.objectStore(this.store);
    const range = prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    const [keys, values] = await Promise.all([
      requestToPromise(os.getAllKeys(range)),
      requestToPromise(os.getAll(range)),
    ]);
    return keys.map((k, i) => [String(k), values[i] as T]);
  }
}
