import { deflateSync } from 'fflate';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { CradleError } from './errors.js';

/**
 * Status-list pack: a compact, binary carrier for many signed `BitstringStatusListCredential` JWSs,
 * for syncing checkpoints over thin links.
 *
 * A signed status list in compact JWS form base64url-encodes the gzipped bitstring twice (once as
 * `encodedList`, once as part of the JWS payload), so it is ~1.8x the size of the gzip data it carries.
 * A pack ships the JSON of header and payload *around* `encodedList`, the gzip bytes themselves and the
 * raw signature, then DEFLATEs the whole; the receiver rebuilds the **exact** compact JWS strings, so
 * their digests and signatures are checked as usual. The pack itself needs no trust: a pack that
 * rebuilds anything other than the signed bytes simply fails those checks.
 *
 * Layout (before DEFLATE): `count`, then per list a kind byte (0 = split around `encodedList`,
 * 1 = verbatim) and length-prefixed fields (LEB128 lengths). After DEFLATE: the magic `CSLP1` prefix.
 */
const MAGIC = utf8Encode('CSLP1');
const KIND_SPLIT = 0;
const KIND_VERBATIM = 1;
const ENCODED_LIST_KEY = '"encodedList":"u';

/** Default bounds when decoding an untrusted pack. */
export const STATUS_LIST_PACK_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const STATUS_LIST_PACK_MAX_LISTS = 100_000;

/** Options for {@link decodeStatusListPack}. */
export interface StatusListPackDecodeOptions {
  /** Cap on the decompressed pack (default 64 MiB): a larger one fails with `DECOMPRESSION_LIMIT`. */
  readonly maxBytes?: number;
  /** Cap on the number of lists (default 100,000). */
  readonly maxLists?: number;
}

/**
 * Pack signed status-list credentials (compact JWS strings) into one compact binary blob.
 *
 * @example
 * ```ts
 * const pack = encodeStatusListPack([jwsA, jwsB]);
 * decodeStatusListPack(pack) // [jwsA, jwsB], byte-identical
 * ```
 */
export function encodeStatusListPack(jwsList: readonly string[]): Uint8Array {
  if (!Array.isArray(jwsList)) throw new TypeError('encodeStatusListPack: expected an array of compact JWS strings');
  const w = new Writer();
  w.varint(jwsList.length);
  for (const jws of jwsList) {
    if (typeof jws !== 'string') throw new TypeError('encodeStatusListPack: every entry must be a compact JWS string');
    const parts = jws.split('.');
    if (parts.length !== 3) throw new CradleError('MALFORMED', 'encodeStatusListPack: not a compact JWS (expected 3 segments)');
    const [h, p, s] = parts as [string, string, string];
    const header = base64UrlDecode(h, 'MALFORMED');
    const signature = base64UrlDecode(s, 'MALFORMED');
    const payloadText = utf8Decode(base64UrlDecode(p, 'MALFORMED'));
    const split = splitAroundEncodedList(payloadText);
    if (split === undefined) {
      w.byte(KIND_VERBATIM);
      w.field(header);
      w.field(utf8Encode(payloadText));
      w.field(signature);
    } else {
      w.byte(KIND_SPLIT);
      w.field(header);
      w.field(utf8Encode(split.prefix));
      w.field(split.gzip);
      w.field(utf8Encode(split.suffix));
      w.field(signature);
    }
  }
  const body = deflateSync(w.finish(), { level: 9, mem: 12 });
  const out = new Uint8Array(MAGIC.length + body.length);
  out.set(MAGIC, 0);
  out.set(body, MAGIC.length);
  return out;
}

/**
 * Rebuild the compact JWS strings from a pack. Decompression and every length are bounded; a malformed
 * pack throws `CradleError` (`MALFORMED`, `DECOMPRESSION_LIMIT`). The returned strings are untrusted:
 * verify each one's signature and anchored digest before use.
 */
export function decodeStatusListPack(pack: Uint8Array, opts: StatusListPackDecodeOptions = {}): string[] {
  const maxBytes = opts.maxBytes ?? STATUS_LIST_PACK_DEFAULT_MAX_BYTES;
  const maxLists = opts.maxLists ?? STATUS_LIST_PACK_MAX_LISTS;
  if (!(pack instanceof Uint8Array)) throw new TypeError('decodeStatusListPack: expected a Uint8Array');
  if (pack.length < MAGIC.length || MAGIC.some((b, i) => pack[i] !== b)) {
    throw new CradleError('MALFORMED', 'Not a Cradle status-list pack (missing CSLP1 header).');
  }
  const body = inflateBounded(pack.subarray(MAGIC.length), { format: 'raw', maxOutputBytes: maxBytes, code: 'MALFORMED' });
  const r = new Reader(body);
  const count = r.varint();
  if (count > maxLists) throw new CradleError('MALFORMED', `Status-list pack holds ${count} lists; at most ${maxLists} are accepted.`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.byte();
    if (kind !== KIND_SPLIT && kind !== KIND_VERBATIM) {
      throw new CradleError('MALFORMED', `Status-list pack entry ${i} has unknown kind ${kind}.`);
    }
    const header = base64UrlEncode(r.field());
    let payload: string;
    if (kind === KIND_SPLIT) {
      const prefix = r.field();
      const gzip = r.field();
      const suffix = r.field();
      payload = base64UrlEncode(concat(prefix, utf8Encode(base64UrlEncode(gzip)), suffix));
    } else {
      payload = base64UrlEncode(r.field());
    }
    out.push(`${header}.${payload}.${base64UrlEncode(r.field())}`);
  }
  if (!r.done()) throw new CradleError('MALFORMED', 'Status-list pack has trailing bytes.');
  return out;
}

/** Split the payload JSON around the (single) canonical `encodedList` value, or undefined. */
function splitAroundEncodedList(payload: string): { prefix: string; gzip: Uint8Array; suffix: string } | undefined {
  const at = payload.indexOf(ENCODED_LIST_KEY);
  if (at < 0 || payload.indexOf(ENCODED_LIST_KEY, at + 1) >= 0) return undefined;
  const start = at + ENCODED_LIST_KEY.length;
  const end = payload.indexOf('"', start);
  if (end < 0) return undefined;
  const value = payload.slice(start, end);
  let gzip: Uint8Array;
  try {
    gzip = base64UrlDecode(value, 'MALFORMED');
  } catch {
    return undefined; // not canonical base64url: ship verbatim, the receiver must get the exact bytes
  }
  return { prefix: payload.slice(0, start), gzip, suffix: payload.slice(end) };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class Writer {
  #chunks: Uint8Array[] = [];
  byte(b: number): void {
    this.#chunks.push(Uint8Array.of(b));
  }
  varint(n: number): void {
    const bytes: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      bytes.push(b);
    } while (n > 0);
    this.#chunks.push(Uint8Array.from(bytes));
  }
  field(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.#chunks.push(bytes);
  }
  finish(): Uint8Array {
    return concat(...this.#chunks);
  }
}

class Reader {
  #pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    if (this.#pos >= this.buf.length) throw new CradleError('MALFORMED', 'Status-list pack is truncated.');
    return this.buf[this.#pos++]!;
  }
  varint(): number {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return n;
      mul *= 128;
    }
    throw new CradleError('MALFORMED', 'Status-list pack has an over-long length field.');
  }
  field(): Uint8Array {
    const len = this.varint();
    if (len > this.buf.length - this.#pos) throw new CradleError('MALFORMED', 'Status-list pack field runs past the end.');
    const out = this.buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }
  done(): boolean {
    return this.#pos === this.buf.length;
  }
}
