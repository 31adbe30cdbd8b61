import { CradleError } from './errors.js';
import type { CradleErrorCode } from './errors.js';

/** The RFC 9285 alphabet: exactly the QR code alphanumeric-mode character set. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) DECODE[BASE45_ALPHABET.charCodeAt(i)] = i;

/**
 * Base45 (RFC 9285): every 2 bytes become 3 characters, a final odd byte 2 characters. The output
 * uses only QR alphanumeric characters, which QR codes store at 5.5 bits each.
 *
 * @example
 * ```ts
 * base45Encode(new TextEncoder().encode('ietf!')) // 'QED8WEX0'
 * ```
 */
export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45) % 45]! + BASE45_ALPHABET[Math.floor(n / 2025)]!;
  }
  if (i < bytes.length) {
    const n = bytes[i]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/**
 * Strict base45 decoding: only alphabet characters, a length that is not 1 mod 3, and no group
 * worth more than its bytes can hold (e.g. `GGW` = 65536 is rejected, RFC 9285 §4.2). Throws
 * `CradleError` (`QR_INVALID` unless another code is given).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(base45Decode('QED8WEX0')) // 'ietf!'
 * ```
 */
export function base45Decode(s: string, code: CradleErrorCode = 'QR_INVALID'): Uint8Array {
  if (typeof s !== 'string') throw new CradleError(code, 'base45 input must be a string');
  if (s.length % 3 === 1) throw new CradleError(code, `invalid base45: length ${s.length} is impossible (length mod 3 = 1)`);
  const out = new Uint8Array(Math.floor(s.length / 3) * 2 + (s.length % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < s.length; i += 3) {
    const n = digit(s, i, code) + digit(s, i + 1, code) * 45 + digit(s, i + 2, code) * 2025;
    if (n > 0xffff) throw new CradleError(code, `invalid base45: group at position ${i} exceeds 65535`);
    out[o++] = n >>> 8;
    out[o++] = n & 255;
  }
  if (i < s.length) {
    const n = digit(s, i, code) + digit(s, i + 1, code) * 45;
    if (n > 0xff) throw new CradleError(code, `invalid base45: final group at position ${i} exceeds 255`);
    out[o] = n;
  }
  return out;
}

function digit(s: string, i: number, code: CradleErrorCode): number {
  const c = s.charCodeAt(i);
  const v = c < 128 ? DECODE[c]! : -1;
  if (v < 0) throw new CradleError(code, `invalid base45: character ${JSON.stringify(s[i])} at position ${i}`);
  return v;
}
