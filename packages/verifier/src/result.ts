import type { AlertCode, AlertKind, VerificationOutcome, VerificationProblem } from '@cradle/core';
import type { AlertCheck } from './status-check.js';
import type { ChildFacts } from './claims.js';
import type { PresenterFacts } from './presenter.js';
import type { TravelConsentFacts, TravelConsentStatus } from './travel-consent.js';

/** What a checkpoint officer needs to see, taken only from signatures that verified. */
export interface VerificationFacts {
  /** The child, from the birth-registration credential. */
  readonly child?: ChildFacts;
  /** The child's DID (the credential subject). */
  readonly childDid?: string;
  readonly registrationNumber?: string;
  /** The office that registered the birth, as the credential names it. */
  readonly registeringOffice?: string;
  readonly registrar: { readonly did: string; readonly trusted: boolean };
  /**
   * Presentations: who presented, whether a valid guardianship credential lists them, and the role,
   * name and identity document the registrar recorded for them (compare with the adult; see
   * `presenterInstruction`).
   */
  readonly guardian?: PresenterFacts;
  /** Presentations: every travel consent shown, and whether each counts here (and why not). */
  readonly consents?: readonly TravelConsentFacts[];
  /** Presentations by a listed guardian: the other parents whose consent counts, and whether it was shown. */
  readonly travelConsent?: TravelConsentStatus;
  /** Guardianship credentials: the guardians they list. */
  readonly guardians?: readonly string[];
  /**
   * Birth credentials: whether the child-protection alert entry was checked here (`checked`), could not
   * be (`no-alert-key`: this checkpoint has no alert key), or does not exist (`no-alert-entry`, said only
   * by a checkpoint that has an alert key). Absent when neither the credential nor the checkpoint has alerts.
   */
  readonly alertCheck?: AlertCheck;
}

/** A child-protection alert raised on the child's birth credential: what the officer must do. */
export interface AlertNotice {
  /** `ALERT_MISSING_CHILD`, `ALERT_PROTECTION_ORDER` or `ALERT_VERIFY_WITH_AUTHORITY`. */
  readonly code: AlertCode;
  readonly kind: AlertKind;
  /** The reason and the instruction: "... Do not let the child leave. Call the child-protection desk." */
  readonly message: string;
}

/**
 * The answer of a verification. Never thrown: every failed check is in `errors` with a stable code
 * and a plain-language message. `indeterminate` ("cannot confirm") is not `valid` and not `invalid`.
 */
export interface VerificationResult {
  readonly outcome: VerificationOutcome;
  /** True only when `outcome === 'valid'`. */
  readonly verified: boolean;
  readonly kind: 'credential' | 'presentation';
  /** True for a bare credential: it proves nothing about who is holding it. */
  readonly bearer: boolean;
  readonly errors: readonly VerificationProblem[];
  /**
   * Child-protection alerts (outcome `alert`, which outranks every other answer; `errors` and `facts`
   * are still given). Absent when none is raised.
   */
  readonly alerts?: readonly AlertNotice[];
  readonly facts?: VerificationFacts;
  /** Age of the oldest status data the answer relied on. */
  readonly statusAge?: { readonly seconds: number; readonly asOf: string };
}
