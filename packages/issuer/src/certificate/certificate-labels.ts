import { CradleError } from '@cradle/core';
import { en } from './labels/en.js';
import { fr } from './labels/fr.js';

/**
 * Every label printed on a birth certificate, in one language. A language is one file in `labels/`
 * exporting an object of this type (the compiler refuses a file that misses a label); add it to
 * {@link CERTIFICATE_LANGUAGES} to offer it.
 */
export interface CertificateLabels {
  /** BCP 47 tag of this language, e.g. `en`. */
  readonly lang: string;
  readonly title: string;
  readonly subtitle: string;
  readonly registeringOffice: string;
  readonly officeCode: string;
  readonly child: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly sexValues: Readonly<Record<'female' | 'male' | 'other' | 'unknown', string>>;
  readonly placeOfBirth: string;
  readonly facility: string;
  readonly registration: string;
  readonly registrationNumber: string;
  readonly registrationDate: string;
  readonly parents: string;
  readonly parentRoles: Readonly<Record<string, string>>;
  readonly noParents: string;
  readonly guardians: string;
  readonly document: string;
  readonly birthSeal: string;
  readonly guardianshipSeal: string;
  readonly sealInstructions: string;
  readonly bearerWarning: string;
  readonly issuedBy: string;
  readonly credentialId: string;
  readonly printedFrom: string;
  /** Format an ISO `YYYY-MM-DD` date for this language. */
  readonly formatDate: (isoDate: string) => string;
}

/** The languages certificates can be printed in. */
export const CERTIFICATE_LANGUAGES: Readonly<Record<string, CertificateLabels>> = { en, fr };

/** The labels of `lang`; `INVALID_ARGUMENT` naming the available languages otherwise. */
export function certificateLabels(lang: string): CertificateLabels {
  const labels = Object.hasOwn(CERTIFICATE_LANGUAGES, lang) ? CERTIFICATE_LANGUAGES[lang] : undefined;
  if (labels === undefined) {
    throw new CradleError('INVALID_ARGUMENT', `No certificate labels for language "${lang}": use one of ${Object.keys(CERTIFICATE_LANGUAGES).join(', ')}.`, {
      details: { field: 'lang' },
    });
  }
  return labels;
}
