import { deflateSync } from 'fflate';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from './base64url.js';
import { inflateBounded } from './bounded-inflate.js';
import { ByteReader, ByteWriter, concatBytes } from './codec/bytes.js';
import { crc32 } from './crc32.js';
import { CradleError } from './errors.js';
import { STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES } from './status-list.js';
import { gzipStatusListBits } from './status-list-gzip.js';

/**
 * Status-list pack: a compact, binary carrier for many signed `BitstringStatusListCredential` JWSs,
 * for syncing checkpoints over thin links (docs/formats.md, "Status-list pack").
 *
 * A signed status list in compact JWS form base64url-encodes the gzipped bitstring twice (once as
 * `encodedList`, once as part of the JWS payload), so it is ~1.8x the size of the gzip data it carries.
 * A pack ships the JSON of header and payload *around* `encodedList`, the gzip bytes themselves and the
 * raw signature, then DEFLATEs the whole; the receiver rebuilds the **exact** compact JWS strings, so
 * their digests and signatures are checked as usual. The pack itself needs no trust: a pack that
 * rebuilds anything other than the signed bytes simply fails those checks.
 *
 * `CSLP1` packs hold whole lists only. `CSLP2` packs may also hold **deltas** against a list the
 * receiver already has (its base): the flipped bit positions, the payload text DEFLATEd against the
 * base's, and the new signature. The receiver rebuilds the new bitstring, recompresses it with the
 * reference compressor ({@link gzipStatusListBits}) and gets the signed bytes back.
 *
 * `CSLP3` (what the writer emits) is `CSLP2` plus a CRC-32 of everything before it, so a pack that was
 * cut short or altered in transit is reported as damaged before anything is inflated, instead of
 * silently rebuilding fewer (or garbled) lists. `CSLP1` and `CSLP2` packs are still read.
 */
const MAGIC_V1 = utf8Encode('CSLP1');
const MAGIC_V2 = utf8Encode('CSLP2');
const MAGIC_V3 = utf8Encode('CSLP3');
const CHECKSUM_BYTES = 4;
const KIND_SPLIT = 0;
const KIND_VERBATIM = 1;
const KIND_DELTA = 2;
/** Compressor id of delta entries: the reference compressor, {@link gzipStatusListBits}. */
const COMPRESSOR_REFERENCE = 0;
/** Bytes of the base's signature that name the base of a delta entry. */
const BASE_TAG_BYTES = 8;
/** Largest header or payload text a delta entry may rebuild. */
const MAX_DELTA_TEXT_BYTES = 64 * 1024;
const ENCODED_LIST_KEY = '"encodedList":"u';

/** Default bounds when decoding an untrusted pack. */
export const STATUS_LIST_PACK_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const STATUS_LIST_PACK_MAX_LISTS = 100_000;

/** One list to pack: the signed list, and optionally the version the receiver holds (then a delta is sent when possible). */
export interface StatusListPackEntry {
  /** The compact JWS to deliver. */
  readonly jws: string;
  /** A compact JWS of the same list the receiver already has: the entry becomes a delta against it if it can. */
  readonly base?: string;
}

/** Options for {@link encodeStatusListPack}. */
export interface StatusListPackEncodeOptions {
  /**
   * The compressor the receiver will rebuild with (default: the reference one). A delta is written only
   * when it reproduces the list's gzip bytes exactly; otherwise the list goes whole.
   */
  readonly gzip?: (bits: Uint8Array) => Uint8Array;
}

/** Options for {@link decodeStatusListPack} and {@link readStatusListPack}. */
export interface StatusListPackDecodeOptions {
  /** Cap on the decompressed pack (default 64 MiB): a larger one fails with `DECOMPRESSION_LIMIT`. */
  readonly maxBytes?: number;
  /** Cap on the number of lists (default 100,000). */
  readonly maxLists?: number;
  /** Lists the receiver holds (compact JWS), the candidate bases of delta entries. */
  readonly bases?: readonly string[];
  /** Compressor to rebuild deltas with (default: the reference one, which is what delta entries name). */
  readonly gzip?: (bits: Uint8Array) => Uint8Array;
  /** Cap on a rebuilt bitstring (default 16 MiB, as for status lists). */
  readonly maxBitstringBytes?: number;
}

