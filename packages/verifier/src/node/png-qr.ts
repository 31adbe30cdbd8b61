import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { CradleError } from '@cradle/core';
import type jsQRModule from 'jsqr';
import type { PNG } from 'pngjs';

// jsqr (a 250 kB UMD bundle) and pngjs are loaded on the first picture, not with this module: a command
// that verifies a token (`cradle checkpoint verify`) never reads a PNG and must not pay for them at start.
// Both are CommonJS, so `require` loads them synchronously and these functions stay synchronous.
const requireHere = createRequire(import.meta.url);
// jsqr is a UMD bundle: its module.exports IS the function, while its types declare a default export.
type JsQr = typeof jsQRModule.default;
let jsQRLoaded: JsQr | undefined;
function jsQR(...args: Parameters<JsQr>): ReturnType<JsQr> {
  if (jsQRLoaded === undefined) {
    const m = requireHere('jsqr') as { default?: JsQr } | JsQr;
    jsQRLoaded = typeof m === 'function' ? m : m.default!;
  }
  return jsQRLoaded(...args);
}
let pngLoaded: typeof PNG | undefined;
function pngjs(): typeof PNG {
  return (pngLoaded ??= (requireHere('pngjs') as { PNG: typeof PNG }).PNG);
}

/** Largest PNG file read (bytes) and largest image (pixels per side). */
export const MAX_PNG_BYTES = 20 * 1024 * 1024;
export const MAX_PNG_SIDE = 6000;
/** Largest image (total pixels): a 16-megapixel photo of a QR code is plenty. */
export const MAX_PNG_PIXELS = 16 * 1024 * 1024;
/**
 * Largest memory the whole decode may take (bytes), estimated from the header the decoder will use:
 * the inflated scanlines (twice: inflated and unfiltered), pngjs's bitmap (16-bit samples take twice
 * the room) and its 8-bit RGBA output, and jsQR's greyscale and binarised copies.
 */
export const MAX_PNG_DECODE_BYTES = 256 * 1024 * 1024;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b);
}

/** The image header the decoder will use, after every chunk header was checked. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
  /** Bytes of the inflated scanlines (filter byte + packed samples per row). */
  readonly rawBytes: number;
  /** Estimated peak memory of the whole decode (see {@link MAX_PNG_DECODE_BYTES}). */
  readonly decodeBytes: number;
}

const tooLarge = (message: string): never => {
  throw new CradleError('TOO_LARGE', message);
};
const damaged = (message: string): never => {
  throw new CradleError('QR_INVALID', `The PNG image is damaged and could not be read: ${message}.`);
};

/**
 * Walk every chunk header of a PNG (without decoding anything) and return the image header the decoder
 * will use, or throw: `QR_INVALID` when the structure is not a PNG's (IHDR not first, more than one
 * IHDR, a chunk running past the end, no IDAT or IEND), `TOO_LARGE` when width, height, pixel count or
 * decode memory would exceed the bounds. pngjs takes its size from the IHDR it meets, so refusing any
 * file with another IHDR (or IHDR elsewhere than first) means the size checked here is the size decoded.
 *
 * @example
 * ```ts
 * const { width, height } = inspectPng(bytes);
 * ```
 */
