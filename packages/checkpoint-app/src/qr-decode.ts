import jsQRImport from 'jsqr';

type JsQR = typeof jsQRImport.default;
// jsqr is a UMD bundle with `exports.default`: bundlers unwrap it to the function, Node-style
// resolution (what tsc models) sees the exports object. Accept both.
const jsQR: JsQR = typeof jsQRImport === 'function' ? (jsQRImport as unknown as JsQR) : jsQRImport.default;

/** Longest side, in pixels, of the image handed to the decoder: bounds CPU time per frame on cheap phones. */
export const DEFAULT_MAX_SIDE = 1024;

/** Which part of the picture to search. */
export type DecodeRegion = 'whole' | 'center-square';

/**
 * Draws `source` (or its central square, where the viewfinder asks the officer to put the code) on
 * `canvas`, scaled so its longer side is at most `maxSide`, and looks for a QR code. Dense codes need
 * every pixel the camera gives: cropping rather than shrinking keeps modules sharp at the same CPU cost.
 * Returns the decoded text, or undefined when there is none.
 */
export function decodeQrFrom(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement,
  maxSide = DEFAULT_MAX_SIDE,
  region: DecodeRegion = 'whole',
): string | undefined {
  if (width === 0 || height === 0) return undefined;
  const side = Math.min(width, height);
  const [sx, sy, sw, sh] = region === 'center-square'
    ? [Math.floor((width - side) / 2), Math.floor((height - side) / 2), side, side]
    : [0, 0, width, height];
  const scale = Math.min(1, maxSide / Math.max(sw, sh));
  const w = Math.round(sw * scale);
  const h = Math.round(sh * scale);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.drawImage(source, sx, sy, sw, sh, 0, 0, w, h);
  const image = ctx.getImageData(0, 0, w, h);
  // 'attemptBoth' also finds light-on-dark codes (some phone screens invert), at twice the cost.
  const code = jsQR(image.data, w, h, { inversionAttempts: 'attemptBoth' });
  return code && code.data !== '' ? code.data : undefined;
}

/**
 * Finds a QR code in an image file (a photo or screenshot). Tries the image at a large size first, then
 * smaller, because jsQR's binariser does better on some photos after downscaling.
 */
export async function decodeQrFromFile(file: Blob, canvas: HTMLCanvasElement): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  try {
    for (const side of [2048, 1024, 640]) {
      const text = decodeQrFrom(bitmap, bitmap.width, bitmap.height, canvas, side);
      if (text) return text;
    }
    return undefined;
  } finally {
    bitmap.close();
  }
}
