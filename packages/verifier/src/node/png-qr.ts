import { CradleError } from '@cradle/core';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is a UMD bundle: its module.exports IS the function, while its types declare a default export.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** Largest PNG file read (bytes) and largest image (pixels per side). */
export const MAX_PNG_BYTES = 20 * 1024 * 1024;
export const MAX_PNG_SIDE = 6000;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b);
}

/** Decoded pixels: RGBA, 4 bytes per pixel, row by row. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * Decode a PNG into RGBA pixels, bounded: the file size and the declared size (IHDR) are checked
 * before pngjs allocates width x height x 4 bytes. `TOO_LARGE` / `QR_INVALID` otherwise.
 */
export function decodePngRgba(bytes: Uint8Array): RgbaImage {
  if (bytes.length > MAX_PNG_BYTES) throw new CradleError('TOO_LARGE', `The image is ${bytes.length} bytes; the limit is ${MAX_PNG_BYTES}.`);
  if (!isPng(bytes)) throw new CradleError('QR_INVALID', 'The file is not a PNG image.');
  // Check the declared size (IHDR) before pngjs allocates width x height x 4 bytes.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = bytes.length >= 24 ? view.getUint32(16) : 0;
  const height = bytes.length >= 24 ? view.getUint32(20) : 0;
  if (width === 0 || height === 0 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    throw new CradleError('TOO_LARGE', `The image is ${width}x${height} pixels; at most ${MAX_PNG_SIDE} per side is read.`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    throw new CradleError('QR_INVALID', 'The PNG image is damaged and could not be read.', { cause });
  }
  return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
}

/**
 * The text of the QR code in a PNG image. Throws `QR_INVALID` when the image is not a readable PNG or
 * has no QR code, `TOO_LARGE` when it is too big to decode safely.
 *
 * @example
 * ```ts
 * const text = readQrFromPng(await readFile('credential.png'));
 * ```
 */
export function readQrFromPng(bytes: Uint8Array): string {
  const png = decodePngRgba(bytes);
  const code = jsQR(png.data, png.width, png.height);
  if (code === null || code.data === '') throw new CradleError('QR_INVALID', 'No QR code was found in the image. Take a sharper, straight photo of the code.');
  return code.data;
}
