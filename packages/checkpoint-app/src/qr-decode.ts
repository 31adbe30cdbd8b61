/**
 * QR decoding in the browser with ZXing-C++ (the `zxing-wasm` package, the same decoder the verifier
 * uses for photos in Node). One pass finds every code in a picture: both seals of a printed birth
 * certificate, or one dense (version 25+) presentation code, also blurred, noisy, skewed or dim ones that
 * jsQR misses (docs/checkpoint-app.md, "QR decoding", has the measurement).
 *
 * Where the browser has a native `BarcodeDetector` that reads QR codes (Chrome on Android, Safari on
 * iOS 17+), it reads each picture first; ZXing still reads every picture in which the native detector
 * found fewer than two codes (a certificate has two seals), and the texts are merged. So the native
 * detector can only add codes to what the measured decoder reads, never take one away.
 *
 * The WebAssembly file is part of the app's build (vite's `?url` import emits it under `assets/`, the
 * service worker precaches it): nothing is fetched from a CDN, and decoding works offline.
 */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { ReaderOptions } from 'zxing-wasm/reader';
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** Longest side, in pixels, of the image handed to the decoder: bounds memory and CPU per frame. */
export const DEFAULT_MAX_SIDE = 1280;

/** Most codes read from one picture: a certificate has two seals (the verifier refuses more than 4). */
export const MAX_CODES_PER_IMAGE = 4;

const READER: ReaderOptions = {
  formats: ['QRCode'],
  maxNumberOfSymbols: MAX_CODES_PER_IMAGE,
  // Slower per frame, but reads codes that are skewed, dim, blurred or shown light-on-dark by a screen.
  tryHarder: true,
  tryInvert: true,
  tryRotate: true,
  tryDownscale: true,
};

let loading: Promise<unknown> | undefined;

/**
 * Loads and compiles the decoder's WebAssembly (once; later calls return the same promise). Called when
 * the camera opens, so the first frame is not slowed by the compile.
 */
export function loadQrDecoder(): Promise<unknown> {
  if (loading !== undefined) return loading;
  const load = prepareZXingModule({
    overrides: {
      // The app's own copy, next to the bundle: never the package's default CDN.
      locateFile: (file: string, prefix: string) => (file.endsWith('.wasm') ? new URL(zxingWasmUrl, document.baseURI).href : prefix + file),
    },
    fireImmediately: true,
  }).catch((e: unknown) => {
    loading = undefined; // a failed load (e.g. storage trouble) may be retried on the next frame
    throw e;
  });
  loading = load;
  return load;
}

/** The part of the Barcode Detection API the app uses (https://wicg.github.io/shape-detection-api/). */
interface NativeBarcodeDetector {
  detect(image: ImageData): Promise<ReadonlyArray<{ rawValue?: unknown }>>;
}
interface NativeBarcodeDetectorClass {
  new (options: { formats: string[] }): NativeBarcodeDetector;
  getSupportedFormats?(): Promise<string[]>;
}

let native: Promise<NativeBarcodeDetector | undefined> | undefined;

/** The browser's own QR detector, or undefined where there is none (or it does not read QR codes). */
function nativeQrDetector(): Promise<NativeBarcodeDetector | undefined> {
  native ??= (async () => {
    const Detector = (globalThis as { BarcodeDetector?: NativeBarcodeDetectorClass }).BarcodeDetector;
    if (typeof Detector !== 'function') return undefined;
    try {
      const formats = typeof Detector.getSupportedFormats === 'function' ? await Detector.getSupportedFormats() : [];
      return Array.isArray(formats) && formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : undefined;
    } catch {
      return undefined; // a detector that cannot even say what it reads is not used
    }
  })();
  return native;
}

/** Adds `text` to `found` once, if it is a non-empty string, up to {@link MAX_CODES_PER_IMAGE}. */
function addCode(found: string[], text: unknown): void {
  if (typeof text === 'string' && text !== '' && !found.includes(text) && found.length < MAX_CODES_PER_IMAGE) found.push(text);
}

/**
 * Every QR code in `image`, each text once: the native detector's first (where the browser has one),
 * then ZXing's unless the native detector already found two or more. Empty when there is none.
 * @example const codes = await decodeQrCodes(ctx.getImageData(0, 0, w, h)); // ['CRADLE5:…', 'CRADLE5:…']
 */
export async function decodeQrCodes(image: ImageData): Promise<string[]> {
  const found: string[] = [];
  const detector = await nativeQrDetector();
  if (detector !== undefined) {
    try {
      for (const code of await detector.detect(image)) addCode(found, code.rawValue);
    } catch {
      // a native detector that fails on this picture leaves it to ZXing
    }
    if (found.length >= 2) return found;
  }
  await loadQrDecoder();
  for (const r of await readBarcodes(image, READER)) if (r.isValid) addCode(found, r.text);
  return found;
}

/**
 * Draws `source` on `canvas`, scaled so its longer side is at most `maxSide`, and returns its pixels.
 * Undefined when the source has no size yet or the canvas gives no 2D context.
 */
export function pixelsOf(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, maxSide = DEFAULT_MAX_SIDE): ImageData | undefined {
  if (width === 0 || height === 0) return undefined;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.drawImage(source, 0, 0, width, height, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/**
 * Every QR code in a camera frame or picture (see {@link decodeQrCodes}).
 * @example const codes = await decodeQrFrom(video, video.videoWidth, video.videoHeight, canvas);
 */
export async function decodeQrFrom(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, maxSide = DEFAULT_MAX_SIDE): Promise<string[]> {
  const image = pixelsOf(source, width, height, canvas, maxSide);
  return image === undefined ? [] : decodeQrCodes(image);
}

/**
 * Every QR code in an image file (a photo, a scan or a screenshot, e.g. of a whole certificate). Tries
 * a large size first (small modules of a whole-page photo), then smaller, which helps on noisy photos.
 */
export async function decodeQrFromFile(file: Blob, canvas: HTMLCanvasElement): Promise<string[]> {
  const bitmap = await createImageBitmap(file);
  try {
    for (const side of [2560, 1280]) {
      const codes = await decodeQrFrom(bitmap, bitmap.width, bitmap.height, canvas, side);
      if (codes.length > 0) return codes;
    }
    return [];
  } finally {
    bitmap.close();
  }
}
