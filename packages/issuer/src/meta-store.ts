import type { SqlExecutor } from './storage/registrar-store.js';

type Db = SqlExecutor;

/** Read a `cradle_meta` value (undefined when absent). */
export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const rows = await db.query<{ value: string }>('SELECT "value" FROM "cradle_meta" WHERE "key" = ?', [key]);
  return rows[0]?.value;
}

/** Insert or replace a `cradle_meta` value. */
export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.query('INSERT INTO "cradle_meta" ("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value"', [key, value]);
}
