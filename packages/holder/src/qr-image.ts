import QRCode from 'qrcode';
import type { QRCodeSegment } from 'qrcode';
import { qrPayloadSegments } from '@cradle/core';

/**
 * The QR segments for a payload (`qrPayloadSegments` of `@cradle/core`): a `CRADLE5:` (or `CRADLE4:`) payload's prefix in
 * alphanumeric mode and its digits in numeric mode (3.33 bits per digit); older `CRADLE3:` (base45)
 * payloads in alphanumeric mode (5.5 bits per character); byte mode otherwise (e.g. a bare compact JWS).
 */
export function qrSegments(payload: string): QRCodeSegment[] {
  return qrPayloadSegments(payload);
}

/** Options of {@link renderQrPng}. */
export interface QrPngOptions {
  /** Pixels per module (default 4). */
  scale?: number;
  /** Quiet zone in modules (default 4, as the QR standard asks). */
  margin?: number;
}

/**
 * Render a QR payload as a PNG image (error correction level M).
 *
 * @example
 * ```ts
 * await writeFile('presentation.png', await renderQrPng(qr));
 * ```
 */
export async function renderQrPng(payload: string, options: QrPngOptions = {}): Promise<Uint8Array> {
  const png = await QRCode.toBuffer(qrSegments(payload), {
    type: 'png',
    errorCorrectionLevel: 'M',
    scale: options.scale ?? 4,
    margin: options.margin ?? 4,
  });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
