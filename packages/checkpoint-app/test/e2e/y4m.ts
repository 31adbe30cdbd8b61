/**
 * Writes the fake camera feed for Chromium (`--use-file-for-fake-video-capture`): a Y4M (YUV4MPEG2,
 * 4:2:0) video of a QR code on a white page, in pure JS. Chromium plays the file from its first frame
 * when the camera opens and loops it, so a few frames do.
 */
import { writeFile } from 'node:fs/promises';
import { create } from 'qrcode';

/** Options for {@link qrVideoY4m}. */
export interface QrVideoOptions {
  width?: number;
  height?: number;
  fps?: number;
  /**
   * Frames before the full QR appears, showing it with one finder pattern hidden (as if half in view):
   * the decoder can't read them, so a test sees the scanning screen with a code in the viewfinder.
   */
  leadInFrames?: number;
  /** Frames showing the QR. */
  qrFrames?: number;
}

/** Luma (full range, as the C420jpeg tag declares) of each pixel of a frame showing `text` as a QR code. */
export function qrLumaFrame(text: string, width: number, height: number, hideFinder = false): Uint8Array {
  const qr = create(text, { errorCorrectionLevel: 'L' });
  const modules = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor((Math.min(width, height) * 0.95) / (modules + quiet * 2));
  if (scale < 2) throw new Error(`QR of ${modules} modules does not fit ${width}x${height} at 2 px per module`);
  const luma = new Uint8Array(width * height).fill(235);
  const side = (modules + quiet * 2) * scale;
  const x0 = Math.floor((width - side) / 2) + quiet * scale;
  const y0 = Math.floor((height - side) / 2) + quiet * scale;
  for (let r = 0; r < modules; r++) {
    for (let c = 0; c < modules; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (y0 + r * scale + dy) * width + x0 + c * scale;
        luma.fill(16, row, row + scale);
      }
    }
  }
  if (hideFinder) {
    for (let y = y0 - scale; y < y0 + 9 * scale; y++) luma.fill(235, y * width + x0 - scale, y * width + x0 + 9 * scale);
  }
  return luma;
}

/** The bytes of a Y4M video: `leadInFrames` of an unreadable QR, then `qrFrames` of the QR for `text`. */
export function qrVideoY4m(text: string, options: QrVideoOptions = {}): Uint8Array {
  const { width = 1280, height = 720, fps = 5, leadInFrames = 0, qrFrames = 2 } = options;
  const partial = qrLumaFrame(text, width, height, true);
  const qr = qrLumaFrame(text, width, height);
  return lumaVideoY4m([...Array<Uint8Array>(leadInFrames).fill(partial), ...Array<Uint8Array>(qrFrames).fill(qr)], { width, height, fps });
}

/** The bytes of a grey-scale Y4M video of `frames` (luma planes of `width` x `height`, full range). */
export function lumaVideoY4m(frames: readonly Uint8Array[], { width, height, fps }: { width: number; height: number; fps: number }): Uint8Array {
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('4:2:0 video needs even dimensions');
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameTag = new TextEncoder().encode('FRAME\n');
  const lumaSize = width * height;
  const chromaSize = (width / 2) * (height / 2);
  const frameSize = frameTag.length + lumaSize + chromaSize * 2;
  const out = new Uint8Array(header.length + frameSize * frames.length);
  out.set(header, 0);
  let offset = header.length;
  for (const luma of frames) {
    if (luma.length !== lumaSize) throw new RangeError(`a frame has ${luma.length} pixels, not ${width}x${height}`);
    out.set(frameTag, offset);
    out.set(luma, offset + frameTag.length);
    // Neutral chroma: a grey-scale picture.
    out.fill(128, offset + frameTag.length + lumaSize, offset + frameSize);
    offset += frameSize;
  }
  return out;
}

/** Writes {@link qrVideoY4m} to `path`. */
export async function writeQrVideo(path: string, text: string, options?: QrVideoOptions): Promise<string> {
  await writeFile(path, qrVideoY4m(text, options));
  return path;
}
