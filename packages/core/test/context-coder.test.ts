// The context-mixing coder of CRADLE5 QR frames: lossless for any bytes, exactly reproducible (a frozen
// vector), never throwing on damaged input, and cheap for text the primer predicts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contextDecode, contextEncode, primeContextCoder } from '../src/context-coder.js';
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

  it('gives the same output every time (what a text changes in the primed state is undone after it)', () => {
    const text = utf8('"Achieng Otieno Example","passport","KE","AK1234567"');
    const first = contextEncode(text, QR_DICTIONARY_V4);
    contextEncode(utf8('something else entirely, to move any shared state'), QR_DICTIONARY_V4);
    expect(Buffer.from(contextEncode(text, QR_DICTIONARY_V4)).equals(Buffer.from(first))).toBe(true);
  });
});

/** Dictionary-like texts (stretches of the primer with seeded edits) and a few random ones: the same every run. */
function corpus(): Uint8Array[] {
  const next = seeded(21);
  const texts: Uint8Array[] = [];
  for (let i = 0; i < 24; i++) {
    const start = (next() * 31) % (QR_DICTIONARY_V4.length - 1200);
    const text = Uint8Array.from(QR_DICTIONARY_V4.subarray(start, start + 200 + next() * 4));
    for (let j = next() % 24; j > 0; j--) text[(next() * 256 + next()) % text.length] = next();
    texts.push(text);
  }
  for (let i = 0; i < 4; i++) texts.push(Uint8Array.from({ length: 100 + next() }, next));
  return texts;
}

const sha256 = (parts: readonly Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('context coder: the primed state reused in place', () => {
  it('writes and reads, over 28 texts and their damaged codes, exactly what the coder that copied its primed state per text did (digests taken from it)', () => {
    // The digests were computed with the previous implementation (a fresh copy of the 1.6 MB primed
    // state for every text); any change of a single output bit, written or read, changes them.
    const next = seeded(5);
    const written: Uint8Array[] = [];
    const read: Uint8Array[] = [];
    for (const text of corpus()) {
      const coded = contextEncode(text, QR_DICTIONARY_V4);
      written.push(coded);
      const damaged = Uint8Array.from(coded);
      const at = next() % damaged.length;
      damaged[at] = damaged[at]! ^ (1 + (next() % 255));
      read.push(contextDecode(damaged, QR_DICTIONARY_V4, text.length + (next() % 64)));
    }
    expect(sha256(written)).toBe('fe00e7a79726090030eb2932c5867911feee8e44753e4a616306b896c8a570dc');
    expect(sha256(read)).toBe('5c8665b6816a841a8cf3f298c901f7cb2715306099bbbb97adb72cb3a4bc9d33');
  });

  it('codes a text after hundreds of others exactly as on a freshly primed model (every change a text makes is undone)', () => {
    const texts = corpus();
    // Move the shared state as much as possible: every text written and read, damaged input, wrong lengths.
    for (const text of [...texts, ...[...texts].reverse()]) {
      const coded = contextEncode(text, QR_DICTIONARY_V4);
      contextDecode(coded, QR_DICTIONARY_V4, text.length);
      contextDecode(coded.subarray(0, coded.length >> 1), QR_DICTIONARY_V4, text.length + 100);
    }
    for (const text of texts.slice(0, 6)) {
      // A copy of the primer is another primer to the coder: it is learnt from scratch for this text.
      const fresh = Uint8Array.from(QR_DICTIONARY_V4);
      const coded = contextEncode(text, fresh);
      expect(Buffer.from(contextEncode(text, QR_DICTIONARY_V4)).equals(Buffer.from(coded))).toBe(true);
      expect(Buffer.from(contextDecode(coded, QR_DICTIONARY_V4, text.length)).equals(Buffer.from(text))).toBe(true);
    }
  });

  it('a very long text (its undo journal grown past what is kept) leaves the primed state as it found it', () => {
    const long = Uint8Array.from({ length: 40_000 }, (_, i) => QR_DICTIONARY_V4[(i * 7) % QR_DICTIONARY_V4.length]!);
    expect(Buffer.from(contextDecode(contextEncode(long, QR_DICTIONARY_V4), QR_DICTIONARY_V4, long.length)).equals(Buffer.from(long))).toBe(true);
    const text = utf8('{"alg":"EdDSA","typ":"vc+jwt"}"Amani Wanjiru Example"');
    expect(Buffer.from(contextEncode(text, QR_DICTIONARY_V4)).toString('hex')).toBe('00a7bc24e95d42a20f5c48252b4244de7a250aad57d47e32b5cf94');
  });

  it('primeContextCoder learns a primer ahead of its first text, once, and changes no output', () => {
    const primer = Uint8Array.from(QR_DICTIONARY_V4);
    expect(primeContextCoder(primer)).toBe(true);
    expect(primeContextCoder(primer)).toBe(false);
    const text = utf8('{"alg":"EdDSA","typ":"vc+jwt"}"Amani Wanjiru Example"');
    expect(Buffer.from(contextEncode(text, primer)).toString('hex')).toBe('00a7bc24e95d42a20f5c48252b4244de7a250aad57d47e32b5cf94');
    // A primer first met in a text was learnt then: priming it again has nothing to do.
    const other = Uint8Array.from(QR_DICTIONARY_V4);
    contextDecode(Uint8Array.of(1, 2, 3), other, 10);
    expect(primeContextCoder(other)).toBe(false);
  });
});
