import { CradleError } from '../../src/errors.js';

/** The `CradleError` code `fn` throws, undefined when it returns, or what else it threw (so a test shows it). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CradleError ? e.code : `not a CradleError: ${String(e)}`;
  }
  return undefined;
}
