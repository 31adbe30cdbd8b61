import { clockOption } from './clock.js';
import type { Clock } from './clock.js';
import { isRecord } from './guards.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { BirthRegistrationClaims, GuardianshipClaims } from './formats/credential-types.js';
import { CradleError } from './errors.js';
import {
  validateBirthRegistrationClaimsSchema,
  validateGuardianshipClaimsSchema,
} from './schemas/compiled-validators.js';
import { birthRegistrationClaimsSchema } from './schemas/birth-registration-claims.js';
import { guardianshipClaimsSchema } from './schemas/guardianship-claims.js';
import { compileSchemaAcceptor } from './schemas/schema-acceptor.js';

/** One problem with a claims object: the field (dotted path, e.g. `placeOfBirth.country`) and why. */
export interface ClaimsError {
  /** Dotted path with array indices, e.g. `parents[1].reference`; empty for the object itself. */
  readonly field: string;
  /** Plain English, naming the field. */
  readonly message: string;
}

/** Result of validating claims: the typed claims, or every problem found. */
export type ClaimsValidation<T> = { ok: true; claims: T } | { ok: false; errors: ClaimsError[] };

/** Options for the claims validators. */
export interface ValidateClaimsOptions {
  /**
   * The clock for "not in the future" checks (`() => ms since the epoch`); default `Date.now`. A `Date` is
   * still accepted (the earlier shape; deprecated).
   */
  readonly now?: Clock | Date;
}

// Precompiled with Ajv's standalone mode (allErrors, verbose) from the schemas in ./schemas: no
// `new Function` at runtime, so pages with a strict Content-Security-Policy can validate too.
const birthValidator = validateBirthRegistrationClaimsSchema as unknown as ValidateFunction;
const guardianshipValidator = validateGuardianshipClaimsSchema as unknown as ValidateFunction;
// The same schemas as yes/no checks: a valid credential (the common case) never runs Ajv; an invalid one
// gets Ajv's messages.
const acceptsBirth = compileSchemaAcceptor(birthRegistrationClaimsSchema);
const acceptsGuardianship = compileSchemaAcceptor(guardianshipClaimsSchema);

/**
 * Validate birth-registration claims (a `credentialSubject` without `id`) before anything is signed:
 * the JSON Schema `birthRegistrationClaimsSchema`, plus real calendar dates, `birthDate` and
 * `registrationDate` not in the future (relative to `now`, allowing for time zones up to UTC+14),
 * `birthDate` not before 1900, and `registrationDate` not before `birthDate`.
 *
 * @example
 * ```ts
 * const r = validateBirthRegistrationClaims(claims, { now: () => Date.parse('2026-11-23T10:00:00Z') });
 * if (!r.ok) for (const e of r.errors) console.log(e.message); // "placeOfBirth.country must be ..."
 * ```
 */
export function validateBirthRegistrationClaims(
  claims: unknown,
  opts: ValidateClaimsOptions = {},
): ClaimsValidation<BirthRegistrationClaims> {
  const errors = acceptsBirth(claims) ? [] : schemaErrors(birthValidator, claims);
  if (isRecord(claims)) {
    const latest = latestAllowedDate(new Date(clockOption('now', opts.now)()));
    const birth = checkDate(claims, 'birthDate', latest, errors);
    const registration = checkDate(claims, 'registrationDate', latest, errors);
    if (birth !== undefined && birth < '1900-01-01') {
      errors.push({ field: 'birthDate', message: `birthDate ${birth} is before 1900; check the year` });
    }
    if (birth !== undefined && registration !== undefined && registration < birth) {
      errors.push({
        field: 'registrationDate',
        message: `registrationDate (${registration}) must not be before birthDate (${birth})`,
      });
    }
  }
  return errors.length === 0 ? { ok: true, claims: claims as BirthRegistrationClaims } : { ok: false, errors };
}

/**
 * Validate guardianship claims (the child's `credentialSubject` without `id`): the JSON Schema
 * `guardianshipClaimsSchema` plus each guardian DID listed at most once.
 *
 * @example
 * ```ts
 * validateGuardianshipClaims({ guardians: [{ id: 'did:key:z6Mk...', role: 'mother' }] }).ok // true
 * ```
 */
export function validateGuardianshipClaims(
  claims: unknown,
  _opts: ValidateClaimsOptions = {},
): ClaimsValidation<GuardianshipClaims> {
  const errors = acceptsGuardianship(claims) ? [] : schemaErrors(guardianshipValidator, claims);
  if (isRecord(claims) && Array.isArray(claims.guardians)) {
    const seen = new Map<string, number>();
    claims.guardians.forEach((g: unknown, i: number) => {
      if (!isRecord(g) || typeof g.id !== 'string') return;
      const first = seen.get(g.id);
      if (first !== undefined) {
        errors.push({ field: `guardians[${i}].id`, message: `guardians[${i}].id repeats guardians[${first}].id; list each guardian once` });
      } else {
        seen.set(g.id, i);
      }
    });
  }
  return errors.length === 0 ? { ok: true, claims: claims as GuardianshipClaims } : { ok: false, errors };
}

