import { CradleError } from '@cradle/core';
import { LIBRARY_ACTOR, appendAudit } from './audit-log.js';
import type { Actor, StatusReason } from './audit-log.js';
import type { CradleCredentialType, CredentialFormat } from './credential-payloads.js';
import { releaseRegistration } from './registration-holder.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import type { SqlExecutor } from './storage/registrar-store.js';

/** What the registrar knows about an issued credential. */
export interface CredentialRecord {
  id: string;
  subject: string;
  type: CradleCredentialType;
  format: CredentialFormat;
  jwt: string;
  status: { purpose: 'revocation' | 'suspension'; list: string; index: number }[];
  /** ISO date-time of revocation (irreversible), or null. */
  revokedAt: string | null;
  /** ISO date-time of the current suspension, or null. */
  suspendedAt: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  subject: string;
  type: CradleCredentialType;
  format: CredentialFormat;
  jwt: string;
  revocation_list: string | null;
  revocation_index: number | null;
  suspension_list: string | null;
  suspension_index: number | null;
  revoked_at: string | null;
  suspended_at: string | null;
  created_at: string;
}

function toRecord(r: Row): CredentialRecord {
  const status: CredentialRecord['status'] = [];
  if (r.revocation_list !== null && r.revocation_index !== null) status.push({ purpose: 'revocation', list: r.revocation_list, index: r.revocation_index });
  if (r.suspension_list !== null && r.suspension_index !== null) status.push({ purpose: 'suspension', list: r.suspension_list, index: r.suspension_index });
  return {
    id: r.id,
    subject: r.subject,
    type: r.type,
    format: r.format,
    jwt: r.jwt,
    status,
    revokedAt: r.revoked_at,
    suspendedAt: r.suspended_at,
    createdAt: r.created_at,
  };
}

/** One credential by id, or undefined. */
export async function getCredential(db: SqlExecutor, id: string): Promise<CredentialRecord | undefined> {
  const rows = (await db.query('SELECT * FROM "cradle_credential" WHERE "id" = ?', [id])) as Row[];
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/** Issued credentials, newest first. */
export async function listCredentials(db: SqlExecutor, opts: { limit?: number; offset?: number } = {}): Promise<CredentialRecord[]> {
  const limit = opts.limit ?? 100;
  const offset = opts.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new CradleError('INVALID_ARGUMENT', 'limit must be 1..10000.', { details: { field: 'limit' } });
  if (!Number.isSafeInteger(offset) || offset < 0) throw new CradleError('INVALID_ARGUMENT', 'offset must be >= 0.', { details: { field: 'offset' } });
  const rows = (await db.query('SELECT * FROM "cradle_credential" ORDER BY "created_at" DESC, "id" LIMIT ? OFFSET ?', [limit, offset])) as Row[];
  return rows.map(toRecord);
}

/** The three status changes. */
export type StatusAction = 'revoke' | 'suspend' | 'unsuspend';

/** Who changes a credential's status and why (the audit log's "who" and "why"). */
export interface StatusChangeContext {
  /** Default `library`. */
  actor?: Actor;
  /** Why (a code from the closed list, never free text). */
  reason?: StatusReason;
}

/**
 * Flip a credential's status bit in its list and mark the list dirty, in one transaction; the change
 * reaches verifiers at the next `publish()`. Revocation is irreversible: `unsuspend` of a revoked
 * credential is a `CONFLICT`; revoking twice is a no-op. Suspending needs a suspension entry. A change
 * that happened is recorded in the audit log (who, why) in the same transaction; a no-op is not.
 */
export async function changeStatus(rt: RegistrarRuntime, id: string, action: StatusAction, ctx: StatusChangeContext = {}): Promise<CredentialRecord> {
  return rt.queue.run(() =>
    rt.db.write(async (tx) => {
      const { record, changed } = await applyStatus(rt, tx, id, action);
      if (changed) {
        await appendAudit(tx, { at: new Date(rt.config.now()).toISOString(), actor: ctx.actor ?? LIBRARY_ACTOR, action, credentialId: id, ...(ctx.reason === undefined ? {} : { reason: ctx.reason }) });
      }
      return record;
    }),
  );
}

async function applyStatus(rt: RegistrarRuntime, tx: SqlExecutor, id: string, action: StatusAction): Promise<{ record: CredentialRecord; changed: boolean }> {
  const record = await getCredential(tx, id);
  if (record === undefined) throw new CradleError('NOT_FOUND', `No credential with id ${id} was issued here.`, { details: { id } });
  const now = new Date(rt.config.now()).toISOString();
  const unchanged = { record, changed: false };
  if (action === 'revoke') {
    if (record.revokedAt !== null) return unchanged;
    const slot = record.status.find((s) => s.purpose === 'revocation');
    if (slot === undefined) throw new CradleError('CONFLICT', `Credential ${id} has no revocation entry.`);
    await setBit(tx, slot.list, slot.index, 1);
    await tx.query('UPDATE "cradle_credential" SET "revoked_at" = ? WHERE "id" = ?', [now, id]);
    // A revoked birth credential no longer holds its registration (one child per registration).
    await releaseRegistration(tx, rt.db.kind, id);
    return { record: { ...record, revokedAt: now }, changed: true };
  }
  const slot = record.status.find((s) => s.purpose === 'suspension');
  if (slot === undefined) {
    throw new CradleError('CONFLICT', `Credential ${id} has no suspension entry (issued with suspension disabled); it can only be revoked.`, { details: { id } });
  }
  if (record.revokedAt !== null) {
    throw new CradleError('CONFLICT', `Credential ${id} is revoked; revocation is permanent, so it cannot be ${action === 'suspend' ? 'suspended' : 'unsuspended'}.`, { details: { id } });
  }
  if (action === 'suspend') {
    if (record.suspendedAt !== null) return unchanged;
    await setBit(tx, slot.list, slot.index, 1);
    await tx.query('UPDATE "cradle_credential" SET "suspended_at" = ? WHERE "id" = ?', [now, id]);
    return { record: { ...record, suspendedAt: now }, changed: true };
  }
  if (record.suspendedAt === null) return unchanged;
  await setBit(tx, slot.list, slot.index, 0);
  await tx.query('UPDATE "cradle_credential" SET "suspended_at" = NULL WHERE "id" = ?', [id]);
  return { record: { ...record, suspendedAt: null }, changed: true };
}

async function setBit(tx: SqlExecutor, list: string, index: number, value: 0 | 1): Promise<void> {
  const rows = (await tx.query('SELECT "bits" FROM "cradle_status_list" WHERE "name" = ?', [list])) as { bits: Buffer }[];
  const bits = rows[0]?.bits;
  if (bits === undefined) throw new CradleError('NOT_FOUND', `Status list ${list} is missing from the database.`);
  const mask = 0x80 >>> (index & 7);
  const byte = bits[index >>> 3]!;
  bits[index >>> 3] = value === 1 ? byte | mask : byte & ~mask;
  await tx.query('UPDATE "cradle_status_list" SET "bits" = ?, "dirty" = 1 WHERE "name" = ?', [bits, list]);
}
