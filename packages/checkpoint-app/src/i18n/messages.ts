/**
 * Everything the app says, per language. A language is one file in `locales/` exporting
 * `locale: Locale`; the compiler refuses one that misses a message (see docs/checkpoint-app.md,
 * "Adding a language").
 *
 * Parameters are values already formatted for the language (numbers, dates, durations through `Intl`).
 */
import type { AlertCode } from '@cradle/core';
import type { VerificationCode } from './verification-codes.js';

/** The words of one language. */
export interface Messages {
  // Chrome
  appName: string;
  skipLink: string;
  online: string;
  offline: string;
  actionsLabel: string;
  language: string;
  nightTheme: string;
  dayTheme: string;
  screenTitles: { setup: string; scan: string; challenge: string; verdict: string; log: string };

  // Bottom actions
  actSetup: string;
  actLog: string;
  actCheckGuardian: string;
  actScan: string;
  actBack: string;
  actStartCamera: string;
  actStopCamera: string;
  actNewCode: string;
  actScanAnswer: string;
  actDone: string;
  actScanNext: string;

  // Readiness (Scan screen, before scanning; Setup)
  readyNotSetUp: string;
  readyNotSetUpAction: string;
  readyStale: (age: string, limit: string) => string;
  readyNoStatus: string;
  ready: (registrars: number, age: string) => string;

  // Setup
  setupTitle: string;
  trustedRegistrars: string;
  noRegistrars: string;
  stopTrusting: string;
  stopTrustingLabel: (name: string) => string;
  stopTrustingConfirm: (name: string) => string;
  trust: string;
  trustLabel: (did: string) => string;
  nowTrusted: (did: string) => string;
  noLongerTrusted: (did: string) => string;
  statusData: (age: string, from: string, lists: number) => string;
  statusTooOld: string;
  noStatusData: string;
  offlinePreparing: string;
  offlineReady: string;
  offlineUnavailable: string;
  trustData: string;
  trustDataHelp: string;
  importBundle: string;
  importing: string;
  bundleImported: (signed: boolean, lists: number, registrars: number) => string;
  notImported: (reason: string) => string;
  unsignedBundle: string;
  unsignedBundleHelp: string;
  syncOverNetwork: string;
  noLedger: string;
  ledgerInfo: (name: string, chainId: number, rpcUrl: string) => string;
  importLedger: string;
  ledgerSaved: string;
  notJson: string;
  rpcUrlLabel: string;
  mirrorsLabel: string;
  syncNow: string;
  syncing: string;
  syncComplete: (lists: number) => string;
  syncIncomplete: (lists: number, first: string, more: number) => string;
  syncFailed: (reason: string) => string;
  /** Child-protection alerts: the checkpoint's alert key (kept on the phone). */
  alertKeyTitle: string;
  alertKeyHelp: string;
  alertKeyNone: string;
  alertKeyInstalled: (kid: string) => string;
  importAlertKey: string;
  removeAlertKey: string;
  removeAlertKeyConfirm: string;
  alertKeySaved: string;
  alertKeyRemoved: string;
  alertKeyRefused: (reason: string) => string;
  /** After a bundle import: its alert lists this phone could not read (no key here, or other checkpoints' keys). */
  alertListsNotRead: (lists: number, hasKey: boolean) => string;
  checkpointSettings: string;
  domainLabel: string;
  maxAgeLabel: string;
  governanceLabel: string;
  saveSettings: string;
  settingsSaved: string;
  maxAgeInvalid: string;
  governanceInvalid: string;
  requireConsentLabel: string;
  destinationLabel: string;
  destinationInvalid: string;
  trustDidLabel: string;
  soundOnVerdicts: string;
  trustThisRegistrar: string;

