import { toString as qrToString } from 'qrcode';

/**
 * Renders `text` as an SVG QR code string (no canvas needed; scales crisply on any screen).
 * @example container.innerHTML = await renderQrSvg('{"nonce":"…","domain":"…"}');
 */
export function renderQrSvg(text: string): Promise<string> {
  return qrToString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
