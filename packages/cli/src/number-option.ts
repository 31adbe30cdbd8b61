import { CradleError, displayText } from '@cradle/core';

/**
 * A whole-number option such as `--limit 20`: absent gives `fallback`; anything that is not a whole
 * number from `min` to `max` is `INVALID_ARGUMENT` naming the flag and what was given.
 *
 * @example
 * ```ts
 * const limit = wholeNumberOption(opts.limit, '--limit', { min: 1, max: 10_000, fallback: 100 });
 * ```
 */
export function wholeNumberOption(value: string | undefined, flag: string, range: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return range.fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
    throw new CradleError('INVALID_ARGUMENT', `${flag} must be a whole number from ${range.min} to ${range.max}, not "${displayText(value, { maxLength: 40 })}".`);
  }
  return Number(value);
}
