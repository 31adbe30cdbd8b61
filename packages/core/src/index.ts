export { CradleError, VERIFICATION_CODES, isCradleError, isVerificationCode } from './errors.js';
export type { CallerErrorCode, CradleErrorCode, CradleErrorDetails, SourceRefusalCode, SyncFailureCode, VerificationCode } from './errors.js';
export { INDETERMINATE_CODES, outcomeOf } from './verification-result.js';
export type { VerificationOutcome, VerificationProblem } from './verification-result.js';
export { base64UrlDecode, base64UrlEncode, isBase64Url, utf8Decode, utf8Encode } from './base64url.js';
export { inflateBounded } from './bounded-inflate.js';
export type { InflateBoundedOptions } from './bounded-inflate.js';
export {
  STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES,
  STATUS_LIST_MAX_STATUS_SIZE,
  STATUS_LIST_MIN_ENTRIES,
  StatusList,
  parseStatusListIndex,
} from './status-list.js';
export type { StatusListCreateOptions, StatusListDecodeOptions, StatusListEncodeOptions } from './status-list.js';
export {
  decodeStatusListPack,
  encodeStatusListPack,
  readStatusListPack,
  STATUS_LIST_PACK_DEFAULT_MAX_BYTES,
  STATUS_LIST_PACK_MAX_LISTS,
} from './status-list-pack.js';
export type {
  StatusListPackContents,
  StatusListPackDecodeOptions,
  StatusListPackEncodeOptions,
  StatusListPackEntry,
  UnresolvedPackEntry,
} from './status-list-pack.js';
export { gzipStatusListBits } from './status-list-gzip.js';
export { ByteReader, ByteWriter, VARINT_MAX, VARINT_MAX_BYTES, concatBytes, varintLength } from './codec/bytes.js';
export type { ByteReaderOptions } from './codec/bytes.js';
export { STRICT_JSON_DEFAULT_MAX_BYTES, STRICT_JSON_DEFAULT_MAX_DEPTH, parseStrictJson } from './strict-json.js';
export type { StrictJsonOptions } from './strict-json.js';
export {
  JWS_ALGORITHMS,
  JWS_DEFAULT_MAX_BYTES,
  MEDIA_TYPE_JOSE_JSON,
  MEDIA_TYPE_VC_JWT,
  TYP_JWT,
  TYP_VC_JWT,
  TYP_VP_JWT,
  decodeJws,
  encodeJwsSigningInput,
  isAllowedAlg,
  jwsSignatureBytes,
  normalizeMediaType,
  signJws,
} from './jose.js';
export type { DecodeJwsOptions, DecodedJws, JwsAlgorithm, JwsHeader } from './jose.js';
export { ENVELOPED_CREDENTIAL_PREFIX, ENVELOPED_PRESENTATION_PREFIX, envelopeCredential, readEnvelopedCredential, readEnvelopedPresentation } from './formats/enveloped-credential.js';
export { strictJsonBodyParser } from './strict-json-body.js';
export { requestValidationMessage } from './request-validation.js';
export { HTTP_STATUS_OF_CODE, httpErrorAnswer } from './http-error-answer.js';
export type { HttpErrorAnswer } from './http-error-answer.js';
export type { EnvelopedVerifiableCredential } from './formats/enveloped-credential.js';
export { BASE45_ALPHABET, base45Decode, base45Encode } from './base45.js';
export { QR_PAYLOAD_DEFAULT_MAX_BYTES, QR_PAYLOAD_PREFIX, decodeQrPayload, encodeQrPayload, primeQrPayloadReader, qrPayloadSegments } from './qr-payload.js';
export type { DecodeQrPayloadOptions, QrPayloadSegment } from './qr-payload.js';
export {
  CRADLE_CONTEXT,
  TYPE_BIRTH_REGISTRATION,
  TYPE_ENVELOPED_CREDENTIAL,
  TYPE_GUARDIANSHIP,
  TYPE_STATUS_LIST,
  TYPE_STATUS_LIST_CREDENTIAL,
  TYPE_STATUS_LIST_ENTRY,
  TYPE_VERIFIABLE_CREDENTIAL,
  TYPE_VERIFIABLE_PRESENTATION,
  STATUS_CONTEXT_V1,
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
} from './formats/credential-types.js';
export type {
  BirthRegistrationClaims,
  BirthRegistrationCredential,
  BitstringStatusListCredential,
  BitstringStatusListEntry,
  CradleCredential,
  GuardianEntry,
  GuardianRole,
  IdentityDocument,
  IdentityDocumentType,
  GuardianshipClaims,
  GuardianshipCredential,
  ParentReference,
  ParentRole,
  RecordedSex,
  StatusPurpose,
} from './formats/credential-types.js';
export { birthRegistrationClaimsSchema } from './schemas/birth-registration-claims.js';
export { guardianshipClaimsSchema } from './schemas/guardianship-claims.js';
export { bitstringStatusListEntrySchema } from './schemas/status-list-entry.js';
export { ISO_3166_ALPHA2 } from './schemas/country-codes.js';
export {
  assertBirthRegistrationClaims,
  assertGuardianshipClaims,
  validateBirthRegistrationClaims,
  validateGuardianshipClaims,
} from './validate-claims.js';
export type { ClaimsError, ClaimsValidation, ValidateClaimsOptions } from './validate-claims.js';
export { CHILD_DID_COLUMN, FLAT_MAX_PARENTS, claimsFromFlatRecord, flattenClaims, flattenedClaimsColumns } from './flat-claims.js';
export { base58Decode, base58Encode } from './base58.js';
export { WEAK_DID_KEY_MESSAGE, didKeyFromEd25519PublicKey, didKeyVerificationMethodId, ed25519PublicKeyOfDidKey, isWeakEd25519DidKey } from './did-key.js';
export {
  TRAVEL_CONSENT_MAX_COUNTRIES,
  TRAVEL_CONSENT_MAX_VALIDITY_SECONDS,
  TYPE_TRAVEL_CONSENT,
  buildTravelConsent,
  isTravelConsentPayload,
  readTravelConsent,
  travelCountries,
} from './formats/travel-consent.js';
export type { BuildTravelConsentInput, ReadTravelConsentResult, TravelConsent, TravelConsentPayload } from './formats/travel-consent.js';
export { displayText, isDisplaySafe } from './display-text.js';
export type { DisplayTextOptions } from './display-text.js';
export { ed25519StrictPrecheck, ed25519VerifyStrict, isStrictEd25519PublicKey, isStrictEd25519Signature } from './ed25519-strict.js';
export type { DevAccount, LedgerConfig } from './formats/ledger-config.js';
export { isRecord } from './guards.js';
export { DID_SYNTAX, MAX_DID_LENGTH, isDid } from './did/syntax.js';
export { ethrDidOf, ethrDidPrefix, ethrNetworkId } from './did/ethr.js';
export { MAX_NUMERIC_DATE, parseDateTime, parseNumericDate } from './date-time.js';
export { clockOption } from './clock.js';
export type { Clock, LegacyTime } from './clock.js';
export {
  CREDENTIAL_FORMATS,
  CREDENTIAL_FORMAT_CONTEXTS,
  CREDENTIAL_FORMAT_TYP,
  buildCredential,
  buildCredentialJws,
  credentialFormatOfTyp,
  credentialKindOf,
  readCredential,
} from './formats/credential.js';
export type {
  CredentialFormat,
  CredentialInput,
  CredentialJwsOptions,
  JwtCredentialFormat,
  CredentialKind,
  CredentialRead,
  CredentialReadProblem,
  CredentialView,
} from './formats/credential.js';
export { TRUST_LIST_ID, digestOf, statusListId } from './formats/anchor.js';
export type { AnchorRecord, AnchorState } from './formats/anchor.js';
export { buildStatusListCredential, readStatusListCredential } from './formats/status-list-credential.js';
export type {
  StatusListCredentialInput,
  StatusListCredentialProblem,
  StatusListCredentialRead,
  StatusListCredentialView,
  StatusListPurpose,
} from './formats/status-list-credential.js';
export { BUNDLE_FORMAT, BUNDLE_TYPE, MAX_BUNDLE_BYTES, TYP_BUNDLE, buildBundle, buildSignedBundle, readBundle, readSignedBundlePayload } from './formats/bundle.js';
export type { BundleContents, BundleDidDocument, BundleList, BundleProblem, BundleRead, BundleReadCode, BundleSigner, ReadBundleOptions } from './formats/bundle.js';
export { MAX_TRUST_LIST_REGISTRARS, TRUST_LIST_TYPE, TYP_TRUST_LIST, buildTrustListPayload, readTrustListPayload } from './formats/trust-list.js';
export type { TrustListEntry, TrustListRead, TrustListView } from './formats/trust-list.js';
export { MAX_DOMAIN_LENGTH, MAX_NONCE_LENGTH, buildCheckpointChallenge, readCheckpointChallenge } from './formats/checkpoint-challenge.js';
export type { CheckpointChallenge, CheckpointChallengeRead } from './formats/checkpoint-challenge.js';
export {
  SD_JWT_STATUS_MECHANISM,
  SD_JWT_VC_DISCLOSABLE,
  SD_JWT_VC_MAX_BYTES,
  SD_JWT_VC_MAX_DISCLOSURES,
  TYP_DC_SD_JWT,
  TYP_KB_JWT,
  TYP_VC_SD_JWT,
  VCT_BIRTH_REGISTRATION,
  VCT_GUARDIANSHIP,
  buildSdJwtVc,
  credentialKindOfVct,
  isSdJwt,
  isSdJwtVcTyp,
  presentSdJwtVc,
  readSdJwtVc,
} from './formats/sd-jwt-vc.js';
export type {
  BuildSdJwtVcInput,
  PresentSdJwtVcOptions,
  PublicJwk,
  SdJwtKeyBinding,
  SdJwtKeyBindingInput,
  SdJwtVcProblem,
  SdJwtVcProblemCode,
  SdJwtVcRead,
} from './formats/sd-jwt-vc.js';
export {
  ALERT_CODES,
  ALERT_INSTRUCTION,
  ALERT_KINDS,
  ALERT_LIST_ENC,
  ALERT_LIST_KEY_ALG,
  ALERT_LIST_PADDING_BLOCK,
  ALERT_STATUS_MESSAGES,
  ALERT_STATUS_PURPOSE,
  ALERT_STATUS_SIZE,
  MAX_ALERT_LIST_BYTES,
  MAX_ALERT_RECIPIENTS,
  TYP_ALERT_LIST,
  alertKindOf,
  alertListUrl,
  alertNotice,
  alertValue,
  generateAlertKeyPair,
  isAlertKind,
  isAlertListUrl,
  isSealedAlertList,
  openAlertList,
  readAlertKey,
  sealAlertList,
} from './formats/alert-list.js';
export type { AlertCode, AlertKeyJwk, AlertKeyPair, AlertKind, AlertListOpenProblem } from './formats/alert-list.js';
// Alerts through the governance trust list: distributed checkpoint keys, accredited authorities, their requests.
export {
  ALERT_REQUEST_TYPE,
  MAX_ALERT_REQUEST_SECONDS,
  TRUST_LIST_ALERTS_MEMBER,
  TYP_ALERT_REQUEST,
  alertAuthorityScope,
  buildAlertRequestPayload,
  readAlertRequestPayload,
  readTrustListAlerts,
} from './formats/alert-authority.js';
export type { AlertAuthority, AlertRequest, TrustListAlertRecipient, TrustListAlerts } from './formats/alert-authority.js';
