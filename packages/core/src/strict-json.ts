import { CradleError } from './errors.js';

/** Options for {@link parseStrictJson}. */
export interface StrictJsonOptions {
  /** Reject input larger than this many UTF-8 bytes, before parsing (default 64 KiB). */
  readonly maxBytes?: number;
  /** Reject nesting of objects/arrays deeper than this (default 32). */
  readonly maxDepth?: number;
}

/** Default `maxBytes` for {@link parseStrictJson}. */
export const STRICT_JSON_DEFAULT_MAX_BYTES = 64 * 1024;
/** Default `maxDepth` for {@link parseStrictJson}. */
export const STRICT_JSON_DEFAULT_MAX_DEPTH = 32;

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const SMALL = 16;

/**
 * Parse untrusted JSON strictly: bounded size and nesting depth, and duplicate member names rejected
 * at every depth (`JSON.parse` silently keeps the last one, which lets two parsers disagree about what
 * was signed). Throws `CradleError('MALFORMED')` (or `TOO_LARGE` for the size limit).
 *
 * A linear pre-scan tracks nesting and member names (compared where they sit in the text; a document with
 * an escaped member name or an object of more than 16 members is scanned again with names as strings);
 * `JSON.parse` (native, fast) then does the grammar check and builds the value. For valid JSON the scanner's tokens are exactly JSON's tokens;
 * for invalid JSON, whatever the scanner concluded, `JSON.parse` rejects it.
 *
 * @example
 * ```ts
 * parseStrictJson('{"a":1}')        // { a: 1 }
 * parseStrictJson('{"a":1,"a":2}')  // throws MALFORMED: duplicate member name "a"
 * ```
 */
