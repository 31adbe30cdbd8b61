import { CRADLE_CONTEXT, VC_CONTEXT_V2 } from './credential-types.js';
import { ed25519PublicKeyOfDidKey, didKeyVerificationMethodId } from '../did-key.js';
import { CradleError } from '../errors.js';
import type { CradleErrorCode } from '../errors.js';
import { TYP_VC_JWT } from '../jose.js';
import type { JwsHeader } from '../jose.js';
import { ISO_3166_ALPHA2 } from '../schemas/country-codes.js';

/**
 * Travel consent: a guardian listed for a child consents to the child travelling with another adult
 * (a listed guardian, or a named adult's DID), to given countries, within a validity window. The
 * consenting guardian signs it with their own `did:key` (self-issued); it only counts at a checkpoint
 * when that DID is listed in a valid guardianship credential for the same child. This module is the one
 * place that builds and reads it (docs/credential-schemas.md, "TravelConsentCredential").
 */
export const TYPE_TRAVEL_CONSENT = 'TravelConsentCredential';

/** Longest consent accepted: a year and a day (a standing consent should be renewed, not open-ended). */
export const TRAVEL_CONSENT_MAX_VALIDITY_SECONDS = 366 * 86_400;
/** Most destination countries one consent may name. */
export const TRAVEL_CONSENT_MAX_COUNTRIES = 20;

/** A travel consent as read from its payload (signature not checked here). */
export interface TravelConsent {
  /** `urn:uuid:…`. */
  readonly id: string;
  /** The consenting guardian's DID: the issuer, who must sign. */
  readonly by: string;
  /** The child's DID (the credential subject). */
  readonly child: string;
  /** The DID of the adult the child may travel with. */
  readonly traveller: string;
  /** Destination countries (ISO 3166-1 alpha-2, upper case), each once. */
  readonly countries: readonly string[];
  /** Unix seconds. */
  readonly validFrom: number;
  /** Unix seconds. */
  readonly validUntil: number;
}

/** The `vc+jwt` payload of a travel consent (a type alias so it is a JWS payload record). */
export type TravelConsentPayload = {
  '@context': [typeof VC_CONTEXT_V2, typeof CRADLE_CONTEXT];
  id: string;
  type: ['VerifiableCredential', typeof TYPE_TRAVEL_CONSENT];
  issuer: string;
  validFrom: string;
  validUntil: string;
  credentialSubject: { id: string; traveller: string; countries: string[] };
  iss: string;
};

/** Inputs of {@link buildTravelConsent}. */
export interface BuildTravelConsentInput {
  /** The consenting guardian's `did:key` (Ed25519): issuer and signer. */
  readonly by: string;
  readonly child: string;
  readonly traveller: string;
  /** ISO 3166-1 alpha-2 codes; case-insensitive, duplicates removed. */
  readonly countries: readonly string[];
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** Default: a fresh `urn:uuid:`. */
  readonly id?: string;
}

/** Result of {@link readTravelConsent}: the consent, or a stable code and a plain reason. */
export type ReadTravelConsentResult =
  | { readonly ok: true; readonly consent: TravelConsent }
  | { readonly ok: false; readonly code: Extract<CradleErrorCode, 'MALFORMED' | 'ISSUER_MISMATCH' | 'SUBJECT_MISMATCH'>; readonly message: string };

