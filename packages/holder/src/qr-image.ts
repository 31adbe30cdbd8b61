import QRCode from 'qrcode';
import type { QRCodeSegment } from 'qrcode';

const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/**
 * The QR segments for a payload: one alphanumeric-mode segment (5.5 bits per character) when the
 * payload fits the QR alphanumeric set, as `CRADLE3:` (and earlier) payloads do by construction (base45); byte mode
 * otherwise (e.g. a bare compact JWS).
 */
export function qrSegments(payload: string): QRCodeSegment[] {
  return QR_ALPHANUMERIC.test(payload) ? [{ data: payload, mode: 'alphanumeric' }] : [{ data: new TextEncoder().encode(payload), mode: 'byte' }];
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
