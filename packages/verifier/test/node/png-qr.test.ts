// PNG decoding is bounded by what the decoder will decode. The adversarial files are built here chunk by
// chunk (length, type, data, CRC-32), not with an encoder, so every header the decoder could see is chosen.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_PNG_DECODE_BYTES, MAX_PNG_PIXELS, MAX_PNG_SIDE, inspectPng, readQrFromPng } from '../../src/node/png-qr.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function ihdr(width: number, height: number, opts: { bitDepth?: number; colorType?: number; interlace?: number } = {}): Uint8Array {
  const d = new Uint8Array(13);
  const view = new DataView(d.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  d[8] = opts.bitDepth ?? 8;
  d[9] = opts.colorType ?? 0;
  d[12] = opts.interlace ?? 0;
  return chunk('IHDR', d);
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function png(...chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat([SIGNATURE, ...chunks]));
}
const idat = (raw: Uint8Array): Uint8Array => chunk('IDAT', deflateSync(raw));
const iend = (): Uint8Array => chunk('IEND', new Uint8Array(0));
/** One 1x1 grey pixel: a filter byte and a sample. */
const tinyImage = (): Uint8Array => idat(new Uint8Array([0, 255]));

describe('PNG decoding is bounded by what the decoder decodes', () => {
  it('a well-formed PNG passes the checks and is decoded (here: no QR code in it); a real QR photo is read in cli/test/checkpoint-e2e', () => {
    const bytes = png(ihdr(1, 1), tinyImage(), iend());
    expect(inspectPng(bytes)).toMatchObject({ width: 1, height: 1, rawBytes: 2 });
    expect(() => readQrFromPng(bytes)).toThrow(expect.objectContaining({ code: 'QR_INVALID', message: expect.stringMatching(/No QR code/) }));
  });

  it('a small file whose second IHDR claims a huge image is refused at once, before any decoding', () => {
    const bytes = png(ihdr(1, 1), ihdr(0x7fffffff, 0x7fffffff, { bitDepth: 16, colorType: 6 }), tinyImage(), iend());
    expect(bytes.length).toBeLessThan(120);
    const started = performance.now();
    expect(() => readQrFromPng(bytes)).toThrow(expect.objectContaining({ code: 'QR_INVALID', message: expect.stringMatching(/more than one image header/) }));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a huge IHDR placed after another chunk (not first) is refused', () => {
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0hi'));
    expect(() => inspectPng(png(text, ihdr(60_000, 60_000), tinyImage(), iend()))).toThrow(
      expect.objectContaining({ code: 'QR_INVALID', message: expect.stringMatching(/not the first chunk/) }),
    );
  });

  it.each([
    ['wider than the side limit', MAX_PNG_SIDE + 1, 1, {}, /per side/],
    ['more pixels than the limit', 5000, 5000, {}, new RegExp(`at most ${MAX_PNG_PIXELS} are read`)],
    ['more decode memory than the limit (16-bit RGBA)', 4000, 4000, { bitDepth: 16, colorType: 6 }, /MiB; the limit is/],
  ] as const)('an image %s is refused as TOO_LARGE', (_what, w, h, opts, message) => {
    const bytes = png(ihdr(w, h, opts), tinyImage(), iend());
    expect(() => readQrFromPng(bytes)).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringMatching(message) }));
  });

  it('the decode-memory estimate is what the bounds check (a 4000x3000 RGB photo fits)', () => {
    const header = inspectPng(png(ihdr(4000, 3000, { colorType: 2 }), tinyImage(), iend()));
    expect(header.decodeBytes).toBeLessThanOrEqual(MAX_PNG_DECODE_BYTES);
    expect(header.rawBytes).toBe(3000 * (1 + 4000 * 3));
  });

  it('an interlaced image whose data inflates past its header (a zlib bomb) is refused before pngjs inflates it unbounded', () => {
    const bomb = chunk('IDAT', deflateSync(new Uint8Array(64 * 1024 * 1024)));
    const bytes = png(ihdr(16, 16, { interlace: 1 }), bomb, iend());
    expect(bytes.length).toBeLessThan(200_000);
    expect(() => readQrFromPng(bytes)).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringMatching(/inflates to more/) }));
  });

  it('a chunk claiming more bytes than the file has, a missing IEND, or garbage are refused as damaged (QR_INVALID)', () => {
    const cut = png(ihdr(1, 1), tinyImage()).subarray(0, 40);
    for (const bytes of [cut, png(ihdr(1, 1), tinyImage()), png(ihdr(1, 1, { colorType: 7 }), tinyImage(), iend()), new Uint8Array([...SIGNATURE, 1, 2, 3])]) {
      expect(() => readQrFromPng(bytes)).toThrow(expect.objectContaining({ code: 'QR_INVALID' }));
    }
  });
});
