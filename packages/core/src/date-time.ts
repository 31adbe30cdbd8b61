// Strict dates for everything Cradle reads (RFC 8725 asks for strict parsing of every date): an XML Schema
// dateTime / RFC 3339 timestamp with an explicit offset, checked against the calendar, so `2026-02-31` is
// refused instead of rolling over to March, and every verifier reads the same instant.

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
/** The latest JWT NumericDate accepted: 9999-12-31T23:59:59Z. */
export const MAX_NUMERIC_DATE = 253_402_300_799;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // The instant by calendar arithmetic (a verifier reads one per credential; Date.parse costs more than
  // the rest of this function). A fraction never changes the whole second: floor, as before.
  let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    const offset = offsetHours * 3600 + offsetMinutes * 60;
    seconds += m[9] === '+' ? -offset : offset;
  }
  return seconds;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
