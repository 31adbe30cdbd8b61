import { createHash } from 'node:crypto';
import { TYP_JWT, TYP_VC_JWT, decodeJws } from '@cradle/core';
import { getCredential } from './credential-records.js';
import type { CredentialRecord } from './credential-records.js';
import type { SqlExecutor } from './storage/registrar-store.js';

/**
 * The identity of a birth registration: the registering office (its code, else its name) and the
 * registration number, case- and space-insensitive, hashed. Two credentials with the same identity are
 * the same registration, whatever file, run or replica issued them.
 */
export function registrationKey(claims: Record<string, unknown>): string | undefined {
  const office = claims.registeringOffice as { code?: unknown; name?: unknown } | undefined;
  const officeKey = typeof office?.code === 'string' ? `code:${office.code}` : typeof office?.name === 'string' ? `name:${office.name}` : undefined;
  const number = claims.registrationNumber;
  if (officeKey === undefined || typeof number !== 'string') return undefined;
  const norm = (t: string) => t.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return createHash('sha256').update(`birth-registration\0${norm(officeKey)}\0${norm(number)}`).digest('hex');
}

/** The child whose live birth credential holds a registration, and that credential. */
export interface RegistrationHolder {
  credentialId: string;
  subject: string;
}

/** Who holds registration `key` (hashed office + number, {@link registrationKey}), or undefined. */
export async function registrationHolder(db: SqlExecutor, key: string): Promise<RegistrationHolder | undefined> {
  return (await registrationHolders(db, [key])).get(key);
}

/** Who holds each of registration `keys` (one statement), by key; a free registration has no entry. */
export async function registrationHolders(db: SqlExecutor, keys: readonly string[]): Promise<Map<string, RegistrationHolder>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<{ registration_key: string; credential_id: string; subject: string }>(
    `SELECT "registration_key", "credential_id", "subject" FROM "cradle_registration_holder" WHERE "registration_key" IN (${keys.map(() => '?').join(', ')})`,
    keys,
  );
  return new Map(rows.map((r) => [r.registration_key, { credentialId: r.credential_id, subject: r.subject }]));
}

/** The registration number and key of validated birth-registration claims, or undefined without a number. */
export function registrationOfClaims(claims: Record<string, unknown>): { number: string; key: string } | undefined {
  const key = registrationKey(claims);
  return key === undefined ? undefined : { number: claims.registrationNumber as string, key };
}

/** The registration of a stored (own, already signed) birth credential, read from its payload. */
export function registrationOf(jwt: string, format: string): { number: string; key: string } | undefined {
  try {
    const { payload } = decodeJws(jwt, { expectedTyp: [TYP_VC_JWT, TYP_JWT] });
    const vc = (format === 'jwt-vc' ? payload.vc : payload) as { credentialSubject?: unknown } | undefined;
    const subject = vc?.credentialSubject;
    return typeof subject === 'object' && subject !== null ? registrationOfClaims(subject as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every birth credential with registration number `number` (case-insensitive), newest first, any state. */
export async function findByRegistrationNumber(db: SqlExecutor, number: string): Promise<CredentialRecord[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT "id" FROM "cradle_credential" WHERE LOWER("registration_number") = LOWER(?) AND "type" = 'BirthRegistrationCredential' ORDER BY "created_at" DESC, "id" LIMIT 100`,
    [number.trim()],
  );
  const records = await Promise.all(rows.map((r) => getCredential(db, r.id)));
  return records.filter((r): r is CredentialRecord => r !== undefined);
}