/** A delta entry the receiver could not rebuild (its base is not among `bases`, or the base is unusable). */
export interface UnresolvedPackEntry {
  /** Position of the entry in the pack. */
  readonly index: number;
  readonly reason: string;
}

/** What {@link readStatusListPack} found. */
export interface StatusListPackContents {
  /** The rebuilt compact JWS strings (untrusted: check digest and signature). */
  readonly lists: string[];
  /** Delta entries that could not be rebuilt: fetch those lists whole. */
  readonly unresolved: UnresolvedPackEntry[];
}

/**
 * Pack signed status-list credentials (compact JWS strings) into one compact binary blob (a `CSLP3`
 * pack: entries, then a CRC-32 of the pack). An entry with a `base` travels as a delta when one is
 * possible (same header shape, same bitstring length, gzip reproducible by the receiver's compressor)
 * and whole otherwise.
 *
 * @example
 * ```ts
 * const pack = encodeStatusListPack([jwsA, jwsB]);
 * decodeStatusListPack(pack) // [jwsA, jwsB], byte-identical
 * const delta = encodeStatusListPack([{ jws: jwsA2, base: jwsA }]);
 * decodeStatusListPack(delta, { bases: [jwsA] }) // [jwsA2]
 * ```
 */
export function encodeStatusListPack(entries: readonly (string | StatusListPackEntry)[], opts: StatusListPackEncodeOptions = {}): Uint8Array {
  if (!Array.isArray(entries)) throw new TypeError('encodeStatusListPack: expected an array of compact JWS strings');
  const gzip = opts.gzip ?? gzipStatusListBits;
  const normalized = entries.map((e): StatusListPackEntry => {
    if (typeof e === 'string') return { jws: e };
    if (typeof e !== 'object' || e === null || typeof e.jws !== 'string') throw new TypeError('encodeStatusListPack: every entry must be a compact JWS string or { jws, base? }');
    if (e.base !== undefined && typeof e.base !== 'string') throw new TypeError('encodeStatusListPack: an entry base must be a compact JWS string');
    return e;
  });
  const w = new ByteWriter();
  w.varint(normalized.length);
  for (const entry of normalized) {
    const target = parseSigned(entry.jws);
    if (target === undefined) throw new CradleError('MALFORMED', 'encodeStatusListPack: not a compact JWS (expected 3 base64url segments)');
    const delta = entry.base === undefined ? undefined : deltaEntry(target, entry.base, gzip);
    if (delta !== undefined) {
      w.raw(delta);
    } else if (target.split === undefined) {
      w.byte(KIND_VERBATIM).field(target.header).field(utf8Encode(target.payload)).field(target.signature);
    } else {
      const s = target.split;
      w.byte(KIND_SPLIT).field(target.header).field(utf8Encode(s.prefix)).field(s.gzip).field(utf8Encode(s.suffix)).field(target.signature);
    }
  }
  const unchecked = concatBytes([MAGIC_V3, deflateSync(w.finish(), { level: 9, mem: 12 })]);
  const sum = crc32(unchecked);
  return concatBytes([unchecked, new Uint8Array([sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff])]);
}

/**
 * Rebuild the compact JWS strings from a pack (delta entries against `opts.bases`). Decompression and
 * every length are bounded; a malformed pack throws `CradleError` (`MALFORMED`, `DECOMPRESSION_LIMIT`).
 * Delta entries whose base is missing are left out (see {@link readStatusListPack} to learn which).
 * The returned strings are untrusted: verify each one's signature and anchored digest before use.
 */
