// CRADLE4 atoms: identifiers, keys and times inside JSON values travel as binary, each repeat one
// reference; only runs whose rendering gives back the same text are taken, so any text round-trips.
import { describe, expect, it } from 'vitest';
import { codeOf } from './helpers/code-of.js';
import { utf8Decode, utf8Encode } from '../src/base64url.js';
import { ByteReader, ByteWriter } from '../src/codec/bytes.js';
import { ATOM_ADDRESS, ATOM_DATE, ATOM_DATETIME, ATOM_DECIMAL, ATOM_DID_KEY, ATOM_HEX, ATOM_HEX16, ATOM_KEY, ATOM_RECENT, ATOM_UUID, AtomMemory, atomize, isAtomMarker, renderAtom } from '../src/qr-atoms.js';

const KEY = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const LIST = '5b0c3f1e9a7d42c8b61e0f3a9d2c7b84';

/** Atomize `texts` in order with one memory, as a frame does. */
function encode(texts: string[]): { coded: Uint8Array[]; data: Uint8Array } {
  const memory = new AtomMemory();
  const data = new ByteWriter();
  const coded = texts.map((t) => atomize(utf8Encode(t), memory, data));
  return { coded, data: data.finish() };
}

/** Render coded values back, in order, with one memory; the data must be used up exactly. */
function decode(coded: Uint8Array[], data: Uint8Array): string[] {
  const memory = new AtomMemory();
  const d = new ByteReader(data, { code: 'QR_INVALID', what: 'atom data' });
  const out = coded.map((c) => {
    const v = new ByteReader(c, { code: 'QR_INVALID', what: 'value' });
    let text = '';
    while (!v.done()) {
      const b = v.byte();
      text += isAtomMarker(b) ? renderAtom(b, v, d, memory) : String.fromCharCode(b);
    }
    return text;
  });
  d.end();
  return out;
}

/** The atom markers in a coded value (skipping each marker's reference, and a new hex atom's length). */
function markers(coded: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < coded.length; i++) {
    const b = coded[i]!;
    if (!isAtomMarker(b)) continue;
    found.push(b);
    const ref = coded[++i];
    if (b === ATOM_HEX && ref === 0) i++;
  }
  return found;
}


