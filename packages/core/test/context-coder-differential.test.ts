// The fast context coder against the reference (the coder as CRADLE5 landed, which copied its primed
// state per text: fixtures/context-coder-reference.ts): on many generated texts, written, read, damaged
// and read with wrong lengths, both give exactly the same bytes. The frozen vectors in
// context-coder.test.ts and qr-payload.test.ts pin the format; this pins every path in between.
import { describe, expect, it } from 'vitest';
import { base64UrlEncode, utf8Encode } from '../src/base64url.js';
import { concatBytes } from '../src/codec/bytes.js';
import { contextDecode, contextEncode } from '../src/context-coder.js';
import { QR_DICTIONARY_V4 } from '../src/qr-dictionary.js';
import { frameParts } from '../src/qr-frame.js';
import { contextDecode as referenceDecode, contextEncode as referenceEncode } from './fixtures/context-coder-reference.js';
import { birthCredentialPayload } from './fixtures/credentials.js';

/** A fixed-seed generator of bytes: the same texts on every run. */
function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) >>> 24;
}

const hex = (next: () => number, bytes: number) => Array.from({ length: bytes }, () => next().toString(16).padStart(2, '0')).join('');
const word = (next: () => number) => {
  const syllables = ['ka', 'mi', 'ro', 'wan', 'ji', 'ru', 'a', 'che', 'ng', 'o', 'tie', 'no', 'za', 'li', 'mu'];
  let s = '';
  for (let i = 1 + (next() % 4); i > 0; i--) s += syllables[next() % syllables.length];
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** The CRADLE5 frame body (structure ‖ values) of a generated birth credential: what the coder reads in a check. */
function credentialBody(next: () => number): Uint8Array {
  const payload = birthCredentialPayload();
  const uuid = `urn:uuid:${hex(next, 4)}-${hex(next, 2)}-4${hex(next, 2).slice(1)}-a${hex(next, 2).slice(1)}-${hex(next, 6)}`;
  const subject = payload.credentialSubject as Record<string, unknown>;
  subject.givenName = word(next);
  subject.familyName = word(next);
  subject.birthDate = `20${10 + (next() % 16)}-0${1 + (next() % 9)}-1${next() % 10}`;
  Object.assign(payload, { id: uuid, jti: uuid, iat: 1_790_000_000 + next() * 65_536 + next(), validFrom: `2026-0${1 + (next() % 9)}-2${next() % 10}T1${next() % 10}:00:00Z` });
  const status = payload.credentialStatus as Record<string, unknown>[];
  status[0]!.statusListIndex = String(next() * 256 + next());
  const header = { alg: 'EdDSA', typ: 'vc+jwt', kid: `did:ethr:0x7a69:0x${hex(next, 20)}#delegate-1` };
  const signature = Uint8Array.from({ length: 64 }, next);
  const jws = [utf8Encode(JSON.stringify(header)), utf8Encode(JSON.stringify(payload)), signature].map(base64UrlEncode).join('.');
  const { structure, values } = frameParts(jws, 5);
  return concatBytes([structure, values]);
}

/** Texts of every kind the coder may meet: real frame bodies, dictionary stretches with edits, random and degenerate bytes. */
function generatedTexts(): Uint8Array[] {
  const next = seeded(2026);
  const texts: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x22), new Uint8Array(700).fill(0x41)];
  for (let i = 0; i < 40; i++) texts.push(credentialBody(next));
  for (let i = 0; i < 60; i++) {
    const start = (next() * 37) % (QR_DICTIONARY_V4.length - 1500);
    const text = Uint8Array.from(QR_DICTIONARY_V4.subarray(start, start + 1 + next() * 5));
    for (let j = next() % 40; j > 0; j--) text[(next() * 256 + next()) % text.length] = next();
    texts.push(text);
  }
  for (let i = 0; i < 12; i++) texts.push(Uint8Array.from({ length: 1 + next() * 3 }, next));
  return texts;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('context coder: the fast coder gives exactly the reference coder’s bytes', () => {
  const texts = generatedTexts();

  it('writes every generated text (credential frame bodies, edited dictionary stretches, random bytes) to the same code', () => {
    expect(texts.length).toBe(116);
    const differing = texts.filter((text) => !same(contextEncode(text, QR_DICTIONARY_V4), referenceEncode(text, QR_DICTIONARY_V4)));
    expect(differing).toEqual([]);
  });

  it('reads every code, damaged codes and codes read with the wrong length to the same bytes', () => {
    const next = seeded(99);
    let compared = 0;
    for (const text of texts) {
      const coded = referenceEncode(text, QR_DICTIONARY_V4);
      const damaged = Uint8Array.from(coded.length > 0 ? coded : [0]);
      const at = next() % damaged.length;
      damaged[at] = damaged[at]! ^ (1 + (next() % 255));
      const cases: [Uint8Array, number][] = [
        [coded, text.length],
        [damaged, text.length],
        [coded, text.length + 1 + (next() % 64)],
        [coded.subarray(0, coded.length >> 1), text.length],
      ];
      for (const [input, length] of cases) {
        const fast = contextDecode(input, QR_DICTIONARY_V4, length);
        expect(same(fast, referenceDecode(input, QR_DICTIONARY_V4, length)), `text ${compared >> 2} (${text.length} bytes), read as ${length}`).toBe(true);
        compared++;
      }
      expect(same(contextDecode(coded, QR_DICTIONARY_V4, text.length), text)).toBe(true);
    }
    expect(compared).toBe(texts.length * 4);
  });

  it('agrees with the reference without a primer and with a tiny one (other primed states, other paths)', () => {
    for (const primer of [new Uint8Array(0), utf8Encode('{"a":"b"}')]) {
      for (const text of texts.filter((_, i) => i % 9 === 0)) {
        const coded = contextEncode(text, primer);
        expect(same(coded, referenceEncode(text, primer))).toBe(true);
        expect(same(contextDecode(coded, primer, text.length), referenceDecode(coded, primer, text.length))).toBe(true);
      }
    }
  });
});