  // Scan
  scanTitle: string;
  scanAnswerTitle: string;
  scanModeDocument: string;
  scanModeGuardian: string;
  cameraView: string;
  cameraOff: string;
  cameraStarting: string;
  cameraPoint: string;
  /** Under the camera: how to scan a printed certificate. */
  certificateHint: string;
  cameraRefused: string;
  cameraMissing: string;
  noCamera: string;
  choosePhoto: string;
  readingPhoto: string;
  noQrInPhoto: string;
  notAnImage: string;
  pasteLabel: string;
  checkText: string;
  pasteFirst: string;
  checking: string;
  challengeExpired: string;
  checkFailedOnPhone: (reason: string) => string;
  sameCodeAgain: string;
  scanAgain: string;

  // Check a guardian
  challengeTitle: string;
  challengeStep1: string;
  challengeStep2: string;
  challengeQrLabel: string;
  challengeCode: string;
  challengeFor: string;
  challengeWorksFor: (left: string) => string;
  challengeCodeExpired: string;

  // Verdict
  verdictValid: string;
  verdictInvalid: string;
  verdictIndeterminate: string;
  verdictNotSetUp: string;
  verdictAlert: string;
  summaryValidBearer: string;
  summaryValidGuardian: string;
  summaryValidCertificate: string;
  summaryInvalid: string;
  summaryIndeterminate: string;
  summaryNotSetUp: string;
  summaryAlert: string;
  whatFailed: string;
  alerts: string;
  /** Each child-protection alert with the officer's instruction (the verifier's `alerts[].code`). */
  alertText: Record<AlertCode, string>;
  /** Whether the child-protection alert entry was checked on this phone. */
  factAlertCheck: string;
  alertCheckText: { checked: string; raised: string; 'no-alert-key': string; 'no-alert-entry': string };
  factChild: string;
  factSex: string;
  sexValues: { female: string; male: string; other: string; unknown: string };
  factBirthDate: string;
  factAge: string;
  factRegistration: string;
  factOffice: string;
  factRegistrar: string;
  registrarTrusted: string;
  registrarNotTrusted: string;
  registrarUnnamed: string;
  factGuardian: string;
  factAdultToCheck: string;
  documentTypes: { passport: string; 'national-id': string; other: string };
  guardianNotChecked: string;
  guardianNotCheckedPaper: string;
  /** Certificates: each adult the guardianship seal names. */
  factMayTravelWith: string;
  accompanyNone: string;
  adultNoDocument: string;
  roles: { mother: string; father: string; parent: string; 'legal-guardian': string; 'custodial-organisation': string };
  /** Certificates: the seals, and a cancelled guardianship seal. */
  factSeals: string;
  sealLabel: (n: number, kind: string) => string;
  sealKinds: { 'birth-registration': string; guardianship: string; other: string; unreadable: string };
  guardianshipCancelled: string;
  /** Guardian's answers: the other parents' travel consent. */
  factTravelConsent: string;
  consentRequired: string;
  consentNotRequired: string;
  consentDestination: (country: string) => string;
  consentGiven: (countries: string, until: string) => string;
  consentExpired: (until: string) => string;
  consentNotCounted: string;
  consentAbsent: string;
  guardianListed: string;
  guardianNotListed: string;
  details: string;
  detailRegistrarDid: string;
  detailCode: string;
  statusAgeUsed: (age: string, from: string) => string;
  statusNoneUsed: string;
  checkedIn: (ms: string) => string;
  junkQr: string;
  urlQr: (host: string) => string;

  // Log
  logTitle: string;
  logHelp: string;
  logEmpty: string;
  logClear: string;
  logClearConfirm: string;
  logOutcomes: { valid: string; invalid: string; indeterminate: string; alert: string };
  logDocumentOnly: string;
  logWithGuardian: string;
  logCertificate: string;

  /** The officer-facing sentence for every code a verification can report. */
  plain: Record<VerificationCode, string>;
}

/** A language the app speaks. */
export interface Locale {
  /** BCP 47 tag of the language (`fr`), used for `<html lang>` and the picker. */
  code: string;
  /** The language's own name ("Français"), shown in the picker. */
  name: string;
  dir: 'ltr' | 'rtl';
  /** Locale for `Intl` (dates, numbers, units), e.g. `en-GB` for day-month-year English. */
  intl: string;
  messages: Messages;
}
