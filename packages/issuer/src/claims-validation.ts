import { CradleError, WEAK_DID_KEY_MESSAGE, claimsFromFlatRecord, isWeakEd25519DidKey, validateBirthRegistrationClaims, validateGuardianshipClaims } from '@cradle/core';
import type { Clock } from '@cradle/core';

/** One problem found in the input: which field, what is wrong. */
export interface ClaimProblem {
  field: string;
  message: string;
}

const DID_PATTERN = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** Throw `INVALID_CLAIMS` naming every problem (the first one in the message). */
export function invalidClaims(problems: readonly ClaimProblem[]): never {
  const first = problems[0];
  const summary = first === undefined ? 'invalid claims' : `${first.field}: ${first.message}`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new CradleError('INVALID_CLAIMS', `Invalid claims: ${summary}${more}.`, {
    details: { field: first?.field, errors: problems.map((p) => ({ field: p.field, message: p.message })) },
  });
}

/** Check a subject DID (the child). */
export function subjectProblems(subject: unknown, field = 'subject'): ClaimProblem[] {
  if (typeof subject !== 'string' || subject.length > 512 || !DID_PATTERN.test(subject)) {
    return [{ field, message: 'must be a DID (e.g. did:key:z6Mk…)' }];
  }
  if (isWeakEd25519DidKey(subject)) return [{ field, message: `${WEAK_DID_KEY_MESSAGE}: create a new DID in the wallet` }];
  return [];
}

/**
 * Validate birth-registration claims against `@cradle/core`'s JSON Schema and date rules before anything
 * is signed or stored; `INVALID_CLAIMS` names every bad field.
 */
export function checkBirthRegistrationClaims(claims: unknown, now: Clock): Record<string, unknown> {
  const result = validateBirthRegistrationClaims(claims, { now });
  if (!result.ok) invalidClaims(result.errors.map(rootField));
  return result.claims as unknown as Record<string, unknown>;
}

/** Validate guardianship claims (`{ guardians: [{ id, role }], basis? }`) with `@cradle/core`. */
export function checkGuardianshipClaims(claims: unknown, now: Clock): Record<string, unknown> {
  const result = validateGuardianshipClaims(claims, { now });
  if (!result.ok) invalidClaims(result.errors.map(rootField));
  const guardians = (result.claims as unknown as { guardians?: { id?: unknown }[] }).guardians ?? [];
  const weak = guardians.flatMap((g, i) => (typeof g.id === 'string' && isWeakEd25519DidKey(g.id) ? [{ field: `guardians[${i}].id`, message: `${WEAK_DID_KEY_MESSAGE}: the guardian needs a new DID` }] : []));
  if (weak.length > 0) invalidClaims(weak);
  return result.claims as unknown as Record<string, unknown>;
}

/** Core reports problems with the object itself under the empty field; call it `claims`. */
function rootField(e: { field: string; message: string }): ClaimProblem {
  return e.field === '' ? { field: 'claims', message: e.message } : { field: e.field, message: e.message };
}

/** Flat record (a CSV row without the DID column) -> claims, via core's `claimsFromFlatRecord`. */
export function claimsFromRecord(record: Record<string, string>): unknown {
  return claimsFromFlatRecord(record);
}
