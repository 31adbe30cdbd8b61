import { describe, expect, it } from 'vitest';
import { ageInYears } from '../src/claims.js';

/** The rule as a regex (what ageInYears did before it read digits itself). */
function reference(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d)) age--;
  return age >= 0 && age < 200 ? age : undefined;
}

describe('ageInYears (the child age an officer sees)', () => {
  it('whole years, the birthday counted from its day', () => {
    expect(ageInYears('2025-03-14', new Date('2026-03-13T23:59:59Z'))).toBe(0);
    expect(ageInYears('2025-03-14', new Date('2026-03-14T00:00:00Z'))).toBe(1);
    expect(ageInYears('2030-01-01', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
  it('gives the regex rule\'s answer on dates, prefixes and non-dates', () => {
    const now = new Date('2026-11-30T08:00:00Z');
    const inputs = ['2025-03-14', '2025-03-14T00:00:00Z', '1900-01-01', '1826-12-01', '2026-11-30', '2026-12-01', '0000-00-00', '2025-3-14', '2025/03/14',
      '20250314', '', '2025-03-1', '2025-03-1x', '２０２５-03-14', '2025-03-14 ', ' 2025-03-14', 'abcd-ef-gh', '2025-13-40', '9999-99-99'];
    for (const input of inputs) expect(ageInYears(input, now), input).toBe(reference(input, now));
  });
});
