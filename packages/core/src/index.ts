export { CradleError, isCradleError } from './errors.js';
export type { CradleErrorCode, CradleErrorDetails } from './errors.js';
export { INDETERMINATE_CODES, outcomeOf } from './verification-result.js';
export type { VerificationOutcome, VerificationProblem } from './verification-result.js';
