// The one builder and reader of a credential's payload: the registrar builds here (buildCredential,
// buildCredentialJws), the wallet (which stores it) and the verifier (which checks it) read here. Both
// formats Cradle issues and accepts: VCDM 2.0 secured as `vc+jwt`, and VCDM 1.1 JWT-VC (`typ: JWT`, the
// credential in the `vc` claim, as Veramo's credential-jwt issues it).
//
// Rules (one per test in test/credential-format.test.ts):
// - vc+jwt: no `vc`/`vp` claim; `@context` starts with the VCDM 2.0 context.
// - jwt-vc: a `vc` object whose `@context` starts with the VCDM 1.1 (or 2.0) context, and no credential
//   member (`credentialSubject`, `issuer`, dates, …) at the top level, where it would conflict with `vc.*`.
// - `type` includes VerifiableCredential; a credential typed as both a birth registration and a
//   guardianship is ambiguous and refused.
// - exactly one `credentialSubject` object; the issuer is a DID and equals `iss`; `sub`, when present,
//   equals the subject id; `jti`, when present, equals the id.
// - every date is strict: XML Schema dateTime / RFC 3339 with an offset and a real calendar day for
//   validFrom, validUntil, issuanceDate, expirationDate; integer NumericDates for nbf, exp, iat.
// Reading never throws: problems come back with a stable code and a short reason; officers' wording
// belongs to the verifier and the app.
import { isDid } from '../did/syntax.js';
import { parseDateTime, parseNumericDate } from '../date-time.js';
import { CradleError } from '../errors.js';
import { isRecord } from '../guards.js';
import type { JwsAlgorithm, JwsHeader } from '../jose.js';
import { normalizeMediaType, TYP_JWT, TYP_VC_JWT } from './media-types.js';
import { CRADLE_CONTEXT, STATUS_CONTEXT_V1, TYPE_BIRTH_REGISTRATION, TYPE_GUARDIANSHIP, TYPE_VERIFIABLE_CREDENTIAL, VC_CONTEXT_V1, VC_CONTEXT_V2 } from './credential-types.js';
import type { BitstringStatusListEntry } from './credential-types.js';

/** `vc+jwt` (VCDM 2.0, VC-JOSE-COSE) or `jwt-vc` (VCDM 1.1 JWT, as Veramo's credential-jwt issues it). */
export type JwtCredentialFormat = 'vc+jwt' | 'jwt-vc';

/** The credential formats Cradle reads: the two JWT formats, and `sd-jwt-vc` (read by formats/sd-jwt-vc.ts). */
export type CredentialFormat = JwtCredentialFormat | 'sd-jwt-vc';

/** Every credential format a Cradle registrar issues; `vc+jwt` is the default. */
export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = ['vc+jwt', 'jwt-vc', 'sd-jwt-vc'];

/**
 * The `@context` of a credential in each format, as an issue request (VC-API shape) carries it. An
 * `sd-jwt-vc` request is the VCDM 2.0 shape; the registrar turns it into an SD-JWT VC.
 */
export const CREDENTIAL_FORMAT_CONTEXTS: Readonly<Record<CredentialFormat, readonly string[]>> = {
  'vc+jwt': [VC_CONTEXT_V2, CRADLE_CONTEXT],
  'jwt-vc': [VC_CONTEXT_V1, STATUS_CONTEXT_V1, CRADLE_CONTEXT],
  'sd-jwt-vc': [VC_CONTEXT_V2, CRADLE_CONTEXT],
};

/** Which Cradle credential this is, from its `type`. */
export type CredentialKind = 'birth-registration' | 'guardianship' | 'other';

/** The parts of a credential every consumer needs, the same whichever format carried it. */
export interface CredentialView {
  readonly format: CredentialFormat;
  readonly id?: string;
  readonly types: readonly string[];
  readonly kind: CredentialKind;
  /** The issuer's DID (from `issuer`, or `iss` in a JWT-VC that leaves it out). */
  readonly issuer: string;
  /** `credentialSubject`, as signed. */
  readonly subject: Readonly<Record<string, unknown>>;
  /** `credentialSubject.id` (or `sub` in a JWT-VC that leaves it out). */
  readonly subjectId?: string;
  /** Unix seconds: the stricter of the credential's dates and the JWT's `nbf`/`exp`. */
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly credentialStatus?: unknown;
}

