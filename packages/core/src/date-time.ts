// Strict dates for everything Cradle reads (RFC 8725 asks for strict parsing of every date): an XML Schema
// dateTime / RFC 3339 timestamp with an explicit offset, checked against the calendar, so `2026-02-31` is
// refused instead of rolling over to March, and every verifier reads the same instant.

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
/** The latest JWT NumericDate accepted: 9999-12-31T23:59:59Z. */
export const MAX_NUMERIC_DATE = 253_402_300_799;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parse a date-time strictly into unix seconds (floor); `null` when it is not an RFC 3339 date-time with an
 * explicit offset (`Z` or `±hh:mm`) naming a real calendar instant. Never throws.
 *
 * @example
 * ```ts
 * parseDateTime('2026-02-28T10:00:00Z') // 1803808800
 * parseDateTime('2026-02-31T10:00:00Z') // null
 * parseDateTime('2026-02-28') // null (no time, no offset)
 * ```
 */
export function parseDateTime(v: unknown): number | null {
  if (typeof v !== 'string' || v.length > 40) return null;
  const m = DATE_TIME_RE.exec(v);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[8] !== 'Z' && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/**
 * A JWT NumericDate (RFC 7519): a non-negative integer number of seconds up to year 9999; `null` otherwise.
 *
 * @example
 * ```ts
 * parseNumericDate(1_800_000_000) // 1800000000
 * parseNumericDate(1.5) // null
 * ```
 */
export function parseNumericDate(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_NUMERIC_DATE ? v : null;
}
