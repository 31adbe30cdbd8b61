import {
  CradleError,
  TYP_JWT,
  TYP_VC_JWT,
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
  decodeJws,
  decodeQrPayload,
  isCradleError,
  readTravelConsent,
  isWeakEd25519DidKey,
  WEAK_DID_KEY_MESSAGE,
} from '@cradle/core';

/** The credential types a Cradle wallet holds. */
export type WalletCredentialType = 'BirthRegistrationCredential' | 'GuardianshipCredential' | 'TravelConsentCredential';

/** What a travel consent says (read by `@cradle/core`'s travel-consent module). */
export interface TravelConsentSummary {
  /** The consenting guardian's DID (its signer). */
  by: string;
  /** The adult the child may travel with. */
  traveller: string;
  countries: string[];
}

/** `vc+jwt` (VCDM 2.0, VC-JOSE-COSE) or `jwt-vc` (VCDM 1.1 JWT, as Veramo's credential-jwt issues it). */
export type CredentialFormat = 'vc+jwt' | 'jwt-vc';

/** A guardian listed in a guardianship credential. */
export interface GuardianRef {
  id: string;
  role?: string;
}

/** What the wallet reads out of a credential. Structure only: the issuer's signature is NOT checked here. */
export interface ParsedCredential {
  id: string;
  /** The compact JWS. */
  jwt: string;
  format: CredentialFormat;
  type: WalletCredentialType;
  issuer: string;
  /** The child's DID (`credentialSubject.id`). */
  subject: string;
  /** Guardians listed by a guardianship credential; empty for a birth-registration credential. */
  guardians: GuardianRef[];
  /** A travel consent: who consents, for which traveller, to which countries. */
  travelConsent?: TravelConsentSummary;
  /** ISO 8601, when the credential says. */
  validFrom?: string;
  validUntil?: string;
  /** `credentialSubject`, as signed. */
  credentialSubject: Record<string, unknown>;
}

/** Largest credential input accepted (characters), checked before anything is decoded. */
export const MAX_CREDENTIAL_INPUT = 64 * 1024;
const MAX_GUARDIANS = 32;
const WALLET_TYPES: readonly WalletCredentialType[] = ['BirthRegistrationCredential', 'GuardianshipCredential', 'TravelConsentCredential'];
const DID_PATTERN = /^did:[a-z0-9]+:(?:[A-Za-z0-9._:-]|%[0-9A-Fa-f]{2})+$/;

/** True when `value` looks like a DID (syntax only, bounded length). */
export function isDid(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 512 && DID_PATTERN.test(value);
}

/**
 * Decode a credential given as a compact JWS or a `CRADLE3:` (or earlier) QR payload and check its structure: the
 * allowed `typ` and `alg`, a Cradle credential type, issuer and subject DIDs, and that the JWT claims
 * agree with the credential (`iss` = issuer, `sub` = subject, `jti` = id). Throws a `CradleError` that
 * says what is wrong. It does not verify the signature: the wallet has no trust store and may be offline.
 *
 * @example
 * ```ts
 * const c = parseCredential(qrText);
 * console.log(c.type, c.subject);
 * ```
 */
