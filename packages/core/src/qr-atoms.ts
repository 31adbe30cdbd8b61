import { keccak_256 } from '@noble/hashes/sha3';
import { base58Decode, base58Encode } from './base58.js';
import { ByteWriter } from './codec/bytes.js';
import type { ByteReader } from './codec/bytes.js';
import { CradleError } from './errors.js';

/**
 * Atoms of `CRADLE4:` and `CRADLE5:` QR frames (docs/formats.md, "QR payload"): the high-entropy runs inside JSON string
 * and number values — identifiers, keys, times, indices — taken out of the DEFLATE stream and written as
 * binary, so they cost their real size (a 32-character hex list name is 16 bytes, not ~20 of Huffman
 * codes) and a repeat costs one byte wherever it appears (the list name inside an entry's `id` and in its
 * `statusListCredential`; the issuance time as `validFrom`, `iat` and `nbf`).
 *
 * In a value, an atom is its **marker byte** (below; never in JSON text, where control characters must
 * be escaped) followed by `varint ref`: `0` means a new atom, whose data follow in the frame's binary
 * block (a HEX atom's byte length first, as `varint` in the value); `ref > 0` repeats the ref-th most
 * recently used atom of the same class (move to front, {@link ATOM_RECENT} per class). Byte atoms (UUID,
 * KEY, HEX) form one class, integer atoms (DATETIME, DATE, DECIMAL) the other, so `1790000000` and
 * `2026-09-21T...Z` of the same second are one atom.
 *
 * Each marker is a pure rendering of its data (the encoder takes a run only when the rendering gives
 * back the same text), so the frame stays lossless whatever the writer chose.
 */
export const ATOM_UUID = 0x10;
/** 32 bytes: an Ed25519 multibase key, `z` + base58btc(0xed 0x01 ‖ key) (the method-specific id of a did:key). */
export const ATOM_KEY = 0x11;
/** n bytes (8..255): lowercase hex. */
export const ATOM_HEX = 0x12;
/** 32 bytes: a whole Ed25519 `did:key` (`did:key:` + the {@link ATOM_KEY} text). */
export const ATOM_DID_KEY = 0x17;
/** 16 bytes: lower-case hex of 32 digits (a status list's name), the length implied. */
export const ATOM_HEX16 = 0x18;
/** 20 bytes: an Ethereum address after `0x`, hex with the EIP-55 checksum's letter case (a did:ethr). */
export const ATOM_ADDRESS = 0x16;
/** integer: seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`. */
export const ATOM_DATETIME = 0x13;
/** integer `(year * 13 + month) * 32 + day`: `YYYY-MM-DD`. */
export const ATOM_DATE = 0x14;
/** integer: decimal digits, no leading zero (the encoder takes 9-10 digit runs: JWT times). */
export const ATOM_DECIMAL = 0x15;

/** Bytes a value may not hold raw in a `CRADLE4:`/`CRADLE5:` frame (they are markers). */
export function isAtomMarker(b: number): boolean {
  return b >= ATOM_UUID && b <= 0x1f;
}

/** Atoms each class remembers for repeats. */
export const ATOM_RECENT = 16;

const ED25519_MULTICODEC = [0xed, 0x01] as const;
const MIN_HEX_BYTES = 8;

/**
 * UUID | Ed25519 multibase key | date-time | date | address after 0x | hex run (>= 16 chars) | decimal of 9-10 digits, no
 * leading zero (a JWT time: shorter numbers cost less as DEFLATEd digits than as a varint). Linear: no
 * alternative can backtrack more than its fixed length.
 */
const ATOM_RUN =
  /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|((?:did:key:)?z6Mk[1-9A-HJ-NP-Za-km-z]{44})|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)|(\d{4}-\d\d-\d\d)|((?<=0x)[0-9a-fA-F]{40}(?![0-9a-fA-F]))|([0-9a-f]{16,510})|([1-9]\d{8,9})/g;

type Atom = { kind: number; bytes: Uint8Array } | { kind: number; int: number };

/**
 * What both sides remember while a frame's atoms go by: the recent atoms of each class (move to front),
 * and the last integer of each kind group, from which a new integer is sent as a difference (a
 * presentation's `exp` is its `iat` + 300 s, a registration date a few days after the birth).
 */
export class AtomMemory {
  readonly #bytes: Uint8Array[] = [];
  readonly #ints: number[] = [];
  /** Last time (DATETIME, DECIMAL) and last DATE integer seen. */
  #lastTime = TIME_ORIGIN;
  #lastDate = DATE_ORIGIN;

  /** 1-based position of `atom` among its class's recent atoms, or 0 when it is not there. */
  find(atom: Atom): number {
    const at = 'int' in atom ? this.#ints.indexOf(atom.int) : this.#bytes.findIndex((x) => sameBytes(x, atom.bytes));
    return at + 1;
  }