const DID_RE = /^did:[a-z0-9]+:[A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ID_RE = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isDid(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 256 && DID_RE.test(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rfc3339(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

function bad(message: string): never {
  throw new CradleError('INVALID_ARGUMENT', message);
}

/**
 * Normalise a list of destination countries (`ug`, `TZ`): upper case, each once, ISO 3166-1 alpha-2.
 * Throws `INVALID_ARGUMENT` naming the bad code.
 *
 * @example
 * ```ts
 * travelCountries(['ug', 'TZ', 'UG']) // ['UG', 'TZ']
 * ```
 */
export function travelCountries(codes: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of codes) {
    const c = String(raw).trim().toUpperCase();
    if (!ISO_3166_ALPHA2.includes(c)) bad(`"${String(raw).slice(0, 20)}" is not a two-letter ISO 3166-1 country code (for example UG, TZ).`);
    if (!out.includes(c)) out.push(c);
  }
  if (out.length === 0) bad('Name at least one destination country (for example UG).');
  if (out.length > TRAVEL_CONSENT_MAX_COUNTRIES) bad(`A consent may name at most ${TRAVEL_CONSENT_MAX_COUNTRIES} countries.`);
  return out;
}

/**
 * Build the protected header and payload of a travel consent, ready for the consenting guardian to sign
 * with their did:key (`signJws`). Caller mistakes throw `INVALID_ARGUMENT` with what to fix: DIDs, the
 * countries, a window that ends before it starts or lasts more than a year and a day.
 *
 * @example
 * ```ts
 * const { header, payload } = buildTravelConsent({ by: mother, child, traveller: father, countries: ['UG'],
 *   validFrom: new Date(), validUntil: new Date('2026-12-31T23:59:59Z') });
 * const jwt = await signJws(header, payload, signWithMothersKey);
 * ```
 */
export function buildTravelConsent(input: BuildTravelConsentInput): { header: JwsHeader; payload: TravelConsentPayload } {
  if (!isDid(input.by) || ed25519PublicKeyOfDidKey(input.by) === undefined) bad('The consenting guardian (by) must be an Ed25519 did:key: the key that signs the consent.');
  if (!isDid(input.child)) bad("The child must be a DID (the child's did:key).");
  if (!isDid(input.traveller)) bad('The traveller must be the DID of the adult the child travels with.');
  if (input.traveller === input.by) bad('A guardian cannot consent to their own trip: the consent is given by the parent who stays behind.');
  const countries = travelCountries(input.countries);
  const from = Math.floor(input.validFrom.getTime() / 1000);
  const until = Math.floor(input.validUntil.getTime() / 1000);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(until)) bad('The validity dates are not valid dates.');
  if (until <= from) bad(`The consent would end (${rfc3339(until)}) before it starts (${rfc3339(from)}): choose a later --until.`);
  if (until - from > TRAVEL_CONSENT_MAX_VALIDITY_SECONDS) bad('A travel consent may last at most a year and a day: choose an earlier --until.');
  const id = input.id ?? `urn:uuid:${crypto.randomUUID()}`;
  if (!ID_RE.test(id)) bad('The consent id must be a urn:uuid.');
  const header: JwsHeader = { alg: 'EdDSA', typ: TYP_VC_JWT, kid: didKeyVerificationMethodId(input.by) };
  // Deliberately small (it rides in the presentation QR code): no sub/jti/nbf/exp copies of the VC fields.
  const payload: TravelConsentPayload = {
    '@context': [VC_CONTEXT_V2, CRADLE_CONTEXT],
    id,
    type: ['VerifiableCredential', TYPE_TRAVEL_CONSENT],
    issuer: input.by,
    validFrom: rfc3339(from),
    validUntil: rfc3339(until),
    credentialSubject: { id: input.child, traveller: input.traveller, countries },
    iss: input.by,
  };
  return { header, payload };
}

/** True when a decoded credential payload claims to be a travel consent (by its `type`). */
export function isTravelConsentPayload(payload: unknown): boolean {
  return isRecord(payload) && Array.isArray(payload.type) && payload.type.includes(TYPE_TRAVEL_CONSENT);
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length > 40 || !DATE_TIME_RE.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

function numericDate(v: unknown): number | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/**
 * Read a travel consent from its (untrusted, decoded) JWS payload. Never throws: returns the consent,
 * or `MALFORMED` / `ISSUER_MISMATCH` / `SUBJECT_MISMATCH` with a plain reason. The signature is the
 * caller's to check (against the key of `consent.by`). Optional JWT copies (`sub`, `jti`, `nbf`, `exp`)
 * must agree with the credential; the window is the stricter of both.
 *
 * @example
 * ```ts
 * const r = readTravelConsent(decoded.payload);
 * if (r.ok) console.log(r.consent.countries); else console.log(r.code, r.message);
 * ```
 */
export function readTravelConsent(payload: unknown): ReadTravelConsentResult {
  const malformed = (why: string): ReadTravelConsentResult => ({ ok: false, code: 'MALFORMED', message: `This travel consent ${why}.` });
  if (!isRecord(payload)) return malformed('is not a JSON object');
  if ('vc' in payload || 'vp' in payload) return malformed('mixes two credential formats');
  const ctx = payload['@context'];
  if (!Array.isArray(ctx) || ctx[0] !== VC_CONTEXT_V2) return malformed('is not a W3C credential (version 2.0)');
  const types = payload.type;
  if (!Array.isArray(types) || types.length !== 2 || types[0] !== 'VerifiableCredential' || types[1] !== TYPE_TRAVEL_CONSENT) {
    return malformed('does not have exactly the types VerifiableCredential and TravelConsentCredential');
  }
  const id = payload.id;
  if (typeof id !== 'string' || !ID_RE.test(id)) return malformed('has no urn:uuid id');
  if (payload.jti !== undefined && payload.jti !== id) return malformed('has a "jti" that differs from its id');
  const by = payload.issuer;
  if (!isDid(by)) return malformed('names no consenting guardian (issuer DID)');
  if (payload.iss !== by) return { ok: false, code: 'ISSUER_MISMATCH', message: 'This travel consent names two different consenting guardians ("iss" and issuer).' };
  const subject = payload.credentialSubject;
  if (!isRecord(subject)) return malformed('has no single credentialSubject');
  const child = subject.id;
  if (!isDid(child)) return malformed("does not name the child's DID");
  if (payload.sub !== undefined && payload.sub !== child) return { ok: false, code: 'SUBJECT_MISMATCH', message: 'This travel consent names two different children ("sub" and credentialSubject.id).' };
  const traveller = subject.traveller;
  if (!isDid(traveller)) return malformed("does not name the traveller's DID");
  const rawCountries = subject.countries;
  if (!Array.isArray(rawCountries) || rawCountries.length === 0 || rawCountries.length > TRAVEL_CONSENT_MAX_COUNTRIES) {
    return malformed(`must name 1 to ${TRAVEL_CONSENT_MAX_COUNTRIES} destination countries`);
  }
  const countries: string[] = [];
  for (const c of rawCountries) {
    if (typeof c !== 'string' || !ISO_3166_ALPHA2.includes(c) || countries.includes(c)) return malformed('names a country that is not an ISO 3166-1 code, or names one twice');
    countries.push(c);
  }
  for (const k of Object.keys(subject)) if (k !== 'id' && k !== 'traveller' && k !== 'countries') return malformed(`carries an unknown field "${k.slice(0, 40)}"`);
  let validFrom = parseTime(payload.validFrom);
  let validUntil = parseTime(payload.validUntil);
  if (validFrom === undefined || validUntil === undefined) return malformed('needs validFrom and validUntil date-times with a time zone');
  const nbf = numericDate(payload.nbf);
  const exp = numericDate(payload.exp);
  if (nbf === null || exp === null) return malformed('has an unreadable nbf or exp');
  if (nbf !== undefined) validFrom = Math.max(validFrom, nbf);
  if (exp !== undefined) validUntil = Math.min(validUntil, exp);
  if (validUntil <= validFrom) return malformed('ends before it starts');
  if (validUntil - validFrom > TRAVEL_CONSENT_MAX_VALIDITY_SECONDS) return malformed('lasts more than a year and a day');
  return { ok: true, consent: { id, by, child, traveller, countries, validFrom, validUntil } };
}