/** One rule a credential broke. `reason` is a short technical phrase ("names no issuer"). */
export interface CredentialReadProblem {
  readonly code: 'MALFORMED' | 'ISSUER_MISMATCH' | 'SUBJECT_MISMATCH';
  readonly reason: string;
}

/**
 * What {@link readCredential} found. `credential` is absent when the payload is not a readable credential;
 * it can be present together with problems that do not stop reading (two issuers, two subjects, two ids).
 */
export interface CredentialRead {
  readonly credential?: CredentialView;
  readonly problems: readonly CredentialReadProblem[];
}

// Members of a credential that a JWT-VC must carry inside `vc` only (a copy at the top level would be a
// second, conflicting statement of the same fact).
const VC_MEMBERS = ['@context', 'type', 'credentialSubject', 'issuer', 'issuanceDate', 'expirationDate', 'validFrom', 'validUntil', 'credentialStatus', 'credentialSchema', 'evidence', 'proof', 'id'];
const MAX_TYPES = 16;

/**
 * The credential format a (normalised or raw) JOSE `typ` announces: `vc+jwt`, or `jwt-vc` for `JWT`;
 * `undefined` for anything else.
 *
 * @example
 * ```ts
 * credentialFormatOfTyp('application/vc+jwt') // 'vc+jwt'
 * credentialFormatOfTyp('JWT') // 'jwt-vc'
 * ```
 */
export function credentialFormatOfTyp(typ: unknown): JwtCredentialFormat | undefined {
  if (typeof typ !== 'string') return undefined;
  const t = normalizeMediaType(typ);
  if (t === TYP_VC_JWT) return 'vc+jwt';
  if (t === normalizeMediaType(TYP_JWT)) return 'jwt-vc';
  return undefined;
}

/**
 * The Cradle kind of a credential from its types; `undefined` when it is typed as both (ambiguous).
 *
 * @example
 * ```ts
 * credentialKindOf(['VerifiableCredential', 'GuardianshipCredential']) // 'guardianship'
 * ```
 */
export function credentialKindOf(types: readonly string[]): CredentialKind | undefined {
  const birth = types.includes(TYPE_BIRTH_REGISTRATION);
  const guardianship = types.includes(TYPE_GUARDIANSHIP);
  if (birth && guardianship) return undefined;
  return birth ? 'birth-registration' : guardianship ? 'guardianship' : 'other';
}

function issuerIdOf(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (isRecord(v)) return v.id;
  return undefined;
}

function typesOf(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.length > MAX_TYPES) return undefined;
  for (const t of v as unknown[]) if (typeof t !== 'string') return undefined;
  return v as string[];
}

/** The credential's own dates and the JWT's, each a lower ("from") or upper ("until") bound of validity. */
const DATE_BOUNDS = [
  ['validFrom', 'from'],
  ['issuanceDate', 'from'],
  ['validUntil', 'until'],
  ['expirationDate', 'until'],
] as const;
const CLAIM_BOUNDS = [
  ['nbf', 'from'],
  ['exp', 'until'],
] as const;

function failed(problems: readonly CredentialReadProblem[], reason: string): CredentialRead {
  return { problems: [...problems, { code: 'MALFORMED', reason }] };
}

/**
 * Read a credential's JWT payload (already decoded by `decodeJws`) in the given format. Never throws.
 *
 * @example
 * ```ts
 * const decoded = decodeJws(token, { expectedTyp: [TYP_VC_JWT, TYP_JWT] });
 * const { credential, problems } = readCredential(decoded.payload, credentialFormatOfTyp(decoded.header.typ)!);
 * if (credential && problems.length === 0) console.log(credential.kind, credential.subjectId);
 * ```
 */
