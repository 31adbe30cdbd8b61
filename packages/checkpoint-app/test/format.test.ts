import { describe, expect, it } from 'vitest';
import { ageInMonths, ageInYears, countryName, formatAge, formatBirthDate, formatDuration, formatUtc } from '../src/format.js';

describe('age', () => {
  it('counts whole years and months, turning on the birthday (UTC)', () => {
    expect(ageInYears('2015-03-01', new Date('2026-02-28T23:59:59Z'))).toBe(10);
    expect(ageInYears('2015-03-01', new Date('2026-03-01T00:00:00Z'))).toBe(11);
    expect(ageInMonths('2025-03-14', new Date('2026-11-13T00:00:00Z'))).toBe(19);
    expect(ageInMonths('2025-03-14', new Date('2026-11-14T00:00:00Z'))).toBe(20);
  });
  it('is undefined for malformed dates and births in the future', () => {
    expect(ageInYears('2015-13-01', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('01/03/2015', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('2030-01-01', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
  it('is said in months under two years, in years from two', () => {
    expect(formatAge('2025-03-14', new Date('2026-11-29T00:00:00Z'), 'en-GB')).toBe('20 months');
    expect(formatAge('2026-11-01', new Date('2026-11-29T00:00:00Z'), 'en-GB')).toBe('0 months');
    expect(formatAge('2024-11-29', new Date('2026-11-29T00:00:00Z'), 'en-GB')).toBe('2 years');
    expect(formatAge('2025-03-14', new Date('2026-11-29T00:00:00Z'), 'fr')).toBe('20\u00a0mois');
  });
});

describe('formatDuration', () => {
  it('uses the largest readable unit', () => {
    expect(formatDuration(1, 'en-GB')).toBe('1 second');
    expect(formatDuration(45, 'en-GB')).toBe('45 seconds');
    expect(formatDuration(12 * 60, 'en-GB')).toBe('12 minutes');
    expect(formatDuration(3 * 3600, 'en-GB')).toBe('3 hours');
    expect(formatDuration(10 * 86_400, 'en-GB')).toBe('10 days');
    expect(formatDuration(10 * 86_400, 'fr')).toBe('10\u00a0jours');
  });
  it('never shows a negative age', () => {
    expect(formatDuration(-5, 'en-GB')).toBe('0 seconds');
  });
});

describe('dates for officers', () => {
  it('writes times in UTC to the minute, and dates of birth with the month in words, in the language', () => {
    expect(formatUtc(new Date('2026-11-23T10:05:59Z'), 'en-GB')).toBe('23 Nov 2026, 10:05 UTC');
    expect(formatBirthDate('2025-03-14', 'en-GB')).toBe('14 Mar 2025');
    expect(formatBirthDate('2025-03-14', 'fr')).toBe('14 mars 2025');
    expect(formatBirthDate('2025-02-30', 'en-GB')).toBe('2025-02-30');
    expect(formatBirthDate('garbage', 'en-GB')).toBe('garbage');
  });
  it('names countries in the language', () => {
    expect(countryName('KE', 'en-GB')).toBe('Kenya');
    expect(countryName('KE', 'fr')).toBe('Kenya');
    expect(countryName('CI', 'fr')).toBe('Côte d’Ivoire');
  });
});
