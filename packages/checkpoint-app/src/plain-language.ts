import type { VerificationCode } from '@cradle/core';

/**
 * What each failed check means for the officer at the barrier, in words that need no training.
 * The verifier's own message is shown under it; the stable code is shown small, for reports.
 */
// Typed by the verifier's code union: a new code fails to compile here until it has a sentence.
const PLAIN: Record<VerificationCode, string> = {
  SIGNATURE_INVALID: 'The document was changed or was not made by the registrar. Treat it as forged.',
  ISSUER_NOT_TRUSTED: 'The office that issued this is not on this checkpoint’s list of trusted registrars.',
  ISSUER_UNKNOWN: 'This checkpoint has no data about the office that issued this. Import a current trust bundle.',
  REVOKED: 'The registrar has cancelled this birth registration.',
  SUSPENDED: 'The registrar has suspended this birth registration for now.',
  EXPIRED: 'This document has expired.',
  NOT_YET_VALID: 'This document is not valid yet. Check the date and time on this phone.',
  STATUS_STALE: 'This checkpoint’s cancellation data is too old to be sure. Sync, or import a new trust bundle.',
  TRUST_LIST_STALE: 'A newer list of trusted registrars exists but is not on this phone, so this office may no longer be trusted. Sync, or import a new trust bundle.',
  STATUS_UNKNOWN: 'This checkpoint has no cancellation data for this document. Import a current trust bundle.',
  HOLDER_NOT_GUARDIAN: 'The person presenting is not listed as a guardian of this child.',
  CHALLENGE_MISMATCH: 'The answer was not made for this check. Ask the guardian to scan the new code on screen.',
  PRESENTATION_EXPIRED: 'The guardian’s answer is too old. Start the check again.',
  MALFORMED: 'This QR code is not a birth registration document, or it is damaged.',
  ALG_NOT_ALLOWED: 'The document uses a signature type that is not accepted. Treat it as forged.',
  TYP_UNEXPECTED: 'This QR code is not the expected kind of document.',
  TOO_LARGE: 'This QR code is too large to be a birth registration document.',
  GUARDIANSHIP_MISSING: 'The guardian did not include proof of guardianship.',
  SUBJECT_MISMATCH: 'The guardianship proof is for a different child.',
  KEY_NOT_ISSUERS: 'The document was signed with a key that does not belong to the registrar. Treat it as forged.',
  ISSUER_MISMATCH: 'The document names two different registrars. Treat it as forged.',
  SCHEMA_INVALID: 'The registration details in this document are incomplete or wrong. Do not accept it.',
  DOMAIN_MISMATCH: 'The answer was made for another checkpoint. Ask the guardian to scan the code on this screen.',
  STATUS_INDEX_OUT_OF_RANGE: 'This document points outside the registrar’s cancellation list. Do not accept it.',
  TRAVEL_CONSENT_MISSING: 'The other parent’s or guardian’s consent to this trip was not shown. Ask for it before the child travels.',
  CONSENT_NOT_FROM_GUARDIAN: 'The travel consent was not given by a listed guardian of this child. Do not accept it.',
  CONSENT_TRAVELLER_MISMATCH: 'The travel consent names someone other than the adult travelling with the child.',
  CONSENT_DESTINATION_MISMATCH: 'The travel consent does not cover this destination or these dates.',
};

/**
 * The officer-facing sentence for a failed check's code, or undefined when the verifier's message is all
 * we have.
 * @example plainLanguage('REVOKED') // 'The registrar has cancelled this birth registration.'
 */
export function plainLanguage(code: string): string | undefined {
  return Object.hasOwn(PLAIN, code) ? PLAIN[code as VerificationCode] : undefined;
}