export function decodeStatusListPack(pack: Uint8Array, opts: StatusListPackDecodeOptions = {}): string[] {
  return readStatusListPack(pack, opts).lists;
}

/**
 * {@link decodeStatusListPack}, also reporting the delta entries that could not be rebuilt (their
 * lists must be fetched whole). Throws `CradleError` (`MALFORMED`, `DECOMPRESSION_LIMIT`) for a
 * malformed pack.
 *
 * @example
 * ```ts
 * const { lists, unresolved } = readStatusListPack(bytes, { bases: cached.map((c) => c.jwt) });
 * ```
 */
export function readStatusListPack(pack: Uint8Array, opts: StatusListPackDecodeOptions = {}): StatusListPackContents {
  const maxBytes = opts.maxBytes ?? STATUS_LIST_PACK_DEFAULT_MAX_BYTES;
  const maxLists = opts.maxLists ?? STATUS_LIST_PACK_MAX_LISTS;
  if (!(pack instanceof Uint8Array)) throw new TypeError('decodeStatusListPack: expected a Uint8Array');
  const version = hasMagic(pack, MAGIC_V1) ? 1 : hasMagic(pack, MAGIC_V2) ? 2 : hasMagic(pack, MAGIC_V3) ? 3 : 0;
  if (version === 0) throw new CradleError('MALFORMED', 'Not a Cradle status-list pack (it does not start with CSLP1, CSLP2 or CSLP3).', { details: { reason: 'magic' } });
  let deflated = pack.subarray(MAGIC_V1.length);
  if (version === 3) {
    const end = pack.length - CHECKSUM_BYTES;
    const stored = end < MAGIC_V3.length ? undefined : ((pack[end]! << 24) | (pack[end + 1]! << 16) | (pack[end + 2]! << 8) | pack[end + 3]!) >>> 0;
    if (stored === undefined || stored !== crc32(pack.subarray(0, end))) {
      throw new CradleError('MALFORMED', 'Status-list pack is damaged: its checksum does not match its content (cut short or altered in transit).', { details: { reason: 'checksum' } });
    }
    deflated = pack.subarray(MAGIC_V3.length, end);
  }
  const body = inflateBounded(deflated, { format: 'raw', maxOutputBytes: maxBytes, code: 'MALFORMED' });
  const r = new ByteReader(body, { code: 'MALFORMED', what: 'Status-list pack' });
  const count = r.varint();
  if (count > maxLists) throw new CradleError('MALFORMED', `Status-list pack holds ${count} lists; at most ${maxLists} are accepted.`);
  let bases: Map<string, ParsedSigned> | undefined;
  const usedBases = new Set<string>();
  const lists: string[] = [];
  const unresolved: UnresolvedPackEntry[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.byte();
    if (kind === KIND_SPLIT) {
      const header = base64UrlEncode(r.field('header'));
      const prefix = r.field('payload prefix');
      const gzip = r.field('gzip data');
      const suffix = r.field('payload suffix');
      const payload = base64UrlEncode(concatBytes([prefix, utf8Encode(base64UrlEncode(gzip)), suffix]));
      lists.push(`${header}.${payload}.${base64UrlEncode(r.field('signature'))}`);
    } else if (kind === KIND_VERBATIM) {
      const header = base64UrlEncode(r.field('header'));
      const payload = base64UrlEncode(r.field('payload'));
      lists.push(`${header}.${payload}.${base64UrlEncode(r.field('signature'))}`);
    } else if (kind === KIND_DELTA && version >= 2) {
      const delta = readDelta(r);
      bases ??= indexBases(opts.bases ?? []);
      const tag = tagKey(delta.baseTag);
      // One delta per base: a list has one next version, and rebuilding costs a recompression, so a
      // hostile pack naming one big base many times must not multiply that work.
      const rebuilt = usedBases.has(tag) ? { reason: 'another entry of this pack already used its base' } : rebuildDelta(delta, bases.get(tag), opts);
      usedBases.add(tag);
      if (typeof rebuilt === 'string') lists.push(rebuilt);
      else unresolved.push({ index: i, reason: rebuilt.reason });
    } else {
      throw new CradleError('MALFORMED', `Status-list pack entry ${i} has unknown kind ${kind}.`);
    }
  }
  r.end();
  return { lists, unresolved };
}

