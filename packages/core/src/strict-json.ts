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
  if (!scanPlainMembers(text, maxDepth)) scanMembers(text, maxDepth);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CradleError('MALFORMED', `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

// Where the member names of the open objects sit in the text: [start, end) pairs, innermost last, and
// where each open container's names begin (-1 for arrays). Reused by every call (the scan never calls out).
let nameBounds = new Int32Array(128);
const openStarts: number[] = [];

/**
 * The member scan of {@link scanMembers} for the common document, without making a string of any member
 * name: names are compared where they sit in the text. Throws the same errors at the same place; returns
 * false, having found nothing wrong so far, when it meets what only the full scan handles (a member name
 * with an escape, an object past SMALL members): the caller then runs the full scan from the start.
 */
function scanPlainMembers(text: string, maxDepth: number): boolean {
  let bounds = nameBounds;
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
      let j = text.indexOf('"', begin);
      if (j < 0) throw unterminated();
      if (nextBackslash < begin) nextBackslash = indexOrEnd(text, '\\', begin);
      const escaped = nextBackslash < j;
      if (escaped) j = endOfEscapedString(text, begin);
      i = j + 1;
      if (depth > 0 && starts[depth - 1]! >= 0) {
        let k = i;
        let d = text.charCodeAt(k);
        while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++k);
        if (d === COLON) {
          const from = starts[depth - 1]!;
          if (escaped || nameCount - from >= SMALL) return false;
          const length = j - begin;
          for (let m = from; m < nameCount; m++) {
            const at = bounds[2 * m]!;
            if (bounds[2 * m + 1]! - at === length && sameText(text, at, begin, length)) throw duplicate(text.slice(begin, j));
          }
          if (2 * nameCount + 2 > bounds.length) {
            const grown = new Int32Array(bounds.length * 2);
            grown.set(bounds);
            nameBounds = bounds = grown;
          }
          bounds[2 * nameCount] = begin;
          bounds[2 * nameCount + 1] = j;
          nameCount++;
          i = k + 1;
        }
      }
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth >= maxDepth) {
        throw new CradleError('MALFORMED', `invalid JSON: nested deeper than the limit of ${maxDepth}`);
      }
      starts[depth] = c === OPEN_OBJ ? nameCount : -1;
      depth++;
      i++;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth > 0) {
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

/** True when the `length` characters at `a` and at `b` in `text` are the same. */
function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let t = 0; t < length; t++) if (text.charCodeAt(a + t) !== text.charCodeAt(b + t)) return false;
  return true;
}

function scanMembers(text: string, maxDepth: number): void {
  // `names[0..nameCount)` holds the member names of all open objects, innermost last;
  // `starts[0..depth)` holds where each open container's names begin (-1 for arrays). Small objects
  // are checked by a linear scan (cheaper than a Set per object); an object past SMALL members gets a
  // Set so an adversarial object with thousands of members stays linear. Plain arrays with explicit
  // counters avoid the cost of push/pop/length truncation in this hot loop.
  const names: string[] = [];
  let nameCount = 0;
  const starts: number[] = [];
  // Sets for the (rare) open objects with more than SMALL members, keyed by depth (made on first need).
  let bigSets: Map<number, Set<string>> | undefined;
  let depth = 0;
  const n = text.length;
  let nextBackslash = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const begin = i + 1;
      let j = text.indexOf('"', begin);
      if (j < 0) throw unterminated();
      // Backslashes are rare: only strings containing one take the slow, escape-aware path.
      if (nextBackslash < begin) nextBackslash = indexOrEnd(text, '\\', begin);
      const escaped = nextBackslash < j;
      if (escaped) j = endOfEscapedString(text, begin);
      i = j + 1;
      if (depth > 0 && starts[depth - 1]! >= 0) {
        let k = i;
        let d = text.charCodeAt(k);
        while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++k);
        if (d === COLON) {
          const name = escaped ? decodeName(text.slice(begin - 1, j + 1)) : text.slice(begin, j);
          const from = starts[depth - 1]!;
          if (nameCount - from < SMALL) {
            for (let m = from; m < nameCount; m++) if (names[m] === name) throw duplicate(name);
          } else {
            bigSets ??= new Map();
            let set = bigSets.get(depth);
            if (set === undefined) {
              set = new Set(names.slice(from, nameCount));
              bigSets.set(depth, set);
            }
            if (set.has(name)) throw duplicate(name);
            set.add(name);
          }
          names[nameCount++] = name;
          i = k + 1;
        }
      }
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth >= maxDepth) {
        throw new CradleError('MALFORMED', `invalid JSON: nested deeper than the limit of ${maxDepth}`);
      }
      starts[depth] = c === OPEN_OBJ ? nameCount : -1;
      depth++;
      i++;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth > 0) {
        if (bigSets !== undefined && bigSets.size > 0) bigSets.delete(depth);
        depth--;
        const from = starts[depth]!;
        if (from >= 0) nameCount = from;
      }
      i++;
    } else {
      i++;
    }
  }
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const k = text.indexOf(needle, from);
  return k < 0 ? text.length : k;
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
