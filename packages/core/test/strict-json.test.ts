import { describe, expect, it } from 'vitest';
import { CradleError } from '../src/errors.js';
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
  // Names are compared where they sit in the text; a name with an escape or a big object sends the document
  // to the full scan (names as strings): documents mixing both, against a reference.
  it('agrees with a reference on 4,000 generated documents with escaped quotes and backslashes, colons, whitespace and depth limits', () => {
    let seed = 987654;
    const next = (k: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
    // Pieces of string content as JSON writes them (each escape whole): escaped quotes and backslashes, colons, brackets.
    const TEXTS = ['a', 'b', '\\"', ':', '\\\\', 'x\\"y', '}{[', '\\u0022', 'a\\u0062', ''];
    const text = (): string => TEXTS[next(TEXTS.length)]!;
    const space = (): string => [' ', '', '', '\n', '\t '][next(5)]!;
    const gen = (depth: number): string => {
      const r = next(depth > 5 ? 3 : 6);
      if (r === 0) return String(next(100));
      if (r === 1 || r === 2) return `"${text()}${text()}"`;
      if (r === 3) return `[${space()}${Array.from({ length: next(4) }, () => gen(depth + 1)).join(`${space()},`)}]`;
      const count = next(5);
      return `{${Array.from({ length: count }, () => `${space()}"${text()}"${space()}:${space()}${gen(depth + 1)}`).join(',')}}`;
    };
    const seen = { accepted: 0, duplicate: 0, deep: 0, escapedQuotesAccepted: 0 };
    for (let t = 0; t < 4000; t++) {
      const doc = gen(0);
      const maxDepth = 3 + next(4);
      const duplicate = hasDuplicate(doc);
      const deep = depthOf(doc) > maxDepth;
      let answer: unknown;
      try {
        answer = parseStrictJson(doc, { maxDepth });
      } catch (e) {
        answer = e;
      }
      if (!duplicate && !deep) {
        expect(answer, doc).toEqual(JSON.parse(doc));
        seen.accepted++;
        if (doc.includes('\\"')) seen.escapedQuotesAccepted++;
        continue;
      }
      expect(answer, doc).toBeInstanceOf(CradleError);
      expect((answer as CradleError).code).toBe('MALFORMED');
      if (duplicate !== deep) expect((answer as CradleError).message, doc).toContain(duplicate ? 'duplicate member name' : 'nested deeper');
      if (duplicate) seen.duplicate++;
      if (deep) seen.deep++;
    }
    // Every kind of document occurs often enough to matter.
    for (const [kind, count] of Object.entries(seen)) expect(count, kind).toBeGreaterThan(200);
  });
  it('rejects a duplicate whose earlier value held more strings than the names it dropped', () => {
    expect(() => parseStrictJson('{"a":["x","y","z"],"a":1}')).toThrow('duplicate member name "a"');
    expect(() => parseStrictJson('{"a":{"b":"c"},"b":"\\"","a":"d"}')).toThrow('duplicate member name "a"');
  });
  it('accepts strings and names with escaped quotes', () => {
    expect(parseStrictJson('{"a\\"":"\\"","b":["\\"\\""]}')).toEqual({ 'a"': '"', b: ['""'] });
  });
  it('an enumerable Object.prototype member hides no duplicate', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'x';
    try {
      expect(codeOf(() => parseStrictJson('{"a":1,"a":2}'))).toBe('MALFORMED');
      expect(codeOf(() => parseStrictJson('{"a":"1","b":{"a":"1","a":"2"}}'))).toBe('MALFORMED');
    } finally {
      delete proto.polluted;
    }
  });
  it('names a duplicate or too deep nesting before the grammar error that follows it, as the scan meets them', () => {
    expect(() => parseStrictJson('{"a":1,"a":2,}')).toThrow('duplicate member name "a"');
    expect(() => parseStrictJson('[[[[1]]]] x', { maxDepth: 3 })).toThrow('nested deeper than the limit of 3');
    expect(() => parseStrictJson('{"a":1,} "a"')).toThrow('invalid JSON:');
  });
  it('judges deep documents when maxDepth allows them (300 levels)', () => {
    const deep = (d: number): string => `${'['.repeat(d)}"x"${']'.repeat(d)}`;
    expect(codeOf(() => parseStrictJson(deep(300), { maxDepth: 1000 }))).toBeUndefined();
    expect(codeOf(() => parseStrictJson(deep(300), { maxDepth: 299 }))).toBe('MALFORMED');
    expect(codeOf(() => parseStrictJson(`${'['.repeat(300)}{"a":1,"a":2}${']'.repeat(300)}`, { maxDepth: 1000 }))).toBe('MALFORMED');
  });
  it('finds a duplicate whatever came before it in the object: plain names, an escaped name, a 17th member', () => {
    const plain = Array.from({ length: 15 }, (_, k) => `"n${k}":${k}`).join(',');
    expect(() => parseStrictJson(`{${plain},"n3":0}`)).toThrow('duplicate member name "n3"');
    expect(() => parseStrictJson(`{${plain},"\\u0078":1,"n3":0}`)).toThrow('duplicate member name "n3"');
    expect(() => parseStrictJson(`{${plain},"x":1,"y":2,"n3":0}`)).toThrow('duplicate member name "n3"');
    expect(() => parseStrictJson(`{"a":{${plain},"x":1,"y":2},"b":{"n3":1},"a":0}`)).toThrow('duplicate member name "a"');
    expect(parseStrictJson(`{${plain},"x":1,"y":2,"\\u006e3a":0}`)).toHaveProperty('n3a', 0);
  });
  it("keeps every open object's names however many are open at once (15 members at each of 20, then 60 levels)", () => {
    const level = (k: number, inner: string): string => `{${Array.from({ length: 14 }, (_, m) => `"m${m}":${m}`).join(',')},"next${k}":${inner}}`;
    const nest = (levels: number, innermost: string): string => Array.from({ length: levels }, (_, k) => k).reduce((inner, k) => level(k, inner), innermost);
    // Each duplicate sits in the outermost object, met after more open names than any document before it had.
    expect(() => parseStrictJson(nest(20, '{"x":1}').replace(/}$/, ',"m0":1}'))).toThrow('duplicate member name "m0"');
    expect(() => parseStrictJson(nest(60, '{"x":1}').replace(/}$/, ',"next59":1}'), { maxDepth: 100 })).toThrow('duplicate member name "next59"');
    expect(codeOf(() => parseStrictJson(nest(60, '{"x":1}'), { maxDepth: 100 }))).toBeUndefined();
  });
  it('a document rejected part-way leaves nothing behind for the next one (the scan reuses its name tables between calls)', () => {
    const big = Array.from({ length: 100 }, (_, k) => `"k${k}":${k}`).join(',');
    // Rejected in the full pass while an object past 16 members (with its Set of names) is open ...
    expect(() => parseStrictJson(`{"o":{${big},"k3":0}}`)).toThrow('duplicate member name "k3"');
    // ... so the next document's object at the same depth starts from no names.
    expect(Object.keys((parseStrictJson(`{"o":{${big}}}`) as { o: object }).o)).toHaveLength(100);
    // The same after a rejection in the plain pass, and after one in the full pass with an escaped name.
    expect(() => parseStrictJson('{"a":{"b":1,"c":2,"b":3}}')).toThrow('duplicate member name "b"');
    expect(parseStrictJson('{"a":{"c":1,"b":2}}')).toEqual({ a: { c: 1, b: 2 } });
    expect(() => parseStrictJson('{"a":{"\u0062":1,"b":3}}')).toThrow('duplicate member name "b"');
    expect(parseStrictJson('{"a":{"\u0062":1,"c":3}}')).toEqual({ a: { b: 1, c: 3 } });
  });
  it('compares names of the same length character by character (differences at the start, middle, end)', () => {
    expect(parseStrictJson('{"abcd":1,"xbcd":2,"abxd":3,"abcx":4,"abc":5,"abcde":6}')).toHaveProperty('abcx', 4);
    for (const name of ['abcd', 'abc', 'abcde', 'xbcd']) {
      expect(() => parseStrictJson(`{"abcd":1,"xbcd":2,"abc":5,"abcde":6,"${name}":0}`)).toThrow(`duplicate member name "${name}"`);
    }
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

/** Nesting depth of valid JSON (containers, outside strings). */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}
