import { Gunzip, Inflate } from 'fflate';
import { concatBytes } from './codec/bytes.js';
import { crc32Final, crc32Update } from './crc32.js';
import { CradleError } from './errors.js';
import type { CradleErrorCode } from './errors.js';

/** Options for {@link inflateBounded}. */
export interface InflateBoundedOptions {
  /** `gzip` (RFC 1952, one member, trailer checked) or `raw` DEFLATE (RFC 1951). */
  readonly format: 'gzip' | 'raw';
  /** Abort as soon as the output would exceed this many bytes. */
  readonly maxOutputBytes: number;
  /** Code for corrupt input (the size limit always throws `DECOMPRESSION_LIMIT`). */
  readonly code: CradleErrorCode;
  /** Preset dictionary of a `raw` stream (e.g. QR payloads); must equal the compressor's. */
  readonly dictionary?: Uint8Array;
}

// DEFLATE expands at most ~1032:1. Each step feeds only as much input as could, at that ratio, fill
// the remaining budget (at least MIN_STEP bytes), so a single step never produces much more than the
// limit: a bomb costs about 2x `maxOutputBytes` of memory at worst, and ordinary input (well under the
// limit) is inflated in one or a few steps.
const MAX_RATIO = 1032;
const MIN_STEP = 1024;

class LimitExceeded extends Error {}

/**
 * Decompress `data`, never producing more than `maxOutputBytes`: input is fed to the inflater in small
 * steps sized from the remaining budget and decompression stops at the first step that crosses the
 * limit, so a gzip bomb costs at most about 2x `maxOutputBytes` of memory and fails fast with
 * `DECOMPRESSION_LIMIT`.
 *
 * @example
 * ```ts
 * const bits = inflateBounded(gz, { format: 'gzip', maxOutputBytes: 1 << 24, code: 'STATUS_LIST_INVALID' });
 * ```
 */
export function inflateBounded(data: Uint8Array, opts: InflateBoundedOptions): Uint8Array {
  const { maxOutputBytes, code } = opts;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let crc = 0xffffffff;
  let ended = false;
  const ondata = (chunk: Uint8Array, final: boolean): void => {
    if (chunk.length > 0) {
      total += chunk.length;
      if (total > maxOutputBytes) throw new LimitExceeded();
      chunks.push(chunk);
      if (opts.format === 'gzip') crc = crc32Update(crc, chunk);
    }
    if (final) ended = true;
  };

  if (opts.format === 'gzip' && data.length < 18) {
    throw new CradleError(code, 'gzip data is truncated (shorter than header + trailer)');
  }
  const stream = opts.format === 'gzip' ? new Gunzip(ondata) : opts.dictionary ? new Inflate({ dictionary: opts.dictionary }, ondata) : new Inflate(ondata);
  if (stream instanceof Gunzip) {
    stream.onmember = () => {
      throw new CradleError(code, 'gzip data has more than one member; exactly one is allowed');
    };
  }
  try {
    for (let off = 0; off < data.length; ) {
      const step = Math.max(MIN_STEP, Math.floor((maxOutputBytes - total) / MAX_RATIO));
      const end = Math.min(off + step, data.length);
      stream.push(data.subarray(off, end), end === data.length);
      off = end;
    }
    if (data.length === 0) stream.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof LimitExceeded) {
      throw new CradleError('DECOMPRESSION_LIMIT', `decompressed data exceeds the limit of ${maxOutputBytes} bytes`, {
        details: { maxOutputBytes },
      });
    }
    if (e instanceof CradleError) throw e;
    throw new CradleError(code, `corrupt ${opts.format === 'gzip' ? 'gzip' : 'DEFLATE'} data: ${(e as Error).message}`, { cause: e });
  }
  if (!ended) throw new CradleError(code, `${opts.format === 'gzip' ? 'gzip' : 'DEFLATE'} data is truncated`);

  const out = chunks.length === 1 ? chunks[0]! : concatBytes(chunks, total);
  if (opts.format === 'gzip') {
    const n = data.length;
    const wantCrc = (data[n - 8]! | (data[n - 7]! << 8) | (data[n - 6]! << 16) | (data[n - 5]! << 24)) >>> 0;
    const wantSize = (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0;
    if (wantSize !== total >>> 0) throw new CradleError(code, 'gzip trailer length does not match the decompressed data (trailing bytes or corruption)');
    if (wantCrc !== crc32Final(crc)) throw new CradleError(code, 'gzip trailer CRC-32 does not match the decompressed data');
  }
  return out;
}
