import { base64UrlDecode, base64UrlEncode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { CradleError } from './errors.js';
import { gzipStatusListBits } from './status-list-gzip.js';

/** Minimum number of entries in a list (W3C Bitstring Status List v1.0: 16 KB of 1-bit entries). */
export const STATUS_LIST_MIN_ENTRIES = 131_072;

/** Default cap on the decompressed bitstring when decoding untrusted lists (16 MiB). */
export const STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

/** Largest `statusSize` (bits per entry) this codec supports. */
export const STATUS_LIST_MAX_STATUS_SIZE = 8;

/** Options for {@link StatusList.create}. */
export interface StatusListCreateOptions {
  /** Number of entries; at least {@link STATUS_LIST_MIN_ENTRIES} (the default). */
  readonly length?: number;
  /** Bits per entry, 1..8 (default 1). */
  readonly statusSize?: number;
}

/** Options for {@link StatusList.encode}. */
export interface StatusListEncodeOptions {
  /** A deterministic GZIP compressor to use instead of the reference one ({@link gzipStatusListBits}). */
  readonly gzip?: (bits: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

/** Options for {@link StatusList.decode}. */
export interface StatusListDecodeOptions {
  /** Bits per entry the list was published with, 1..8 (default 1). */
  readonly statusSize?: number;
  /** Abort decompression past this many bytes (default 16 MiB) with `DECOMPRESSION_LIMIT`. */
  readonly maxDecompressedBytes?: number;
  /**
   * Reject `encodedList` strings longer than this before decoding anything (`TOO_LARGE`). The default
   * is derived from `maxDecompressedBytes` (incompressible data plus gzip overhead, in base64url).
   */
  readonly maxEncodedLength?: number;
}

/**
 * A W3C Bitstring Status List (v1.0): `length` entries of `statusSize` bits each. Entry `i` occupies
 * bits `i*statusSize .. i*statusSize+statusSize-1`, where bit 0 is the left-most (most significant) bit
 * of byte 0; a multi-bit entry is read left to right, most significant bit first.
 *
 * `encode()` gives the `encodedList` value: multibase base64url (`u` prefix, no padding) of the GZIP
 * of the bitstring. Encoding is deterministic and the same on every platform (reference zlib at level 9,
 * gzip mtime 0: {@link gzipStatusListBits}), so identical bits always give identical strings, identical
 * signed lists identical digests, and a checkpoint can rebuild a list from a delta.
 *
 * @example
 * ```ts
 * const list = StatusList.create();          // 131,072 one-bit entries, all 0
 * list.set(parseStatusListIndex('94567', list.length), 1);
 * const encodedList = await list.encode();   // 'uH4sIAAAAAAAAA-3...'
 * (await StatusList.decode(encodedList)).get(94567); // 1
 * ```
 */
export class StatusList {
  /** Number of entries (not bits). */
  readonly length: number;
  /** Bits per entry. */
  readonly statusSize: number;
  readonly #bits: Uint8Array;

  private constructor(bits: Uint8Array, statusSize: number) {
    this.#bits = bits;
    this.statusSize = statusSize;
    this.length = (bits.length * 8) / statusSize;
  }

  /**
   * A new list with every entry 0. Throws `STATUS_LIST_INVALID` if `length` is below the minimum, or
   * if `length * statusSize` is not a whole number of bytes (it could not round-trip through
   * `encode`/`decode`).
   */
  static create(opts: StatusListCreateOptions = {}): StatusList {
    const statusSize = checkStatusSize(opts.statusSize ?? 1);
    const length = opts.length ?? STATUS_LIST_MIN_ENTRIES;
    if (!Number.isSafeInteger(length) || length < STATUS_LIST_MIN_ENTRIES) {
      throw new CradleError(
        'STATUS_LIST_INVALID',
        `status list length must be an integer of at least ${STATUS_LIST_MIN_ENTRIES} entries (got ${String(length)})`,
      );
    }
    const bitCount = length * statusSize;
    if (bitCount % 8 !== 0) {
      throw new CradleError(
        'STATUS_LIST_INVALID',
        `status list length x statusSize must be a multiple of 8 bits (got ${length} x ${statusSize})`,
      );
    }
    if (bitCount / 8 > 2 ** 30) throw new CradleError('STATUS_LIST_INVALID', 'status list length is unreasonably large');
    return new StatusList(new Uint8Array(bitCount / 8), statusSize);
  }

  /**
   * Wrap an uncompressed bitstring (copied). Same checks as {@link StatusList.decode} on the result:
   * a whole number of entries and at least the minimum.
   */
  static fromBytes(bytes: Uint8Array, opts: { statusSize?: number } = {}): StatusList {
    const statusSize = checkStatusSize(opts.statusSize ?? 1);
    return new StatusList(checkBitstring(bytes.slice(), statusSize), statusSize);
  }

  /**
   * Decode an untrusted `encodedList`. Sizes are bounded before anything is allocated: the string
   * length first (`TOO_LARGE`), then decompression stops at `maxDecompressedBytes`
   * (`DECOMPRESSION_LIMIT`), so a gzip bomb fails fast. Anything malformed throws `STATUS_LIST_INVALID`:
   * missing `u` prefix, non-canonical base64url, corrupt or multi-member gzip, bad CRC/length trailer,
   * fewer than 131,072 entries, or a bit count that is not a multiple of `statusSize`.
   */
  static async decode(encodedList: string, opts: StatusListDecodeOptions = {}): Promise<StatusList> {
    return StatusList.decodeSync(encodedList, opts);
  }

  /** Synchronous {@link StatusList.decode}. */
  static decodeSync(encodedList: string, opts: StatusListDecodeOptions = {}): StatusList {
    const statusSize = checkStatusSize(opts.statusSize ?? 1);
    const maxDecompressedBytes = opts.maxDecompressedBytes ?? STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES;
    if (!Number.isSafeInteger(maxDecompressedBytes) || maxDecompressedBytes <= 0) {
      throw new CradleError('INVALID_ARGUMENT', 'maxDecompressedBytes must be a positive integer');
    }
    // Incompressible input stored in gzip grows by 5 bytes per 64 KiB block plus 18 bytes of framing.
    const maxEncodedLength =
      opts.maxEncodedLength ?? 1 + Math.ceil(((maxDecompressedBytes + Math.ceil(maxDecompressedBytes / 16_384) * 5 + 64) * 4) / 3);
    if (typeof encodedList !== 'string') {
      throw new CradleError('STATUS_LIST_INVALID', 'encodedList must be a string');
    }
    if (encodedList.length > maxEncodedLength) {
      throw new CradleError('TOO_LARGE', `encodedList is ${encodedList.length} characters; the limit is ${maxEncodedLength}`);
    }
    if (encodedList[0] !== 'u') {
      throw new CradleError('STATUS_LIST_INVALID', "encodedList must be multibase base64url: it must start with 'u'");
    }
    const gz = base64UrlDecode(encodedList.slice(1), 'STATUS_LIST_INVALID');
    const bits = inflateBounded(gz, { format: 'gzip', maxOutputBytes: maxDecompressedBytes, code: 'STATUS_LIST_INVALID' });
    return new StatusList(checkBitstring(bits, statusSize), statusSize);
  }

  /** A copy of the uncompressed bitstring. */
  get bytes(): Uint8Array {
    return this.#bits.slice();
  }

  /** The status value of entry `index` (0 .. 2^statusSize - 1). Throws `STATUS_INDEX_INVALID`. */
  get(index: number): number {
    this.#checkIndex(index);
    const bits = this.#bits;
    if (this.statusSize === 1) return (bits[index >>> 3]! >>> (7 - (index & 7))) & 1;
    let value = 0;
    const start = index * this.statusSize;
    for (let p = start; p < start + this.statusSize; p++) {
      value = (value << 1) | ((bits[Math.floor(p / 8)]! >>> (7 - (p % 8))) & 1);
    }
    return value;
  }

  /**
   * Set entry `index` to `value` (0 .. 2^statusSize - 1; for 1-bit lists `true`/`false` also work).
   * Throws `STATUS_INDEX_INVALID` for a bad index and `INVALID_ARGUMENT` for a bad value.
   */
  set(index: number, value: number | boolean): void {
    this.#checkIndex(index);
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** this.statusSize) {
      throw new CradleError(
        'INVALID_ARGUMENT',
        `status value must be an integer from 0 to ${2 ** this.statusSize - 1} (got ${String(value)})`,
      );
    }
    const bits = this.#bits;
    const start = index * this.statusSize;
    for (let j = 0; j < this.statusSize; j++) {
      const p = start + j;
      const mask = 0x80 >>> (p % 8);
      const bit = (v >>> (this.statusSize - 1 - j)) & 1;
      const byte = Math.floor(p / 8);
      bits[byte] = bit ? bits[byte]! | mask : bits[byte]! & ~mask;
    }
  }

  /**
   * The `encodedList` string (deterministic: same bits, same string, on every platform). `gzip`
   * replaces the reference compressor ({@link gzipStatusListBits}); it must be deterministic (no
   * timestamp in the header). Lists compressed otherwise still verify everywhere, but checkpoints can
   * receive them only whole, never as deltas (they cannot reproduce the compression).
   *
   * @example
   * ```ts
   * const encodedList = await list.encode();
   * ```
   */
  async encode(opts: StatusListEncodeOptions = {}): Promise<string> {
    if (opts.gzip === undefined) return this.encodeSync();
    return 'u' + base64UrlEncode(await opts.gzip(this.#bits));
  }

  /** Synchronous {@link StatusList.encode} with the reference compressor. */
  encodeSync(): string {
    return 'u' + base64UrlEncode(gzipStatusListBits(this.#bits));
  }

  #checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) {
      throw new CradleError(
        'STATUS_INDEX_INVALID',
        `status list index must be an integer from 0 to ${this.length - 1} (got ${String(index)})`,
      );
    }
  }
}

/**
 * Parse an untrusted `statusListIndex`. It must be a string of decimal digits (no sign, exponent,
 * whitespace, fraction, or leading zeros except `"0"`) naming an entry in `[0, length)`. Anything else
 * throws `STATUS_INDEX_INVALID` with a message saying what was wrong.
 *
 * @example
 * ```ts
 * parseStatusListIndex('94567', 131072) // 94567
 * parseStatusListIndex('1e3', 131072)   // throws STATUS_INDEX_INVALID
 * ```
 */
export function parseStatusListIndex(value: unknown, length: number): number {
  if (typeof value !== 'string') {
    throw new CradleError('STATUS_INDEX_INVALID', `statusListIndex must be a string of decimal digits (got ${typeof value})`);
  }
  if (value.length === 0) throw new CradleError('STATUS_INDEX_INVALID', 'statusListIndex is empty');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      throw new CradleError(
        'STATUS_INDEX_INVALID',
        `statusListIndex must contain decimal digits only; found ${JSON.stringify(value[i])} at position ${i}`,
      );
    }
  }
  if (value.length > 1 && value[0] === '0') {
    throw new CradleError('STATUS_INDEX_INVALID', `statusListIndex must not have leading zeros (got "${value.slice(0, 20)}")`);
  }
  // Anything longer than 15 digits is out of range for every list we accept, and may not be exact.
  const n = value.length > 15 ? Number.POSITIVE_INFINITY : Number(value);
  if (!(n < length)) {
    throw new CradleError(
      'STATUS_INDEX_INVALID',
      `statusListIndex ${value.length > 20 ? value.slice(0, 20) + '...' : value} is out of range: the list has ${length} entries (0 to ${length - 1})`,
    );
  }
  return n;
}

function checkStatusSize(statusSize: number): number {
  if (!Number.isInteger(statusSize) || statusSize < 1 || statusSize > STATUS_LIST_MAX_STATUS_SIZE) {
    throw new CradleError(
      'STATUS_LIST_INVALID',
      `statusSize must be an integer from 1 to ${STATUS_LIST_MAX_STATUS_SIZE} (got ${String(statusSize)})`,
    );
  }
  return statusSize;
}

function checkBitstring(bits: Uint8Array, statusSize: number): Uint8Array {
  const bitCount = bits.length * 8;
  if (bitCount % statusSize !== 0) {
    throw new CradleError(
      'STATUS_LIST_INVALID',
      `status list has ${bitCount} bits, which is not a whole number of ${statusSize}-bit entries`,
    );
  }
  if (bitCount / statusSize < STATUS_LIST_MIN_ENTRIES) {
    throw new CradleError(
      'STATUS_LIST_INVALID',
      `status list has ${bitCount / statusSize} entries; at least ${STATUS_LIST_MIN_ENTRIES} are required`,
    );
  }
  return bits;
}
