/** Formatting helpers for the officer's screens. Pure functions, no DOM. */

/**
 * Whole years between `birthDate` (YYYY-MM-DD) and `now` (UTC), or undefined for an unparseable date.
 * @example ageInYears('2015-03-01', new Date('2026-02-28T00:00:00Z')) // 10
 */
export function ageInYears(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  let age = now.getUTCFullYear() - y;
  const beforeBirthday = now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age < 0 ? undefined : age;
}

/**
 * A duration in the largest unit that keeps it readable: "45 seconds", "12 minutes", "3 hours", "2 days".
 * @example formatDuration(7200) // '2 hours'
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 90) return unit(s, 'second');
  if (s < 90 * 60) return unit(Math.round(s / 60), 'minute');
  if (s < 48 * 3600) return unit(Math.round(s / 3600), 'hour');
  return unit(Math.round(s / 86400), 'day');
}

/**
 * A date-time in UTC, to the minute, unambiguous in any locale: "23 Nov 2026 10:00 UTC".
 * @example formatUtc(new Date('2026-11-23T10:00:00Z')) // '23 Nov 2026 10:00 UTC'
 */
export function formatUtc(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )} UTC`;
}

/**
 * A date of birth (YYYY-MM-DD) written out: "1 Mar 2015". Returns the input unchanged when unparseable.
 * @example formatBirthDate('2015-03-01') // '1 Mar 2015'
 */
export function formatBirthDate(birthDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return birthDate;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const month = months[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : birthDate;
}

/**
 * Shortens a DID for display while keeping both ends recognisable: "did:ethr:0x7a69:0xf39f…2266".
 */
export function shortDid(did: string, keep = 6): string {
  const last = did.lastIndexOf(':');
  const tail = did.slice(last + 1);
  if (tail.length <= keep * 2 + 1) return did;
  return `${did.slice(0, last + 1)}${tail.slice(0, keep)}…${tail.slice(-keep)}`;
}
