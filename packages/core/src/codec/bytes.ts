import { CradleError } from '../errors.js';
import type { CradleErrorCode } from '../errors.js';

/**
 * The one byte codec of Cradle's binary formats (QR payload frames, status-list packs): a writer and a
 * bounded reader of bytes, length-prefixed fields and **varints**.
 *
 * The varint rule, for every format: unsigned LEB128 (7 bits per byte, least significant group first,
 * high bit = "more"), **minimal** (no trailing zero groups: `0x80 0x00` for 0 is refused), at most
 * {@link VARINT_MAX_BYTES} bytes and at most {@link VARINT_MAX} (2^32 - 1). Writers only ever produce
 * minimal encodings, so readers that accept nothing else read everything ever written.
 */
export const VARINT_MAX = 0xffff_ffff;

/** Longest varint: 5 bytes (35 bits, of which the value uses at most 32). */
export const VARINT_MAX_BYTES = 5;

/** Bytes the varint encoding of `n` takes. Throws `RangeError` for a value outside 0..{@link VARINT_MAX}. */
export function varintLength(n: number): number {
  checkVarint(n);
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/**
 * Builds a byte string from pieces; nothing is copied until {@link ByteWriter.finish}.
 *
 * @example
 * ```ts
 * const bytes = new ByteWriter().varint(300).field(utf8Encode('hi')).finish(); // ac 02 02 68 69
 * ```
 */
export class ByteWriter {
  readonly #pieces: Uint8Array[] = [];
  #length = 0;

  /** One byte (0..255). */
  byte(b: number): this {
    if (!Number.isInteger(b) || b < 0 || b > 0xff) throw new RangeError(`ByteWriter.byte: ${b} is not a byte`);
    return this.raw(Uint8Array.of(b));
  }

  /** An unsigned varint (minimal LEB128, 0..{@link VARINT_MAX}). */
  varint(n: number): this {
    const out = new Uint8Array(varintLength(n));
    let o = 0;
    while (n >= 0x80) {
      out[o++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[o] = n;
    return this.raw(out);
  }

  /** A length-prefixed field: `varint |bytes|` then the bytes. */
  field(bytes: Uint8Array): this {
    return this.varint(bytes.length).raw(bytes);
  }

  /** Bytes as they are (no length). */
  raw(bytes: Uint8Array): this {
    this.#pieces.push(bytes);
    this.#length += bytes.length;
    return this;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** The concatenated bytes. */
  finish(): Uint8Array {
    return concatBytes(this.#pieces, this.#length);
  }
}

/** Options of {@link ByteReader}. */
export interface ByteReaderOptions {
  /** Error code for malformed input (e.g. `QR_INVALID`, `MALFORMED`). */
  readonly code: CradleErrorCode;
  /** What is being read, for messages: `QR payload`, `Status-list pack`. */
  readonly what: string;
}

/**
 * Reads untrusted bytes. Every read is bounded by what is left: a truncated input, a non-minimal or
 * over-long varint, or a field running past the end throws `CradleError` with the configured code and
 * a message naming the format and the offset.
 *
 * @example
 * ```ts
 * const r = new ByteReader(bytes, { code: 'MALFORMED', what: 'Status-list pack' });
 * const n = r.varint();
 * const name = r.field();
 * if (!r.done()) throw ...;
 * ```
 */
export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #opts: ByteReaderOptions;
  #at = 0;

  constructor(buf: Uint8Array, opts: ByteReaderOptions) {
    this.#buf = buf;
    this.#opts = opts;
  }

  /** Offset of the next byte. */
  get offset(): number {
    return this.#at;
  }

  /** Bytes left. */
  get remaining(): number {
    return this.#buf.length - this.#at;
  }

  /** The next byte without consuming it, or undefined at the end. */
  peek(): number | undefined {
    return this.#buf[this.#at];
  }

  /** One byte. */
  byte(): number {
    if (this.#at >= this.#buf.length) throw this.#fail('is truncated');
    return this.#buf[this.#at++]!;
  }

  /** An unsigned varint under the rule of this module (minimal LEB128, at most 5 bytes, < 2^32). */
  varint(): number {
    const start = this.#at;
    let value = 0;
    for (let i = 0; i < VARINT_MAX_BYTES; i++) {
      if (this.#at >= this.#buf.length) throw this.#fail(`is truncated (varint at offset ${start})`);
      const b = this.#buf[this.#at++]!;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw this.#fail(`has a non-minimal varint at offset ${start}`);
        if (value > VARINT_MAX) throw this.#fail(`has a varint over 2^32 - 1 at offset ${start}`);
        return value;
      }
    }
    throw this.#fail(`has an over-long varint at offset ${start} (more than ${VARINT_MAX_BYTES} bytes)`);
  }

  /** A varint that must lie in `min..max`; `name` says what it counts. */
  varintIn(name: string, min: number, max: number): number {
    const start = this.#at;
    const n = this.varint();
    if (n < min || n > max) throw this.#fail(`has ${name} ${n} at offset ${start}; ${min} to ${max} allowed`);
    return n;
  }

  /** `n` bytes (a view, not a copy); `n` must not exceed what is left. */
  bytes(n: number, name = 'field'): Uint8Array {
    if (n > this.remaining) throw this.#fail(`${name} at offset ${this.#at} runs past the end (${n} bytes, ${this.remaining} left)`);
    const out = this.#buf.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  /** A length-prefixed field (a view). With `nonEmpty`, a zero length is refused. */
  field(name = 'field', opts: { nonEmpty?: boolean } = {}): Uint8Array {
    const start = this.#at;
    const n = this.varint();
    if (opts.nonEmpty === true && n === 0) throw this.#fail(`has an empty ${name} at offset ${start}`);
    return this.bytes(n, name);
  }

  /** Everything left (a view). */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** True when every byte was read. */
  done(): boolean {
    return this.#at === this.#buf.length;
  }

  /** Throws unless every byte was read. */
  end(): void {
    if (!this.done()) throw this.#fail(`has ${this.remaining} trailing bytes`);
  }

  #fail(message: string): CradleError {
    return new CradleError(this.#opts.code, `${this.#opts.what} ${message}.`);
  }
}

/** Concatenate byte arrays (`total` when already known). */
export function concatBytes(pieces: readonly Uint8Array[], total?: number): Uint8Array {
  const n = total ?? pieces.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function checkVarint(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > VARINT_MAX) throw new RangeError(`varint: ${n} is not an integer from 0 to ${VARINT_MAX}`);
}
