// The one DID syntax check (W3C DID Core §3.1 ABNF):
//   did = "did:" method-name ":" method-specific-id
//   method-name = 1*( %x61-7A / DIGIT )
//   method-specific-id = *( *idchar ":" ) 1*idchar ; idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
// so a DID never ends with ":" and "%" is always followed by two hex digits.
const IDCHAR = '(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})';

/** The DID syntax of W3C DID Core, as a pattern (anchored). */
export const DID_SYNTAX = new RegExp(`^did:[a-z0-9]+:(?:${IDCHAR}*:)*${IDCHAR}+$`);

/** Longest DID accepted anywhere (characters): bounded before the pattern runs. */
export const MAX_DID_LENGTH = 512;

/**
 * True when `value` is a DID by W3C DID Core syntax, at most `maxLength` characters. Syntax only: it says
 * nothing about whether the DID resolves.
 *
 * @example
 * ```ts
 * isDid('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK') // true
 * isDid('did:ethr:0x7a69:') // false (ends with ":")
 * ```
 */
export function isDid(value: unknown, maxLength: number = MAX_DID_LENGTH): value is string {
  return typeof value === 'string' && value.length <= maxLength && DID_SYNTAX.test(value);
}
