/** Lowercase hex with 0x prefix. */
export function toHex0x(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
