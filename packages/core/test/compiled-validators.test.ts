import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deepEqual, ucs2length } from '../src/schemas/validator-runtime.js';
import { COMPILED_VALIDATORS_URL, generateValidatorsSource } from '../scripts/compile-validators.js';

describe('precompiled claim validators', () => {
  it('compiled-validators.ts is current with the schemas (regenerate with compile-validators.ts --write)', () => {
    expect(readFileSync(COMPILED_VALIDATORS_URL, 'utf8')).toBe(generateValidatorsSource());
  });
  it('needs no eval at runtime: the module contains no new Function or require', () => {
    const src = readFileSync(COMPILED_VALIDATORS_URL, 'utf8');
    expect(src).not.toMatch(/new Function|\beval\(|require\(/);
  });
});

describe('validator runtime helpers', () => {
  it('ucs2length counts code points, not UTF-16 units', () => {
    expect(ucs2length('abc')).toBe(3);
    expect(ucs2length('😀😀')).toBe(2);
    expect(ucs2length('\ud800x')).toBe(2); // lone surrogate counts as one
  });
  it('deepEqual compares JSON values structurally', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ role: 'mother', reference: 'x' }, { reference: 'x', role: 'mother' })).toBe(true);
  });
});
