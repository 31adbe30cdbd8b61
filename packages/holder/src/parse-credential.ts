import {
  CradleError,
  TYPE_TRAVEL_CONSENT,
  TYP_JWT,
  TYP_VC_JWT,
  credentialFormatOfTyp,
  decodeJws,
  decodeQrPayload,
  isCradleError,
  isDid,
  isRecord,
  readCredential,
  readTravelConsent,
  isWeakEd25519DidKey,
  isSdJwt,
  readSdJwtVc,
  WEAK_DID_KEY_MESSAGE,
} from '@cradle/core';
import type { CredentialFormat, CredentialView } from '@cradle/core';

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

export type { CredentialFormat } from '@cradle/core';
export { isDid } from '@cradle/core';

/** A guardian listed in a guardianship credential. */
export interface GuardianRef {
  id: string;
  role?: string;
}

/** What the wallet reads out of a credential. Structure only: the issuer's signature is NOT checked here. */
export interface ParsedCredential {
  id: string;
  /** The compact JWS, or the SD-JWT VC with every disclosure (`format: 'sd-jwt-vc'`). */
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

/**
 * Decode a credential given as a compact JWS or a `CRADLE5:` (or earlier) QR payload and check its structure: the
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
  if (isSdJwt(text)) return parseSdJwtCredential(text);
  let jwt: string;
  let decoded: ReturnType<typeof decodeJws>;
  try {
    jwt = decodeQrPayload(text);
    decoded = decodeJws(jwt, { expectedTyp: [TYP_VC_JWT, TYP_JWT], maxBytes: MAX_CREDENTIAL_INPUT });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw refuse(isCradleError(cause) ? cause.code : 'MALFORMED', `This is not a readable credential (compact JWT, SD-JWT VC or CRADLE QR payload): ${why}`, cause);
  }
  const format = credentialFormatOfTyp(decoded.header.typ) ?? 'jwt-vc';
  // The one credential reader (@cradle/core): the same rules the checkpoint applies.
  const read = readCredential(decoded.payload, format);
  return fromView(jwt, read, format === 'vc+jwt' ? decoded.payload : undefined);
}

/** An SD-JWT VC as the registrar issued it (every disclosure), read by `@cradle/core`'s SD-JWT VC module. */
function parseSdJwtCredential(text: string): ParsedCredential {
  const read = readSdJwtVc(text, { maxBytes: MAX_CREDENTIAL_INPUT });
  if (read.holderKey === undefined && read.problems.length === 0) {
    throw refuse('MALFORMED', 'This SD-JWT VC is not bound to a key (no cnf): it could not be presented with a key binding, so the wallet refuses it.');
  }
  return fromView(text, read);
}

function fromView(jwt: string, read: { credential?: CredentialView; problems: readonly { code: ConstructorParameters<typeof CradleError>[0]; reason: string }[] }, vcJwtPayload?: Record<string, unknown>): ParsedCredential {
  const first = read.problems[0];
  if (first !== undefined || read.credential === undefined) {
    throw refuse(first?.code ?? 'MALFORMED', `The credential ${first?.reason ?? 'cannot be read'}.`);
  }
  const c = read.credential;
  const consent = c.types.includes(TYPE_TRAVEL_CONSENT);
  if ((c.kind === 'other') === !consent) {
    // Neither a type this wallet holds, or a travel consent that is also typed as another credential.
    throw refuse(
      'CREDENTIAL_TYPE_UNSUPPORTED',
      `This wallet holds BirthRegistrationCredential, GuardianshipCredential and TravelConsentCredential; this credential is ${JSON.stringify(c.types)}.`,
    );
  }
  const type: WalletCredentialType = consent ? 'TravelConsentCredential' : c.kind === 'birth-registration' ? 'BirthRegistrationCredential' : 'GuardianshipCredential';
  let travelConsent: TravelConsentSummary | undefined;
  if (type === 'TravelConsentCredential') {
    // One owner per format: core reads the consent; the wallet only keeps what it needs to present it.
    const read = vcJwtPayload !== undefined ? readTravelConsent(vcJwtPayload) : { ok: false as const, code: 'MALFORMED' as const, message: 'A travel consent is a vc+jwt credential.' };
    if (!read.ok) throw refuse(read.code, read.message);
    travelConsent = { by: read.consent.by, traveller: read.consent.traveller, countries: [...read.consent.countries] };
  }
  if (!isDid(c.subjectId)) throw refuse('MALFORMED', "The credential's subject has no DID (credentialSubject.id).");
  if (isWeakEd25519DidKey(c.subjectId) || isWeakEd25519DidKey(c.issuer)) throw refuse('MALFORMED', `The credential ${WEAK_DID_KEY_MESSAGE}: it is refused.`);
  if (c.id === undefined) throw refuse('MALFORMED', 'The credential has no id.');
  const credentialSubject = c.subject as Record<string, unknown>;
  const guardians = type === 'GuardianshipCredential' ? guardiansOf(credentialSubject.guardians) : [];
  return {
    id: c.id,
    jwt,
    format: c.format,
    type,
    issuer: c.issuer,
    subject: c.subjectId,
    guardians,
    ...(travelConsent !== undefined ? { travelConsent } : {}),
    ...(c.notBefore !== undefined ? { validFrom: new Date(c.notBefore * 1000).toISOString() } : {}),
    ...(c.notAfter !== undefined ? { validUntil: new Date(c.notAfter * 1000).toISOString() } : {}),
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

function refuse(code: ConstructorParameters<typeof CradleError>[0], message: string, cause?: unknown): CradleError {
  return new CradleError(code, message, cause === undefined ? undefined : { cause });
}
