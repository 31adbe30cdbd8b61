import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from '../src/base64url.js';
import { CradleError } from '../src/errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CradleError ? e.code : 'not a CradleError';
  }
  return undefined;
}

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

describe('utf8', () => {
  it('round-trips non-ASCII text', () => expect(utf8Decode(utf8Encode('Ngozi Adébáyọ̀ 名前'))).toBe('Ngozi Adébáyọ̀ 名前'));
  it('rejects invalid UTF-8 instead of replacing it', () => {
    expect(codeOf(() => utf8Decode(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('MALFORMED');
    expect(codeOf(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80])))).toBe('MALFORMED'); // lone surrogate
  });
});
