export { DEFAULT_BIRTH_DISCLOSURES, createWallet, WALLET_DATABASE_FILE } from './wallet.js';
export type {
  BackupSummary,
  ConsentOptions,
  DidRole,
  HeldDid,
  ImportResult,
  Presentation,
  PresentOptions,
  ReceiveOptions,
  ReceiveResult,
  RespondOptions,
  SignedConsent,
  StoredCredential,
  Wallet,
  WalletConfig,
} from './wallet.js';
export { MAX_CREDENTIAL_INPUT, isDid, parseCredential } from './parse-credential.js';
export type { CredentialFormat, GuardianRef, ParsedCredential, TravelConsentSummary, WalletCredentialType } from './parse-credential.js';
export {
  DEFAULT_PRESENTATION_TTL_SECONDS,
  MAX_DOMAIN_LENGTH,
  MAX_NONCE_LENGTH,
  MAX_PRESENTATION_TTL_SECONDS,
  buildPresentation,
} from './presentation-payload.js';
export type { BuildPresentationInput, CheckpointPresentationPayload, EnvelopedCredential } from './presentation-payload.js';
export { didKeyVerificationMethod, ed25519PublicKeyFromDidKey } from './did-key.js';
export { didKeyFromEd25519PublicKey } from '@cradle/core';
export { qrSegments, renderQrPng } from './qr-image.js';
export type { QrPngOptions } from './qr-image.js';
export { BACKUP_FORMAT, BACKUP_KDF_PARAMS, BACKUP_VERSION } from './backup-file.js';
export type { BackupEnvelope } from './backup-file.js';
export { parseCheckpointChallenge } from './checkpoint-challenge.js';
export type { CheckpointChallenge } from './checkpoint-challenge.js';
export { groupByChild } from './group-by-child.js';
export type { ChildCredentials } from './group-by-child.js';
export { MAX_OFFER_URI_LENGTH, receiveOffer } from './oid4vci-receive.js';
export type { ReceiveOfferOptions, ReceivedCredentials } from './oid4vci-receive.js';
export { MAX_REQUEST_URI_LENGTH, respondToRequest } from './oid4vp-respond.js';
export type { RespondResult, RespondToRequestOptions } from './oid4vp-respond.js';
