import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlDecodeText, base64UrlEncode, utf8Decode, utf8Encode } from '../src/base64url.js';
import { CradleError } from '../src/errors.js';
import { codeOf } from './helpers/code-of.js';

describe('base64url', () => {
  it('matches RFC 4648 test vectors (unpadded)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, enc] of vectors) {
      expect(base64UrlEncode(utf8Encode(plain))).toBe(enc);
      expect(utf8Decode(base64UrlDecode(enc))).toBe(plain);
    }
  });
  it('uses the URL-safe alphabet', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
  it('agrees with Node for random inputs of every length remainder', () => {
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      const enc = base64UrlEncode(bytes);
      expect(enc).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64UrlDecode(enc)).toEqual(bytes);
    }
  });
  it('rejects padding', () => expect(codeOf(() => base64UrlDecode('Zg=='))).toBe('JOSE_INVALID'));
  it('rejects the standard alphabet', () => {
    expect(codeOf(() => base64UrlDecode('+/8'))).toBe('JOSE_INVALID');
  });
  it('rejects whitespace and non-ASCII', () => {
    expect(codeOf(() => base64UrlDecode('Zm9v Zg'))).toBe('JOSE_INVALID');
    expect(codeOf(() => base64UrlDecode('Zm9v\n'))).toBe('JOSE_INVALID');
    expect(codeOf(() => base64UrlDecode('Zm9é'))).toBe('JOSE_INVALID');
  });
  it('rejects a bad character at any position, also one whose low 7 bits are in the alphabet (U+0141, U+0100 + "A")', () => {
    for (const bad of ['\u0141', '\u0100', '\u00c1', '=', ' ', '+', '.']) {
      for (let at = 0; at < 11; at++) {
        const text = `${'QUJD'.repeat(3).slice(0, at)}${bad}${'QUJD'.repeat(3).slice(at + 1, 11)}`;
        expect(() => base64UrlDecode(text)).toThrow(`at position ${at}`);
      }
    }
  });
  // Inputs of 128 characters and more (every JWS payload) take Node's native decoder, which alone would
  // accept `+`, `/`, skip whitespace and read U+012B as `+`: the same strict answers are required there.
  it('long inputs: decodes exactly what Node decodes, for every length remainder', () => {
    for (let n = 96; n < 400; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n) & 255);
      const decoded = base64UrlDecode(Buffer.from(bytes).toString('base64url'));
      expect(decoded).toEqual(bytes);
      expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype); // a plain array, not a pooled Buffer
    }
  });
  it('long inputs: each answer is an array of its own, not changed by a later decode (one scratch buffer is reused)', () => {
    const first = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
    const second = Uint8Array.from({ length: 300 }, (_, i) => 255 - (i & 255));
    const a = base64UrlDecode(base64UrlEncode(first));
    const b = base64UrlDecode(base64UrlEncode(second));
    expect(a).toEqual(first);
    expect(b).toEqual(second);
    expect(a.buffer).not.toBe(b.buffer);
  });
  it('long inputs: every character outside the alphabet is rejected at any position, with its position', () => {
    const valid = Buffer.from(Uint8Array.from({ length: 150 }, (_, i) => i)).toString('base64url'); // 200 chars
    const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
    // Every unit below U+0400, and above it every unit whose low byte is an alphabet character, `+` or `/`.
    const units = [...Array.from({ length: 0x400 }, (_, i) => i)];
    for (let high = 0x400; high < 0x10000; high += 0x100) for (const low of [0x2b, 0x2d, 0x2f, 0x41, 0x5f, 0x7a]) units.push(high + low);
    for (const unit of units) {
      const bad = String.fromCharCode(unit);
      if (alphabet.has(bad)) continue;
      const at = [0, 77, 199][unit % 3]!;
      const text = `${valid.slice(0, at)}${bad}${valid.slice(at + 1)}`;
      expect(() => base64UrlDecode(text), `U+${unit.toString(16)} at ${at}`).toThrow(`at position ${at}`);
    }
  });
  it('long inputs: padding, whitespace and a missing character are rejected', () => {
    const valid = Buffer.from(Uint8Array.from({ length: 151 }, (_, i) => i)).toString('base64url'); // 202 chars
    expect(codeOf(() => base64UrlDecode(`${valid}==`))).toBe('JOSE_INVALID');
    expect(codeOf(() => base64UrlDecode(`${valid.slice(0, 100)}\n${valid.slice(101)}`))).toBe('JOSE_INVALID');
    expect(codeOf(() => base64UrlDecode(`${valid.slice(0, 100)}=${valid.slice(101)}`))).toBe('JOSE_INVALID');
    expect(codeOf(() => base64UrlDecode(valid.slice(1)))).toBe('JOSE_INVALID'); // 201 chars: impossible length
  });
  it('long inputs: non-zero trailing bits are rejected', () => {
    for (const n of [151, 152]) {
      const valid = Buffer.from(Uint8Array.from({ length: n }, (_, i) => i)).toString('base64url');
      const last = valid.at(-1)!;
      const tweaked = `${valid.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`; // sets the lowest unused bit
      expect(codeOf(() => base64UrlDecode(tweaked))).toBe('JOSE_INVALID');
    }
  });
  it('rejects impossible lengths', () => expect(codeOf(() => base64UrlDecode('Zm9vY'))).toBe('JOSE_INVALID'));
  it('rejects non-zero trailing bits (non-canonical)', () => {
    expect(codeOf(() => base64UrlDecode('Zh'))).toBe('JOSE_INVALID'); // 'Zg' is canonical
    expect(codeOf(() => base64UrlDecode('Zm9'))).toBe('JOSE_INVALID'); // 'Zm8' is canonical
    expect(codeOf(() => base64UrlDecode('-_9'))).toBe('JOSE_INVALID');
  });
  it('uses the caller-chosen error code', () => {
    expect(codeOf(() => base64UrlDecode('*', 'QR_INVALID'))).toBe('QR_INVALID');
  });
});

