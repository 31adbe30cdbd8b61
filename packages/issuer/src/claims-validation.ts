import { CradleError } from '@cradle/core';

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
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validate birth-registration claims before anything is signed or stored. Delegates to the JSON Schema
 * in `@cradle/core` ({@link validateBirthRegistrationClaimsCore}).
 */
export function checkBirthRegistrationClaims(claims: unknown, now: Date): Record<string, unknown> {
  const result = validateBirthRegistrationClaimsCore(claims, now);
  if (!result.ok) invalidClaims(result.errors);
  return result.claims;
}

/** Validate guardianship claims (`{ guardians: [{ id, role }], basis? }`). */
export function checkGuardianshipClaims(claims: unknown, now: Date): Record<string, unknown> {
  const result = validateGuardianshipClaimsCore(claims, now);
  if (!result.ok) invalidClaims(result.errors);
  return result.claims;
}

type Validation = { ok: true; claims: Record<string, unknown> } | { ok: false; errors: ClaimProblem[] };

// Interim checks until @cradle/core's schema validators land; replaced by them.
function validateBirthRegistrationClaimsCore(claims: unknown, _now: Date): Validation {
  if (!isRecord(claims)) return { ok: false, errors: [{ field: 'claims', message: 'must be a JSON object' }] };
  if ('id' in claims) return { ok: false, errors: [{ field: 'id', message: 'is the subject DID: pass it as subject, not in claims' }] };
  return { ok: true, claims };
}

function validateGuardianshipClaimsCore(claims: unknown, _now: Date): Validation {
  if (!isRecord(claims)) return { ok: false, errors: [{ field: 'claims', message: 'must be a JSON object' }] };
  const guardians = claims.guardians;
  if (!Array.isArray(guardians) || guardians.length === 0) return { ok: false, errors: [{ field: 'guardians', message: 'must list at least one guardian' }] };
  const errors: ClaimProblem[] = [];
  guardians.forEach((g: unknown, i) => {
    if (!isRecord(g)) errors.push({ field: `guardians[${i}]`, message: 'must be { id, role }' });
    else errors.push(...subjectProblems(g.id, `guardians[${i}].id`));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, claims };
}

/** Flat record (a CSV row without the DID column) -> claims. Interim until core's `claimsFromFlatRecord`. */
export function claimsFromRecord(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== '') out[k] = v;
  return out;
}
