import type { VerificationProblem } from '@cradle/core';
import { artefactName, problem } from './messages.js';

/** The parts of a credential the checks need, read from either VCDM 2.0 (`vc+jwt`) or VCDM 1.1 JWT-VC. */
export interface CredentialView {
  readonly format: 'vc+jwt' | 'jwt-vc';
  readonly id?: string;
  readonly types: readonly string[];
  readonly issuer: string;
  readonly subject: Readonly<Record<string, unknown>>;
  readonly subjectId?: string;
  /** Unix seconds; the stricter of the credential's and the JWT's own bounds. */
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly credentialStatus?: unknown;
}

const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
// XML Schema dateTime as VCDM uses it, with an explicit offset so every verifier reads the same instant.
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_NUMERIC_DATE = 253_402_300_799; // 9999-12-31T23:59:59Z

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse an ISO date-time strictly; `null` for malformed. */
export function parseDateTime(v: unknown): number | null {
  if (typeof v !== 'string' || v.length > 40 || !DATE_TIME_RE.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** A JWT NumericDate: a non-negative integer number of seconds; `null` for malformed. */
export function parseNumericDate(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_NUMERIC_DATE ? v : null;
}

function issuerId(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isRecord(v) && typeof v.id === 'string') return v.id;
  return undefined;
}

function types(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length <= 16 && v.every((t) => typeof t === 'string')) return v as string[];
  return undefined;
}

/**
 * Read a credential payload. Shape problems are pushed (`MALFORMED`, `ISSUER_MISMATCH`,
 * `SUBJECT_MISMATCH`); returns `undefined` when the payload is not a credential at all.
 */
export function readCredential(
  payload: Readonly<Record<string, unknown>>,
  format: 'vc+jwt' | 'jwt-vc',
  where: string,
  problems: VerificationProblem[],
): CredentialView | undefined {
  const who = artefactName(where);
  const bad = (msg: string): undefined => {
    problems.push(problem('MALFORMED', `${who} ${msg}: it is rejected.`, where));
    return undefined;
  };
  let vc: Record<string, unknown>;
  if (format === 'vc+jwt') {
    if ('vc' in payload || 'vp' in payload) return bad('mixes two credential formats');
    vc = payload as Record<string, unknown>;
    const ctx = vc['@context'];
    if (!Array.isArray(ctx) || ctx[0] !== VC_CONTEXT_V2) return bad('is not a W3C credential (version 2.0)');
  } else {
    if (!isRecord(payload.vc)) return bad('is not a W3C credential');
    vc = payload.vc;
    const ctx = vc['@context'];
    if (ctx !== undefined && !(Array.isArray(ctx) && (ctx[0] === VC_CONTEXT_V1 || ctx[0] === VC_CONTEXT_V2))) {
      return bad('is not a W3C credential');
    }
  }
  const t = types(vc.type);
  if (t === undefined || !t.includes('VerifiableCredential')) return bad('is not a verifiable credential');
  const subject = vc.credentialSubject;
  if (!isRecord(subject)) return bad('has no single subject');

  let issuer = issuerId(vc.issuer);
  const iss = payload.iss;
  if (format === 'jwt-vc' && issuer === undefined && typeof iss === 'string') issuer = iss; // 1.1: iss carries it
  if (issuer === undefined) return bad('names no issuer');
  if (iss !== issuer) {
    problems.push(problem('ISSUER_MISMATCH', `${who} names two different issuers (inside and outside the signature): it is rejected.`, where));
  }
  let subjectId = typeof subject.id === 'string' ? subject.id : undefined;
  const sub = payload.sub;
  if (format === 'jwt-vc' && subjectId === undefined && typeof sub === 'string') subjectId = sub;
  if (sub !== undefined || subjectId !== undefined) {
    if (sub !== subjectId) {
      problems.push(problem('SUBJECT_MISMATCH', `${who} names two different children (inside and outside the signature): it is rejected.`, where));
    }
  }
  const id = typeof vc.id === 'string' ? vc.id : undefined;
  if (payload.jti !== undefined && id !== undefined && payload.jti !== id) bad('has two different identifiers');

  // Validity: take the stricter of the credential's dates and the JWT's nbf/exp.
  let notBefore: number | undefined;
  let notAfter: number | undefined;
  const later = (a: number | undefined, b: number): number => (a === undefined ? b : Math.max(a, b));
  const earlier = (a: number | undefined, b: number): number => (a === undefined ? b : Math.min(a, b));
  for (const [field, kind] of [
    ['validFrom', 'from'],
    ['issuanceDate', 'from'],
    ['validUntil', 'until'],
    ['expirationDate', 'until'],
  ] as const) {
    if (vc[field] === undefined) continue;
    const v = parseDateTime(vc[field]);
    if (v === null) return bad(`has an unreadable date (${field})`);
    if (kind === 'from') notBefore = later(notBefore, v);
    else notAfter = earlier(notAfter, v);
  }
  for (const [claim, kind] of [
    ['nbf', 'from'],
    ['exp', 'until'],
  ] as const) {
    if (payload[claim] === undefined) continue;
    const v = parseNumericDate(payload[claim]);
    if (v === null) return bad(`has an unreadable date (${claim})`);
    if (kind === 'from') notBefore = later(notBefore, v);
    else notAfter = earlier(notAfter, v);
  }
  if (payload.iat !== undefined && parseNumericDate(payload.iat) === null) return bad('has an unreadable date (iat)');

  return {
    format,
    types: t,
    issuer,
    subject,
    credentialStatus: vc.credentialStatus,
    ...(id === undefined ? {} : { id }),
    ...(subjectId === undefined ? {} : { subjectId }),
    ...(notBefore === undefined ? {} : { notBefore }),
    ...(notAfter === undefined ? {} : { notAfter }),
  };
}
