import { readFile, stat } from 'node:fs/promises';
import { CradleError } from '@cradle/core';

/**
 * The text of an input file a command was given (a trust list, an alert request, claims): a file that
 * cannot be read is `INVALID_ARGUMENT` naming it, one larger than `maxBytes` is `TOO_LARGE` (and is not
 * read), `notA` saying what such a file cannot be.
 *
 * @example
 * ```ts
 * const jwt = await readInputFile(file, 'the trust list', { maxBytes: 1024 * 1024, notA: 'a trust list' });
 * ```
 */
export async function readInputFile(path: string, what: string, limit: { maxBytes: number; notA?: string }): Promise<string> {
  let text: string;
  try {
    if ((await stat(path)).size > limit.maxBytes) return tooLarge(path, limit);
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (cause instanceof CradleError) throw cause;
    throw new CradleError('INVALID_ARGUMENT', `Cannot read ${what} file ${path}.`, { cause });
  }
  // Grown between the stat and the read: the same answer.
  if (text.length > limit.maxBytes) return tooLarge(path, limit);
  return text;
}

function tooLarge(path: string, limit: { maxBytes: number; notA?: string }): never {
  throw new CradleError('TOO_LARGE', `${path} is larger than ${limit.maxBytes} bytes${limit.notA === undefined ? '' : `: not ${limit.notA}`}.`);
}
