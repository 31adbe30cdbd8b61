import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, VARINT_MAX, varintLength } from '../../src/codec/bytes.js';
import { CradleError } from '../../src/errors.js';

const reader = (bytes: number[]) => new ByteReader(Uint8Array.from(bytes), { code: 'MALFORMED', what: 'Test frame' });
const fails = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof CradleError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
};

describe('varint rule: unsigned LEB128, minimal, at most 5 bytes, at most 2^32 - 1', () => {
  it('writes the minimal LEB128 encoding and reads it back', () => {
    for (const n of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, VARINT_MAX]) {
      const bytes = new ByteWriter().varint(n).finish();
      expect(bytes.length).toBe(varintLength(n));
      expect(bytes[bytes.length - 1]! & 0x80).toBe(0);
      const r = new ByteReader(bytes, { code: 'MALFORMED', what: 'x' });
      expect(r.varint()).toBe(n);
      expect(r.done()).toBe(true);
    }
    expect([...new ByteWriter().varint(300).finish()]).toEqual([0xac, 0x02]);
  });

  it('refuses non-minimal encodings (a trailing zero group)', () => {
    expect(fails(() => reader([0x80, 0x00]).varint())).toMatch(/MALFORMED: Test frame has a non-minimal varint at offset 0/);
    expect(fails(() => reader([0x81, 0x80, 0x00]).varint())).toMatch(/non-minimal/);
  });

  it('refuses more than 5 bytes and values over 2^32 - 1', () => {
    expect(fails(() => reader([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).varint())).toMatch(/over-long varint/);
    expect(fails(() => reader([0x80, 0x80, 0x80, 0x80, 0x10]).varint())).toMatch(/over 2\^32 - 1/);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).varint()).toBe(VARINT_MAX);
  });

  it('refuses a truncated varint', () => {
    expect(fails(() => reader([0x80]).varint())).toMatch(/truncated/);
    expect(fails(() => reader([]).varint())).toMatch(/truncated/);
  });

  it('writers refuse values outside the rule', () => {
    for (const bad of [-1, 1.5, VARINT_MAX + 1, Number.NaN]) expect(() => new ByteWriter().varint(bad)).toThrow(RangeError);
  });
});

describe('bounded reads', () => {
  it('a field never runs past the end', () => {
    expect(fails(() => reader([5, 1, 2]).field('header'))).toMatch(/header at offset 1 runs past the end \(5 bytes, 2 left\)/);
  });

  it('an empty field is refused where the format says non-empty', () => {
    expect(fails(() => reader([0]).field('header', { nonEmpty: true }))).toMatch(/empty header/);
    expect(reader([0]).field('header').length).toBe(0);
  });

  it('a count is checked against its range', () => {
    expect(fails(() => reader([17]).varintIn('token count', 1, 16))).toMatch(/token count 17 at offset 0; 1 to 16 allowed/);
  });

  it('trailing bytes are reported', () => {
    const r = reader([1, 2]);
    r.byte();
    expect(fails(() => r.end())).toMatch(/1 trailing bytes/);
  });

  it('fields round-trip', () => {
    const bytes = new ByteWriter().byte(7).field(Uint8Array.of(1, 2, 3)).raw(Uint8Array.of(9)).finish();
    const r = new ByteReader(bytes, { code: 'QR_INVALID', what: 'x' });
    expect(r.byte()).toBe(7);
    expect([...r.field()]).toEqual([1, 2, 3]);
    expect([...r.rest()]).toEqual([9]);
    expect(r.done()).toBe(true);
  });
});
