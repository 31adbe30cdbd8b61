import { describe, expect, it } from 'vitest';
import { ageInYears, formatBirthDate, formatDuration, formatUtc, shortDid } from '../src/format.js';

describe('ageInYears', () => {
  it('counts whole years, turning on the birthday (UTC)', () => {
    expect(ageInYears('2015-03-01', new Date('2026-02-28T23:59:59Z'))).toBe(10);
    expect(ageInYears('2015-03-01', new Date('2026-03-01T00:00:00Z'))).toBe(11);
  });
  it('is undefined for malformed dates and births in the future', () => {
    expect(ageInYears('2015-13-01', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('01/03/2015', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('2030-01-01', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('uses the largest readable unit', () => {
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(45)).toBe('45 seconds');
    expect(formatDuration(12 * 60)).toBe('12 minutes');
    expect(formatDuration(3 * 3600)).toBe('3 hours');
    expect(formatDuration(10 * 86_400)).toBe('10 days');
  });
  it('never shows a negative age', () => {
    expect(formatDuration(-5)).toBe('0 seconds');
  });
});

describe('dates for officers', () => {
  it('writes times in UTC to the minute, and dates of birth with the month in words', () => {
    expect(formatUtc(new Date('2026-11-23T10:05:59Z'))).toBe('23 Nov 2026 10:05 UTC');
    expect(formatBirthDate('2025-03-14')).toBe('14 Mar 2025');
    expect(formatBirthDate('garbage')).toBe('garbage');
  });
});

describe('shortDid', () => {
  it('keeps both ends of a long identifier', () => {
    expect(shortDid('did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')).toBe('did:ethr:0x7a69:0xf39f…b92266');
    expect(shortDid('did:web:example.org')).toBe('did:web:example.org');
  });
});
