import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../src/strict-json.js';
import { codeOf } from './helpers/code-of.js';

describe('parseStrictJson', () => {
  it('parses ordinary JSON exactly like JSON.parse', () => {
    const samples = ['{"a":1,"b":[1,2,{"c":"d"}],"e":null,"f":true}', '[]', '"x"', '3.5e2', ' { "a" : { "a" : 1 } } ', '{"a\\"b":1,"a\\\\b":2}'];
    for (const s of samples) expect(parseStrictJson(s)).toEqual(JSON.parse(s));
  });
  it('allows the same name in different objects', () => {
    expect(parseStrictJson('{"a":{"a":1},"b":[{"a":1},{"a":2}]}')).toEqual({ a: { a: 1 }, b: [{ a: 1 }, { a: 2 }] });
  });
  it('treats string values that look like names as values', () => {
    expect(parseStrictJson('{"a":"a","b":["a","a"]}')).toEqual({ a: 'a', b: ['a', 'a'] });
  });
  it('rejects duplicate member names at the top level', () => {
    expect(codeOf(() => parseStrictJson('{"alg":"EdDSA","alg":"none"}'))).toBe('MALFORMED');
  });
  it('rejects duplicate member names nested in objects and arrays', () => {
    expect(codeOf(() => parseStrictJson('{"a":{"b":1,"b":2}}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"a":[{"x":1},{"b":1,"c":2,"b":3}]}'))).toBe('MALFORMED');
  });
  it('rejects duplicates hidden behind escapes', () => {
    expect(codeOf(() => parseStrictJson('{"alg":1,"\\u0061lg":2}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"a\\/b":1,"a/b":2}'))).toBe('MALFORMED');
  });
  it('is not confused by brackets, quotes or colons inside strings', () => {
    expect(parseStrictJson('{"x":"a\\"}{[:\\"","y":"\\\\","z":":"}')).toEqual({ x: 'a"}{[:"', y: '\\', z: ':' });
    expect(codeOf(() => parseStrictJson('{"x":"}\\"{","x":1}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"a\\"b":1,"a\\"b":2}'))).toBe('MALFORMED');
  });
  it('checks objects with many members (Set path) for duplicates', () => {
    const members = Array.from({ length: 100 }, (_, i) => `"k${i}":${i}`);
    expect(Object.keys(parseStrictJson(`{${members.join(',')}}`) as object)).toHaveLength(100);
    expect(codeOf(() => parseStrictJson(`{${members.join(',')},"k3":0}`))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson(`{${members.join(',')},"k99":0}`))).toBe('MALFORMED');
    // A big object closing does not leak its names into its sibling.
    expect(parseStrictJson(`[{${members.join(',')}},{${members.join(',')}}]`)).toHaveLength(2);
  });
  it('compares names by their text: same length but different, prefixes, escapes of the same text', () => {
    expect(parseStrictJson('{"ab":1,"ba":2,"abc":3,"a":4,"":5}')).toEqual({ ab: 1, ba: 2, abc: 3, a: 4, '': 5 });
    expect(codeOf(() => parseStrictJson('{"":1,"":2}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"ab":1,"a\u0062":2}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"a\u0062":1,"ab":2}'))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson('{"\u0061\u0062":1,"a\u0062":2}'))).toBe('MALFORMED');
    expect(parseStrictJson('{"a\u0062":1,"ac":2}')).toEqual({ ab: 1, ac: 2 });
    expect(() => parseStrictJson('{"kid":1,"typ":2,"kid":3}')).toThrow('duplicate member name "kid"');
  });
  it('agrees with a reference duplicate finder on 3,000 generated documents (names reused across siblings, depths, escapes)', () => {
    let seed = 12345;
    const next = (k: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
    const NAMES = ['a', 'b', 'ab', 'ba', 'id', 'kid', '\\u0061', 'a\\u0062', '\\"', '__proto__', ''];
    const gen = (depth: number): string => {
      const r = next(depth > 3 ? 2 : 5);
      if (r === 0) return String(next(100));
      if (r === 1) return `"${NAMES[next(NAMES.length)]}"`;
      if (r === 2) return `[${Array.from({ length: next(4) }, () => gen(depth + 1)).join(',')}]`;
      const count = next(r === 4 ? 24 : 5);
      return `{${Array.from({ length: count }, () => `"${NAMES[next(NAMES.length)]}${next(3) === 0 ? next(30) : ''}" : ${gen(depth + 1)}`).join(',')}}`;
    };
    let rejected = 0;
    for (let t = 0; t < 3000; t++) {
      const text = gen(0);
      const expected = hasDuplicate(JSON.parse(text) === undefined ? '' : text);
      expect(codeOf(() => parseStrictJson(text)), text).toBe(expected ? 'MALFORMED' : undefined);
      if (expected) rejected++;
    }
    expect(rejected).toBeGreaterThan(300);
    expect(rejected).toBeLessThan(2700);
  });
  it('rejects duplicates with whitespace before the colon', () => {
    expect(codeOf(() => parseStrictJson('{"a" :1,"a"\n:2}'))).toBe('MALFORMED');
  });
  it('rejects duplicate __proto__ members', () => {
    expect(codeOf(() => parseStrictJson('{"__proto__":1,"__proto__":2}'))).toBe('MALFORMED');
  });
  it('rejects invalid JSON', () => {
    for (const s of ['', '{', '{"a":1,}', "{'a':1}", '{"a":1} x', 'NaN', '{"a":"\\x"}', '{"a\\x":1}', '"unterminated']) {
      expect(codeOf(() => parseStrictJson(s)), s).toBe('MALFORMED');
    }
  });
  it('rejects nesting deeper than maxDepth', () => {
    expect(codeOf(() => parseStrictJson('[[[[1]]]]', { maxDepth: 3 }))).toBe('MALFORMED');
    expect(parseStrictJson('[[[1]]]', { maxDepth: 3 })).toEqual([[[1]]]);
    expect(codeOf(() => parseStrictJson('['.repeat(10_000)))).toBe('MALFORMED');
  });
  it('rejects input over maxBytes (counting UTF-8 bytes) before parsing', () => {
    expect(codeOf(() => parseStrictJson('"' + 'a'.repeat(100) + '"', { maxBytes: 50 }))).toBe('TOO_LARGE');
    expect(codeOf(() => parseStrictJson('"' + 'é'.repeat(30) + '"', { maxBytes: 50 }))).toBe('TOO_LARGE');
    expect(parseStrictJson('"' + 'é'.repeat(20) + '"', { maxBytes: 50 })).toBe('é'.repeat(20));
    expect(codeOf(() => parseStrictJson('{"a":' + '1'.repeat(70_000) + '}'))).toBe('TOO_LARGE');
  });
});

/** Reference: a recursive-descent walk of valid JSON that reports a repeated member name in any object. */
function hasDuplicate(text: string): boolean {
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      let dup = false;
      ws();
      if (text[i] === '}') return i++, false;
      for (;;) {
        ws();
        const name = str();
        if (seen.has(name)) dup = true;
        seen.add(name);
        ws();
        i++; // ':'
        if (value()) dup = true;
        ws();
        if (text[i++] === '}') return dup;
      }
    }
    if (c === '[') {
      i++;
      let dup = false;
      ws();
      if (text[i] === ']') return i++, false;
      for (;;) {
        if (value()) dup = true;
        ws();
        if (text[i++] === ']') return dup;
      }
    }
    if (c === '"') return str(), false;
    while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
    return false;
  };
  return value();
}
