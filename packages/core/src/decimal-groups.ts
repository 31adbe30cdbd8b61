import { CradleError } from './errors.js';
import type { CradleErrorCode } from './errors.js';

/**
 * Bytes as decimal digits, for QR codes' numeric mode (3.33 bits per digit: 8.03 bits per byte, against
 * 8.25 for base45 in alphanumeric mode). Every group of {@link GROUP_BYTES} bytes is one big-endian
 * number written with exactly {@link GROUP_DIGITS} digits (zero-padded); a last, shorter group of r bytes
 * takes `ceil(r * log10(256))` digits. Those lengths differ for every r, so the digit count alone tells
 * where the bytes end, and groups keep the conversion linear in the input.
 */
const GROUP_BYTES = 22;
const GROUP_DIGITS = 53;

/** Digits of a group of `r` bytes (1..22): ceil(r · log10 256). */
const DIGITS_OF = Array.from({ length: GROUP_BYTES + 1 }, (_, r) => (r === 0 ? 0 : Math.ceil(r * Math.log10(256))));

/**
 * Encode bytes as decimal digits (see above).
 *
 * @example
 * ```ts
 * decimalEncode(Uint8Array.of(1, 0)); // '00256'
 * ```
 */
export function decimalEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += GROUP_BYTES) {
    const group = bytes.subarray(i, i + GROUP_BYTES);
    let hex = '0x0';
    for (const b of group) hex += (b < 16 ? '0' : '') + b.toString(16);
    out += BigInt(hex).toString(10).padStart(DIGITS_OF[group.length]!, '0');
  }
  return out;
}

/**
 * Decode {@link decimalEncode}'s digits. Throws `CradleError` (`code`) for anything else: a character
 * that is not a digit, a digit count no byte length gives, or a group whose number is too large for
 * its bytes (so every byte string has exactly one accepted encoding).
 */
export function decimalDecode(digits: string, code: CradleErrorCode): Uint8Array {
  if (!/^[0-9]*$/.test(digits)) throw new CradleError(code, 'decimal payload: only the digits 0-9 may follow the prefix');
  const full = Math.floor(digits.length / GROUP_DIGITS);
  const lastDigits = digits.length - full * GROUP_DIGITS;
  const lastBytes = DIGITS_OF.indexOf(lastDigits);
  if (lastBytes < 0) throw new CradleError(code, `decimal payload: ${digits.length} digits is not the length of any byte string`);
  const out = new Uint8Array(full * GROUP_BYTES + lastBytes);
  for (let g = 0; g * GROUP_DIGITS < digits.length; g++) {
    const n = g < full ? GROUP_BYTES : lastBytes;
    const hex = BigInt(digits.slice(g * GROUP_DIGITS, g * GROUP_DIGITS + DIGITS_OF[n]!)).toString(16);
    if (hex.length > 2 * n) throw new CradleError(code, 'decimal payload: a group is larger than its bytes can hold');
    // BigInt's hex is lower-case digits only: each pair of characters is a byte, read without parseInt.
    const padded = hex.padStart(2 * n, '0');
    for (let i = 0; i < n; i++) out[g * GROUP_BYTES + i] = (hexDigit(padded.charCodeAt(2 * i)) << 4) | hexDigit(padded.charCodeAt(2 * i + 1));
  }
  return out;
}

/** The value of a lower-case hex digit's character code. */
function hexDigit(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}
