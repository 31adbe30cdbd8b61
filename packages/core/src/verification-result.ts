import type { VerificationCode } from './errors.js';

/**
 * The answers a checkpoint can give. `indeterminate` means "could not determine" (for example the
 * cached status data is too old): it is never shown as valid, and it is not the same as `invalid`.
 * `alert`: a child-protection alert is raised on the child's genuine birth credential; it outranks every
 * other answer (the officer follows the alert procedure, whatever else is wrong).
 */
export type VerificationOutcome = 'valid' | 'invalid' | 'indeterminate' | 'alert';

/** One failed check. `where` names the artefact (e.g. `credential[0]`, `presentation`, `status`). */
export interface VerificationProblem {
  readonly code: VerificationCode;
  readonly message: string;
  readonly where?: string;
}

/** Codes that mean "could not determine" rather than "invalid". */
export const INDETERMINATE_CODES: ReadonlySet<VerificationCode> = new Set<VerificationCode>([
  'STATUS_STALE',
  'TRUST_LIST_STALE',
  'STATUS_UNKNOWN',
  'ISSUER_UNKNOWN',
]);

/**
 * Decide the outcome from the failed checks: no problems -> valid; any problem that proves the input
 * bad -> invalid; only "could not determine" problems -> indeterminate.
 *
 * @example
 * ```ts
 * outcomeOf([{ code: 'STATUS_STALE', message: '...' }]) // 'indeterminate'
 * ```
 */
export function outcomeOf(problems: readonly VerificationProblem[]): VerificationOutcome {
  if (problems.length === 0) return 'valid';
  return problems.every((p) => INDETERMINATE_CODES.has(p.code)) ? 'indeterminate' : 'invalid';
}