export function inspectPng(bytes: Uint8Array): PngHeader {
  if (bytes.length > MAX_PNG_BYTES) tooLarge(`The image is ${bytes.length} bytes; the limit is ${MAX_PNG_BYTES}.`);
  if (!isPng(bytes)) throw new CradleError('QR_INVALID', 'The file is not a PNG image.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Omit<PngHeader, 'rawBytes' | 'decodeBytes'> | undefined;
  let idat = false;
  let end = false;
  for (let at = 8, index = 0; at < bytes.length; index++) {
    if (at + 12 > bytes.length) damaged('a chunk is cut off');
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (length > bytes.length - at - 12) damaged(`the ${JSON.stringify(type).slice(0, 12)} chunk claims more bytes than the file has`);
    if (type === 'IHDR') {
      if (index !== 0) damaged(header === undefined ? 'the image header is not the first chunk' : 'it has more than one image header');
      if (length !== 13) damaged('the image header has the wrong length');
      const d = at + 8;
      header = { width: view.getUint32(d), height: view.getUint32(d + 4), bitDepth: bytes[d + 8]!, colorType: bytes[d + 9]!, interlaced: bytes[d + 12] === 1 };
      if (bytes[d + 10] !== 0 || bytes[d + 11] !== 0 || bytes[d + 12]! > 1) damaged('unknown compression, filter or interlace method');
    } else if (index === 0) {
      damaged('the image header is not the first chunk');
    } else if (type === 'IDAT') {
      idat = true;
    } else if (type === 'IEND') {
      end = true;
      break;
    }
    at += 12 + length;
  }
  if (header === undefined || !idat || !end) return damaged('image header, data or end marker missing');
  const { width, height, bitDepth, colorType } = header;
  const channels = CHANNELS[colorType];
  if (channels === undefined || !(BIT_DEPTHS[colorType] ?? []).includes(bitDepth)) return damaged(`unsupported colour type ${colorType} with bit depth ${bitDepth}`);
  if (width === 0 || height === 0 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    tooLarge(`The image is ${width}x${height} pixels; at most ${MAX_PNG_SIDE} per side is read.`);
  }
  const pixels = width * height;
  if (pixels > MAX_PNG_PIXELS) tooLarge(`The image has ${pixels} pixels; at most ${MAX_PNG_PIXELS} are read.`);
  const rawBytes = header.interlaced ? adam7RawBytes(width, height, channels * bitDepth) : scanlineBytes(width, height, channels * bitDepth);
  const decodeBytes = 2 * rawBytes + pixels * 4 * (bitDepth === 16 ? 2 : 1) + pixels * 4 + pixels * 3;
  if (decodeBytes > MAX_PNG_DECODE_BYTES) {
    tooLarge(`Decoding this ${width}x${height} image would take about ${Math.ceil(decodeBytes / 1048576)} MiB; the limit is ${MAX_PNG_DECODE_BYTES / 1048576} MiB.`);
  }
  return { ...header, rawBytes, decodeBytes };
}

function scanlineBytes(width: number, height: number, bitsPerPixel: number): number {
  return width === 0 || height === 0 ? 0 : height * (1 + Math.ceil((width * bitsPerPixel) / 8));
}

/** Inflated size of an Adam7-interlaced image: the seven reduced images, each with its filter bytes. */
function adam7RawBytes(width: number, height: number, bitsPerPixel: number): number {
  const passes = [[0, 8, 0, 8], [4, 8, 0, 8], [0, 4, 4, 8], [2, 4, 0, 4], [0, 2, 2, 4], [1, 2, 0, 2], [0, 1, 1, 2]] as const;
  let total = 0;
  for (const [x0, dx, y0, dy] of passes) total += scanlineBytes(Math.max(0, Math.ceil((width - x0) / dx)), Math.max(0, Math.ceil((height - y0) / dy)), bitsPerPixel);
  return total;
}

/** Inflate the IDAT stream with an output bound (pngjs does not bound it for interlaced images). */
function checkInflatedSize(bytes: Uint8Array, header: PngHeader): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength: header.rawBytes });
  } catch (cause) {
    if (cause instanceof RangeError) tooLarge('The image data inflates to more than its header says: it is refused.');
    throw new CradleError('QR_INVALID', 'The PNG image is damaged and could not be read.', { cause });
  }
}

/** Decoded pixels: RGBA, 4 bytes per pixel, row by row. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * Decode a PNG into RGBA pixels, bounded by what pngjs will decode: every chunk header is checked first
 * ({@link inspectPng}), and interlaced data is inflated with an output bound. `TOO_LARGE` / `QR_INVALID`
 * otherwise.
 */
export function decodePngRgba(bytes: Uint8Array): RgbaImage {
  // Every chunk header is checked first, so the size bounded here is the size pngjs decodes.
  const header = inspectPng(bytes);
  if (header.interlaced) checkInflatedSize(bytes, header);
  let png: PNG;
  try {
    png = pngjs().sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    throw new CradleError('QR_INVALID', 'The PNG image is damaged and could not be read.', { cause });
  }
  return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
}

/**
 * The text of the QR code in a PNG image. Throws `QR_INVALID` when the image is not a readable PNG or
 * has no QR code, `TOO_LARGE` when it is too big to decode safely (see {@link inspectPng}).
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
