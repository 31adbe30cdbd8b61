/**
 * Runs in Chromium (built by the decode-rate benchmark, not part of the app): the app's decoder
 * (`decodeQrCodes`, ZXing-C++ WebAssembly) and jsQR, which the app used before, on the same grey-scale
 * picture. Publishes `window.decoderHarness.decode(base64Luma, width, height)`, and jsQR itself as
 * `window.harnessJsQR` (for a stand-in native BarcodeDetector).
 */
import jsQRImport from 'jsqr';
import { decodeQrCodes, loadQrDecoder } from '../../../src/qr-decode.js';

type JsQR = typeof jsQRImport.default;
// jsqr is a UMD bundle: bundlers unwrap it to the function, Node-style resolution sees the exports object.
const jsQR: JsQR = typeof jsQRImport === 'function' ? (jsQRImport as unknown as JsQR) : jsQRImport.default;

/** What each decoder read from one picture, and how long it took (ms). */
export interface DecodeBoth {
  jsqr: string | null;
  zxing: string[];
  jsqrMs: number;
  zxingMs: number;
}

function imageData(base64: string, width: number, height: number): ImageData {
  const luma = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < luma.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = luma[i]!;
    rgba[i * 4 + 3] = 255;
  }
  return new ImageData(rgba, width, height);
}

async function decode(base64: string, width: number, height: number): Promise<DecodeBoth> {
  const image = imageData(base64, width, height);
  let t = performance.now();
  // As the app called it before: both polarities (some phone screens invert).
  const old = jsQR(image.data, width, height, { inversionAttempts: 'attemptBoth' });
  const jsqrMs = performance.now() - t;
  t = performance.now();
  const zxing = await decodeQrCodes(image);
  return { jsqr: old?.data || null, zxing, jsqrMs, zxingMs: performance.now() - t };
}

// A test may stand in a native BarcodeDetector (which Chromium on Linux lacks) backed by this jsQR.
(window as unknown as { harnessJsQR: JsQR }).harnessJsQR = jsQR;

void loadQrDecoder().then(() => {
  (window as unknown as { decoderHarness: { decode: typeof decode } }).decoderHarness = { decode };
});
