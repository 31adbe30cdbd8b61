import type { CredentialKind, VerificationProblem } from '@cradle/core';
import { validateBirthRegistrationClaims, validateGuardianshipClaims } from '@cradle/core';
import type { CredentialView } from './credential-shape.js';
import { artefactName, problem } from './messages.js';

export type { CredentialKind } from '@cradle/core';

/** The Cradle kind of a credential (read once, by `@cradle/core`'s credential reader). */
export function credentialKind(view: CredentialView): CredentialKind {
  return view.kind;
}

function claimsOf(subject: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { id: _id, ...claims } = subject;
  return claims;
}

/**
 * Validate the claims against `@cradle/core`'s JSON Schemas (`SCHEMA_INVALID`, naming the fields).
 * Credential types this checkpoint does not check are reported too: a checkpoint answers only for
 * birth registrations and guardianships.
 */
export function checkClaims(view: CredentialView, now: Date, where: string, problems: VerificationProblem[]): void {
  const who = artefactName(where);
  const kind = credentialKind(view);
  if (kind === 'other') {
    problems.push(problem('SCHEMA_INVALID', `${who} is not a birth registration or guardianship credential: this checkpoint does not check it.`, where));
    return;
  }
  const claims = claimsOf(view.subject);
  const result = kind === 'birth-registration' ? validateBirthRegistrationClaims(claims, { now }) : validateGuardianshipClaims(claims, { now });
  // A selectively disclosed credential is judged on what it discloses: a claim the holder withheld is not
  // missing, but every claim it does show must be valid.
  const errors = result.ok ? [] : view.format === 'sd-jwt-vc' ? result.errors.filter((e) => Object.hasOwn(claims, rootOf(e.field))) : result.errors;
  if (errors.length > 0) {
    const fields = [...new Set(errors.map((e) => e.field))].slice(0, 5).join(', ');
    problems.push(problem('SCHEMA_INVALID', `${who} has missing or invalid details (${fields}): it is rejected.`, where));
  }
}

function rootOf(field: string): string {
  return field.split(/[.[]/)[0] ?? field;
}

/** Facts about the child an officer needs, from a birth-registration credential. */
export interface ChildFacts {
  readonly givenName: string;
  readonly familyName: string;
  readonly birthDate: string;
  readonly ageYears?: number;
  /** The sex as recorded in the register (`female`, `male`, `other`, `unknown`). */
  readonly sex?: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 200) : '';
}

/** Whole years between an ISO date (`YYYY-MM-DD`) and `now`, or undefined. */
export function ageInYears(birthDate: string, now: Date): number | undefined {
  // `YYYY-MM-DD` at the start, read digit by digit (once per verification: no regex match objects).
  if (birthDate.length < 10 || birthDate.charCodeAt(4) !== 45 || birthDate.charCodeAt(7) !== 45) return undefined;
  const y = digits(birthDate, 0, 4);
  const mo = digits(birthDate, 5, 2);
  const d = digits(birthDate, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return undefined;
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d)) age--;
  return age >= 0 && age < 200 ? age : undefined;
}

/** The decimal number of `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Child facts from a birth-registration credential subject. */
export function childFacts(subject: Readonly<Record<string, unknown>>, now: Date): ChildFacts {
  const birthDate = str(subject.birthDate);
  const age = ageInYears(birthDate, now);
  const sex = str(subject.sex);
  const facts: { -readonly [K in keyof ChildFacts]: ChildFacts[K] } = { givenName: str(subject.givenName), familyName: str(subject.familyName), birthDate };
  if (age !== undefined) facts.ageYears = age;
  if (sex !== '') facts.sex = sex;
  return facts;
}

/** Guardian DIDs listed in a guardianship credential subject. */
export function listedGuardians(subject: Readonly<Record<string, unknown>>): string[] {
  const g = subject.guardians;
  if (!Array.isArray(g)) return [];
  return g
    .slice(0, 32)
    .map((x: unknown) => (typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string' ? (x as { id: string }).id : undefined))
    .filter((x): x is string => x !== undefined);
}

/** The name of the registering office, from a birth-registration credential subject ('' when absent). */
export function registeringOfficeName(subject: Readonly<Record<string, unknown>>): string {
  const office = subject.registeringOffice;
  return typeof office === 'object' && office !== null && !Array.isArray(office) ? str((office as Record<string, unknown>).name) : '';
}
