/**
 * Caller and configuration mistakes, and refusals of operations: thrown at the boundary as a
 * {@link CradleError}, with a message that says what to do.
 */
export type CallerErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_CLAIMS'
  | 'CONFIG_INVALID'
  | 'SECRET_MISSING'
  | 'SECRET_WRONG'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CHAIN_ID_MISMATCH'
  | 'RPC_UNREACHABLE'
  | 'RPC_REVERTED'
  | 'RPC_NONCE'
  | 'RPC_ERROR'
  | 'STATUS_LIST_FULL'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_INDEX_INVALID'
  | 'DECOMPRESSION_LIMIT'
  | 'QR_INVALID'
  | 'JOSE_INVALID'
  | 'NOT_IMPLEMENTED'
  // Wallet (holder): import refusals and backups
  | 'CREDENTIAL_TYPE_UNSUPPORTED'
  | 'SUBJECT_NOT_IN_WALLET'
  | 'BACKUP_INVALID'
  | 'BACKUP_PASSPHRASE_WRONG'
  // Registrar operations (@cradle/issuer)
  | 'INSUFFICIENT_FUNDS'
  | 'UNAUTHORIZED'
  /** An authenticated API key whose role does not allow the action (HTTP 403). */
  | 'FORBIDDEN'
  /** A new registrar's CRADLE_SECRET is too short or too simple to protect its keys. */
  | 'SECRET_WEAK'
  /** Another process kept the registrar database locked past the busy timeout and retries: retry. */
  | 'DATABASE_BUSY'
  /** The registrar database is missing, empty or holds another identity than its config says. */
  | 'DATABASE_MISSING'
  // OpenID4VCI / OpenID4VP exchanges with another party (details.error = its OAuth error code)
  /** The credential issuer answered with an error: details.error says which. */
  | 'ISSUER_REFUSED'
  /** The credential issuer could not be reached. */
  | 'ISSUER_UNREACHABLE'
  /** The verifier refused an OpenID4VP response: details.error says why. */
  | 'VERIFIER_REFUSED'
  /** The verifier's response endpoint could not be reached. */
  | 'VERIFIER_UNREACHABLE'

  // Checkpoint data carried by hand or fetched in bulk (@cradle/verifier)
  /** A status-list pack that is damaged (truncated, altered), not a pack, or too large: nothing was taken from it. */
  | 'PACK_INVALID'
  /** A trust bundle that is damaged (truncated, altered, not JSON, bad signature), not a bundle, or too large: nothing was imported. */
  | 'BUNDLE_INVALID';

/**
 * Every failed check a verification can report (inside a `VerificationResult`, never thrown). Anything
 * shown to an officer per code (the checkpoint app's plain-language table) is typed
 * `Record<VerificationCode, …>`, so adding a code here fails to compile until it has a sentence.
 */
export const VERIFICATION_CODES = [
  'MALFORMED',
  'ALG_NOT_ALLOWED',
  'TYP_UNEXPECTED',
  'SIGNATURE_INVALID',
  'KEY_NOT_ISSUERS',
  'ISSUER_MISMATCH',
  'SUBJECT_MISMATCH',
  'ISSUER_UNKNOWN',
  'ISSUER_NOT_TRUSTED',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOKED',
  'SUSPENDED',
  'STATUS_STALE',
  'TRUST_LIST_STALE',
  'STATUS_UNKNOWN',
  /** A registrar credential without a revocation entry: it could never be revoked (policy: required by default). */
  'STATUS_MISSING',
  'STATUS_INDEX_OUT_OF_RANGE',
  'SCHEMA_INVALID',
  'HOLDER_NOT_GUARDIAN',
  'GUARDIANSHIP_MISSING',
  'CHALLENGE_MISMATCH',
  'DOMAIN_MISMATCH',
  'PRESENTATION_EXPIRED',
  'TOO_LARGE',
  // The border check (travel consent)
  'TRAVEL_CONSENT_MISSING',
  'CONSENT_NOT_FROM_GUARDIAN',
  'CONSENT_TRAVELLER_MISMATCH',
  'CONSENT_DESTINATION_MISMATCH',
  // SD-JWT VC (formats/sd-jwt-vc.ts)
  /** A disclosure the issuer did not sign: altered, forged, duplicated or taken from another credential. */
  'DISCLOSURE_INVALID',
  /** A presented SD-JWT VC without a valid key-binding JWT (missing, signed by another key, or for other disclosures). */
  'KEY_BINDING_INVALID',
] as const;

/** One of {@link VERIFICATION_CODES}. */
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

const VERIFICATION_CODE_SET: ReadonlySet<string> = new Set(VERIFICATION_CODES);

/** True when `code` is a verification problem (not a caller error). */
export function isVerificationCode(code: string): code is VerificationCode {
  return VERIFICATION_CODE_SET.has(code);
}

/**
 * Why sync refused what a source delivered, besides the verification codes it shares with credentials:
 * `DIGEST_MISMATCH` is a signed list or trust list whose sha256 is not the anchored digest (an old,
 * altered or foreign copy); `ALERT_KEY_MISMATCH` is an encrypted alert list this checkpoint has no key
 * for. Reported in a sync report, never thrown.
 */
export type SourceRefusalCode = 'DIGEST_MISMATCH' | 'ALERT_KEY_MISMATCH';

/**
 * Every code a sync failure can carry: a refusal of what a source delivered (a verification code or
 * {@link SourceRefusalCode}), or an error of the step that failed (RPC, fetch, a refused pack).
 */
export type SyncFailureCode = CallerErrorCode | VerificationCode | SourceRefusalCode;

/**
 * Stable error codes: caller errors and verification problems. Every `CradleError` and every failed
 * verification check carries one of these. Codes never change meaning once released; add new ones instead.
 */
export type CradleErrorCode = CallerErrorCode | VerificationCode;

/** Structured details attached to an error: which field, which value range, etc. */
export type CradleErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The one error class Cradle throws. `code` is stable and machine-readable; `message` says what was
 * wrong and how to fix it.
 *
 * @example
 * ```ts
 * try { decodeStatusList(encoded) } catch (e) {
 *   if (e instanceof CradleError && e.code === 'DECOMPRESSION_LIMIT') { ... }
 * }
 * ```
 */
export class CradleError extends Error {
  override name = 'CradleError';
  readonly code: CradleErrorCode;
  readonly details: CradleErrorDetails | undefined;

  constructor(code: CradleErrorCode, message: string, options?: { cause?: unknown; details?: CradleErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `e` is a `CradleError`, optionally with the given code. */
export function isCradleError(e: unknown, code?: CradleErrorCode): e is CradleError {
  return e instanceof CradleError && (code === undefined || e.code === code);
}
