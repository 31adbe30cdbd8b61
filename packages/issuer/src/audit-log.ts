import { CradleError } from '@cradle/core';
import type { SqlExecutor } from './storage/registrar-store.js';

/** What the audit log records. `issue` rows are written by the database itself, with the credential. */
export type AuditAction = 'issue' | 'revoke' | 'suspend' | 'unsuspend' | 'alert' | 'publish' | 'key.create' | 'key.revoke';

/**
 * Why a credential's status changed: a closed list, so the audit log (and whoever reads it) never holds
 * free text about a child. `other` when none fits.
 */
export const STATUS_REASONS = ['error-in-record', 'duplicate', 'superseded', 'fraud', 'court-order', 'deceased', 'investigation', 'other'] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** Who acts: an API key (its id and its holder's name) or a local operator (`cli:<user>`, `library`). */
export interface Actor {
  name: string;
  /** The API key id, when the action came through one. */
  keyId?: string;
}

/** One audit entry: who, when, what, why. Nothing personal beyond the credential id. */
export interface AuditEntry {
  /** Position in the log (increasing). */
  seq: number;
  at: string;
  actor: string;
  actorKey: string | null;
  action: AuditAction;
  credentialId: string | null;
  reason: StatusReason | null;
  /** Non-personal detail: the credential type, `list@version` of a publication, the key's id and role. */
  detail: string | null;
}

/** The default actor of library calls that name none. */
export const LIBRARY_ACTOR: Actor = { name: 'library' };

/** Throw INVALID_ARGUMENT unless `reason` is undefined or one of {@link STATUS_REASONS}. */
export function checkReason(reason: unknown): StatusReason | undefined {
  if (reason === undefined) return undefined;
  if (typeof reason !== 'string' || !(STATUS_REASONS as readonly string[]).includes(reason)) {
    throw new CradleError('INVALID_ARGUMENT', `reason must be one of ${STATUS_REASONS.join(', ')} (a code, never free text about the child).`, { details: { field: 'reason' } });
  }
  return reason as StatusReason;
}

/** Append one entry, inside the caller's transaction (so the action and its record commit together). */
export async function appendAudit(
  tx: SqlExecutor,
  entry: { at: string; actor: Actor; action: AuditAction; credentialId?: string; reason?: StatusReason; detail?: string },
): Promise<void> {
  await tx.query('INSERT INTO "cradle_audit" ("at", "actor", "actor_key", "action", "credential_id", "reason", "detail") VALUES (?, ?, ?, ?, ?, ?, ?)', [
    entry.at,
    entry.actor.name,
    entry.actor.keyId ?? null,
    entry.action,
    entry.credentialId ?? null,
    entry.reason ?? null,
    entry.detail ?? null,
  ]);
}

/** Options of {@link readAudit}. */
export interface AuditQuery {
  /** Only entries about this credential. */
  credentialId?: string;
  /** Only entries after this `seq` (to follow the log). */
  after?: number;
  /** At most this many, oldest first (default 100, at most 10,000). */
  limit?: number;
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  actor_key: string | null;
  action: AuditAction;
  credential_id: string | null;
  reason: StatusReason | null;
  detail: string | null;
}

/** Audit entries, oldest first. */
export async function readAudit(db: SqlExecutor, q: AuditQuery = {}): Promise<AuditEntry[]> {
  const limit = q.limit ?? 100;
  const after = q.after ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new CradleError('INVALID_ARGUMENT', 'limit must be 1..10000.', { details: { field: 'limit' } });
  if (!Number.isSafeInteger(after) || after < 0) throw new CradleError('INVALID_ARGUMENT', 'after must be >= 0.', { details: { field: 'after' } });
  const rows =
    q.credentialId === undefined
      ? await db.query<Row>('SELECT * FROM "cradle_audit" WHERE "seq" > ? ORDER BY "seq" LIMIT ?', [after, limit])
      : await db.query<Row>('SELECT * FROM "cradle_audit" WHERE "seq" > ? AND "credential_id" = ? ORDER BY "seq" LIMIT ?', [after, q.credentialId, limit]);
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    actorKey: r.actor_key,
    action: r.action,
    credentialId: r.credential_id,
    reason: r.reason,
    detail: r.detail,
  }));
}
