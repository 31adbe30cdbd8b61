import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';

/**
 * The Noto families a certificate can draw, most general first: Latin (with diacritics, Vietnamese),
 * Greek and Cyrillic come from Noto Sans; each other script from its own Noto family. Each is a
 * Fontsource package: the font split into WOFF files by Unicode range (its CSS says which file covers
 * which range), so a name only loads the few files its characters need and the PDF embeds only the
 * glyphs it draws. WOFF (zlib), not WOFF2: fontkit's subsetter reads WOFF tables directly.
 */
const FAMILIES = [
  '@fontsource/noto-sans',
  '@fontsource/noto-sans-arabic',
  '@fontsource/noto-sans-ethiopic',
  '@fontsource/noto-sans-devanagari',
  '@fontsource/noto-sans-bengali',
  '@fontsource/noto-sans-sc',
] as const;

/** Weights the certificate uses: regular text and bold headings/names. */
export type FontWeight = 400 | 700;

/** One font file: a Unicode-range slice of a Noto family at one weight. */
export interface FontFace {
  /** Absolute path of the WOFF file. */
  readonly file: string;
  /** Inclusive code point ranges this file covers (from the Fontsource CSS `unicode-range`). */
  readonly ranges: readonly (readonly [number, number])[];
}

/** A piece of text drawn with one font file. */
export interface TextRun {
  readonly text: string;
  /** The font file, or undefined when no bundled font covers these characters (drawn as nothing, reported). */
  readonly face: FontFace | undefined;
}

const require = createRequire(import.meta.url);
const facesByWeight = new Map<FontWeight, FontFace[]>();
const fontCache = new Map<string, Font>();
const bytesCache = new Map<string, Buffer>();

function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const lo = Number.parseInt(a!, 16);
    return [lo, b === undefined ? lo : Number.parseInt(b, 16)];
  });
}

/** Every font file of every family at `weight`, in family priority order. */
export function fontFaces(weight: FontWeight): readonly FontFace[] {
  const cached = facesByWeight.get(weight);
  if (cached !== undefined) return cached;
  const faces: FontFace[] = [];
  for (const family of FAMILIES) {
    const cssPath = require.resolve(`${family}/${weight}.css`);
    const css = readFileSync(cssPath, 'utf8');
    for (const block of css.split('@font-face').slice(1)) {
      const woff = /url\(\.\/files\/([^)]+\.woff)\) format\('woff'\)/.exec(block);
      const range = /unicode-range:\s*([^;]+);/.exec(block);
      if (woff === null || range === null) continue;
      faces.push({ file: join(dirname(cssPath), 'files', woff[1]!), ranges: parseRanges(range[1]!) });
    }
  }
  facesByWeight.set(weight, faces);
  return faces;
}

/**
 * Unwrap a WOFF 1.0 file into the plain OpenType (sfnt) it carries (W3C WOFF 1.0 §4-5): the same
 * tables, each zlib-inflated once. fontkit reads WOFF too, but inflates a table again on every access,
 * and its subsetter reads `glyf` once per glyph: unwrapped, a certificate renders ~20x faster.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== 0x774f4646) throw new TypeError('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((o) => woff.readUInt32BE(e + o)) as [number, number, number, number, number];
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new TypeError('WOFF table length mismatch');
    tables.push({ tag, checksum, data });
  }
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  const headerLength = 12 + 16 * numTables;
  const total = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), headerLength);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange * 16, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  let at = headerLength;
  tables.forEach((t, i) => {
    const e = 12 + i * 16;
    out.writeUInt32BE(t.tag, e);
    out.writeUInt32BE(t.checksum, e + 4);
    out.writeUInt32BE(at, e + 8);
    out.writeUInt32BE(t.data.length, e + 12);
    t.data.copy(out, at);
    at += (t.data.length + 3) & ~3;
  });
  return out;
}

/** The OpenType bytes of a font file (read and unwrapped once per process). */
export function fontBytes(face: FontFace): Buffer {
  let bytes = bytesCache.get(face.file);
  if (bytes === undefined) {
    bytes = woffToSfnt(readFileSync(face.file));
    bytesCache.set(face.file, bytes);
  }
  return bytes;
}

function fontOf(face: FontFace): Font {
  let font = fontCache.get(face.file);
  if (font === undefined) {
    font = fontkit.create(fontBytes(face)) as Font;
    fontCache.set(face.file, font);
  }
  return font;
}

function covers(face: FontFace, cp: number): boolean {
  return face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) && fontOf(face).hasGlyphForCodePoint(cp);
}

function faceFor(faces: readonly FontFace[], cp: number): FontFace | undefined {
  return faces.find((f) => covers(f, cp));
}

/** Combining marks and joiners belong to the character before them: they shape with it. */
const STICKY = /^[\p{M}\u200c\u200d]$/u;

/**
 * Split `text` into runs that one font file can draw, so that a shaping engine (fontkit, through
 * pdfkit) sees whole words of one script: Arabic joins, Devanagari and Bengali conjuncts form, Ethiopic
 * syllables and Chinese ideographs come from their own Noto family. A character stays in the current
 * run when that run's font also has it (spaces, marks), which keeps words of one script together.
 *
 * @example
 * ```ts
 * textRuns('Amina محمد', 700); // [{ text: 'Amina ', face: NotoSans-latin }, { text: 'محمد', face: NotoSansArabic-arabic }]
 * ```
 */
export function textRuns(text: string, weight: FontWeight): TextRun[] {
  const faces = fontFaces(weight);
  const runs: { text: string; face: FontFace | undefined }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.face !== undefined && (STICKY.test(ch) || covers(last.face, cp))) {
      last.text += ch;
      continue;
    }
    const face = faceFor(faces, cp);
    if (last !== undefined && last.face === face) last.text += ch;
    else runs.push({ text: ch, face });
  }
  return runs;
}

/** Code points of `text` that no bundled font can draw (they would print as empty boxes). */
export function uncoveredCharacters(text: string): string[] {
  return [...new Set(textRuns(text, 400).filter((r) => r.face === undefined).flatMap((r) => [...r.text]))];
}

/** Right-to-left scripts (Arabic, Hebrew, Syriac, Thaana, N'Ko...): the first strong character decides. */
export function isRightToLeft(text: string): boolean {
  for (const ch of text) {
    if (/[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(ch)) return true;
    if (/\p{L}/u.test(ch)) return false;
  }
  return false;
}
