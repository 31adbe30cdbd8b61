/**
 * Pictures of QR codes as a checkpoint camera sees them, for the decoder test and the decode-rate
 * benchmark (bench/figures/decode-rate.ts): a clean render
 * of a real payload (the wallet's segments and error-correction level), then blur, sensor noise, a tilted
 * phone (perspective), low light, and all of them at once. Grey-scale, pure JS, deterministic (seeded).
 */
import { createHash } from 'node:crypto';
import { create } from 'qrcode';
import type { QRCodeSegment } from 'qrcode';

/** A grey-scale picture: one byte per pixel, rows top to bottom. */
export interface GreyImage {
  width: number;
  height: number;
  luma: Uint8Array;
}

/** The clean picture of `segments` at `px` pixels per module, with a 4-module quiet zone, and its QR version. */
export function renderQr(segments: QRCodeSegment[], px: number, errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' = 'M'): GreyImage & { version: number } {
  const qr = create(segments, { errorCorrectionLevel });
  const n = qr.modules.size;
  const side = (n + 8) * px;
  const luma = new Uint8Array(side * side).fill(240);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < px; dy++) luma.fill(20, ((r + 4) * px + dy) * side + (c + 4) * px, ((r + 4) * px + dy) * side + (c + 5) * px);
    }
  }
  return { width: side, height: side, luma, version: qr.version };
}

/** `n` uniform numbers in (0, 1) from `seed`: SHAKE256 output, so the same pictures on every run. */
function uniforms(seed: number, n: number): Float64Array {
  const bytes = createHash('shake256', { outputLength: n * 4 }).update(`qr-pictures:${seed}`).digest();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (bytes.readUInt32LE(i * 4) + 0.5) / 4294967296;
  return out;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Gaussian blur (separable), `sigma` in pixels: focus and hand shake. */
export function blur(img: GreyImage, sigma: number): GreyImage {
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const w = k.map((x) => x / sum);
  const { width, height } = img;
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = horizontal ? Math.min(width - 1, Math.max(0, x + i)) : x;
          const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + i));
          acc += src[yy * width + xx]! * w[i + r]!;
        }
        out[y * width + x] = clamp(acc);
      }
    }
    return out;
  };
  return { width, height, luma: pass(pass(img.luma, true), false) };
}

/** Additive Gaussian sensor noise of standard deviation `sigma` (grey levels). */
export function noise(img: GreyImage, sigma: number, seed: number): GreyImage {
  const u = uniforms(seed, img.luma.length * 2);
  const luma = new Uint8Array(img.luma.length);
  for (let i = 0; i < luma.length; i++) {
    // Box-Muller: two uniforms make one normally distributed sample.
    const g = Math.sqrt(-2 * Math.log(u[2 * i]!)) * Math.cos(2 * Math.PI * u[2 * i + 1]!);
    luma[i] = clamp(img.luma[i]! + g * sigma);
  }
  return { ...img, luma };
}

/** Low light: the picture's range squeezed to `lo`..`hi`, darker towards one corner (uneven light). */
export function lowLight(img: GreyImage, lo: number, hi: number): GreyImage {
  const { width, height } = img;
  const luma = new Uint8Array(img.luma.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shade = 1 - 0.35 * ((x / width + y / height) / 2);
      luma[y * width + x] = clamp((lo + ((img.luma[y * width + x]! / 255) * (hi - lo))) * shade);
    }
  }
  return { width, height, luma };
}

/** Solves the 8 unknowns of the homography taking the four `from` points to the four `to` points. */
function homography(from: readonly [number, number][], to: readonly [number, number][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[8]! / row[i]!);
}

/**
 * A phone held at an angle: the code's far edge shrinks to `far` of its width and the picture turns by
 * `degrees`. Bilinear sampling; the background is the paper's white.
 */
export function perspective(img: GreyImage, far: number, degrees: number): GreyImage {
  const { width: w, height: h } = img;
  const side = Math.round(Math.max(w, h) * 1.15);
  const cx = side / 2;
  const cy = side / 2;
  const t = (degrees * Math.PI) / 180;
  const turn = ([x, y]: [number, number]): [number, number] => [cx + (x - cx) * Math.cos(t) - (y - cy) * Math.sin(t), cy + (x - cx) * Math.sin(t) + (y - cy) * Math.cos(t)];
  const inset = (w * (1 - far)) / 2;
  const ox = (side - w) / 2;
  const oy = (side - h) / 2;
  const dst: [number, number][] = [turn([ox + inset, oy]), turn([ox + w - inset, oy]), turn([ox + w, oy + h]), turn([ox, oy + h])];
  const src: [number, number][] = [[0, 0], [w, 0], [w, h], [0, h]];
  // Map each output pixel back into the source picture.
  const m = homography(dst, src);
  const luma = new Uint8Array(side * side).fill(240);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const d = m[6]! * x + m[7]! * y + 1;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d - 0.5;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / d - 0.5;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const p = (xx: number, yy: number) => img.luma[yy * w + xx]!;
      luma[y * side + x] = clamp(
        p(x0, y0) * (1 - fx) * (1 - fy) + p(x0 + 1, y0) * fx * (1 - fy) + p(x0, y0 + 1) * (1 - fx) * fy + p(x0 + 1, y0 + 1) * fx * fy,
      );
    }
  }
  return { width: side, height: side, luma };
}

/** The variants the benchmark measures, each a function of the clean picture and a seed. */
export const DEGRADATIONS: readonly { name: string; apply: (img: GreyImage, seed: number) => GreyImage }[] = [
  { name: 'clean', apply: (img) => img },
  { name: 'blur', apply: (img) => blur(img, 1.3) },
  { name: 'noise', apply: (img, seed) => noise(img, 45, seed) },
  { name: 'perspective', apply: (img) => perspective(img, 0.7, 12) },
  { name: 'low light', apply: (img, seed) => noise(lowLight(img, 25, 80), 6, seed) },
  { name: 'photographed (all four, milder)', apply: (img, seed) => noise(lowLight(blur(perspective(img, 0.85, 6), 0.8), 40, 150), 10, seed) },
];