export function parseStrictJson(text: string, opts: StrictJsonOptions = {}): unknown {
  const maxBytes = opts.maxBytes ?? STRICT_JSON_DEFAULT_MAX_BYTES;
  const maxDepth = opts.maxDepth ?? STRICT_JSON_DEFAULT_MAX_DEPTH;
  if (typeof text !== 'string') throw new CradleError('MALFORMED', 'JSON input must be a string');
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    throw new CradleError('TOO_LARGE', `JSON input is larger than the limit of ${maxBytes} bytes`);
  }
  if (!scanMembers(text, maxDepth, true)) scanMembers(text, maxDepth, false);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CradleError('MALFORMED', `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

// The member names of the open objects, innermost last: in the plain pass as [start, end) pairs of where
// they sit in the text, in the full pass as strings; where each open container's names begin (-1 for
// arrays); and, in the full pass, a Set for each open object past SMALL members, keyed by depth. Reused by
// every call (the scan never calls out): a pass reads only the entries it wrote itself, except the Sets,
// which a document rejected part-way leaves behind and the full pass therefore clears first.
let nameBounds = new Int32Array(128);
const nameStrings: string[] = [];
const openStarts: number[] = [];
const bigSets = new Map<number, Set<string>>();

/**
 * Check the nesting depth and the member names of every object in one linear pass over the text.
 *
 * The plain pass (`plain` true, the common document) makes no string of any member name: names are
 * compared where they sit in the text. It returns false, having found nothing wrong so far, when it meets
 * what only the full pass handles (a member name with an escape, an object past SMALL members); the caller
 * then runs the full pass from the start, which compares names as decoded strings. Both passes throw the
 * same errors at the same place.
 */
function scanMembers(text: string, maxDepth: number, plain: boolean): boolean {
  if (!plain && bigSets.size > 0) bigSets.clear();
  let nameCount = 0;
  const starts = openStarts;
  let depth = 0;
  const n = text.length;
  let nextBackslash = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const begin = i + 1;
      nextBackslash = backslashFrom(text, begin, nextBackslash);
      const j = stringEnd(text, begin, nextBackslash);
      i = j + 1;
      if (depth > 0 && starts[depth - 1]! >= 0) {
        const k = colonAt(text, i);
        if (k >= 0) {
          const from = starts[depth - 1]!;
          if (plain) {
            if (nextBackslash < j || nameCount - from >= SMALL) return false;
            addPlainName(text, begin, j, from, nameCount);
          } else {
            addName(nextBackslash < j ? decodeName(text.slice(begin - 1, j + 1)) : text.slice(begin, j), from, nameCount, depth);
          }
          nameCount++;
          i = k + 1;
        }
      }
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth >= maxDepth) throw tooDeep(maxDepth);
      starts[depth] = c === OPEN_OBJ ? nameCount : -1;
      depth++;
      i++;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth > 0) {
        if (!plain && bigSets.size > 0) bigSets.delete(depth);
        depth--;
        const from = starts[depth]!;
        if (from >= 0) nameCount = from;
      }
      i++;
    } else {
      i++;
    }
  }
  return true;
}

/**
 * Plain pass: the name at [begin, end) of `text` joins the open object whose names are `from..count` of
 * `nameBounds`, compared where each sits in the text (the caller guarantees fewer than SMALL of them).
 */
function addPlainName(text: string, begin: number, end: number, from: number, count: number): void {
  let bounds = nameBounds;
  const length = end - begin;
  for (let m = from; m < count; m++) {
    const at = bounds[2 * m]!;
    if (bounds[2 * m + 1]! - at === length && sameText(text, at, begin, length)) throw duplicate(text.slice(begin, end));
  }
  if (2 * count + 2 > bounds.length) {
    const grown = new Int32Array(bounds.length * 2);
    grown.set(bounds);
    nameBounds = bounds = grown;
  }
  bounds[2 * count] = begin;
  bounds[2 * count + 1] = end;
}

/** True when the `length` characters at `a` and at `b` in `text` are the same. */
function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let t = 0; t < length; t++) if (text.charCodeAt(a + t) !== text.charCodeAt(b + t)) return false;
  return true;
}

/**
 * Full pass: `name` joins the open object at `depth` whose names are `from..count` of `nameStrings`. Small
 * objects are checked by a linear scan (cheaper than a Set per object); an object past SMALL members gets
 * a Set so an adversarial object with thousands of members stays linear.
 */
function addName(name: string, from: number, count: number, depth: number): void {
  if (count - from < SMALL) {
    for (let m = from; m < count; m++) if (nameStrings[m] === name) throw duplicate(name);
  } else {
    let set = bigSets.get(depth);
    if (set === undefined) {
      set = new Set(nameStrings.slice(from, count));
      bigSets.set(depth, set);
    }
    if (set.has(name)) throw duplicate(name);
    set.add(name);
  }
  nameStrings[count] = name;
}

// The tokenizing, written once for both passes. Each helper is small, monomorphic (a string and small
// integers in, a small integer out) and allocates nothing, so V8 inlines it into the scan loop: the
// verification hot path runs the plain pass on every credential and presentation.

/**
 * Where the next backslash at or after `begin` is (`text.length` when there is none), given the last one
 * found. Backslashes are rare: one search serves every string up to it, and only a string containing one
 * takes the slow, escape-aware path of {@link stringEnd}.
 */
function backslashFrom(text: string, begin: number, nextBackslash: number): number {
  if (nextBackslash >= begin) return nextBackslash;
  const k = text.indexOf('\\', begin);
  return k < 0 ? text.length : k;
}

/**
 * The index of the quote that closes the string whose content starts at `begin`, given where the next
 * backslash at or after `begin` is (from {@link backslashFrom}). The string has an escape exactly when
 * `nextBackslash` is before the returned index.
 */
function stringEnd(text: string, begin: number, nextBackslash: number): number {
  const j = text.indexOf('"', begin);
  if (j < 0) throw unterminated();
  return nextBackslash < j ? endOfEscapedString(text, begin) : j;
}

/** The index of the colon after JSON whitespace from `i` (the string before it is a member name), or -1. */
function colonAt(text: string, i: number): number {
  let d = text.charCodeAt(i);
  while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++i);
  return d === COLON ? i : -1;
}

function endOfEscapedString(text: string, begin: number): number {
  const n = text.length;
  let j = begin;
  for (;;) {
    if (j >= n) throw unterminated();
    const d = text.charCodeAt(j);
    if (d === QUOTE) return j;
    j += d === BACKSLASH ? 2 : 1;
  }
}

function tooDeep(maxDepth: number): CradleError {
  return new CradleError('MALFORMED', `invalid JSON: nested deeper than the limit of ${maxDepth}`);
}

function unterminated(): CradleError {
  return new CradleError('MALFORMED', 'invalid JSON: unterminated string');
}

function duplicate(name: string): CradleError {
  return new CradleError('MALFORMED', `invalid JSON: duplicate member name ${JSON.stringify(name.slice(0, 64))}`);
}

function decodeName(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch (cause) {
    throw new CradleError('MALFORMED', 'invalid JSON: bad escape in member name', { cause });
  }
}

function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else bytes += 3;
  }
  return bytes;
}
