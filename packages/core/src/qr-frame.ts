import { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_FIXED, deflateRaw } from 'pako';
import { base64UrlDecode, base64UrlEncode, utf8Encode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { ByteReader, ByteWriter, concatBytes } from './codec/bytes.js';
import { contextDecode, contextEncode } from './context-coder.js';
import { CradleError } from './errors.js';
import { AtomMemory, atomize, isAtomMarker, renderAtom } from './qr-atoms.js';

/**
 * Frame versions this module writes and reads: `CRADLE3:`, `CRADLE4:` (version 3 plus atoms) and
 * `CRADLE5:` (version 4 with the body compressed by the primed context-mixing coder instead of DEFLATE).
 */
export type QrFrameVersion = 3 | 4 | 5;

/**
 * The `CRADLE3:` and `CRADLE4:` frames (docs/formats.md, "QR payload"): a compact JWS, and the compact
 * JWSs embedded in its payload (the enveloped credentials of a presentation), as
 *
 * `varint |tail| ‖ tail ‖ rawDEFLATE_dict(structure ‖ values)`
 *
 * - **tail**: the raw signatures, outside DEFLATE (random bytes cost more than 8 bits each inside a
 *   text-tuned DEFLATE block); in version 4 followed by the data of the values' atoms (`qr-atoms.ts`).
 * - **structure**: `varint tokenCount`, then per token, for header and payload, a kind byte (`0x00` raw:
 *   `field bytes`; `0x01` JSON: `field shape`), then `varint |signature|`. A JSON segment's *shape* is its
 *   text with every string literal in value position replaced by `0x01` and every number by `0x02`; keys
 *   and punctuation stay. Shapes of Cradle's credentials sit in the preset dictionary, so they cost a few
 *   bytes.
 * - **values**: the string values (inner JSON text, escapes kept) and numbers, in document order, each as
 *   `varint h`: `h < 8` repeats the h-th most recently used distinct value (move to front), otherwise
 *   `h - 8` bytes follow. Inside a string value, `0x00` stands for the next embedded compact JWS (tokens
 *   are numbered in the order their markers appear; each token's markers name later tokens only).
 *
 * - **version 4** only: inside values, identifiers, keys and times are **atoms** (`qr-atoms.ts`): a marker
 *   and a reference in the value, their binary data in the tail; a JSON segment holding a byte the
 *   markers use (a raw control character, which valid JSON never has) travels raw.
 *
 * - **version 5**: the version 4 frame with a different compressor for the body:
 *   `varint |tail| ‖ tail ‖ varint |body| ‖ contextCoded(structure ‖ values)` (`context-coder.ts`, its
 *   models primed with the same dictionary); no DEFLATE.
 *
 * Lossless by construction: the shape with its values put back is the segment, byte for byte.
 */
const KIND_RAW = 0x00;
const KIND_JSON = 0x01;
const STRING = 0x01;
const NUMBER = 0x02;
const EMBED = 0x00;
const REPEAT_SLOTS = 8;
/** Outer token plus at most 16 embedded ones. */
export const QR_V3_MAX_TOKENS = 17;

/** An embedded compact JWS: three base64url runs; the lookbehind keeps matching linear (see qr-payload.ts). */
const EMBEDDED_JWS = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;

/**
 * The body (structure ‖ values, before DEFLATE) and the tail (signatures, then version 4's atom data) of
 * a compact JWS. Exposed so the preset dictionaries can be derived from a template presentation.
 */
export function frameParts(jws: string, version: QrFrameVersion): { structure: Uint8Array; values: Uint8Array; tail: Uint8Array } {
  const tokens: string[] = [jws];
  const atoms = version >= 4 ? { memory: new AtomMemory(), data: new ByteWriter(), byKey: new Map<string, Uint8Array>() } : undefined;
  const structure = new ByteWriter();
  const tokenParts: Uint8Array[] = [];
  const values = new ByteWriter();
  const recent: Uint8Array[] = [];
  const signatures: Uint8Array[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const [h, p, s] = splitCompact(tokens[t]!);
    const w = new ByteWriter();
    for (const segment of [h, p]) {
      const raw = base64UrlDecode(segment, 'QR_INVALID');
      const split = splitJsonText(raw);
      // Version 4 values end at their closing quote and use bytes below 0x20 as codes: a segment with a
      // raw control byte in a value (never in valid JSON) travels raw.
      if (split === undefined || (atoms !== undefined && split.values.some((v) => v.some((b) => b < 0x20)))) {
        w.byte(KIND_RAW).field(raw);
        continue;
      }
      w.byte(KIND_JSON).field(split.shape);
      const keys = atoms === undefined ? [] : shapeKeys(split.shape);
      split.values.forEach((value, k) => {
        if (atoms === undefined) putValue(values, recent, liftEmbedded(value, tokens));
        else putValueV4(values, recent, liftEmbedded(value, tokens), atoms, keys[k]!);
      });
    }
    const signature = base64UrlDecode(s, 'QR_INVALID');
    w.varint(signature.length);
    signatures.push(signature);
    tokenParts.push(w.finish());
  }
  structure.varint(tokens.length);
  for (const part of tokenParts) structure.raw(part);
  if (atoms !== undefined) signatures.push(atoms.data.finish());
  return { structure: structure.finish(), values: values.finish(), tail: concatBytes(signatures) };
}

/**
 * DEFLATE strategies tried on version 4 bodies, the smallest kept: a payload of a few hundred bytes often
 * costs less with the fixed Huffman codes than with a dynamic block's code tables. Any raw DEFLATE
 * stream reads the same, so the choice is the writer's alone.
 */
const V4_STRATEGIES = [Z_DEFAULT_STRATEGY, Z_FIXED, Z_FILTERED] as const;

/** The frame of a compact JWS (before its text encoding), compressed against (or, version 5, primed with) `dictionary`. */
export function encodeFrame(jws: string, dictionary: Uint8Array, version: QrFrameVersion): Uint8Array {
  const { structure, values, tail } = frameParts(jws, version);
  const body = concatBytes([structure, values]);
  if (version === 5) return new ByteWriter().field(tail).varint(body.length).raw(contextEncode(body, dictionary)).finish();
  let deflated: Uint8Array | undefined;
  for (const strategy of version === 4 ? V4_STRATEGIES : [Z_DEFAULT_STRATEGY]) {
    const candidate = deflateRaw(body, { level: 9, memLevel: 9, dictionary, strategy });
    if (deflated === undefined || candidate.length < deflated.length) deflated = candidate;
  }
  return new ByteWriter().field(tail).raw(deflated!).finish();
}

/**
 * Rebuild the compact JWS from a `CRADLE3:`, `CRADLE4:` or `CRADLE5:` frame. Everything is bounded by `maxBytes`
 * (decompression, the rebuilt segments, the token); malformed input throws `CradleError` `QR_INVALID`,
 * a too-large one `TOO_LARGE` or `DECOMPRESSION_LIMIT`.
 */
export function decodeFrame(frame: Uint8Array, dictionary: Uint8Array, maxBytes: number, version: QrFrameVersion): string {
  const outer = new ByteReader(frame, { code: 'QR_INVALID', what: 'QR payload' });
  const tail = new ByteReader(outer.field('signature block'), { code: 'QR_INVALID', what: 'QR payload signature block' });
  let body: Uint8Array;
  if (version === 5) {
    // The body is never longer than the token it rebuilds (shapes and values are the token's JSON, with
    // atoms and repeats shorter than their text): a longer one is refused before any decoding work.
    const length = outer.varint();
    if (length > maxBytes) throw new CradleError('TOO_LARGE', `QR payload: a ${length}-byte frame body exceeds the ${maxBytes}-byte limit`);
    body = contextDecode(outer.rest(), dictionary, length);
  } else {
    body = inflateBounded(outer.rest(), { format: 'raw', maxOutputBytes: maxBytes, code: 'QR_INVALID', dictionary });
  }
  const r = new ByteReader(body, { code: 'QR_INVALID', what: 'QR payload' });
  const count = r.varintIn('token count', 1, QR_V3_MAX_TOKENS);
  const tokens: { segments: { kind: number; bytes: Uint8Array }[]; signatureLength: number }[] = [];
  for (let t = 0; t < count; t++) {
    const segments: { kind: number; bytes: Uint8Array }[] = [];
    for (const name of ['header', 'payload']) {
      const kind = r.byte();
      if (kind !== KIND_RAW && kind !== KIND_JSON) throw new CradleError('QR_INVALID', `QR payload: unknown ${name} kind ${kind}`);
      segments.push({ kind, bytes: r.field(name === 'header' ? 'header' : 'payload', { nonEmpty: true }) });
    }
    tokens.push({ segments, signatureLength: r.varintIn('signature length', 1, 1024) });
  }
  const signatures = tokens.map((tok) => tail.bytes(tok.signatureLength, 'signature'));
  // Version 4: the atoms' data follow the signatures in the tail.
  const atoms = version >= 4 ? { memory: new AtomMemory(), data: tail, byKey: new Map<string, Uint8Array>() } : undefined;
  // Values follow the structure; rebuild every segment, keeping embedded-token markers as references.
  const budget = { left: maxBytes };
  const recent: Uint8Array[] = [];
  let nextRef = 1;
  const built: { pieces: (Uint8Array | number)[] }[][] = [];
  for (let t = 0; t < count; t++) {
    const segs = tokens[t]!.segments.map((seg) => {
      if (seg.kind === KIND_RAW) return { pieces: [spend(budget, seg.bytes)] as (Uint8Array | number)[] };
      const pieces: (Uint8Array | number)[] = [];
      let last = 0;
      const shape = seg.bytes;
      const keys = atoms === undefined ? [] : shapeKeys(shape);
      let n = 0;
      for (let i = 0; i < shape.length; i++) {
        const b = shape[i];
        if (b !== STRING && b !== NUMBER) continue;
        pieces.push(spend(budget, shape.subarray(last, i)));
        const value = atoms === undefined ? getValue(r, recent) : getValueV4(r, recent, atoms, budget, keys[n++]!);
        if (b === NUMBER) {
          pieces.push(spend(budget, value));
        } else {
          pieces.push(spend(budget, QUOTE));
          let from = 0;
          for (let k = 0; k < value.length; k++) {
            if (value[k] !== EMBED) continue;
            pieces.push(spend(budget, value.subarray(from, k)));
            if (nextRef >= count) throw new CradleError('QR_INVALID', 'QR payload: more embedded-token markers than tokens');
            if (nextRef <= t) throw new CradleError('QR_INVALID', 'QR payload: an embedded token refers back to its container');
            pieces.push(nextRef++);
            from = k + 1;
          }
          pieces.push(spend(budget, value.subarray(from)), spend(budget, QUOTE));
        }
        last = i + 1;
      }
      pieces.push(spend(budget, shape.subarray(last)));
      return { pieces };
    });
    built.push(segs);
  }
  r.end();
  if (nextRef !== count) throw new CradleError('QR_INVALID', `QR payload: ${count - 1} embedded tokens but ${nextRef - 1} markers`);
  tail.end();
  // Resolve from the last token to the first: a token's markers only name later tokens.
  const compact: string[] = new Array<string>(count);
  for (let t = count - 1; t >= 0; t--) {
    const [header, payload] = built[t]!.map((seg) =>
      concatBytes(seg.pieces.map((piece) => (typeof piece === 'number' ? utf8Encode(compact[piece]!) : piece))),
    ) as [Uint8Array, Uint8Array];
    compact[t] = `${base64UrlEncode(header)}.${base64UrlEncode(payload)}.${base64UrlEncode(signatures[t]!)}`;
    if (compact[t]!.length > maxBytes) throw new CradleError('TOO_LARGE', `token is over ${maxBytes} bytes`);
  }
  return compact[0]!;
}

const QUOTE = Uint8Array.of(0x22);

function spend(budget: { left: number }, bytes: Uint8Array): Uint8Array {
  budget.left -= bytes.length;
  if (budget.left < 0) throw new CradleError('TOO_LARGE', 'QR payload: the rebuilt token exceeds the size limit');
  return bytes;
}

function splitCompact(jws: string): [string, string, string] {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((x) => x.length === 0)) throw new CradleError('QR_INVALID', 'encodeQrPayload: not a compact JWS');
  return parts as [string, string, string];
}

