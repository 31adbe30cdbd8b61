import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { MAX_PNG_SIDE, readQrCodesFromImage } from '../../src/node/index.js';

/** A white RGBA canvas with QR codes drawn at the given module positions (4 px per module). */
function page(codes: { text: string; x: number; y: number }[], width = 900, height = 500): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height * 4, 255);
  for (const c of codes) {
    const qr = QRCode.create(c.text, { errorCorrectionLevel: 'Q' });
    const n = qr.modules.size;
    for (let r = 0; r < n; r++) {
      for (let col = 0; col < n; col++) {
        if (!qr.modules.get(r, col)) continue;
        for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) data.fill(0, ((c.y + r * 4 + dy) * width + c.x + col * 4 + dx) * 4, ((c.y + r * 4 + dy) * width + c.x + col * 4 + dx) * 4 + 3);
      }
    }
  }
  return { data, width, height };
}

const png = (img: { data: Buffer; width: number; height: number }): Uint8Array => {
  const p = new PNG({ width: img.width, height: img.height });
  img.data.copy(p.data);
  return new Uint8Array(PNG.sync.write(p));
};

describe('readQrCodesFromImage: every code in a photo of a certificate', () => {
  const two = page([
    { text: 'CRADLE2:FIRST SEAL 0123456789', x: 40, y: 60 },
    { text: 'CRADLE2:SECOND SEAL 9876543210', x: 480, y: 60 },
  ]);

  it('reads both seals side by side from one PNG and one JPEG', async () => {
    expect((await readQrCodesFromImage(png(two))).sort()).toEqual(['CRADLE2:FIRST SEAL 0123456789', 'CRADLE2:SECOND SEAL 9876543210']);
    const jpg = new Uint8Array(jpeg.encode(two, 80).data);
    expect((await readQrCodesFromImage(jpg)).sort()).toEqual(['CRADLE2:FIRST SEAL 0123456789', 'CRADLE2:SECOND SEAL 9876543210']);
  });

  it('an image without a code, or that is not an image, is QR_INVALID with what to do', async () => {
    await expect(readQrCodesFromImage(png(page([])))).rejects.toMatchObject({ code: 'QR_INVALID', message: expect.stringContaining('whole page') });
    await expect(readQrCodesFromImage(new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'QR_INVALID' });
  });

  it('a JPEG declaring a huge frame is refused from its header, before any decoding (TOO_LARGE)', async () => {
    const small = new Uint8Array(jpeg.encode({ data: Buffer.alloc(16 * 16 * 4, 255), width: 16, height: 16 }, 80).data);
    // Rewrite the SOF0 frame size to 60000 x 60000: a decoder trusting it would allocate ~14 GB.
    const sof = small.findIndex((b, i) => b === 0xff && small[i + 1] === 0xc0);
    const bomb = small.slice();
    bomb.set([0xea, 0x60, 0xea, 0x60], sof + 5);
    await expect(readQrCodesFromImage(bomb)).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining(`${MAX_PNG_SIDE} per side`) });
  });

  it('a truncated JPEG is QR_INVALID, not a crash', async () => {
    const jpg = new Uint8Array(jpeg.encode(two, 80).data);
    await expect(readQrCodesFromImage(jpg.subarray(0, 400))).rejects.toMatchObject({ code: 'QR_INVALID' });
  });
});
