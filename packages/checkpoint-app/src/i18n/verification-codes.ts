/**
 * Every code a verification can report: core's `VerificationCode` union and its list. Each language file
 * translates each of them (`Messages['plain']` is a record over the union, so the compiler refuses a
 * language that misses one), and test/verification-codes.test.ts checks the list against the verifier's
 * source.
 */
export { VERIFICATION_CODES, isVerificationCode } from '@cradle/core';
export type { VerificationCode } from '@cradle/core';
