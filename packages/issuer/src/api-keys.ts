import { createHash, randomBytes } from 'node:crypto';
import { CradleError } from '@cradle/core';
import { appendAudit } from './audit-log.js';
import type { Actor } from './audit-log.js';
import type { RegistrarStore, SqlExecutor } from './storage/registrar-store.js';

/**
 * What a key may do. `clerk`: issue credentials (and print their certificates); `supervisor`: revoke,
 * suspend and unsuspend (and print certificates); `operator`: publish status lists and manage keys.
 * A person with several duties holds several keys.
 */
export const API_ROLES = ['clerk', 'supervisor', 'operator'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** An API key as stored (never the token itself). */
export interface ApiKey {
  /** Public id (`key_` + 16 hex), shown in the audit log. */
  id: string;
  /** Who holds it (a person or a service): the "who" of the audit log. */
  name: string;
  role: ApiRole;
  createdAt: string;
  revokedAt: string | null;
}

/** A freshly created key: `token` is shown once and stored nowhere (only its sha256). */
export interface CreatedApiKey extends ApiKey {
  token: string;
}

/** Tokens look like `cradle_<id>_<43 base64url chars>`: 256 random bits. */
const TOKEN = /^cradle_(key_[0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

/**
 * sha256 of the token. A token carries 256 random bits, so a fast hash is enough: there is nothing to
 * brute-force (a slow KDF protects low-entropy passwords, which these are not).
 */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface Row {
  id: string;
  name: string;
  role: ApiRole;
  created_at: string;
  revoked_at: string | null;
}

function toKey(r: Row): ApiKey {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** Create a key for `name` with `role`; returns the token once. Audited as `key.create`. */
export async function createApiKey(db: RegistrarStore, args: { name: string; role: ApiRole; actor: Actor; now: Date }): Promise<CreatedApiKey> {
  const name = args.name.trim();
  if (name === '' || name.length > 100 || /[\p{Cc}\p{Cf}]/u.test(name)) {
    throw new CradleError('INVALID_ARGUMENT', 'A key name must be 1-100 printable characters (who holds the key, e.g. "clerk-office-3").', { details: { field: 'name' } });
  }
  if (!(API_ROLES as readonly string[]).includes(args.role)) {
    throw new CradleError('INVALID_ARGUMENT', `role must be one of ${API_ROLES.join(', ')}.`, { details: { field: 'role' } });
  }
  const id = `key_${randomBytes(8).toString('hex')}`;
  const token = `cradle_${id}_${randomBytes(32).toString('base64url')}`;
  const createdAt = args.now.toISOString();
  await db.write(async (tx) => {
    await tx.query('INSERT INTO "cradle_api_key" ("id", "name", "role", "secret_hash", "created_at") VALUES (?, ?, ?, ?, ?)', [id, name, args.role, tokenHash(token), createdAt]);
    await appendAudit(tx, { at: createdAt, actor: args.actor, action: 'key.create', detail: `${id} ${args.role}` });
  });
  return { id, name, role: args.role, createdAt, revokedAt: null, token };
}

/** Every key, newest first (revoked ones too). */
export async function listApiKeys(db: SqlExecutor): Promise<ApiKey[]> {
  return (await db.query<Row>('SELECT "id", "name", "role", "created_at", "revoked_at" FROM "cradle_api_key" ORDER BY "created_at" DESC, "id"')).map(toKey);
}

/** Revoke a key (it stops working at once, on every replica). Audited as `key.revoke`. */
export async function revokeApiKey(db: RegistrarStore, args: { id: string; actor: Actor; now: Date }): Promise<ApiKey> {
  return db.write(async (tx) => {
    const [row] = await tx.query<Row>('SELECT "id", "name", "role", "created_at", "revoked_at" FROM "cradle_api_key" WHERE "id" = ?', [args.id]);
    if (row === undefined) throw new CradleError('NOT_FOUND', `No API key ${args.id}: see \`cradle registrar keys list\`.`, { details: { id: args.id } });
    if (row.revoked_at !== null) return toKey(row);
    const at = args.now.toISOString();
    await tx.query('UPDATE "cradle_api_key" SET "revoked_at" = ? WHERE "id" = ?', [at, args.id]);
    await appendAudit(tx, { at, actor: args.actor, action: 'key.revoke', detail: `${row.id} ${row.role}` });
    return toKey({ ...row, revoked_at: at });
  });
}

/** The live key a bearer token belongs to, or undefined (unknown, malformed or revoked). */
export async function authenticateApiKey(db: SqlExecutor, token: string): Promise<ApiKey | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await db.query<Row>('SELECT "id", "name", "role", "created_at", "revoked_at" FROM "cradle_api_key" WHERE "secret_hash" = ?', [tokenHash(token)]);
  return row === undefined || row.revoked_at !== null ? undefined : toKey(row);
}