interface ParsedSigned {
  header: Uint8Array;
  payload: string;
  signature: Uint8Array;
  split: { prefix: string; gzip: Uint8Array; suffix: string } | undefined;
}

function parseSigned(jws: string): ParsedSigned | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [h, p, s] = parts as [string, string, string];
    const payload = utf8Decode(base64UrlDecode(p, 'MALFORMED'));
    return { header: base64UrlDecode(h, 'MALFORMED'), payload, signature: base64UrlDecode(s, 'MALFORMED'), split: splitAroundEncodedList(payload) };
  } catch {
    return undefined;
  }
}

/** Split the payload JSON around the (single) canonical `encodedList` value, or undefined. */
function splitAroundEncodedList(payload: string): { prefix: string; gzip: Uint8Array; suffix: string } | undefined {
  const at = payload.indexOf(ENCODED_LIST_KEY);
  if (at < 0 || payload.indexOf(ENCODED_LIST_KEY, at + 1) >= 0) return undefined;
  const start = at + ENCODED_LIST_KEY.length;
  const end = payload.indexOf('"', start);
  if (end < 0) return undefined;
  const value = payload.slice(start, end);
  let gzip: Uint8Array;
  try {
    gzip = base64UrlDecode(value, 'MALFORMED');
  } catch {
    return undefined; // not canonical base64url: ship verbatim, the receiver must get the exact bytes
  }
  return { prefix: payload.slice(0, start), gzip, suffix: payload.slice(end) };
}

/*
 * Delta entry (CSLP2, kind 2):
 *   0x02 ‖ compressor (0x00 = reference) ‖ base tag (first 8 bytes of the base's signature) ‖
 *   field header (empty = the base's header) ‖ varint |prefix| ‖ field DEFLATE_dict(prefix ‖ suffix) ‖
 *   varint n ‖ n × varint gap ‖ field signature
 * where dict = base prefix ‖ base suffix, and the flipped bit positions are p0 = gap0,
 * p(i) = p(i-1) + 1 + gap(i) (strictly increasing, each below the base's bit count).
 */
interface DeltaFields {
  baseTag: Uint8Array;
  header: Uint8Array;
  prefixLength: number;
  text: Uint8Array;
  flips: number[];
  signature: Uint8Array;
}

function deltaEntry(target: ParsedSigned, baseJws: string, gzip: (bits: Uint8Array) => Uint8Array): Uint8Array | undefined {
  const base = parseSigned(baseJws);
  if (target.split === undefined || base?.split === undefined || base.signature.length < BASE_TAG_BYTES) return undefined;
  let oldBits: Uint8Array;
  let newBits: Uint8Array;
  try {
    const limit = { format: 'gzip', maxOutputBytes: STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES, code: 'MALFORMED' } as const;
    oldBits = inflateBounded(base.split.gzip, limit);
    newBits = inflateBounded(target.split.gzip, limit);
  } catch {
    return undefined;
  }
  if (oldBits.length !== newBits.length || !equalBytes(gzip(newBits), target.split.gzip)) return undefined;
  const w = new ByteWriter().byte(KIND_DELTA).byte(COMPRESSOR_REFERENCE).raw(base.signature.subarray(0, BASE_TAG_BYTES));
  w.field(equalBytes(target.header, base.header) ? new Uint8Array(0) : target.header);
  const prefix = utf8Encode(target.split.prefix);
  w.varint(prefix.length);
  const dictionary = utf8Encode(base.split.prefix + base.split.suffix);
  w.field(deflateSync(concatBytes([prefix, utf8Encode(target.split.suffix)]), { level: 9, mem: 12, dictionary }));
  const flips: number[] = [];
  for (let i = 0; i < newBits.length; i++) {
    const x = oldBits[i]! ^ newBits[i]!;
    if (x === 0) continue;
    for (let b = 0; b < 8; b++) if (x & (0x80 >>> b)) flips.push(i * 8 + b);
  }
  w.varint(flips.length);
  let prev = -1;
  for (const p of flips) {
    w.varint(p - prev - 1);
    prev = p;
  }
  return w.field(target.signature).finish();
}

