// The context-mixing coder of CRADLE5 QR frames: lossless for any bytes, exactly reproducible (a frozen
// vector), never throwing on damaged input, and cheap for text the primer predicts.
import { describe, expect, it } from 'vitest';
import { contextDecode, contextEncode } from '../src/context-coder.js';
import { QR_DICTIONARY_V4 } from '../src/qr-dictionary.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A fixed-seed generator: the same bytes on every run. */
function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) >>> 24;
}

function roundTrip(text: Uint8Array, primer: Uint8Array): Uint8Array {
  const coded = contextEncode(text, primer);
  expect(Buffer.from(contextDecode(coded, primer, text.length)).equals(Buffer.from(text))).toBe(true);
  return coded;
}

describe('context coder', () => {
  it('round-trips any bytes, with or without a primer: empty, one byte, random, long repeats, the primer itself', () => {
    const next = seeded(7);
    const texts = [
      new Uint8Array(0),
      Uint8Array.of(0),
      Uint8Array.of(255),
      Uint8Array.from({ length: 3000 }, next),
      new Uint8Array(5000).fill(0x41),
      utf8('abc'.repeat(700)),
      QR_DICTIONARY_V4,
      QR_DICTIONARY_V4.subarray(1000, 3000),
    ];
    for (const primer of [QR_DICTIONARY_V4, new Uint8Array(0), utf8('x')]) {
      for (const text of texts) roundTrip(text, primer);
    }
  });

  it('writes exactly the frozen bytes (encoder and decoder must agree in every engine, forever, under CRADLE5)', () => {
    const text = utf8('{"alg":"EdDSA","typ":"vc+jwt"}"Amani Wanjiru Example"');
    expect(Buffer.from(roundTrip(text, QR_DICTIONARY_V4)).toString('hex')).toBe('00a7bc24e95d42a20f5c48252b4244de7a250aad57d47e32b5cf94');
    expect(Buffer.from(roundTrip(text, new Uint8Array(0))).toString('hex')).toBe(
      '8c4316855512c76cf4d713816a4611892c1c23a18a8e8fde5021d95c1024a5d9a3f488ba929368b1a45954b9af63eb26',
    );
  });

  it('spends few bits on what the primer predicts and about 8 per byte on random bytes', () => {
    // A stretch of the dictionary costs a small fraction of its size; random bytes cannot be compressed.
    const known = QR_DICTIONARY_V4.subarray(2000, 4000);
    expect(contextEncode(known, QR_DICTIONARY_V4).length).toBeLessThan(known.length / 20);
    const random = Uint8Array.from({ length: 2000 }, seeded(11));
    expect(contextEncode(random, QR_DICTIONARY_V4).length).toBeLessThan(random.length * 1.05);
  });

  it('decodes damaged or arbitrary input to the requested number of bytes without throwing', () => {
    const text = QR_DICTIONARY_V4.subarray(500, 1500);
    const coded = contextEncode(text, QR_DICTIONARY_V4);
    const next = seeded(3);
    for (let i = 0; i < 50; i++) {
      const damaged = Uint8Array.from(coded);
      damaged[next() % damaged.length] = next();
      expect(contextDecode(damaged, QR_DICTIONARY_V4, text.length)).toHaveLength(text.length);
    }
    for (const input of [new Uint8Array(0), Uint8Array.of(0xff, 0xff), Uint8Array.from({ length: 64 }, next)]) {
      expect(contextDecode(input, QR_DICTIONARY_V4, 300)).toHaveLength(300);
    }
  });

  it('gives the same output every time (the primed state is copied, never shared between texts)', () => {
    const text = utf8('"Achieng Otieno Example","passport","KE","AK1234567"');
    const first = contextEncode(text, QR_DICTIONARY_V4);
    contextEncode(utf8('something else entirely, to move any shared state'), QR_DICTIONARY_V4);
    expect(Buffer.from(contextEncode(text, QR_DICTIONARY_V4)).equals(Buffer.from(first))).toBe(true);
  });
});
