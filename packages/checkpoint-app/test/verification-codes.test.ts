/**
 * Every code the verifier can report has an officer-facing sentence in every language. Core types every
 * problem by its `VerificationCode` union and the compiler checks each language against it
 * (`Messages['plain']` is a record over it); this test checks the languages at run time too.
 */
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../src/i18n/i18n.js';
import { VERIFICATION_CODES } from '../src/i18n/verification-codes.js';

describe('the plain-language table', () => {
  it('has a sentence for every code in every language (English, French, Arabic, Swahili, Portuguese at least)', () => {
    expect(VERIFICATION_CODES).toContain('REVOKED');
    expect(LOCALES.map((l) => l.code).sort()).toEqual(expect.arrayContaining(['ar', 'en', 'fr', 'pt', 'sw']));
    for (const locale of LOCALES) {
      for (const code of VERIFICATION_CODES) expect(locale.messages.plain[code], `${locale.code} ${code}`).toMatch(/\S/);
    }
  });

  it('is translated, not copied: no language repeats the English sentence', () => {
    const en = LOCALES.find((l) => l.code === 'en');
    for (const locale of LOCALES.filter((l) => l.code !== 'en')) {
      for (const code of VERIFICATION_CODES) expect(locale.messages.plain[code], `${locale.code} ${code}`).not.toBe(en?.messages.plain[code]);
    }
  });

  it('marks Arabic right-to-left and the others left-to-right', () => {
    for (const locale of LOCALES) expect(locale.dir).toBe(locale.code === 'ar' ? 'rtl' : 'ltr');
  });
});
