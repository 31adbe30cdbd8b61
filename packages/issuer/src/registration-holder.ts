import { CradleError } from '@cradle/core';
import { issueWithOutcome } from './issue-credential.js';
import type { IssueOutcome, IssueRequest, IssuedCredential } from './issue-credential.js';
import { REGISTRATION_LOCK_SPACE } from './migrations/1795000000022-cradle-registration-holder.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { registrationHolder } from './registration-lookup.js';
import type { RegistrationHolder } from './registration-lookup.js';
import type { SqlExecutor, StoreKind } from './storage/registrar-store.js';

/** Issuances tried before giving up when the registration keeps changing hands under us (replicas). */
const MAX_ATTEMPTS = 3;

/**
 * True when the database refused a birth credential because another child's live credential holds its
 * registration (the `cradle_registration_hold` trigger: `CRADLE_REGISTRATION_HELD`).
 */
export function isRegistrationHeld(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    const r = cur as { message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof r.message === 'string' && r.message.includes('CRADLE_REGISTRATION_HELD')) return true;
    cur = r.driverError ?? r.cause;
  }
  return false;
}

function heldConflict(registration: { number: string }, holder: RegistrationHolder): CradleError {
  return new CradleError(
    'CONFLICT',
    `Registration ${registration.number} of this office already has a live birth credential (${holder.credentialId}) for another child. Revoke it first if this record replaces it (\`cradle registrar find ${registration.number}\`).`,
    { details: { credentialId: holder.credentialId } },
  );
}

function heldWarning(registration: { number: string }, holder: RegistrationHolder): NonNullable<IssuedCredential['warnings']>[number] {
  return {
    code: 'REGISTRATION_ALREADY_ISSUED',
    message: `Registration ${registration.number} of this office already has a live birth credential (${holder.credentialId}) for another child.`,
    credentialId: holder.credentialId,
  };
}

/**
 * Issue a birth credential under the rule **one child per registration** (office + number), which the
 * database enforces: the INSERT itself takes the registration for this child or is refused when another
 * child's live credential holds it, so two replicas issuing one registration to two children at the same
 * instant cannot both take it. A re-issue to the same child (another format, `correct()`) is not a
 * duplicate. With `duplicateRegistration: 'refuse'` a held registration is a `CONFLICT` naming the
 * holding credential; with `warn` (the default) it is issued, marked as a known duplicate, with a
 * `REGISTRATION_ALREADY_ISSUED` warning naming that credential: the database decides which of two
 * simultaneous issuances is the second, so the warning is never lost.
 */
export async function issueRegistered(rt: RegistrarRuntime, req: IssueRequest & { registration: { number: string; key: string } }): Promise<IssuedCredential> {
  for (let attempt = 1; ; attempt++) {
    let outcome: IssueOutcome;
    try {
      // The holder is looked up when the row is written, with the other rows of its group commit.
      outcome = await issueWithOutcome(rt, req, rt.config.duplicateRegistration);
    } catch (e) {
      // Another child took the registration between our look and our INSERT (another replica or process):
      // look again and apply the policy to the child that holds it now.
      if (!isRegistrationHeld(e) || attempt >= MAX_ATTEMPTS) throw e;
      continue;
    }
    if ('refusedBy' in outcome) throw heldConflict(req.registration, outcome.refusedBy);
    const other = outcome.duplicateOf;
    return other === undefined ? outcome.issued : { ...outcome.issued, warnings: [heldWarning(req.registration, other)] };
  }
}

/**
 * After birth credential `credentialId` was revoked (inside the same write transaction): if it held its
 * registration, the registration passes to the same child's next live credential of it (a correction
 * issued before the old one was revoked), else to the oldest live credential of another child (a known
 * duplicate), else it is free. On PostgreSQL the per-registration advisory lock serialises this with
 * issuances of the same registration on other replicas.
 */
export async function releaseRegistration(tx: SqlExecutor, kind: StoreKind, credentialId: string): Promise<void> {
  const [revoked] = await tx.query<{ subject: string; registration_key: string | null; type: string }>(
    'SELECT "subject", "registration_key", "type" FROM "cradle_credential" WHERE "id" = ?',
    [credentialId],
  );
  const key = revoked?.registration_key;
  if (revoked === undefined || key === null || key === undefined || revoked.type !== 'BirthRegistrationCredential') return;
  if (kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(?, hashtext(?))', [REGISTRATION_LOCK_SPACE, key]);
  const holder = await registrationHolder(tx, key);
  if (holder === undefined || holder.subject !== revoked.subject) return;
  const oldestLive = async (sameChild: boolean) =>
    (
      await tx.query<{ id: string; subject: string }>(
        `SELECT "id", "subject" FROM "cradle_credential"
         WHERE "registration_key" = ? AND "type" = 'BirthRegistrationCredential' AND "revoked_at" IS NULL AND "subject" ${sameChild ? '=' : '<>'} ?
         ORDER BY "created_at", "id" LIMIT 1`,
        [key, holder.subject],
      )
    )[0];
  const next = (await oldestLive(true)) ?? (await oldestLive(false));
  if (next === undefined) await tx.query('DELETE FROM "cradle_registration_holder" WHERE "registration_key" = ?', [key]);
  else await tx.query('UPDATE "cradle_registration_holder" SET "subject" = ?, "credential_id" = ? WHERE "registration_key" = ?', [next.subject, next.id, key]);
}
