// One clock convention (#13 item 4): `now?: Clock`, a function returning ms since the epoch, like Date.now.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CradleError, clockOption, validateBirthRegistrationClaims } from '../src/index.js';

const T = Date.parse('2026-11-23T10:00:00Z');

describe('clockOption: reading a `now` option', () => {
  it('no option is Date.now', () => {
    expect(clockOption('now', undefined)).toBe(Date.now);
  });

  it('a clock is read each time it is called (a test can move it)', () => {
    let t = T;
    const now = clockOption('now', () => t);
    expect(now()).toBe(T);
    t += 60_000;
    expect(now()).toBe(T + 60_000);
  });

  it('the earlier shapes still give the same instant: a Date, a number of ms, a function returning a Date', () => {
    expect(clockOption('now', new Date(T))()).toBe(T);
    expect(clockOption('now', T)()).toBe(T);
    expect(clockOption('now', () => new Date(T))()).toBe(T);
  });

  it('anything else is a caller error naming the option: a string, an invalid Date, NaN, a clock returning a string', () => {
    for (const bad of ['2026-11-23', new Date('nope'), Number.NaN, Number.POSITIVE_INFINITY, () => '2026-11-23', () => new Date('nope')]) {
      const e = (() => {
        try {
          clockOption('options.now', bad)();
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e, String(bad)).toBeInstanceOf(CradleError);
      expect((e as CradleError).code).toBe('INVALID_ARGUMENT');
      expect((e as Error).message).toMatch(/^options\.now must be a clock: a function returning milliseconds since the epoch/);
    }
  });
});

describe('the claims validators take the clock', () => {
  // The repository's sample registration, born two days before the test clock.
  const sample = JSON.parse(readFileSync(fileURLToPath(new URL('../../../examples/data/birth-registration.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
  const claims = { ...sample, birthDate: '2026-11-21', registrationDate: '2026-11-22' };
  it('a birth two days before the clock is accepted; the same birth before a clock a week earlier is in the future', () => {
    expect(validateBirthRegistrationClaims(claims, { now: () => T }).ok).toBe(true);
    const early = validateBirthRegistrationClaims(claims, { now: () => T - 7 * 86_400_000 });
    expect(early.ok).toBe(false);
  });
  it('a Date (the earlier shape) gives the same answers', () => {
    expect(validateBirthRegistrationClaims(claims, { now: new Date(T) }).ok).toBe(true);
    expect(validateBirthRegistrationClaims(claims, { now: new Date(T - 7 * 86_400_000) }).ok).toBe(false);
  });
});
