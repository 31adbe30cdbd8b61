/**
 * Formatting for the officer's screens, in the officer's language: numbers, units, dates through `Intl`
 * (the `intl` argument is a locale tag such as `en-GB`, `fr`, `ar`). Pure functions, no DOM.
 */

/**
 * Whole months between `birthDate` (YYYY-MM-DD) and `now` (UTC), or undefined for an unparseable date
 * or a date in the future.
 * @example ageInMonths('2025-03-14', new Date('2026-11-29T00:00:00Z')) // 20
 */
export function ageInMonths(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  let months = (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - mo);
  if (now.getUTCDate() < d) months -= 1;
  return months < 0 ? undefined : months;
}

/**
 * Whole years between `birthDate` (YYYY-MM-DD) and `now` (UTC), or undefined for an unparseable date.
 * @example ageInYears('2015-03-01', new Date('2026-02-28T00:00:00Z')) // 10
 */
export function ageInYears(birthDate: string, now: Date): number | undefined {
  const months = ageInMonths(birthDate, now);
  return months === undefined ? undefined : Math.floor(months / 12);
}

function unit(n: number, name: 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year', intl: string): string {
  return new Intl.NumberFormat(intl, { style: 'unit', unit: name, unitDisplay: 'long' }).format(n);
}

/**
 * A child's age as an officer compares it with the child in front of them: in months under two years
 * ("20 months"), in years from two ("7 years").
 * @example formatAge('2025-03-14', new Date('2026-11-29T00:00:00Z'), 'en-GB') // '20 months'
 */
export function formatAge(birthDate: string, now: Date, intl: string): string | undefined {
  const months = ageInMonths(birthDate, now);
  if (months === undefined) return undefined;
  return months < 24 ? unit(months, 'month', intl) : unit(Math.floor(months / 12), 'year', intl);
}

/**
 * A duration in the largest unit that keeps it readable: "45 seconds", "12 minutes", "3 hours", "2 days".
 * @example formatDuration(7200, 'en-GB') // '2 hours'
 */
export function formatDuration(seconds: number, intl: string): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 90) return unit(s, 'second', intl);
  if (s < 90 * 60) return unit(Math.round(s / 60), 'minute', intl);
  if (s < 48 * 3600) return unit(Math.round(s / 3600), 'hour', intl);
  return unit(Math.round(s / 86400), 'day', intl);
}

/**
 * A date-time in UTC, to the minute, marked as UTC: "23 Nov 2026, 10:00 UTC".
 * @example formatUtc(new Date('2026-11-23T10:00:00Z'), 'en-GB') // '23 Nov 2026, 10:00 UTC'
 */
export function formatUtc(date: Date, intl: string): string {
  const text = new Intl.DateTimeFormat(intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hour12: false }).format(date);
  return `${text} UTC`;
}

/**
 * A date of birth (YYYY-MM-DD) written out in the language: "14 Mar 2025", "14 mars 2025".
 * Returns the input unchanged when unparseable.
 * @example formatBirthDate('2015-03-01', 'en-GB') // '1 Mar 2015'
 */
export function formatBirthDate(birthDate: string, intl: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return birthDate;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCDate() !== Number(m[3])) return birthDate;
  return new Intl.DateTimeFormat(intl, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A whole number in the language's digits. */
export function formatNumber(n: number, intl: string): string {
  return new Intl.NumberFormat(intl, { maximumFractionDigits: 0 }).format(n);
}

/**
 * A country's name in the language, from its ISO 3166-1 alpha-2 code ("KE" -> "Kenya"); the code itself
 * where the browser has no name for it.
 */
export function countryName(code: string, intl: string): string {
  try {
    return new Intl.DisplayNames([intl], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
