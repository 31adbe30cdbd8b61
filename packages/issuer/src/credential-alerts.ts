import { randomUUID } from 'node:crypto';
import { ALERT_STATUS_SIZE, CradleError, StatusList, alertKindOf, alertValue, isAlertKind } from '@cradle/core';
import type { AlertKind } from '@cradle/core';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { LIBRARY_ACTOR, appendAudit } from './audit-log.js';
import type { Actor } from './audit-log.js';
import type { SqlExecutor } from './storage/registrar-store.js';

/** Longest reason recorded with an alert change. */
export const MAX_ALERT_REASON_LENGTH = 1000;

/** What `registrar.alert()` changed. */
export interface AlertChange {
  /** The birth credential. */
  id: string;
  /** The alert now set (null: cleared). */
  kind: AlertKind | null;
  /** The alert set before (null: none). */
  previous: AlertKind | null;
  reason: string;
  /** ISO date-time of the change. */
  at: string;
}

/** One recorded raise or clear of an alert (the registrar's own record: never published). */
export interface AlertEvent {
  kind: AlertKind | 'clear';
  reason: string;
  at: string;
}

/**
 * Raise (`kind`) or clear (`kind: null`) the child-protection alert of birth credential `id`: set its
 * 2-bit entry in its alert list, mark the list for the next `publish()`, and record the reason, in one
 * transaction. Raising the alert that is already set, or clearing none, changes no bits but is still
 * recorded. `NOT_FOUND` for an unknown id; `CONFLICT` for a credential without an alert entry (not a
 * birth credential, or issued before this registrar had checkpoint alert keys).
 */
export async function setAlert(rt: RegistrarRuntime, id: string, opts: { kind: AlertKind | null; reason: string; actor?: Actor }): Promise<AlertChange> {
  if (opts.kind !== null && !isAlertKind(opts.kind)) {
    throw new CradleError('INVALID_ARGUMENT', `Unknown alert kind ${JSON.stringify(opts.kind)}: use missing, protection-order or verify-with-authority.`, { details: { field: 'kind' } });
  }
  const reason = typeof opts.reason === 'string' ? opts.reason.trim() : '';
  if (reason === '' || reason.length > MAX_ALERT_REASON_LENGTH) {
    throw new CradleError('INVALID_ARGUMENT', `Give the reason for the alert change (1 to ${MAX_ALERT_REASON_LENGTH} characters): it is recorded with it.`, { details: { field: 'reason' } });
  }
  if (rt.config.alertRecipients.length === 0) {
    throw new CradleError('CONFIG_INVALID', 'This registrar has no checkpoint alert keys, so no checkpoint could read an alert: configure them first (`cradle registrar init --alert-recipient FILE`, docs/privacy.md).');
  }
  return rt.queue.run(() =>
    rt.db.write(async (tx) => {
      const rows = (await tx.query('SELECT "type", "alert_list", "alert_index" FROM "cradle_credential" WHERE "id" = ?', [id])) as {
        type: string;
        alert_list: string | null;
        alert_index: number | null;
      }[];
      const row = rows[0];
      if (row === undefined) throw new CradleError('NOT_FOUND', `No credential with id ${id} was issued here.`, { details: { id } });
      if (row.alert_list === null || row.alert_index === null) {
        throw new CradleError(
          'CONFLICT',
          row.type === 'BirthRegistrationCredential'
            ? `Credential ${id} was issued before this registrar had checkpoint alert keys, so it has no alert entry: issue the child a new birth credential (\`cradle registrar correct\`) and raise the alert on that one.`
            : `Credential ${id} is a ${row.type}: alerts are raised on the child's birth credential.`,
          { details: { id } },
        );
      }
      const lists = (await tx.query('SELECT "bits" FROM "cradle_status_list" WHERE "name" = ?', [row.alert_list])) as { bits: Buffer }[];
      const bits = lists[0]?.bits;
      if (bits === undefined) throw new CradleError('NOT_FOUND', `Alert list ${row.alert_list} is missing from the database.`);
      const list = StatusList.fromBytes(new Uint8Array(bits), { statusSize: ALERT_STATUS_SIZE });
      const previous = alertKindOf(list.get(row.alert_index)) ?? null;
      const at = new Date(rt.config.now()).toISOString();
      if ((previous ?? null) !== opts.kind) {
        list.set(row.alert_index, opts.kind === null ? 0 : alertValue(opts.kind));
        await tx.query('UPDATE "cradle_status_list" SET "bits" = ?, "dirty" = 1 WHERE "name" = ?', [Buffer.from(list.bytes), row.alert_list]);
      }
      await tx.query('INSERT INTO "cradle_alert_event" ("id", "credential_id", "kind", "reason", "created_at") VALUES (?, ?, ?, ?, ?)', [
        randomUUID(),
        id,
        opts.kind ?? 'clear',
        reason,
        at,
      ]);
      // The audit log records who and which kind, never the free-text reason (it stays in cradle_alert_event).
      await appendAudit(tx, { at, actor: opts.actor ?? LIBRARY_ACTOR, action: 'alert', credentialId: id, detail: opts.kind ?? 'clear' });
      return { id, kind: opts.kind, previous, reason, at };
    }),
  );
}

/** Every recorded alert change of credential `id`, oldest first. */
export async function alertEvents(db: SqlExecutor, id: string): Promise<AlertEvent[]> {
  return (await db.query('SELECT "kind", "reason", "created_at" AS "at" FROM "cradle_alert_event" WHERE "credential_id" = ? ORDER BY "created_at"', [id])) as AlertEvent[];
}