function readDelta(r: ByteReader): DeltaFields {
  const compressor = r.byte();
  if (compressor !== COMPRESSOR_REFERENCE) throw new CradleError('MALFORMED', `Status-list pack delta names unknown compressor ${compressor}.`);
  const baseTag = r.bytes(BASE_TAG_BYTES, 'base tag');
  const header = r.field('header');
  const prefixLength = r.varintIn('payload prefix length', 1, MAX_DELTA_TEXT_BYTES);
  const text = r.field('payload text');
  // Each flip takes at least one byte, so the count is bounded by what is left.
  const n = r.varintIn('flipped bit count', 0, r.remaining);
  const flips: number[] = [];
  let prev = -1;
  for (let i = 0; i < n; i++) {
    prev = prev + 1 + r.varint();
    flips.push(prev);
  }
  return { baseTag, header, prefixLength, text, flips, signature: r.field('signature', { nonEmpty: true }) };
}

function rebuildDelta(d: DeltaFields, base: ParsedSigned | undefined, opts: StatusListPackDecodeOptions): string | { reason: string } {
  if (base?.split === undefined) return { reason: 'its base list is not held here' };
  let text: Uint8Array;
  let bits: Uint8Array;
  try {
    const dictionary = utf8Encode(base.split.prefix + base.split.suffix);
    text = inflateBounded(d.text, { format: 'raw', maxOutputBytes: MAX_DELTA_TEXT_BYTES, code: 'MALFORMED', dictionary });
    bits = inflateBounded(base.split.gzip, {
      format: 'gzip',
      maxOutputBytes: opts.maxBitstringBytes ?? STATUS_LIST_DEFAULT_MAX_DECOMPRESSED_BYTES,
      code: 'MALFORMED',
    }).slice();
  } catch (e) {
    return { reason: `it could not be rebuilt (${e instanceof Error ? e.message : String(e)})` };
  }
  if (d.prefixLength > text.length) return { reason: 'its payload prefix is longer than its payload text' };
  const last = d.flips[d.flips.length - 1];
  if (last !== undefined && last >= bits.length * 8) return { reason: `it flips bit ${last}, past the end of the ${bits.length * 8}-bit base list` };
  for (const p of d.flips) bits[p >>> 3] = bits[p >>> 3]! ^ (0x80 >>> (p & 7));
  const gzip = (opts.gzip ?? gzipStatusListBits)(bits);
  const payload = concatBytes([text.subarray(0, d.prefixLength), utf8Encode(base64UrlEncode(gzip)), text.subarray(d.prefixLength)]);
  const header = d.header.length === 0 ? base.header : d.header;
  return `${base64UrlEncode(header)}.${base64UrlEncode(payload)}.${base64UrlEncode(d.signature)}`;
}

function indexBases(bases: readonly string[]): Map<string, ParsedSigned> {
  const out = new Map<string, ParsedSigned>();
  for (const jws of bases) {
    if (typeof jws !== 'string') continue;
    const parsed = parseSigned(jws);
    if (parsed?.split === undefined || parsed.signature.length < BASE_TAG_BYTES) continue;
    out.set(tagKey(parsed.signature.subarray(0, BASE_TAG_BYTES)), parsed);
  }
  return out;
}

function tagKey(tag: Uint8Array): string {
  return base64UrlEncode(tag);
}

function hasMagic(pack: Uint8Array, magic: Uint8Array): boolean {
  return pack.length >= magic.length && magic.every((b, i) => pack[i] === b);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
