import { base45Decode } from './base45.js';
import { base64UrlDecode, base64UrlEncode, utf8Encode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { ByteReader, concatBytes } from './codec/bytes.js';
import { decimalDecode, decimalEncode } from './decimal-groups.js';
import { CradleError } from './errors.js';
import { primeContextCoder } from './context-coder.js';
import { QR_DICTIONARY_V2, QR_DICTIONARY_V3, QR_DICTIONARY_V4 } from './qr-dictionary.js';
import { decodeFrame, encodeFrame } from './qr-frame.js';

/**
 * Prefix of the Cradle QR payloads this version writes: version 5 (the version 4 frame, its body
 * compressed by a context-mixing coder primed with {@link QR_DICTIONARY_V4} instead of DEFLATE; see
 * `qr-frame.ts` and `context-coder.ts`), written in decimal digits for the QR code's numeric mode
 * (`decimal-groups.ts`). The prefix is QR alphanumeric; {@link qrPayloadSegments} gives both modes.
 */
export const QR_PAYLOAD_PREFIX = 'CRADLE5:';

/**
 * Prefix of version 4 payloads (identifiers, keys and times as binary atoms outside DEFLATE, the preset
 * dictionary {@link QR_DICTIONARY_V4}, decimal digits); still read.
 */
export const QR_PAYLOAD_PREFIX_V4 = 'CRADLE4:';

/** Prefix of version 3 payloads (JSON shapes and values split, signatures outside DEFLATE, {@link QR_DICTIONARY_V3}); still read. */
export const QR_PAYLOAD_PREFIX_V3 = 'CRADLE3:';

/** Prefix of version 2 payloads (DEFLATE of the segments with {@link QR_DICTIONARY_V2}); still read. */
export const QR_PAYLOAD_PREFIX_V2 = 'CRADLE2:';

/** Prefix of version 1 payloads (DEFLATE without a dictionary); still read. */
export const QR_PAYLOAD_PREFIX_V1 = 'CRADLE1:';

/** Default cap on the reconstructed compact JWS (64 KiB, the same as `decodeJws`). */
export const QR_PAYLOAD_DEFAULT_MAX_BYTES = 64 * 1024;

/** Options for {@link decodeQrPayload}. */
export interface DecodeQrPayloadOptions {
  /** Largest compact JWS to reconstruct; input and decompression are bounded from it (default 64 KiB). */
  readonly maxBytes?: number;
}

/** Most compact JWS embedded in a payload that the QR frame lifts out (enveloped credentials). */
const MAX_EMBEDDED = 16;

/** Marks a version 1/2 frame with embedded JWS lifted out; never the first byte of a plain frame. */
const NESTED_MARKER = 0x00;

/**
 * Pack a compact JWS (credential or presentation) into a QR-friendly string: `CRADLE5:` + the decimal
 * digits of the version 5 frame (docs/formats.md, "QR payload"): the JSON of header and payload split
 * into shape and values (the shapes of Cradle's credentials are predicted from the primed models almost
 * for free), the compact JWSs embedded in the payload (the enveloped credentials of a presentation)
 * lifted out the same way, the identifiers, keys and times inside values as binary atoms (each repeat one
 * byte), and the raw signatures and atoms kept outside the compressed body.
 *
 * Every character is in the QR alphanumeric set (the digits also in the numeric one). Lossless: {@link decodeQrPayload} returns the exact
 * same token, so the signature still verifies. Throws `QR_INVALID` if `jws` is not three canonical
 * base64url segments (a non-canonical segment could not be reproduced byte for byte).
 *
 * @example
 * ```ts
 * const text = encodeQrPayload(jwt);    // 'CRADLE5:...'
 * decodeQrPayload(text) === jwt;        // true
 * ```
 */
export function encodeQrPayload(jws: string): string {
  const [h, p, s] = splitJws(jws, 'encodeQrPayload');
  // Canonical segments only: a segment that does not round-trip could not be rebuilt byte for byte.
  for (const segment of [h, p, s]) base64UrlDecode(segment, 'QR_INVALID');
  return QR_PAYLOAD_PREFIX + decimalEncode(encodeFrame(jws, QR_DICTIONARY_V4, 5));
}

/**
 * Get the `CRADLE5:` reader ready before the first scan: its context coder learns the QR dictionary once
 * per page or process (tens of milliseconds on a phone), which otherwise happens inside the first
 * {@link decodeQrPayload}. A verifier app calls it when idle after start-up. Returns true when it did
 * that work now, false when it was already done; it never changes what any payload decodes to.
 *
 * @example
 * ```ts
 * requestIdleCallback(() => primeQrPayloadReader());
 * ```
 */
export function primeQrPayloadReader(): boolean {
  return primeContextCoder(QR_DICTIONARY_V4);
}

/**
 * Turn scanned QR text back into the compact JWS. Accepts a `CRADLE5:`, `CRADLE4:`, `CRADLE3:`, `CRADLE2:` or `CRADLE1:` payload or a bare
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
  // base45 is 1.5 characters per byte, decimal 2.41, and the frame is smaller than the token, so a payload
  // longer than this cannot yield a token within maxBytes unless DEFLATE expanded it, which it never does by much.
  if (end > QR_PAYLOAD_PREFIX.length + Math.ceil(maxBytes * 2.5) + 64) {
    throw new CradleError('TOO_LARGE', `QR payload is ${end} characters; the limit for a ${maxBytes}-byte token is exceeded`);
  }
  const body = end === text.length ? text : text.slice(0, end);

  const version = body.startsWith(QR_PAYLOAD_PREFIX)
    ? 5
    : body.startsWith(QR_PAYLOAD_PREFIX_V4)
      ? 4
      : body.startsWith(QR_PAYLOAD_PREFIX_V3)
        ? 3
        : body.startsWith(QR_PAYLOAD_PREFIX_V2)
          ? 2
          : body.startsWith(QR_PAYLOAD_PREFIX_V1)
            ? 1
            : 0;
  if (version === 0) {
    if (body.length > maxBytes) throw new CradleError('TOO_LARGE', `token is ${body.length} bytes; the limit is ${maxBytes}`);
    splitJws(body, 'decodeQrPayload');
    return body;
  }

  // Every prefix has the same length.
  const compressed = version >= 4 ? decimalDecode(body.slice(QR_PAYLOAD_PREFIX.length), 'QR_INVALID') : base45Decode(body.slice(QR_PAYLOAD_PREFIX.length), 'QR_INVALID');
  if (version === 5 || version === 4 || version === 3) {
    const token = decodeFrame(compressed, version >= 4 ? QR_DICTIONARY_V4 : QR_DICTIONARY_V3, maxBytes, version);
    splitJws(token, 'decodeQrPayload');
    return token;
  }
  const frame = new ByteReader(
    inflateBounded(compressed, {
      format: 'raw',
      maxOutputBytes: maxBytes,
      code: 'QR_INVALID',
      ...(version === 2 ? { dictionary: QR_DICTIONARY_V2 } : {}),
    }),
    { code: 'QR_INVALID', what: 'QR payload' },
  );
  const nested = frame.peek() === NESTED_MARKER;
  if (nested) frame.byte();
  const chunk = (name: string): Uint8Array => frame.field(name, { nonEmpty: true });
  const header = chunk('header');
  let payloadSegment: string;
  if (!nested) {
    payloadSegment = base64UrlEncode(chunk('payload'));
  } else {
    const template = chunk('payload template');
    const count = frame.varintIn('embedded token count', 1, MAX_EMBEDDED);
    const embedded: string[] = [];
    for (let i = 0; i < count; i++) {
      embedded.push([chunk('embedded header'), chunk('embedded payload'), chunk('embedded signature')].map(base64UrlEncode).join('.'));
    }
    payloadSegment = base64UrlEncode(fillTemplate(template, embedded, maxBytes));
  }
  const signature = frame.rest();
  if (signature.length === 0) throw new CradleError('QR_INVALID', 'QR payload: no signature');
  const token = `${base64UrlEncode(header)}.${payloadSegment}.${base64UrlEncode(signature)}`;
  if (token.length > maxBytes) throw new CradleError('TOO_LARGE', `token is ${token.length} bytes; the limit is ${maxBytes}`);
  return token;
}

/** Put the embedded tokens back where the template has 0x00 bytes. */
function fillTemplate(template: Uint8Array, embedded: readonly string[], maxBytes: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let last = 0;
  let k = 0;
  let size = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== NESTED_MARKER) continue;
    const token = embedded[k++];
    if (token === undefined) throw new CradleError('QR_INVALID', 'QR payload: more placeholders than embedded tokens');
    const bytes = utf8Encode(token);
    size += i - last + bytes.length;
    if (size > maxBytes) throw new CradleError('TOO_LARGE', `reconstructed payload exceeds ${maxBytes} bytes`);
    pieces.push(template.subarray(last, i), bytes);
    last = i + 1;
  }
  if (k !== embedded.length) throw new CradleError('QR_INVALID', 'QR payload: fewer placeholders than embedded tokens');
  pieces.push(template.subarray(last));
  return concatBytes(pieces);
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

