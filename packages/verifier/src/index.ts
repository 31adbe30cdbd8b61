// `@cradle/verifier`: offline verification, trust, bundle import and export. Browser-safe: nothing reachable
// from here imports @cradle/ledger, ethers or a `node:` module (test/browser-bundle.test.ts bundles this
// entry for the browser and fails if one appears). Reaching the ledger is `@cradle/verifier/sync`; Node
// adapters (file store, PNG input) are `@cradle/verifier/node`; the store contract alone is
// `@cradle/verifier/store`.
export type {
  AnchorRecord,
  CachedDidDocument,
  CachedStatusList,
  CachedTrustList,
  CheckpointConfig,
  CheckpointState,
  OperatorTrustEntry,
  StoreChanges,
  SyncState,
  TrustListEntry,
  TrustState,
  VerifierStore,
} from './store.js';
export { EMPTY_TRUST, anchorKey, applyChanges } from './store.js';
export { MemoryVerifierStore } from './memory-store.js';
export { addTrustedIssuer, removeTrustedIssuer, trustDecision, trustedIssuers } from './trust.js';
export type { TrustDecision } from './trust.js';
export type { KeyType, SignatureAlgorithm, VerificationKey } from './verification-key.js';
export { didKeyVerificationKey } from './did-key.js';
export { didKeyFromEd25519PublicKey, ed25519PublicKeyOfDidKey } from '@cradle/core';
// A checkpoint's child-protection alert key (docs/privacy.md): generated and read where checkpoints are built.
export { generateAlertKeyPair, readAlertKey } from '@cradle/core';
export type { AlertKeyJwk, AlertKeyPair } from '@cradle/core';
export { keysFromDidDocument } from './did-document-keys.js';
export { nobleSignatureVerifier, webCryptoSignatureVerifier } from './signature-verifier.js';
export type { SignatureVerifier } from './signature-verifier.js';
export { TRUST_LIST_ANCHOR_ID, isSelfCertifyingDid, loadVerificationContext, staticKeyResolver, statusListIdOf } from './verification-context.js';
export type { TrustListStaleness } from './verification-context.js';
export type { KeyResolver, ResolvedKeys } from './verification-context.js';
export { DEFAULT_CLOCK_SKEW, DEFAULT_MAX_STATUS_AGE } from './options.js';
export type { VerifyOptions } from './options.js';
export type { AlertNotice, VerificationFacts, VerificationResult } from './result.js';
export type { AlertCheck } from './status-check.js';
export type { ChildFacts } from './claims.js';
export { presenterInstruction, recordedGuardian } from './presenter.js';
/** Re-exported from @cradle/core: the one sanitizer for untrusted text shown to a person. */
export { displayText } from '@cradle/core';
export type { PresenterFacts } from './presenter.js';
export { CONSENTING_ROLES, MAX_TRAVEL_CONSENT_BYTES } from './travel-consent.js';
export type { ConsentRequirement, TravelConsentFacts, TravelConsentStatus } from './travel-consent.js';
export { verifyCredential } from './verify-credential.js';
export { verifyPresentation } from './verify-presentation.js';
export type { VerifyPresentationOptions } from './verify-presentation.js';
export { verify } from './verify.js';
export { statusListKey } from './store.js';
export { MAX_STATUS_LIST_BYTES, acceptStatusList, digestOf } from './status-list-credential.js';
export type { AcceptStatusListOptions, AcceptedStatusList, ListRejection } from './status-list-credential.js';
export { TYP_TRUST_LIST, acceptTrustList, importTrustList, signTrustList } from './trust-list.js';
// Alerts raised by authorities the governance trust list accredits (judged for the issuing registrar).
export { acceptAlertRequest, checkGovernanceTrustList, signAlertRequest } from './alert-request.js';
export type { AlertRequestRejection } from './alert-request.js';
export { canonicalDid, canonicalEthrDid } from './ethr-did.js';
export { MAX_BUNDLE_BYTES, TYP_BUNDLE, exportBundle, importBundle } from './bundle.js';
export type { ExportBundleOptions, ImportBundleOptions, ImportBundleReport } from './bundle.js';
export { MAX_CERTIFICATE_SEALS, verifyCertificate } from './verify-certificate.js';
export type { AccompanyingAdult, CertificateVerificationResult, SealResult } from './verify-certificate.js';