/**
 * Split JSON text lexically into its shape and its values (see the frame description). Undefined when
 * the text holds a raw control byte the shape reserves, or an unterminated string: such a segment
 * travels raw.
 */
export function splitJsonText(bytes: Uint8Array): { shape: Uint8Array; values: Uint8Array[] } | undefined {
  if (bytes.includes(STRING) || bytes.includes(NUMBER) || bytes.includes(EMBED)) return undefined;
  const shape: number[] = [];
  const values: Uint8Array[] = [];
  let prev = 0; // last significant byte outside strings
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c === 0x22) {
      let j = i + 1;
      while (j < bytes.length && bytes[j] !== 0x22) j += bytes[j] === 0x5c ? 2 : 1;
      if (j >= bytes.length) return undefined;
      let k = j + 1;
      while (k < bytes.length && isSpace(bytes[k]!)) k++;
      if (bytes[k] === 0x3a) {
        for (let x = i; x <= j; x++) shape.push(bytes[x]!);
      } else {
        shape.push(STRING);
        values.push(bytes.subarray(i + 1, j));
      }
      prev = 0x22;
      i = j + 1;
      continue;
    }
    if ((c === 0x2d || (c >= 0x30 && c <= 0x39)) && (prev === 0x3a || prev === 0x5b || prev === 0x2c)) {
      let j = i + 1;
      while (j < bytes.length && isNumberByte(bytes[j]!)) j++;
      shape.push(NUMBER);
      values.push(bytes.subarray(i, j));
      prev = 0x30;
      i = j;
      continue;
    }
    if (!isSpace(c)) prev = c;
    shape.push(c);
    i++;
  }
  return { shape: Uint8Array.from(shape), values };
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isNumberByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b || b === 0x2d;
}

