// CRC-32 (IEEE 802.3, as in gzip trailers, RFC 1952 §8). fflate checks no gzip trailer on
// decompression, so we verify it ourselves.
const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

/** Incremental CRC-32: start with `crc32Update(0xffffffff, chunk)`... then `crc32Final`. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 255]! ^ (c >>> 8);
  return c >>> 0;
}

/** Finish an incremental CRC-32. */
export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(0xffffffff, bytes));
}