export function readCredential(payload: unknown, format: JwtCredentialFormat): CredentialRead {
  const problems: CredentialReadProblem[] = [];
  if (!isRecord(payload)) return failed(problems, 'is not a JSON object');

  let vc: Record<string, unknown>;
  if (format === 'vc+jwt') {
    if ('vc' in payload || 'vp' in payload) return failed(problems, 'mixes two credential formats');
    vc = payload;
    const ctx = vc['@context'];
    if (!Array.isArray(ctx) || ctx[0] !== VC_CONTEXT_V2) return failed(problems, 'is not a W3C credential (version 2.0)');
  } else {
    if (!isRecord(payload.vc)) return failed(problems, 'is not a W3C credential');
    vc = payload.vc;
    const ctx = vc['@context'];
    if (!Array.isArray(ctx) || (ctx[0] !== VC_CONTEXT_V1 && ctx[0] !== VC_CONTEXT_V2)) return failed(problems, 'is not a W3C credential');
    const conflicting = VC_MEMBERS.filter((m) => m in payload);
    if (conflicting.length > 0) return failed(problems, `states ${conflicting.join(', ')} both inside and outside its "vc" claim`);
  }

  const types = typesOf(vc.type);
  if (types === undefined || !types.includes(TYPE_VERIFIABLE_CREDENTIAL)) return failed(problems, 'is not a verifiable credential');
  const kind = credentialKindOf(types);
  if (kind === undefined) return failed(problems, 'is typed both as a birth registration and as a guardianship (ambiguous type)');
  const subject = vc.credentialSubject;
  if (!isRecord(subject)) return failed(problems, 'has no single subject');

  const iss = payload.iss;
  let issuer = issuerIdOf(vc.issuer);
  if (format === 'jwt-vc' && issuer === undefined && typeof iss === 'string') issuer = iss; // 1.1: iss carries it
  if (issuer === undefined) return failed(problems, 'names no issuer');
  if (!isDid(issuer)) return failed(problems, 'names an issuer that is not a DID');
  if (iss !== issuer) problems.push({ code: 'ISSUER_MISMATCH', reason: 'names two different issuers (inside and outside the signature)' });

  const sub = payload.sub;
  if (subject.id !== undefined && typeof subject.id !== 'string') return failed(problems, 'has a subject id that is not a string');
  let subjectId = typeof subject.id === 'string' ? subject.id : undefined;
  if (format === 'jwt-vc' && subjectId === undefined && typeof sub === 'string') subjectId = sub;
  // `sub` is optional in VC-JOSE-COSE (a travel consent leaves it out); when present it must agree.
  if (sub !== undefined && sub !== subjectId) {
    problems.push({ code: 'SUBJECT_MISMATCH', reason: 'names two different subjects (inside and outside the signature)' });
  }

  if (vc.id !== undefined && (typeof vc.id !== 'string' || vc.id === '' || vc.id.length > 512)) return failed(problems, 'has an unreadable id');
  let id = typeof vc.id === 'string' ? vc.id : undefined;
  if (format === 'jwt-vc' && id === undefined && typeof payload.jti === 'string') id = payload.jti; // 1.1: jti carries it
  if (payload.jti !== undefined && payload.jti !== id) problems.push({ code: 'MALFORMED', reason: 'has two different identifiers' });

  // Validity: the stricter of the credential's dates and the JWT's nbf/exp.
  let notBefore: number | undefined;
  let notAfter: number | undefined;
  for (const [field, kindOfBound] of DATE_BOUNDS) {
    if (vc[field] === undefined) continue;
    const v = parseDateTime(vc[field]);
    if (v === null) return failed(problems, `has an unreadable date (${field})`);
    if (kindOfBound === 'from') notBefore = notBefore === undefined ? v : Math.max(notBefore, v);
    else notAfter = notAfter === undefined ? v : Math.min(notAfter, v);
  }
  for (const [claim, kindOfBound] of CLAIM_BOUNDS) {
    if (payload[claim] === undefined) continue;
    const v = parseNumericDate(payload[claim]);
    if (v === null) return failed(problems, `has an unreadable date (${claim})`);
    if (kindOfBound === 'from') notBefore = notBefore === undefined ? v : Math.max(notBefore, v);
    else notAfter = notAfter === undefined ? v : Math.min(notAfter, v);
  }
  if (payload.iat !== undefined && parseNumericDate(payload.iat) === null) return failed(problems, 'has an unreadable date (iat)');

  const credential: { -readonly [K in keyof CredentialView]: CredentialView[K] } = { format, types, kind, issuer, subject, credentialStatus: vc.credentialStatus };
  if (id !== undefined) credential.id = id;
  if (subjectId !== undefined) credential.subjectId = subjectId;
  if (notBefore !== undefined) credential.notBefore = notBefore;
  if (notAfter !== undefined) credential.notAfter = notAfter;
  return { credential, problems };
}