describe('base64UrlDecodeText (a JWS header or payload)', () => {
  const answer = (fn: () => string): string => {
    try {
      return `ok:${fn()}`;
    } catch (e) {
      return e instanceof CradleError ? `${e.code}:${e.message}` : 'not a CradleError';
    }
  };
  it('gives exactly the answer of utf8Decode(base64UrlDecode(…)): text, bad base64url, bad UTF-8, short and long', () => {
    const texts = ['{"a":1}', `{"name":"Ngozi Adébáyọ̀ 名前","pad":"${'x'.repeat(300)}"}`, 'y'.repeat(95), 'z'.repeat(96), 'w'.repeat(97)];
    const inputs: string[] = [];
    for (const t of texts) {
      const enc = base64UrlEncode(utf8Encode(t));
      inputs.push(enc, `${enc}=`, `${enc.slice(0, 50)}+${enc.slice(51)}`, `${enc.slice(0, 50)}\u012b${enc.slice(51)}`, `${enc.slice(0, 60)} ${enc.slice(61)}`);
    }
    for (const bytes of [[0xff], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf]]) {
      // invalid UTF-8 (and a BOM, kept) inside an otherwise long, valid base64url text
      inputs.push(base64UrlEncode(new Uint8Array([...utf8Encode('{"a":"'), ...bytes, ...utf8Encode(`${'q'.repeat(200)}"}`)])));
    }
    for (const input of inputs) {
      expect(answer(() => base64UrlDecodeText(input, 'MALFORMED')), input.slice(0, 40)).toBe(answer(() => utf8Decode(base64UrlDecode(input, 'MALFORMED'))));
    }
    // Only the untouched encodings (and the BOM text, which is valid UTF-8 and fails later, in JSON) decode.
    expect(inputs.filter((i) => answer(() => base64UrlDecodeText(i)).startsWith('ok:')).length).toBe(texts.length + 1);
  });
  it('decodes each text whole whatever came before (one scratch buffer is reused): longer, shorter, past 64 KiB', () => {
    const texts = [3000, 200, 97, 5000, 100, 70_000, 150].map((n, k) => `{"k":${k},"v":"${'é名x'.repeat(n).slice(0, n)}"}`);
    for (const t of [...texts, ...texts.reverse()]) expect(base64UrlDecodeText(base64UrlEncode(utf8Encode(t)))).toBe(t);
  });
});

describe('base64url with a platform Buffer that is lenient or lacks base64url', () => {
  const real = Buffer;
  // (Functions with a static `from`, like Buffer: the test runner itself checks `instanceof Buffer`.)
  const fakes: [string, unknown][] = [
    // decodes anything, reading every character outside the alphabet as "A"
    ['lenient', Object.assign(function LenientBuffer() {}, { from: (s: string) => real.from(s.replace(/[^A-Za-z0-9_-]/g, 'A'), 'base64url') })],
    // an old polyfill: no base64url encoding at all
    ['no base64url', Object.assign(function OldBuffer() {}, { from: () => { throw new TypeError('Unknown encoding: base64url'); } })],
    // lenient in both ways in: `from` and `write` into a reused buffer (the path JWS headers and payloads take)
    [
      'lenient write',
      Object.assign(function LenientWriteBuffer() {}, {
        from: (s: string) => real.from(s.replace(/[^A-Za-z0-9_-]/g, 'A'), 'base64url'),
        allocUnsafeSlow: (size: number) => {
          const b = real.allocUnsafeSlow(size);
          b.write = ((s: string, offset: number, encoding: BufferEncoding) => real.prototype.write.call(b, s.replace(/[^A-Za-z0-9_-]/g, 'A'), offset, encoding)) as typeof b.write;
          return b;
        },
      }),
    ],
  ];
  for (const [name, fake] of fakes) {
    it(`${name}: the answers are still the strict ones`, () => {
      const valid = real.from(Uint8Array.from({ length: 150 }, (_, i) => i)).toString('base64url');
      const answers = (): unknown[] => {
        const out: unknown[] = [Array.from(base64UrlDecode(valid))];
        for (const bad of ['.', ' ', '+', '=', '\u012b']) {
          const text = `${valid.slice(0, 99)}${bad}${valid.slice(100)}`;
          for (const decode of [base64UrlDecode, base64UrlDecodeText]) out.push(codeOf(() => decode(text)));
        }
        return out;
      };
      const g = globalThis as { Buffer: unknown };
      g.Buffer = fake; // only for these synchronous calls
      let withFake: unknown[];
      try {
        withFake = answers();
      } finally {
        g.Buffer = real;
      }
      expect(withFake).toEqual([Array.from({ length: 150 }, (_, i) => i), ...Array<string>(10).fill('JOSE_INVALID')]);
    });
  }
});

describe('utf8', () => {
  it('round-trips non-ASCII text', () => expect(utf8Decode(utf8Encode('Ngozi Adébáyọ̀ 名前'))).toBe('Ngozi Adébáyọ̀ 名前'));
  it('rejects invalid UTF-8 instead of replacing it', () => {
    expect(codeOf(() => utf8Decode(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('MALFORMED');
    expect(codeOf(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80])))).toBe('MALFORMED'); // lone surrogate
  });
});
