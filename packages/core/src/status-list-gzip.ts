import { gzip } from 'pako';

/**
 * The reference compressor of Cradle status lists: GZIP (RFC 1952, mtime 0, XFL 2, OS 3) of reference
 * zlib's DEFLATE at level 9, memLevel 9, windowBits 15, default strategy, as ported to JavaScript by
 * `pako`. It is deterministic and the same on every platform (Node, browsers), which is what lets a
 * checkpoint rebuild a signed list byte for byte from a delta (docs/formats.md, "Delta entries").
 *
 * Node's own `zlib` is Chromium's fork, whose level-9 output differs from reference zlib on the same
 * input, and fflate's differs again: neither can be reproduced in a browser. Sizes are within 0.5% of
 * Node's zlib at level 9 on sparse lists.
 *
 * @example
 * ```ts
 * const encodedList = 'u' + base64UrlEncode(gzipStatusListBits(bits));
 * ```
 */
export function gzipStatusListBits(bits: Uint8Array): Uint8Array {
  return gzip(bits, { level: 9, memLevel: 9, windowBits: 15 });
}
