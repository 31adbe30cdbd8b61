import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../src/base45.js';
import { codeOf } from './helpers/code-of.js';

const te = new TextEncoder();
const td = new TextDecoder();

describe('base45 (RFC 9285)', () => {
  // RFC 9285 §4.3 and §4.4 examples.
  const vectors: [string, string][] = [
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
    ['', ''],
  ];
  for (const [plain, encoded] of vectors) {
    it(`encodes ${JSON.stringify(plain)} as ${JSON.stringify(encoded)} and back`, () => {
      expect(base45Encode(te.encode(plain))).toBe(encoded);
      expect(td.decode(base45Decode(encoded))).toBe(plain);
    });
  }
  it('round-trips every byte value, odd and even lengths', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const bytes of [all, all.subarray(1), Uint8Array.of(0xff, 0xff), Uint8Array.of(0xff)]) {
      expect(base45Decode(base45Encode(bytes))).toEqual(bytes);
    }
  });
  it('rejects groups worth more than 65535 (e.g. "GGW")', () => {
    expect(codeOf(() => base45Decode('GGW'))).toBe('QR_INVALID');
    expect(codeOf(() => base45Decode(':::'))).toBe('QR_INVALID');
  });
  it('rejects a final pair worth more than 255', () => {
    expect(codeOf(() => base45Decode('BB8:6'))).toBe('QR_INVALID');
  });
  it('rejects lengths of 1 mod 3', () => expect(codeOf(() => base45Decode('BB8A'))).toBe('QR_INVALID'));
  it('rejects characters outside the alphabet (lower case, =, non-ASCII)', () => {
    for (const s of ['bb8', 'BB=', 'BBé']) expect(codeOf(() => base45Decode(s)), s).toBe('QR_INVALID');
  });
});
