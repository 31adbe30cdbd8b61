// Cradle's one clock convention (issue #13 item 4). Every option that takes the current time, in every
// package, is `now?: Clock`: a function returning milliseconds since the epoch, exactly like `Date.now`
// (the default). A function rather than a value, so a long-lived object (a registrar, a wallet, a
// server) reads the time when it needs it and a test can freeze or move it; milliseconds, because that is
// what `Date.now` and `new Date(ms)` speak. Seconds (JWT NumericDates) are derived where a format needs them.
import { CradleError } from './errors.js';

/**
 * The current time in milliseconds since the epoch. `Date.now` is one; a test passes a frozen one.
 *
 * @example
 * ```ts
 * let t = Date.parse('2026-11-23T10:00:00Z');
 * const now: Clock = () => t;
 * t += 60_000; // a minute later
 * ```
 */
export type Clock = () => number;

/**
 * The shapes some public options took before the one convention: a `Date` or a number of milliseconds,
 * fixed for the call (`VerifyOptions.now`, sync, bundles, `addTrustedIssuer`), or a function returning a
 * `Date` (a registrar's and a wallet's `now`). Still read there so existing callers keep working;
 * deprecated: pass a {@link Clock}.
 */
export type LegacyTime = Date | number | (() => Date);

function invalid(name: string, got: unknown): CradleError {
  const shown = got instanceof Date ? 'an invalid Date' : typeof got === 'number' ? String(got) : typeof got;
  return new CradleError('INVALID_ARGUMENT', `${name} must be a clock: a function returning milliseconds since the epoch, like Date.now (got ${shown}).`, {
    details: { field: name },
  });
}

function millis(name: string, v: unknown): number {
  const ms = v instanceof Date ? v.getTime() : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw invalid(name, v);
  return ms;
}

/**
 * Read a `now` option into a {@link Clock}: `undefined` gives `Date.now`; a Clock is used as it is (each
 * reading is checked); a {@link LegacyTime} is converted. Anything else, or a clock that returns something
 * that is not a finite time, is a caller error (`INVALID_ARGUMENT` naming the option).
 *
 * @example
 * ```ts
 * const now = clockOption('now', opts.now); // opts.now?: Clock | Date | number
 * const seconds = Math.floor(now() / 1000);
 * ```
 */
export function clockOption(name: string, value: unknown): Clock {
  if (value === undefined) return Date.now;
  if (typeof value === 'function') {
    const read = value as () => unknown;
    return () => millis(name, read());
  }
  const fixed = millis(name, value);
  return () => fixed;
}
