import jsQRImport from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrLumaFrame, qrVideoY4m } from './e2e/y4m.js';

type JsQR = typeof jsQRImport.default;
const jsQR: JsQR = typeof jsQRImport === 'function' ? (jsQRImport as unknown as JsQR) : jsQRImport.default;

function decode(luma: Uint8Array, width: number, height: number): string | undefined {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < luma.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = luma[i]!;
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, width, height)?.data;
}

// The fake camera of the browser tests: if these frames did not decode, a camera test could not pass.
describe('fake camera video (Y4M)', () => {
  const text = `CRADLE1:${'ABC123 $%*+-./:'.repeat(20)}`;

  it('writes a YUV4MPEG2 4:2:0 header and whole frames', () => {
    const video = qrVideoY4m(text, { width: 320, height: 240, fps: 5, leadInFrames: 1, qrFrames: 2 });
    const header = 'YUV4MPEG2 W320 H240 F5:1 Ip A1:1 C420jpeg\n';
    expect(new TextDecoder().decode(video.subarray(0, header.length))).toBe(header);
    expect(video.length).toBe(header.length + 3 * ('FRAME\n'.length + 320 * 240 * 1.5));
  });

  it('shows a QR code that decodes to the text, and lead-in frames that do not', () => {
    expect(decode(qrLumaFrame(text, 480, 480), 480, 480)).toBe(text);
    expect(decode(qrLumaFrame(text, 480, 480, true), 480, 480)).toBeUndefined();
  });

  it('refuses odd dimensions and codes too dense for the frame', () => {
    expect(() => qrVideoY4m(text, { width: 321, height: 240 })).toThrow(RangeError);
    expect(() => qrLumaFrame('x'.repeat(2000), 120, 120)).toThrow(/does not fit/);
  });
});