describe('QR atoms (CRADLE4)', () => {
  it('takes each kind of run and gives back the same text', () => {
    const texts = [
      'urn:uuid:3f0e8a4c-6d1b-4c5e-9a7f-2b8d1e6c4a90',
      `did:key:${KEY}#${KEY}`,
      '2026-11-23T10:00:00Z',
      '2025-03-14',
      `https://registrar.example/status/${LIST}#81234`,
      '1795428000',
      'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      'did:ethr:0x7a69:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed#delegate-1', // EIP-55's own example
      `${LIST}00112233`, // 40 hex digits, not after 0x: plain hex
    ];
    const { coded, data } = encode(texts);
    expect(coded.map(markers)).toEqual([[ATOM_UUID], [ATOM_DID_KEY, ATOM_KEY], [ATOM_DATETIME], [ATOM_DATE], [ATOM_HEX16], [ATOM_DECIMAL], [ATOM_HEX], [ATOM_ADDRESS], [ATOM_HEX]]);
    expect(decode(coded, data)).toEqual(texts);
  });

  it('a repeat costs a reference, not the data again: the key twice in a kid, the same second as date-time and number', () => {
    const { coded, data } = encode([`did:key:${KEY}#${KEY}`, '2026-11-23T10:00:00Z', '1795428000', '1795428000']);
    // 32 bytes of key once; 2026-11-23T10:00:00Z is 1795428000 (sent as its distance from 1700000000:
    // 4 bytes), so the number is a repeat of it.
    expect(data.length).toBe(32 + 4);
    expect([...coded[1]!]).toEqual([ATOM_DATETIME, 0]);
    expect([...coded[2]!]).toEqual([ATOM_DECIMAL, 1]);
    expect(decode(coded, data)).toEqual([`did:key:${KEY}#${KEY}`, '2026-11-23T10:00:00Z', '1795428000', '1795428000']);
  });

  it('leaves text it could not give back exactly, and runs not worth an atom: upper-case hex, other key types, impossible dates, numbers over 2^32 - 1, short numbers', () => {
    const texts = [
      'F39FD6E51AAD88F6F4CE6AB8827279CF', // upper case
      'z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc', // an X25519 key (multicodec 0xec)
      '2026-13-45T99:99:99Z',
      '2026-02-30T00:00:00Z',
      'did:ethr:0x7a69:0x5aaeB6053F3E94C9b9A09f33669435E7Ef1BeAed', // one letter in the wrong case: not EIP-55
      '9999999999',
      '81234',
      'KSM-2025-004217',
    ];
    const { coded, data } = encode(texts);
    expect(coded.map((c) => utf8Decode(c))).toEqual(texts);
    expect(data.length).toBe(0);
  });

  it('keeps an odd-length hex run exact (the last digit stays text)', () => {
    const odd = `${LIST}a`;
    const { coded, data } = encode([odd]);
    expect(markers(coded[0]!)).toEqual([ATOM_HEX16]);
    expect(decode(coded, data)).toEqual([odd]);
  });

  it('sends a new time or date as its distance from the last one (an exp 300 s after its iat: 2 bytes)', () => {
    const { coded, data } = encode(['1795428000', '1795428300', '2025-03-14', '2025-03-21']);
    expect(coded.map(markers)).toEqual([[ATOM_DECIMAL], [ATOM_DECIMAL], [ATOM_DATE], [ATOM_DATE]]);
    // 4 bytes for the first time, 2 for +300 s (zigzag 600), then the first date from 2000-01-01 and +7 days.
    expect(data.length).toBe(4 + 2 + 3 + 1);
    expect(decode(coded, data)).toEqual(['1795428000', '1795428300', '2025-03-14', '2025-03-21']);
  });

  it('remembers the last 16 atoms of each class', () => {
    const lists = Array.from({ length: ATOM_RECENT + 1 }, (_, i) => i.toString(16).padStart(2, '0').repeat(16));
    const { coded, data } = encode([...lists, lists[ATOM_RECENT]!, lists[0]!]);
    expect([...coded[ATOM_RECENT + 1]!]).toEqual([ATOM_HEX16, 1]); // the most recent
    expect(coded[ATOM_RECENT + 2]![1]).toBe(0); // fell out of memory: sent again
    expect(decode(coded, data)).toEqual([...lists, lists[ATOM_RECENT]!, lists[0]!]);
  });

  describe('hostile atoms', () => {
    const render = (value: number[], data: number[]) => () => decode([Uint8Array.from(value)], Uint8Array.from(data));
    it('refuses a reference to an atom never given, an unknown kind, and a hex length under 8', () => {
      expect(codeOf(render([ATOM_UUID, 1], []))).toBe('QR_INVALID');
      expect(codeOf(render([ATOM_HEX, ATOM_RECENT + 1], []))).toBe('QR_INVALID');
      expect(codeOf(render([0x1f, 0], [1]))).toBe('QR_INVALID');
      expect(codeOf(render([ATOM_HEX, 0, 7], [1, 2, 3, 4, 5, 6, 7]))).toBe('QR_INVALID');
    });
    it('refuses atom data cut short, and a date whose year has five digits', () => {
      expect(codeOf(render([ATOM_KEY, 0], new Array<number>(31).fill(1)))).toBe('QR_INVALID');
      expect(codeOf(render([ATOM_DATETIME, 0], [0x80]))).toBe('QR_INVALID');
      // A date is sent as the zigzag of its distance from 2000-01-01 ((2000 * 13 + 1) * 32 + 1).
      const year10000 = new ByteWriter().varint(2 * ((10_000 * 13 + 1) * 32 + 1 - ((2000 * 13 + 1) * 32 + 1))).finish();
      expect(codeOf(render([ATOM_DATE, 0], [...year10000]))).toBe('QR_INVALID');
    });
  });
});