// ---------------------------------------------------------------------------------------------------
// Building (the registrar's side). The JWT claims of each format are derived from the credential here,
// once, so the two directions cannot drift: readCredential above refuses what these functions never emit
// (a second issuer, subject or id outside the signature, a 1.1 member outside `vc`).

/** The JOSE `typ` a credential in each JWT format carries. */
export const CREDENTIAL_FORMAT_TYP: Readonly<Record<JwtCredentialFormat, string>> = { 'vc+jwt': TYP_VC_JWT, 'jwt-vc': TYP_JWT };

/** What a registrar states in a credential, whatever the format: the input of {@link buildCredential}. */
export interface CredentialInput {
  /** `urn:uuid:…`. */
  readonly id: string;
  /** The Cradle type that follows `VerifiableCredential`, e.g. `BirthRegistrationCredential`. */
  readonly type: string;
  /** The registrar's DID. */
  readonly issuer: string;
  /** The subject's DID (`credentialSubject.id`): the child. */
  readonly subject: string;
  /** The rest of `credentialSubject`, already validated against the type's schema. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly credentialStatus: readonly BitstringStatusListEntry[];
  /** Unix seconds: `validFrom` (VCDM 2.0) or `issuanceDate` (VCDM 1.1), written without fractions. */
  readonly issuedAt: number;
}

