import { CradleError } from './errors.js';
import type { CradleErrorCode } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// The alphabet as char codes, and a decoder for them (every code is ASCII, which latin1 maps to itself).
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const ascii = new TextDecoder('latin1');

// Reverse lookup over char codes; -1 marks characters outside the URL-safe alphabet.
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Encode bytes as base64url without padding (RFC 4648 §5, as JOSE uses it).
 *
 * @example
 * ```ts
 * base64UrlEncode(new Uint8Array([0xfb, 0xff])) // '-_8'
 * ```
 */
export function base64UrlEncode(bytes: Uint8Array): string {
  // Characters into a byte array, then one native decode: building the string 4 characters at a time
  // made ~400 intermediate strings per credential payload (measured 3-9x slower on 1.2 KB).
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let i = 0;
  let o = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_CODES[v >>> 18]!;
    out[o++] = ALPHABET_CODES[(v >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(v >>> 6) & 63]!;
    out[o++] = ALPHABET_CODES[v & 63]!;
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out[o++] = ALPHABET_CODES[v >>> 18]!;
    out[o++] = ALPHABET_CODES[(v >>> 12) & 63]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out[o++] = ALPHABET_CODES[v >>> 18]!;
    out[o++] = ALPHABET_CODES[(v >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(v >>> 6) & 63]!;
  }
  return ascii.decode(out);
}

/**
 * Decode strict base64url: only `[A-Za-z0-9_-]`, no padding, no whitespace, and canonical (the unused
 * trailing bits must be zero), so every byte string has exactly one accepted encoding. Anything else
 * throws `CradleError` (`JOSE_INVALID` unless another code is given).
 *
 * @example
 * ```ts
 * base64UrlDecode('-_8') // Uint8Array [0xfb, 0xff]
 * base64UrlDecode('-_9') // throws: non-zero trailing bits
 * ```
 */
export function base64UrlDecode(s: string, code: CradleErrorCode = 'JOSE_INVALID'): Uint8Array {
  if (typeof s !== 'string') throw new CradleError(code, 'base64url input must be a string');
  const n = s.length;
  const rest = n & 3;
  if (rest === 1) throw new CradleError(code, `invalid base64url: length ${n} is impossible (length mod 4 = 1)`);
  if (n >= NATIVE_MIN_CHARS) {
    const out = nativeDecode(s);
    if (out !== undefined) return out;
    // Not strict base64url: the loop below finds what is wrong and says so.
  }
  const out = new Uint8Array(((n >>> 2) * 3) + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  let i = 0;
  const full = n - rest;
  // The hot loop only accumulates what would be wrong (a character past ASCII, or one the table marks
  // -1); the first bad character is located, for the message, only when there is one.
  let wide = 0;
  let bad = 0;
  for (; i < full; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    wide |= c0 | c1 | c2 | c3;
    const a = DECODE[c0 & 127]!;
    const b = DECODE[c1 & 127]!;
    const c = DECODE[c2 & 127]!;
    const d = DECODE[c3 & 127]!;
    bad |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (bad < 0 || wide > 127) for (let k = 0; k < full; k++) sextet(s, k, code);
  if (rest === 2) {
    const a = sextet(s, i, code);
    const b = sextet(s, i + 1, code);
    if (b & 15) throw nonCanonical(code);
    out[o] = (a << 2) | (b >>> 4);
  } else if (rest === 3) {
    const a = sextet(s, i, code);
    const b = sextet(s, i + 1, code);
    const c = sextet(s, i + 2, code);
    if (c & 3) throw nonCanonical(code);
    const v = (a << 10) | (b << 4) | (c >>> 2);
    out[o++] = v >>> 8;
    out[o] = v & 255;
  }
  return out;
}

// Node's native base64 decoder is several times faster than the loop below on a credential's ~2 KB payload,
// but lenient: it also takes `+` and `/`, skips or stops at other characters, and reads only the low byte of
// a character past U+00FF. Its answer is used only when the bytes it gives encode back to exactly the input:
// then the input is the canonical base64url of those bytes, which is what the strict loop would have
// returned (strict decoding is the inverse of canonical encoding). This relies on nothing about how the
// decoder treats bad input; anything that does not round-trip (or a platform whose Buffer lacks base64url
// and throws) takes the loop, which rejects it with the exact reason. Browsers (no Buffer) take the loop.
interface NativeBytes extends Uint8Array {
  toString(encoding?: 'base64url'): string;
}
interface NativeBuffer {
  from(s: string, encoding: 'base64url'): NativeBytes;
  allocUnsafeSlow?(size: number): NativeScratch;
}
interface NativeScratch extends Uint8Array {
  write(s: string, offset: number, encoding: 'base64url'): number;
  toString(encoding?: 'base64url', start?: number, end?: number): string;
}
/** Below this length the call overhead outweighs the loop. */
const NATIVE_MIN_CHARS = 128;
/** Longest input decoded into the reused scratch buffer (a 64 KiB JWS segment: 48 KiB of bytes). */
const SCRATCH_MAX_CHARS = 64 * 1024;
let scratch: { owner: NativeBuffer; buffer: NativeScratch } | undefined;

/** The native decoder's bytes for `s` when they round-trip to `s` exactly (may live in Node's shared pool). */
function nativeStrictDecode(s: string): NativeBytes | undefined {
  const nativeBuffer = (globalThis as { Buffer?: NativeBuffer }).Buffer;
  if (nativeBuffer === undefined) return undefined;
  try {
    const bytes = nativeBuffer.from(s, 'base64url');
    return bytes.toString('base64url') === s ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function nativeDecode(s: string): Uint8Array | undefined {
  const bytes = s.length <= SCRATCH_MAX_CHARS ? scratchStrictDecode(s) : nativeStrictDecode(s);
  // A plain array of its own (not a view of Node's shared allocation pool) for callers that keep it.
  return bytes === undefined ? undefined : new Uint8Array(bytes);
}

/**
 * Strict base64url ({@link base64UrlDecode}) of strict UTF-8 text ({@link utf8Decode}): a JWS header or
 * payload. Same answers and error codes as `utf8Decode(base64UrlDecode(s, code), textCode)`; the bytes never
 * leave this function, so in Node they are written into one reused buffer (no allocation of their own).
 *
 * @example
 * ```ts
 * base64UrlDecodeText('eyJhIjoxfQ') // '{"a":1}'
 * ```
 */
export function base64UrlDecodeText(s: string, code: CradleErrorCode = 'JOSE_INVALID', textCode: CradleErrorCode = 'MALFORMED'): string {
  if (typeof s === 'string' && s.length >= NATIVE_MIN_CHARS) {
    const bytes = s.length <= SCRATCH_MAX_CHARS ? scratchStrictDecode(s) : nativeStrictDecode(s);
    if (bytes !== undefined) return utf8Decode(bytes, textCode);
  }
  return utf8Decode(base64UrlDecode(s, code), textCode);
}

/**
 * {@link nativeStrictDecode} into one reused scratch buffer instead of a new Buffer per call (a slice of
 * Node's pool, and a new 8 KiB pool every few payloads: about a third of decoding a credential's payload
 * to text). Same proof: the written bytes are used only when they encode back to exactly `s`. The view
 * returned is overwritten by the next call, so its callers copy it or turn it into a string at once.
 * Falls back to {@link nativeStrictDecode} on a platform Buffer without `allocUnsafeSlow`.
 */
function scratchStrictDecode(s: string): Uint8Array | undefined {
  const nativeBuffer = (globalThis as { Buffer?: NativeBuffer }).Buffer;
  if (nativeBuffer === undefined) return undefined;
  const need = ((s.length >>> 2) + 1) * 3;
  try {
    if (scratch === undefined || scratch.owner !== nativeBuffer || scratch.buffer.length < need) {
      if (typeof nativeBuffer.allocUnsafeSlow !== 'function') return nativeStrictDecode(s);
      scratch = { owner: nativeBuffer, buffer: nativeBuffer.allocUnsafeSlow(Math.max(need, 4096)) };
    }
    const buffer = scratch.buffer;
    const n = buffer.write(s, 0, 'base64url');
    return buffer.toString('base64url', 0, n) === s ? new Uint8Array(buffer.buffer, buffer.byteOffset, n) : undefined;
  } catch {
    return undefined;
  }
}

/** True when `s` is strict, canonical base64url (same rules as {@link base64UrlDecode}). */
export function isBase64Url(s: string): boolean {
  try {
    base64UrlDecode(s);
    return true;
  } catch {
    return false;
  }
}

function sextet(s: string, i: number, code: CradleErrorCode): number {
  const c = s.charCodeAt(i);
  const v = c < 128 ? DECODE[c]! : -1;
  if (v < 0) {
    throw new CradleError(code, `invalid base64url: character ${JSON.stringify(s[i])} at position ${i} is not in [A-Za-z0-9_-]`);
  }
  return v;
}

function nonCanonical(code: CradleErrorCode): CradleError {
  return new CradleError(code, 'invalid base64url: non-zero trailing bits (non-canonical encoding)');
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Encode a string as UTF-8 bytes. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Decode UTF-8 bytes strictly: invalid sequences throw `CradleError` (`MALFORMED` unless another code is
 * given) instead of being replaced with U+FFFD, and a leading BOM is kept (so it fails JSON parsing).
 */
export function utf8Decode(bytes: Uint8Array, code: CradleErrorCode = 'MALFORMED'): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new CradleError(code, 'invalid UTF-8 byte sequence', { cause });
  }
}