  /** Move `atom` to the front of its class (adding it when new), and note its integer. */
  use(atom: Atom): void {
    if ('int' in atom) {
      useRecent(this.#ints, (x) => x === atom.int, atom.int);
      this.#note(atom.kind, atom.int);
    } else {
      useRecent(this.#bytes, (x) => sameBytes(x, atom.bytes), atom.bytes);
    }
  }

  /** The `ref`-th recent atom data of the class of `kind`, moved to the front. */
  take(kind: number, ref: number): Uint8Array | number {
    const list: (Uint8Array | number)[] = isIntKind(kind) ? this.#ints : this.#bytes;
    const v = list[ref - 1];
    if (v === undefined) throw new CradleError('QR_INVALID', `QR payload: repeat of atom ${ref}, which was never given`);
    list.splice(ref - 1, 1);
    list.unshift(v);
    if (typeof v === 'number') this.#note(kind, v);
    return v;
  }

  /** The data a new integer atom sends (zigzag of the difference), or undefined when over 2^32 - 1. */
  intData(kind: number, int: number): number | undefined {
    const d = int - (kind === ATOM_DATE ? this.#lastDate : this.#lastTime);
    const z = d >= 0 ? 2 * d : -2 * d - 1;
    return z <= 0xffff_ffff ? z : undefined;
  }

  /** The integer of a new atom's data. */
  intOfData(kind: number, data: number): number {
    return (kind === ATOM_DATE ? this.#lastDate : this.#lastTime) + (data % 2 === 0 ? data / 2 : -(data + 1) / 2);
  }

  #note(kind: number, int: number): void {
    if (kind === ATOM_DATE) this.#lastDate = int;
    else this.#lastTime = int;
  }
}

/** Where differences start: times from 2023-11-14, dates from 2000-01-01 (as {@link ATOM_DATE} integers). */
const TIME_ORIGIN = 1_700_000_000;
const DATE_ORIGIN = (2000 * 13 + 1) * 32 + 1;

/**
 * Replace the atom runs of `value` (a JSON string's inner text, or a number's text) by markers: writes
 * marker + ref (+ HEX length) into the returned bytes and new atoms' data into `data`.
 */
export function atomize(value: Uint8Array, memory: AtomMemory, data: ByteWriter): Uint8Array {
  if (value.length < 4) return value;
  let text = '';
  for (let i = 0; i < value.length; i += 8192) text += String.fromCharCode(...value.subarray(i, i + 8192));
  const out = new ByteWriter();
  let last = 0;
  for (const m of text.matchAll(ATOM_RUN)) {
    const run = m[0];
    const at = m.index;
    // Right after a backslash a byte belongs to an escape, which readers copy as it is.
    if (at > 0 && value[at - 1] === 0x5c) continue;
    let atom: Atom | undefined;
    let used = run.length;
    if (m[1] !== undefined) atom = { kind: ATOM_UUID, bytes: hexBytes(run.replaceAll('-', '')) };
    else if (m[2] !== undefined) atom = keyAtom(run);
    else if (m[3] !== undefined) atom = dateTimeAtom(run);
    else if (m[4] !== undefined) atom = dateAtom(run);
    else if (m[5] !== undefined) atom = run === run.toLowerCase() ? { kind: ATOM_HEX, bytes: hexBytes(run) } : addressAtom(run);
    else if (m[6] !== undefined) {
      used = run.length & ~1;
      atom = { kind: used === 32 ? ATOM_HEX16 : ATOM_HEX, bytes: hexBytes(run.slice(0, used)) };
    } else {
      atom = { kind: ATOM_DECIMAL, int: Number(run) };
    }
    if (atom === undefined) continue;
    const ref = memory.find(atom);
    const int = ref === 0 && 'int' in atom ? memory.intData(atom.kind, atom.int) : undefined;
    if (ref === 0 && 'int' in atom && int === undefined) continue;
    memory.use(atom);
    out.raw(value.subarray(last, at)).byte(atom.kind).varint(ref);
    if (ref === 0) {
      if (int !== undefined) data.varint(int);
      else if ('bytes' in atom) {
        if (atom.kind === ATOM_HEX) out.varint(atom.bytes.length);
        data.raw(atom.bytes);
      }
    }
    last = at + used;
  }
  if (last === 0) return value;
  return out.raw(value.subarray(last)).finish();
}

/**
 * The text of the atom whose marker `kind` was just read from `value` (ref, and a HEX length, read from
 * `value`; a new atom's data from `data`). Throws `QR_INVALID` on anything inconsistent.
 */
export function renderAtom(kind: number, value: ByteReader, data: ByteReader, memory: AtomMemory): string {
  const ref = value.varintIn('atom reference', 0, ATOM_RECENT);
  let v: Uint8Array | number;
  if (ref > 0) {
    v = memory.take(kind, ref);
  } else {
    switch (kind) {
      case ATOM_UUID:
        v = data.bytes(16, 'UUID');
        break;
      case ATOM_KEY:
      case ATOM_DID_KEY:
        v = data.bytes(32, 'key');
        break;
      case ATOM_HEX16:
        v = data.bytes(16, 'hex');
        break;
      case ATOM_ADDRESS:
        v = data.bytes(20, 'address');
        break;
      case ATOM_HEX:
        v = data.bytes(value.varintIn('hex length', MIN_HEX_BYTES, 255), 'hex');
        break;
      case ATOM_DATETIME:
      case ATOM_DATE:
      case ATOM_DECIMAL:
        v = memory.intOfData(kind, data.varint());
        break;
      default:
        throw new CradleError('QR_INVALID', `QR payload: unknown atom kind ${kind}`);
    }
    memory.use(typeof v === 'number' ? { kind, int: v } : { kind, bytes: v });
  }
  const text = render(kind, v);
  if (text === undefined) throw new CradleError('QR_INVALID', `QR payload: atom of kind ${kind} does not fit its data`);
  return text;
}

function render(kind: number, v: Uint8Array | number): string | undefined {
  if (typeof v === 'number') {
    // Data from a hostile frame may give any integer: only those a writer could have sent render.
    if (!Number.isSafeInteger(v) || v < 0 || v > 0xffff_ffff) return undefined;
    if (kind === ATOM_DECIMAL) return String(v);
    if (kind === ATOM_DATETIME) return `${new Date(v * 1000).toISOString().slice(0, 19)}Z`;
    if (kind === ATOM_DATE) {
      const day = v % 32;
      const month = Math.floor(v / 32) % 13;
      const year = Math.floor(v / 32 / 13);
      return year > 9999 ? undefined : `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    }
    return undefined;
  }
  if (kind === ATOM_UUID && v.length === 16) {
    const h = hexText(v);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  if (kind === ATOM_KEY && v.length === 32) return `z${base58Encode(Uint8Array.of(...ED25519_MULTICODEC, ...v))}`;
  if (kind === ATOM_DID_KEY && v.length === 32) return `did:key:z${base58Encode(Uint8Array.of(...ED25519_MULTICODEC, ...v))}`;
  if (kind === ATOM_HEX) return hexText(v);
  if (kind === ATOM_HEX16 && v.length === 16) return hexText(v);
  if (kind === ATOM_ADDRESS && v.length === 20) return checksummed(hexText(v));
  return undefined;
}

/** EIP-55: a letter is upper case where the keccak-256 of the lower-case hex has a nibble >= 8. */
function checksummed(lower: string): string {
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i]!;
    const nibble = (hash[i >>> 1]! >>> (i & 1 ? 0 : 4)) & 15;
    out += c >= 'a' && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

function addressAtom(run: string): Atom | undefined {
  const lower = run.toLowerCase();
  return checksummed(lower) === run ? { kind: ATOM_ADDRESS, bytes: hexBytes(lower) } : undefined;
}

function keyAtom(run: string): Atom | undefined {
  const did = run.startsWith('did:key:');
  const kind = did ? ATOM_DID_KEY : ATOM_KEY;
  const decoded = base58Decode(run.slice(did ? 9 : 1), 64);
  if (decoded === undefined || decoded.length !== 34 || decoded[0] !== ED25519_MULTICODEC[0] || decoded[1] !== ED25519_MULTICODEC[1]) return undefined;
  const atom = { kind, bytes: decoded.subarray(2) };
  return render(kind, atom.bytes) === run ? atom : undefined;
}

function dateTimeAtom(run: string): Atom | undefined {
  const ms = Date.parse(run);
  const s = ms / 1000;
  if (!Number.isInteger(s) || s < 0 || s > 0xffff_ffff) return undefined;
  return render(ATOM_DATETIME, s) === run ? { kind: ATOM_DATETIME, int: s } : undefined;
}

function dateAtom(run: string): Atom | undefined {
  const [y, m, d] = run.split('-').map(Number) as [number, number, number];
  if (m > 12 || d > 31) return undefined;
  const int = (y * 13 + m) * 32 + d;
  return render(ATOM_DATE, int) === run ? { kind: ATOM_DATE, int } : undefined;
}

function isIntKind(kind: number): boolean {
  return kind === ATOM_DATETIME || kind === ATOM_DATE || kind === ATOM_DECIMAL;
}

function useRecent<T>(list: T[], same: (x: T) => boolean, value: T): number {
  const at = list.findIndex(same);
  if (at >= 0) list.splice(at, 1);
  list.unshift(value);
  if (list.length > ATOM_RECENT) list.length = ATOM_RECENT;
  return at >= 0 && at < ATOM_RECENT ? at + 1 : 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // A plain loop: TypedArray#every with a callback is several times slower, and this runs per value read.
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function hexText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