export function parseCredential(input: string): ParsedCredential {
  const text = input.trim();
  if (text === '') throw refuse('MALFORMED', 'The credential is empty.');
  if (text.length > MAX_CREDENTIAL_INPUT) {
    throw refuse('TOO_LARGE', `The credential is larger than ${MAX_CREDENTIAL_INPUT} characters; a Cradle credential is much smaller.`);
  }
  let jwt: string;
  let decoded: ReturnType<typeof decodeJws>;
  try {
    jwt = decodeQrPayload(text);
    decoded = decodeJws(jwt, { expectedTyp: [TYP_VC_JWT, TYP_JWT], maxBytes: MAX_CREDENTIAL_INPUT });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw refuse(isCradleError(cause) ? cause.code : 'MALFORMED', `This is not a readable credential (compact JWT or CRADLE QR payload): ${why}`, cause);
  }
  const payload = decoded.payload as Record<string, unknown>;
  if (!isRecord(payload)) throw refuse('MALFORMED', 'The credential payload is not a JSON object.');
  const format: CredentialFormat = mediaType(decoded.header.typ) === TYP_VC_JWT ? 'vc+jwt' : 'jwt-vc';
  const credential = format === 'vc+jwt' ? payload : payload.vc;
  if (!isRecord(credential)) {
    throw refuse('MALFORMED', 'A JWT with typ "JWT" must carry a VCDM 1.1 credential in its "vc" claim.');
  }

  const contexts = credential['@context'];
  const expectedContext = format === 'vc+jwt' ? VC_CONTEXT_V2 : VC_CONTEXT_V1;
  if (!Array.isArray(contexts) || contexts[0] !== expectedContext) {
    throw refuse('MALFORMED', `The credential's @context must start with ${expectedContext} for a ${format} credential.`);
  }

  const types = credential.type;
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string') || !types.includes('VerifiableCredential')) {
    throw refuse('MALFORMED', 'The credential has no "type" list with VerifiableCredential.');
  }
  const walletTypes = WALLET_TYPES.filter((t) => types.includes(t));
  const type = walletTypes[0];
  if (type === undefined || walletTypes.length !== 1) {
    throw refuse(
      'CREDENTIAL_TYPE_UNSUPPORTED',
      `This wallet holds BirthRegistrationCredential, GuardianshipCredential and TravelConsentCredential; this credential is ${JSON.stringify(types)}.`,
    );
  }
  let travelConsent: TravelConsentSummary | undefined;
  if (type === 'TravelConsentCredential') {
    // One owner per format: core reads the consent; the wallet only keeps what it needs to present it.
    const read = format === 'vc+jwt' ? readTravelConsent(payload) : { ok: false as const, code: 'MALFORMED' as const, message: 'A travel consent is a vc+jwt credential.' };
    if (!read.ok) throw refuse(read.code, read.message);
    travelConsent = { by: read.consent.by, traveller: read.consent.traveller, countries: [...read.consent.countries] };
  }

  const issuer = issuerOf(credential.issuer) ?? (format === 'jwt-vc' ? payload.iss : undefined);
  if (!isDid(issuer)) throw refuse('MALFORMED', 'The credential has no issuer DID.');
  if (payload.iss !== issuer) throw refuse('ISSUER_MISMATCH', 'The JWT "iss" claim does not match the credential issuer.');

  const credentialSubject = credential.credentialSubject;
  if (!isRecord(credentialSubject)) throw refuse('MALFORMED', 'The credential must have exactly one credentialSubject object.');
  const subject = credentialSubject.id ?? (format === 'jwt-vc' ? payload.sub : undefined);
  if (!isDid(subject)) throw refuse('MALFORMED', "The credential's subject has no DID (credentialSubject.id).");
  if (isWeakEd25519DidKey(subject) || isWeakEd25519DidKey(issuer)) throw refuse('MALFORMED', `The credential ${WEAK_DID_KEY_MESSAGE}: it is refused.`);
  if (payload.sub !== undefined && payload.sub !== subject) {
    throw refuse('SUBJECT_MISMATCH', 'The JWT "sub" claim does not match credentialSubject.id.');
  }

  const id = credential.id ?? payload.jti;
  if (typeof id !== 'string' || id === '' || id.length > 512) throw refuse('MALFORMED', 'The credential has no id.');
  if (payload.jti !== undefined && payload.jti !== id) throw refuse('MALFORMED', 'The JWT "jti" claim does not match the credential id.');

  const guardians = type === 'GuardianshipCredential' ? guardiansOf(credentialSubject.guardians) : [];

  const validFrom = dateOf(format === 'vc+jwt' ? credential.validFrom : credential.issuanceDate, payload.nbf);
  const validUntil = dateOf(format === 'vc+jwt' ? credential.validUntil : credential.expirationDate, payload.exp);
  return {
    id,
    jwt,
    format,
    type,
    issuer,
    subject,
    guardians,
    ...(travelConsent !== undefined ? { travelConsent } : {}),
    ...(validFrom !== undefined ? { validFrom } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
    credentialSubject,
  };
}

function guardiansOf(value: unknown): GuardianRef[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_GUARDIANS) {
    throw refuse('MALFORMED', `A guardianship credential must list 1 to ${MAX_GUARDIANS} guardians (credentialSubject.guardians).`);
  }
  return value.map((g) => {
    if (!isRecord(g) || !isDid(g.id)) throw refuse('MALFORMED', 'Every guardian in a guardianship credential needs a DID ("id").');
    if (isWeakEd25519DidKey(g.id)) throw refuse('MALFORMED', `A guardian in this guardianship credential ${WEAK_DID_KEY_MESSAGE}: it is refused.`);
    return typeof g.role === 'string' ? { id: g.id, role: g.role } : { id: g.id };
  });
}

function issuerOf(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (isRecord(value)) return value.id;
  return undefined;
}

function dateOf(iso: unknown, seconds: unknown): string | undefined {
  if (typeof iso === 'string' && !Number.isNaN(Date.parse(iso))) return new Date(Date.parse(iso)).toISOString();
  if (typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0) return new Date(seconds * 1000).toISOString();
  return undefined;
}

/** `typ` compares case-insensitively, with an optional `application/` prefix (RFC 7515 §4.1.9). */
function mediaType(typ: unknown): string {
  const t = String(typ).toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(code: ConstructorParameters<typeof CradleError>[0], message: string, cause?: unknown): CradleError {
  return new CradleError(code, message, cause === undefined ? undefined : { cause });
}