/**
 * Like {@link validateBirthRegistrationClaims} but throws `CradleError('INVALID_CLAIMS')` whose message
 * lists every problem; `details.errors` holds the same list. Returns the typed claims.
 */
export function assertBirthRegistrationClaims(claims: unknown, opts?: ValidateClaimsOptions): BirthRegistrationClaims {
  return unwrap(validateBirthRegistrationClaims(claims, opts), 'birth registration');
}

/** Like {@link validateGuardianshipClaims} but throws `CradleError('INVALID_CLAIMS')`. */
export function assertGuardianshipClaims(claims: unknown, opts?: ValidateClaimsOptions): GuardianshipClaims {
  return unwrap(validateGuardianshipClaims(claims, opts), 'guardianship');
}

function unwrap<T>(result: ClaimsValidation<T>, what: string): T {
  if (result.ok) return result.claims;
  throw new CradleError(
    'INVALID_CLAIMS',
    `invalid ${what} claims: ${result.errors.map((e) => e.message).join('; ')}`,
    { details: { errors: result.errors } },
  );
}

function schemaErrors(validate: ValidateFunction, value: unknown): ClaimsError[] {
  if (validate(value)) return [];
  const out: ClaimsError[] = [];
  // One message per field (e.g. an empty name fails both minLength and pattern: say it once).
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const err = toClaimsError(e);
    if (err === undefined || seen.has(err.field)) continue;
    seen.add(err.field);
    out.push(err);
  }
  return out;
}

function toClaimsError(e: ErrorObject): ClaimsError | undefined {
  const base = pointerToField(e.instancePath);
  const name = (field: string): string => (field === '' ? 'the claims' : field);
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = join(base, String(p.missingProperty));
      return { field, message: `${field} is required` };
    }
    case 'additionalProperties': {
      const field = join(base, String(p.additionalProperty));
      return { field, message: `${field} is not an allowed field${base === '' ? '' : ` of ${base}`}` };
    }
    case 'type':
      return { field: base, message: `${name(base)} must be ${article(String(p.type))}` };
    case 'minLength':
      return { field: base, message: p.limit === 1 ? `${name(base)} must not be empty` : `${name(base)} must be at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { field: base, message: `${name(base)} is too long: at most ${String(p.limit)} characters` };
    case 'minItems':
      return { field: base, message: `${name(base)} must list at least ${String(p.limit)} item(s)` };
    case 'maxItems':
      return { field: base, message: `${name(base)} must list at most ${String(p.limit)} items` };
    case 'uniqueItems':
      return { field: base, message: `${name(base)} lists the same entry twice (items ${String(p.j)} and ${String(p.i)})` };
    case 'pattern':
    case 'enum':
    case 'const':
    case 'format':
      return { field: base, message: `${name(base)} must be ${described ?? 'valid'}` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined;
    default:
      return { field: base, message: `${name(base)} ${e.message ?? 'is invalid'}` };
  }
}

/** `/parents/0/reference` -> `parents[0].reference`. */
function pointerToField(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^[0-9]+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function article(type: string): string {
  if (type === 'object') return 'an object';
  if (type === 'array') return 'a list';
  if (type === 'integer') return 'an integer';
  return `a ${type}`;
}


/** Latest calendar date that is "today" somewhere on Earth at `now` (UTC+14). */
function latestAllowedDate(now: Date): string {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new CradleError('INVALID_ARGUMENT', '`now` is an invalid Date');
  // The same for a whole UTC day: remember the last one (a checkpoint checks many credentials a day).
  const day = Math.floor((ms + 14 * 3_600_000) / 86_400_000);
  if (day !== latestCache.day) latestCache = { day, date: new Date(day * 86_400_000).toISOString().slice(0, 10) };
  return latestCache.date;
}

let latestCache = { day: Number.NaN, date: '' };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when `v` (`YYYY-MM-DD`) names a day of the Gregorian calendar. */
function isCalendarDate(v: string): boolean {
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(5, 7));
  const d = Number(v.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** Check a `YYYY-MM-DD` field that the schema already shaped; returns it when it is a real, non-future date. */
function checkDate(claims: Record<string, unknown>, field: string, latest: string, errors: ClaimsError[]): string | undefined {
  const v = claims[field];
  if (typeof v !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) return undefined;
  if (!isCalendarDate(v)) {
    errors.push({ field, message: `${field} ${v} is not a real calendar date` });
    return undefined;
  }
  if (v > latest) {
    errors.push({ field, message: `${field} ${v} is in the future` });
    return undefined;
  }
  return v;
}
