import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { CradleError } from '@cradle/core';
import jpeg from 'jpeg-js';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { MAX_PNG_BYTES, MAX_PNG_SIDE, decodePngRgba, isPng } from './png-qr.js';
import type { RgbaImage } from './png-qr.js';

/** Most QR codes read from one image (a certificate has two seals). */
export const MAX_QR_CODES_PER_IMAGE = 4;

/** True when `bytes` start with the JPEG SOI marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the image size. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The size a JPEG declares in its first start-of-frame segment, read without decoding anything. */
function jpegDeclaredSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (SOF.has(marker)) {
      if (at + 9 > bytes.length) return undefined;
      return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]! };
    }
    if (marker === 0xda || length < 2) return undefined; // image data before any frame header
    at += 2 + length;
  }
  return undefined;
}

/**
 * Decode a JPEG into RGBA pixels, bounded like PNGs: the file size and the declared frame size are
 * checked before anything is decoded, and jpeg-js is given the same pixel and memory caps, so a
 * crafted header cannot make it allocate more.
 */
export function decodeJpegRgba(bytes: Uint8Array): RgbaImage {
  if (bytes.length > MAX_PNG_BYTES) throw new CradleError('TOO_LARGE', `The image is ${bytes.length} bytes; the limit is ${MAX_PNG_BYTES}.`);
  if (!isJpeg(bytes)) throw new CradleError('QR_INVALID', 'The file is not a JPEG image.');
  const size = jpegDeclaredSize(bytes);
  if (size === undefined) throw new CradleError('QR_INVALID', 'The JPEG image is damaged (no frame header) and could not be read.');
  if (size.width === 0 || size.height === 0 || size.width > MAX_PNG_SIDE || size.height > MAX_PNG_SIDE) {
    throw new CradleError('TOO_LARGE', `The image is ${size.width}x${size.height} pixels; at most ${MAX_PNG_SIDE} per side is read.`);
  }
  const maxMegapixels = (MAX_PNG_SIDE * MAX_PNG_SIDE) / 1e6;
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxMegapixels,
      // RGBA output plus jpeg-js's component buffers, for the largest image accepted.
      maxMemoryUsageInMB: Math.ceil((maxMegapixels * 4 * 2.5) + 16),
    });
    return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height };
  } catch (cause) {
    throw new CradleError('QR_INVALID', 'The JPEG image is damaged and could not be read.', { cause });
  }
}

/** Decode a PNG or JPEG photo/scan into RGBA pixels (bounded). */
export function decodeImageRgba(bytes: Uint8Array): RgbaImage {
  if (isPng(bytes)) return decodePngRgba(bytes);
  if (isJpeg(bytes)) return decodeJpegRgba(bytes);
  throw new CradleError('QR_INVALID', 'The file is neither a PNG nor a JPEG image.');
}

let ready: Promise<unknown> | undefined;

/** Load ZXing's WebAssembly from the installed package (never from a network). */
function zxingReady(): Promise<unknown> {
  ready ??= (async () => {
    const wasm = await readFile(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
  })();
  return ready;
}

/**
 * Every QR code in a photo or scan (PNG or JPEG), e.g. both seals of a printed birth certificate, in
 * reading order. The image is decoded by Cradle's bounded decoders, then ZXing-C++ (WebAssembly)
 * locates and reads every code in one pass: jsQR, used for single codes, locates one code by its three
 * finder patterns and fails outright when two seals sit side by side. The same text twice is
 * returned once; at most {@link MAX_QR_CODES_PER_IMAGE}. `QR_INVALID` when the image holds no
 * readable code, `TOO_LARGE` when it is too big to decode safely.
 *
 * @example
 * ```ts
 * const [birthSeal, guardianshipSeal] = await readQrCodesFromImage(await readFile('certificate.jpg'));
 * ```
 */
export async function readQrCodesFromImage(bytes: Uint8Array): Promise<string[]> {
  const img = decodeImageRgba(bytes);
  await zxingReady();
  const results = await readBarcodes(
    { data: img.data as Uint8ClampedArray<ArrayBuffer>, width: img.width, height: img.height, colorSpace: 'srgb' },
    { formats: ['QRCode'], maxNumberOfSymbols: MAX_QR_CODES_PER_IMAGE, tryHarder: true },
  );
  const found: string[] = [];
  for (const r of results) if (r.isValid && r.text !== '' && !found.includes(r.text)) found.push(r.text);
  if (found.length === 0) throw new CradleError('QR_INVALID', 'No QR code was found in the image. Take a sharper, straight photo or scan of the whole page.');
  return found;
}

/**
 * The QR codes of `arg` when it names a PNG or JPEG file (a photo or scan), else `undefined` (the
 * caller reads it as text, a token or stdin).
 *
 * @example
 * ```ts
 * const seals = await readQrCodesFromImageFile('certificate.jpg'); // ['CRADLE2:...', 'CRADLE2:...']
 * ```
 */
export async function readQrCodesFromImageFile(arg: string): Promise<string[] | undefined> {
  if (arg === '-' || arg.length > 4096) return undefined;
  let size: number;
  try {
    const s = await stat(arg);
    if (!s.isFile()) return undefined;
    size = s.size;
  } catch {
    return undefined;
  }
  if (size > MAX_PNG_BYTES) throw new CradleError('TOO_LARGE', `${arg} is ${size} bytes: far larger than any photo of a certificate.`);
  const bytes = new Uint8Array(await readFile(arg));
  return isPng(bytes) || isJpeg(bytes) ? readQrCodesFromImage(bytes) : undefined;
}
