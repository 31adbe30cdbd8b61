import { CradleError, isAlertKind } from '@cradle/core';
import type { AlertKind } from '@cradle/core';
import { displayField } from './output.js';

/**
 * `--kind missing|protection-order|verify-with-authority` or `--clear` (exactly one): the alert kind to
 * raise, or `null` to clear it. Anything else is `INVALID_ARGUMENT` saying what to give.
 *
 * @example
 * ```ts
 * const kind = alertKindOption(opts); // 'missing', or null with --clear
 * ```
 */
export function alertKindOption(opts: { kind?: string; clear?: boolean }): AlertKind | null {
  if ((opts.kind === undefined) === (opts.clear !== true)) {
    throw new CradleError('INVALID_ARGUMENT', 'Give exactly one of --kind missing|protection-order|verify-with-authority or --clear.');
  }
  if (opts.kind === undefined) return null;
  if (!isAlertKind(opts.kind)) throw new CradleError('INVALID_ARGUMENT', `--kind must be missing, protection-order or verify-with-authority (got ${displayField(opts.kind)}).`);
  return opts.kind;
}
