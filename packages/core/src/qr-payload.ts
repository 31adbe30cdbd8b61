import { deflateSync } from 'fflate';
import { base45Decode, base45Encode } from './base45.js';
import { base64UrlDecode, base64UrlEncode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { CradleError } from './errors.js';

/** Prefix of a Cradle QR payload (version 1). Upper case so the whole string stays QR alphanumeric. */
export const QR_PAYLOAD_PREFIX = 'CRADLE1:';

/** Default cap on the reconstructed compact JWS (64 KiB, the same as `decodeJws`). */
export const QR_PAYLOAD_DEFAULT_MAX_BYTES = 64 * 1024;

/** Options for {@link decodeQrPayload}. */
export interface DecodeQrPayloadOptions {
  /** Largest compact JWS to reconstruct; input and decompression are bounded from it (default 64 KiB). */
  readonly maxBytes?: number;
}

/**
 * Pack a compact JWS (credential or presentation) into a QR-friendly string:
 * `CRADLE1:` + base45(raw DEFLATE(varint |header| ‖ header ‖ varint |payload| ‖ payload ‖ signature)),
 * where header, payload and signature are the raw bytes behind the three base64url segments. Every
 * character is in the QR alphanumeric set. Lossless: {@link decodeQrPayload} returns the exact same
 * token, so the signature still verifies. Throws `QR_INVALID` if `jws` is not three canonical
 * base64url segments (a non-canonical segment could not be reproduced byte for byte).
 *
 * @example
 * ```ts
 * const text = encodeQrPayload(jwt);    // 'CRADLE1:6BFOXN...'
 * decodeQrPayload(text) === jwt;        // true
 * ```
 */
export function encodeQrPayload(jws: string): string {
  const [h, p, s] = splitJws(jws, 'encodeQrPayload');
  const header = base64UrlDecode(h, 'QR_INVALID');
  const payload = base64UrlDecode(p, 'QR_INVALID');
  const signature = base64UrlDecode(s, 'QR_INVALID');
  const frame = new Uint8Array(varintLength(header.length) + header.length + varintLength(payload.length) + payload.length + signature.length);
  let o = writeVarint(frame, 0, header.length);
  frame.set(header, o);
  o = writeVarint(frame, o + header.length, payload.length);
  frame.set(payload, o);
  frame.set(signature, o + payload.length);
  return QR_PAYLOAD_PREFIX + base45Encode(deflateSync(frame, { level: 9, mem: 12 }));
}

/**
 * Turn scanned QR text back into the compact JWS. Accepts either a `CRADLE1:` payload or a bare
 * compact JWS (returned unchanged after a structural check), so callers can pass whatever was scanned.
 * Trailing CR/LF (added by files and scanners) is ignored. Input size and decompression are bounded
 * (`TOO_LARGE`, `DECOMPRESSION_LIMIT`); anything else wrong throws `QR_INVALID`. The signature is NOT
 * checked here: pass the result to the verifier.
 *
 * @example
 * ```ts
 * const jwt = decodeQrPayload(scannedText);
 * ```
 */
export function decodeQrPayload(text: string, opts: DecodeQrPayloadOptions = {}): string {
  const maxBytes = opts.maxBytes ?? QR_PAYLOAD_DEFAULT_MAX_BYTES;
  if (typeof text !== 'string') throw new CradleError('QR_INVALID', 'QR payload must be a string');
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  // base45 is 1.5 characters per byte and the frame is smaller than the token, so a payload longer than
  // this cannot yield a token within maxBytes unless DEFLATE expanded it, which it never does by much.
  if (end > QR_PAYLOAD_PREFIX.length + Math.ceil(maxBytes * 1.5) + 64) {
    throw new CradleError('TOO_LARGE', `QR payload is ${end} characters; the limit for a ${maxBytes}-byte token is exceeded`);
  }
  const body = end === text.length ? text : text.slice(0, end);

  if (!body.startsWith(QR_PAYLOAD_PREFIX)) {
    if (body.length > maxBytes) throw new CradleError('TOO_LARGE', `token is ${body.length} bytes; the limit is ${maxBytes}`);
    splitJws(body, 'decodeQrPayload');
    return body;
  }

  const compressed = base45Decode(body.slice(QR_PAYLOAD_PREFIX.length), 'QR_INVALID');
  const frame = inflateBounded(compressed, { format: 'raw', maxOutputBytes: maxBytes, code: 'QR_INVALID' });
  const [headerLength, afterHeaderLength] = readVarint(frame, 0);
  const headerEnd = afterHeaderLength + headerLength;
  if (headerLength === 0 || headerEnd > frame.length) throw new CradleError('QR_INVALID', 'QR payload: header length out of range');
  const [payloadLength, afterPayloadLength] = readVarint(frame, headerEnd);
  const payloadEnd = afterPayloadLength + payloadLength;
  if (payloadLength === 0 || payloadEnd >= frame.length) {
    throw new CradleError('QR_INVALID', 'QR payload: payload length out of range or no signature');
  }
  const token = [
    base64UrlEncode(frame.subarray(afterHeaderLength, headerEnd)),
    base64UrlEncode(frame.subarray(afterPayloadLength, payloadEnd)),
    base64UrlEncode(frame.subarray(payloadEnd)),
  ].join('.');
  if (token.length > maxBytes) throw new CradleError('TOO_LARGE', `token is ${token.length} bytes; the limit is ${maxBytes}`);
  return token;
}

function splitJws(jws: string, where: string): [string, string, string] {
  if (typeof jws !== 'string') throw new CradleError('QR_INVALID', `${where}: a compact JWS must be a string`);
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((x) => x.length === 0)) {
    throw new CradleError('QR_INVALID', `${where}: not a compact JWS (expected 3 non-empty dot-separated segments, got ${parts.length})`);
  }
  for (const part of parts) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new CradleError('QR_INVALID', `${where}: JWS segments must be base64url`);
  }
  return parts as [string, string, string];
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  let o = at;
  while (n >= 0x80) {
    out[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  return o;
}

/** Unsigned LEB128, at most 4 bytes, minimal encoding only. Returns [value, next offset]. */
function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let o = at; o < buf.length && o < at + 4; o++) {
    const b = buf[o]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      if (b === 0 && o > at) throw new CradleError('QR_INVALID', 'QR payload: non-minimal length encoding');
      return [value, o + 1];
    }
    shift += 7;
  }
  throw new CradleError('QR_INVALID', 'QR payload: truncated or oversized length field');
}