/** Replace canonical compact JWS inside a string value by 0x00 markers, appending them to `tokens`. */
function liftEmbedded(value: Uint8Array, tokens: string[]): Uint8Array {
  if (tokens.length >= QR_V3_MAX_TOKENS || value.length < 34) return value;
  let text = '';
  for (let i = 0; i < value.length; i += 8192) text += String.fromCharCode(...value.subarray(i, i + 8192));
  let changed = false;
  const out = text.replace(EMBEDDED_JWS, (m) => {
    if (tokens.length >= QR_V3_MAX_TOKENS) return m;
    try {
      for (const seg of m.split('.')) base64UrlDecode(seg, 'QR_INVALID');
    } catch {
      return m; // not canonical base64url: it stays in the value, byte for byte
    }
    tokens.push(m);
    changed = true;
    return '\u0000';
  });
  if (!changed) return value;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // A plain loop: TypedArray#every with a callback is several times slower, and this runs per value read.
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Version 4's atom state while writing: the repeat memory and the tail bytes of new atoms. */
interface AtomWriter {
  memory: AtomMemory;
  data: ByteWriter;
  /** The last value of each member name (see {@link shapeKeys}). */
  byKey: Map<string, Uint8Array>;
}

/** Version 4's atom state while reading: the repeat memory and the tail, after the signatures. */
interface AtomReader {
  memory: AtomMemory;
  data: ByteReader;
  byKey: Map<string, Uint8Array>;
}

function putValue(w: ByteWriter, recent: Uint8Array[], value: Uint8Array): void {
  const at = recent.findIndex((r) => sameBytes(r, value));
  if (at >= 0 && at < REPEAT_SLOTS) {
    w.varint(at);
    recent.splice(at, 1);
  } else {
    if (at >= 0) recent.splice(at, 1);
    w.varint(value.length + REPEAT_SLOTS).raw(value);
  }
  recent.unshift(value);
  if (recent.length > REPEAT_SLOTS) recent.length = REPEAT_SLOTS;
}

function getValue(r: ByteReader, recent: Uint8Array[]): Uint8Array {
  const h = r.varint();
  let value: Uint8Array;
  if (h < REPEAT_SLOTS) {
    const v = recent[h];
    if (v === undefined) throw new CradleError('QR_INVALID', `QR payload: repeat of value ${h}, which was never given`);
    recent.splice(h, 1);
    value = v;
  } else {
    value = r.bytes(h - REPEAT_SLOTS, 'value');
    const at = recent.findIndex((q) => sameBytes(q, value));
    if (at >= 0) recent.splice(at, 1);
  }
  recent.unshift(value);
  if (recent.length > REPEAT_SLOTS) recent.length = REPEAT_SLOTS;
  return value;
}

/**
 * Version 4 values: a repeat is one byte `0x01 + k` for the k-th most recently used distinct value
 * (k < 14), or `0x0f varint (k - 14)` (k < {@link V4_REPEAT_SLOTS}); any other value is its bytes (atoms
 * coded) closed by `"` (the value is JSON text between quotes, or a number: an unescaped quote cannot be
 * in it). A terminator costs a few bits where a length prefix cost a byte of noise per value.
 */
const V4_REPEAT_SLOTS = 64;
const V4_REPEAT_NEAR = 10;
const V4_EXTENDS = 0x0b;
const V4_SAME_KEY = 0x0c;
const V4_FRAGMENT_OF = 0x0d;
const V4_BASE_OF = 0x0e;
const V4_REPEAT_FAR = 0x0f;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const CLOSE = 0x22;

function putValueV4(w: ByteWriter, recent: Uint8Array[], value: Uint8Array, atoms: AtomWriter, key: string): void {
  const at = recent.findIndex((r) => sameBytes(r, value));
  const previous = atoms.byKey.get(key);
  if (previous !== undefined && sameBytes(previous, value)) {
    w.byte(V4_SAME_KEY);
  } else if (at >= 0) {
    if (at < V4_REPEAT_NEAR) w.byte(1 + at);
    else w.byte(V4_REPEAT_FAR).varint(at - V4_REPEAT_NEAR);
  } else {
    const derived = derivedFrom(recent, value);
    const hash = value.lastIndexOf(HASH);
    const base = derived === undefined && hash > 0 ? recent.findIndex((r) => r.length === hash && sameBytes(r, value.subarray(0, hash))) : -1;
    if (derived !== undefined) w.byte(derived.code).varint(derived.slot);
    else if (base >= 0) w.byte(V4_EXTENDS).varint(base).raw(atomize(value.subarray(hash + 1), atoms.memory, atoms.data)).byte(CLOSE);
    else w.raw(atomize(value, atoms.memory, atoms.data)).byte(CLOSE);
  }
  remember(recent, atoms.byKey, key, value, at);
}

/** Both sides, after each value: move it to the front of the recent values, and note it as its key's last. */
function remember(recent: Uint8Array[], byKey: Map<string, Uint8Array>, key: string, value: Uint8Array, at: number): void {
  if (at >= 0) recent.splice(at, 1);
  recent.unshift(value);
  if (recent.length > V4_REPEAT_SLOTS) recent.length = V4_REPEAT_SLOTS;
  byKey.set(key, value);
}

/** A recent value of which `value` is the part before or after the last `#` (a status entry's list URL and index, from its id). */
function derivedFrom(recent: readonly Uint8Array[], value: Uint8Array): { code: number; slot: number } | undefined {
  if (value.length === 0) return undefined;
  for (let k = 0; k < recent.length; k++) {
    const v = recent[k]!;
    const hash = v.lastIndexOf(HASH);
    if (hash < 0) continue;
    if (hash === value.length && sameBytes(v.subarray(0, hash), value)) return { code: V4_BASE_OF, slot: k };
    if (v.length - hash - 1 === value.length && sameBytes(v.subarray(hash + 1), value)) return { code: V4_FRAGMENT_OF, slot: k };
  }
  return undefined;
}

function getValueV4(r: ByteReader, recent: Uint8Array[], atoms: AtomReader, budget: { left: number }, key: string): Uint8Array {
  const value = readValueV4(r, recent, atoms, budget, key);
  remember(recent, atoms.byKey, key, value, recent.findIndex((q) => sameBytes(q, value)));
  return value;
}

function readValueV4(r: ByteReader, recent: Uint8Array[], atoms: AtomReader, budget: { left: number }, key: string): Uint8Array {
  const first = r.peek();
  let value: Uint8Array;
  if (first === V4_SAME_KEY) {
    r.byte();
    const v = atoms.byKey.get(key);
    if (v === undefined) throw new CradleError('QR_INVALID', `QR payload: "same as before" for ${key.slice(0, 40)}, which had no value`);
    value = v;
  } else if (first === V4_FRAGMENT_OF || first === V4_BASE_OF) {
    r.byte();
    const k = r.varintIn('value repeat', 0, V4_REPEAT_SLOTS - 1);
    const v = recent[k];
    const hash = v === undefined ? -1 : v.lastIndexOf(HASH);
    if (v === undefined || hash < 0) throw new CradleError('QR_INVALID', `QR payload: part of value ${k}, which was never given or has no '#'`);
    value = first === V4_BASE_OF ? v.subarray(0, hash) : v.subarray(hash + 1);
  } else if (first !== undefined && ((first >= 1 && first <= V4_REPEAT_NEAR) || first === V4_REPEAT_FAR)) {
    r.byte();
    const k = first < V4_REPEAT_FAR ? first - 1 : V4_REPEAT_NEAR + r.varintIn('value repeat', 0, V4_REPEAT_SLOTS - V4_REPEAT_NEAR - 1);
    const v = recent[k];
    if (v === undefined) throw new CradleError('QR_INVALID', `QR payload: repeat of value ${k}, which was never given`);
    value = v;
  } else {
    const out: number[] = [];
    if (first === V4_EXTENDS) {
      r.byte();
      const k = r.varintIn('value repeat', 0, V4_REPEAT_SLOTS - 1);
      const v = recent[k];
      if (v === undefined) throw new CradleError('QR_INVALID', `QR payload: extension of value ${k}, which was never given`);
      for (const b of v) out.push(b);
      out.push(HASH);
    }
    for (;;) {
      const b = r.byte();
      if (b === CLOSE) break;
      if (isAtomMarker(b)) {
        const text = renderAtom(b, r, atoms.data, atoms.memory);
        if (out.length + text.length > budget.left) throw new CradleError('TOO_LARGE', 'QR payload: the rebuilt token exceeds the size limit');
        for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
        continue;
      }
      out.push(b);
      // An escaped character is taken as it is (it may be a quote).
      if (b === BACKSLASH) out.push(r.byte());
      if (out.length > budget.left) throw new CradleError('TOO_LARGE', 'QR payload: the rebuilt token exceeds the size limit');
    }
    value = Uint8Array.from(out);
  }
  return value;
}

/**
 * The member name each value of a shape sits under, in value order: `name` in an object, `name[i]` for
 * the i-th element of an array that is member `name` (so a credential's two `@context` entries have keys
 * of their own). Read from the shape alone, so writer and reader agree.
 */
export function shapeKeys(shape: Uint8Array): string[] {
  const keys: string[] = [];
  const stack: { name: string; index: number; array: boolean }[] = [];
  let name = '';
  for (let i = 0; i < shape.length; i++) {
    const c = shape[i]!;
    if (c === 0x22) {
      let j = i + 1;
      while (j < shape.length && shape[j] !== 0x22) j += shape[j] === 0x5c ? 2 : 1;
      // Built char by char: spreading a subarray into fromCharCode cost more than the rest of this loop.
      name = '';
      for (let x = i + 1, end = Math.min(j, i + 65); x < end; x++) name += String.fromCharCode(shape[x]!);
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      const top = stack.at(-1);
      const outer = top?.array === true ? `${top.name}[${top.index}]` : name;
      stack.push({ name: outer, index: 0, array: c === 0x5b });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.array === true) top.index++;
    } else if (c === STRING || c === NUMBER) {
      const top = stack.at(-1);
      keys.push(top?.array === true ? `${top.name}[${top.index}]` : name);
    }
  }
  return keys;
}