function rfc3339Seconds(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * The unsigned credential in the shape of its format: VCDM 2.0 (`validFrom`, issuer as a string) for
 * `vc+jwt`; VCDM 1.1 (`issuanceDate`, `issuer: { id }`, and the Bitstring Status List context, without
 * which status processors ignore the entry) for `jwt-vc`. Sign it with {@link buildCredentialJws}.
 *
 * @example
 * ```ts
 * const vc = buildCredential({ id, type: TYPE_BIRTH_REGISTRATION, issuer, subject: childDid, claims, credentialStatus, issuedAt: nowS }, 'vc+jwt');
 * ```
 */
export function buildCredential(input: CredentialInput, format: JwtCredentialFormat): Record<string, unknown> {
  if (parseNumericDate(input.issuedAt) === null) bad(`issuedAt must be unix seconds, not milliseconds (got ${String(input.issuedAt)}).`);
  const credentialSubject = { id: input.subject, ...input.claims };
  const type = [TYPE_VERIFIABLE_CREDENTIAL, input.type];
  if (format === 'jwt-vc') {
    const status = input.credentialStatus;
    return {
      '@context': [...CREDENTIAL_FORMAT_CONTEXTS['jwt-vc']],
      id: input.id,
      type,
      issuer: { id: input.issuer },
      issuanceDate: rfc3339Seconds(input.issuedAt),
      credentialSubject,
      credentialStatus: status.length === 1 ? status[0] : [...status],
    };
  }
  return {
    '@context': [...CREDENTIAL_FORMAT_CONTEXTS['vc+jwt']],
    id: input.id,
    type,
    issuer: input.issuer,
    validFrom: rfc3339Seconds(input.issuedAt),
    credentialSubject,
    credentialStatus: [...input.credentialStatus],
  };
}

/** Options of {@link buildCredentialJws}. */
export interface CredentialJwsOptions {
  readonly alg: JwsAlgorithm;
  /** The verification method id of the signing key in the issuer's DID document. */
  readonly kid: string;
  /** Unix seconds: the `iat` of a `vc+jwt` (a `jwt-vc` carries none, as Veramo's credential-jwt issues it). */
  readonly issuedAt: number;
  /** Further JWT claims (a status list's `cradleListVersion`); none may restate a member of the credential or a registered claim. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

const REGISTERED_CLAIMS = ['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'vc', 'vp'];

function bad(message: string): never {
  throw new CradleError('INVALID_ARGUMENT', message);
}

function dateSeconds(credential: Record<string, unknown>, field: string, required: boolean): number | undefined {
  const v = credential[field];
  if (v === undefined && !required) return undefined;
  const seconds = parseDateTime(v);
  return seconds ?? bad(`credential.${field} must be an RFC 3339 date-time with an offset (got ${JSON.stringify(v)?.slice(0, 40)}).`);
}

/**
 * The protected header and the JWT payload of an unsigned credential (from {@link buildCredential}, or a
 * status list from `buildStatusListCredential`), ready for `signJws`. Caller mistakes throw `INVALID_ARGUMENT`.
 *
 * - `vc+jwt` (VC-JOSE-COSE): the credential itself plus `iss` (= `issuer`), `sub` (= `credentialSubject.id`),
 *   `jti` (= `id`), `iat`, `nbf` (= `validFrom`) and `exp` (= `validUntil`); header `typ: vc+jwt`.
 * - `jwt-vc` (VCDM 1.1 JWT, the encoding of did-jwt-vc/Veramo): the credential in `vc`, with `issuer`,
 *   `id`, `credentialSubject.id`, `issuanceDate` and `expirationDate` moved to `iss`, `jti`, `sub`, `nbf`
 *   and `exp`; header `typ: JWT`.
 *
 * @example
 * ```ts
 * const { header, payload } = buildCredentialJws(vc, 'vc+jwt', { alg: 'EdDSA', kid, issuedAt: nowS });
 * const jwt = await signJws(header, payload, sign);
 * ```
 */
export function buildCredentialJws(credential: Record<string, unknown>, format: JwtCredentialFormat, opts: CredentialJwsOptions): { header: JwsHeader; payload: Record<string, unknown> } {
  if (!isRecord(credential)) bad('credential must be an object.');
  const issuer = issuerIdOf(credential.issuer);
  if (typeof issuer !== 'string' || !isDid(issuer)) bad('credential.issuer must be the issuer DID.');
  const subject = credential.credentialSubject;
  if (!isRecord(subject)) bad('credential.credentialSubject must be one object.');
  if (typeof opts.kid !== 'string' || opts.kid === '') bad('kid must be the verification method id of the signing key.');
  const claims = opts.claims ?? {};
  for (const name of Object.keys(claims)) {
    if (REGISTERED_CLAIMS.includes(name) || name in credential) bad(`The extra claim "${name}" would restate the credential or a registered JWT claim.`);
  }
  const header: JwsHeader = { alg: opts.alg, typ: CREDENTIAL_FORMAT_TYP[format], kid: opts.kid };
  const sub = typeof subject.id === 'string' ? subject.id : undefined;
  const jti = typeof credential.id === 'string' ? credential.id : undefined;

  if (format === 'vc+jwt') {
    if (parseNumericDate(opts.issuedAt) === null) bad(`issuedAt must be unix seconds, not milliseconds (got ${String(opts.issuedAt)}).`);
    const nbf = dateSeconds(credential, 'validFrom', true);
    const exp = dateSeconds(credential, 'validUntil', false);
    const payload: Record<string, unknown> = { ...credential, iss: issuer };
    if (sub !== undefined) payload.sub = sub;
    if (jti !== undefined) payload.jti = jti;
    payload.iat = opts.issuedAt;
    payload.nbf = nbf;
    if (exp !== undefined) payload.exp = exp;
    return { header, payload: { ...payload, ...claims } };
  }

  const nbf = dateSeconds(credential, 'issuanceDate', true);
  const exp = dateSeconds(credential, 'expirationDate', false);
  const { '@context': context, type, id: _id, issuer: issuerMember, issuanceDate: _from, expirationDate: _until, credentialSubject: _subject, ...rest } = credential;
  const { id: _subjectId, ...subjectClaims } = subject;
  const vc: Record<string, unknown> = { '@context': context, type, credentialSubject: subjectClaims, ...rest };
  // An issuer object may say more than its id (a name): that stays in `vc`.
  if (isRecord(issuerMember)) {
    const { id: _issuerId, ...issuerRest } = issuerMember;
    if (Object.keys(issuerRest).length > 0) vc.issuer = issuerRest;
  }
  const payload: Record<string, unknown> = { vc };
  if (sub !== undefined) payload.sub = sub;
  if (jti !== undefined) payload.jti = jti;
  payload.nbf = nbf;
  if (exp !== undefined) payload.exp = exp;
  payload.iss = issuer;
  return { header, payload: { ...payload, ...claims } };
}