/** A QR code segment: what to write and the QR mode to write it in (the shape the `qrcode` package takes). */
export type QrPayloadSegment = { data: string; mode: 'numeric' } | { data: string; mode: 'alphanumeric' } | { data: Uint8Array; mode: 'byte' };

const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;
const CRADLE_DECIMAL = /^(CRADLE[0-9]+:)([0-9]+)$/;

/**
 * The QR segments to draw a payload with: a `CRADLE5:` or `CRADLE4:` payload as its prefix in alphanumeric mode and its
 * digits in numeric mode; an older (base45) payload in alphanumeric mode; anything else (a bare JWS) in
 * byte mode. Pass them to the QR encoder (`QRCode.create(qrPayloadSegments(text), ...)`).
 *
 * @example
 * ```ts
 * QRCode.toBuffer(qrPayloadSegments(encodeQrPayload(jwt)), { errorCorrectionLevel: 'M' });
 * ```
 */
export function qrPayloadSegments(payload: string): QrPayloadSegment[] {
  const decimal = CRADLE_DECIMAL.exec(payload);
  if (decimal !== null) return [{ data: decimal[1]!, mode: 'alphanumeric' }, { data: decimal[2]!, mode: 'numeric' }];
  if (QR_ALPHANUMERIC.test(payload)) return [{ data: payload, mode: 'alphanumeric' }];
  return [{ data: utf8Encode(payload), mode: 'byte' }];
}
