import { basename } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { CradleError, encodeQrPayload, qrPayloadSegments } from '@cradle/core';
import type { BirthRegistrationClaims } from '@cradle/core';
import { fontBytes, isRightToLeft, textRuns } from './certificate-fonts.js';
import type { FontWeight } from './certificate-fonts.js';
import { certificateLabels } from './certificate-labels.js';
import type { CertificateLabels } from './certificate-labels.js';

/** Paper sizes a certificate can be printed on. */
export type CertificatePaper = 'a4' | 'a5';

/** A guardian as printed on the certificate (and carried by the guardianship seal). */
export interface CertificateGuardian {
  readonly id: string;
  readonly role: string;
  /** Present when the guardianship credential records it. */
  readonly name?: string;
  /** The identity document to check, when the guardianship credential records it. */
  readonly document?: { readonly type?: string; readonly country?: string; readonly number?: string };
}

/** What goes on a certificate: the signed credentials and the facts read from them. */
export interface CertificateContent {
  readonly birth: { readonly id: string; readonly jwt: string; readonly issuer: string; readonly claims: BirthRegistrationClaims; readonly issuedAt: string };
  readonly guardianship?: { readonly id: string; readonly jwt: string; readonly guardians: readonly CertificateGuardian[] };
}

/** Options of {@link renderCertificatePdf}. */
export interface CertificateOptions {
  /** Language of the labels (default `en`; see `CERTIFICATE_LANGUAGES`). */
  lang?: string;
  /** Paper size (default `a4`). */
  paper?: CertificatePaper;
}

/**
 * The seal's QR code: error-correction level Q (25% of the code may be lost: a fold, a stain, a staple
 * hole) and a module of 0.75 mm on A4. A birth credential's `CRADLE2:` payload is ~820 characters,
 * QR version 22 (105 modules, 79 mm). Measured on the rendered page (docs/paper-certificate.md): both
 * seals decode from a 150 dpi scan (4.4 px per module) and from a 100 dpi scan (3 px per module).
 * A5 keeps both seals side by side with 0.5 mm modules: scan it at 150 dpi or more.
 */
export const SEAL_ERROR_CORRECTION = 'Q';
const MODULE_MM: Record<CertificatePaper, number> = { a4: 0.75, a5: 0.5 };
const MM = 72 / 25.4;

interface Page {
  width: number;
  height: number;
  margin: number;
  scale: number;
}

const PAGES: Record<CertificatePaper, Page> = {
  a4: { width: 595.28, height: 841.89, margin: 40, scale: 1 },
  a5: { width: 419.53, height: 595.28, margin: 26, scale: 0.7 },
};

const INK = '#1b1b1b';
const MUTED = '#5a5a5a';
const ACCENT = '#1f4e79';

/** Control characters and bidi overrides never reach the paper (they could reorder what is printed). */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function printable(text: string): string {
  return text.replace(UNPRINTABLE, '').trim();
}

class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly page: Page;
  readonly #registered = new Set<string>();

  constructor(doc: PDFKit.PDFDocument, page: Page) {
    this.doc = doc;
    this.page = page;
  }

  #useFace(file: string, bytes: Buffer): string {
    const name = basename(file);
    if (!this.#registered.has(name)) {
      this.doc.registerFont(name, bytes);
      this.#registered.add(name);
    }
    return name;
  }

  /** Width of `text` at `size` once split into per-font runs. */
  width(text: string, size: number, weight: FontWeight): number {
    let w = 0;
    for (const run of textRuns(text, weight)) {
      if (run.face === undefined) continue;
      this.doc.font(this.#useFace(run.face.file, fontBytes(run.face))).fontSize(size);
      w += this.doc.widthOfString(run.text);
    }
    return w;
  }

  /**
   * Draw one line of text, any script, shrinking it to fit `maxWidth`. Runs of one font are shaped by
   * fontkit; a right-to-left line lays its runs out from the right.
   */
  line(raw: string, x: number, y: number, opts: { size: number; weight?: FontWeight; color?: string; maxWidth: number; align?: 'left' | 'center' }): void {
    const text = printable(raw);
    const weight = opts.weight ?? 400;
    let size = opts.size * this.page.scale;
    let total = this.width(text, size, weight);
    while (total > opts.maxWidth && size > 6) {
      size -= 0.5;
      total = this.width(text, size, weight);
    }
    const left = opts.align === 'center' ? x + (opts.maxWidth - total) / 2 : x;
    const runs = textRuns(text, weight).filter((r) => r.face !== undefined);
    const rtl = isRightToLeft(text);
    let cursor = rtl ? left + total : left;
    this.doc.fillColor(opts.color ?? INK);
    for (const run of runs) {
      this.doc.font(this.#useFace(run.face!.file, fontBytes(run.face!))).fontSize(size);
      const w = this.doc.widthOfString(run.text);
      const at = rtl ? cursor - w : cursor;
      // One baseline for every script: fonts of different scripts have very different ascenders.
      this.doc.text(run.text, at, y + size * 0.92, { lineBreak: false, baseline: 'alphabetic' });
      cursor = rtl ? cursor - w : cursor + w;
    }
  }

  /** Wrapped paragraph in the Latin font (labels and instructions are the registry's own text). */
  paragraph(text: string, x: number, y: number, width: number, size: number, color = MUTED): number {
    const face = textRuns('a', 400)[0]!.face!;
    this.doc.font(this.#useFace(face.file, fontBytes(face))).fontSize(size * this.page.scale).fillColor(color);
    this.doc.text(text, x, y, { width, lineGap: 1 });
    return this.doc.y;
  }
}

type Seal = ReturnType<typeof QRCode.create>;

function sealCode(payload: string): Seal {
  // CRADLE5: (and CRADLE4:) payloads are a prefix (alphanumeric) and digits (numeric mode: 3.33 bits per digit).
  return QRCode.create(qrPayloadSegments(payload), { errorCorrectionLevel: SEAL_ERROR_CORRECTION });
}

/** Draw a QR code as vector squares (crisp at any printer resolution); returns its side in points. */
function drawSeal(doc: PDFKit.PDFDocument, qr: Seal, x: number, y: number, moduleMm: number): number {
  const n = qr.modules.size;
  const m = moduleMm * MM;
  const quiet = 4 * m;
  doc.rect(x, y, n * m + 2 * quiet, n * m + 2 * quiet).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // A hair of overlap so no hairline gap shows between neighbouring squares in some renderers.
      doc.rect(x + quiet + start * m, y + quiet + r * m, (c - start) * m + 0.01, m + 0.01);
    }
  }
  doc.fill('#000000');
  return n * m + 2 * quiet;
}

/** Side in points of a seal (quiet zone included). */
function sealSide(qr: Seal, moduleMm: number): number {
  return (qr.modules.size + 8) * moduleMm * MM;
}

function placeText(c: BirthRegistrationClaims['placeOfBirth']): string {
  return [c.locality, c.region, c.country].filter((p): p is string => typeof p === 'string' && p !== '').join(', ');
}

function documentText(d: CertificateGuardian['document']): string {
  if (d === undefined) return '';
  return [d.type, d.country, d.number].filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

/**
 * Render a birth certificate as PDF bytes: the civil-register layout (registering office, the child's
 * recorded facts, registration number and date, parents/guardians) and the seals: the signed birth
 * credential as a `CRADLE2:` QR code and, when given, the guardianship credential as a second one.
 * Names in Latin (with diacritics), Arabic, Ethiopic, Devanagari, Bengali and Chinese are drawn with
 * embedded Noto subsets and shaped. The output is deterministic: the same content gives the same bytes.
 *
 * @example
 * ```ts
 * const pdf = await renderCertificatePdf({ birth }, { lang: 'fr', paper: 'a4' });
 * ```
 */
export async function renderCertificatePdf(content: CertificateContent, opts: CertificateOptions = {}): Promise<Uint8Array> {
  const labels = certificateLabels(opts.lang ?? 'en');
  const paper = opts.paper ?? 'a4';
  if (paper !== 'a4' && paper !== 'a5') throw new CradleError('INVALID_ARGUMENT', `Paper must be a4 or a5, not "${String(paper)}".`, { details: { field: 'paper' } });
  const page = PAGES[paper];
  const claims = content.birth.claims;
  const doc = new PDFDocument({
    size: paper.toUpperCase(),
    margin: 0,
    compress: true,
    lang: labels.lang,
    info: {
      Title: `${labels.title} ${printable(claims.registrationNumber)}`,
      Creator: 'Cradle',
      Producer: 'Cradle (pdfkit)',
      // Fixed from the record, so that a reprint is byte-for-byte the same file.
      CreationDate: new Date(content.birth.issuedAt),
      ModDate: new Date(content.birth.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  layout(new Sheet(doc, page), content, labels, MODULE_MM[paper]);
  doc.end();
  await done;
  const out = Buffer.concat(chunks);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The page, top to bottom: frame, heading, the record (child, registration, parents, guardians), the
 * seals with their instructions, and the footer naming the issuer. Drawn in that order (the PDF's bytes
 * follow it, and a reprint must give the same bytes).
 */
function layout(sheet: Sheet, content: CertificateContent, l: CertificateLabels, moduleMm: number): void {
  drawFrame(sheet);
  const recordBottom = drawRecord(sheet, content, l, drawHeading(sheet, content.birth.claims, l));
  drawSeals(sheet, content, l, moduleMm, recordBottom);
  drawFooter(sheet, content, l);
}

/** The printable width inside the margins. */
function contentWidth(page: Page): number {
  return page.width - 2 * page.margin;
}

/** A double rule, as printed registers have. */
function drawFrame({ doc, page }: Sheet): void {
  doc.lineWidth(1.6).strokeColor(ACCENT).rect(page.margin / 2, page.margin / 2, page.width - page.margin, page.height - page.margin).stroke();
  doc.lineWidth(0.5).rect(page.margin / 2 + 4, page.margin / 2 + 4, page.width - page.margin - 8, page.height - page.margin - 8).stroke();
}

/** The registering office, the title and subtitle, and a rule under them; returns where the record starts. */
function drawHeading(sheet: Sheet, claims: BirthRegistrationClaims, l: CertificateLabels): number {
  const { doc, page } = sheet;
  const s = page.scale;
  const x0 = page.margin;
  const w = contentWidth(page);
  let y = page.margin + 4 * s;
  sheet.line(claims.registeringOffice.name, x0, y, { size: 12, weight: 700, color: ACCENT, maxWidth: w, align: 'center' });
  y += 17 * s;
  if (claims.registeringOffice.code !== undefined) {
    sheet.line(`${l.officeCode}: ${claims.registeringOffice.code}`, x0, y, { size: 8.5, color: MUTED, maxWidth: w, align: 'center' });
    y += 13 * s;
  }
  y += 6 * s;
  sheet.line(l.title, x0, y, { size: 22, weight: 700, maxWidth: w, align: 'center' });
  y += 30 * s;
  sheet.line(l.subtitle, x0, y, { size: 9.5, color: MUTED, maxWidth: w, align: 'center' });
  y += 18 * s;
  doc.lineWidth(0.8).strokeColor(ACCENT).moveTo(x0, y).lineTo(x0 + w, y).stroke();
  return y + 12 * s;
}

/** Writes the record's sections and label/value rows down the page from `y`. */
class RecordWriter {
  readonly #sheet: Sheet;
  readonly #labelW: number;
  y: number;

  constructor(sheet: Sheet, y: number) {
    this.#sheet = sheet;
    this.#labelW = contentWidth(sheet.page) * 0.34;
    this.y = y;
  }

  section(title: string): void {
    const { page } = this.#sheet;
    this.#sheet.line(title.toUpperCase(), page.margin, this.y, { size: 9, weight: 700, color: ACCENT, maxWidth: contentWidth(page) });
    this.y += 15 * page.scale;
  }

  /** One fact: its label on the left, its value (names `big`) on the right. */
  row(label: string, value: string, big = false): void {
    const { page } = this.#sheet;
    const s = page.scale;
    const x0 = page.margin;
    this.#sheet.line(label, x0 + 8 * s, this.y + (big ? 4 * s : 1 * s), { size: 9, color: MUTED, maxWidth: this.#labelW - 12 * s });
    this.#sheet.line(value, x0 + this.#labelW, this.y, { size: big ? 16 : 11.5, weight: big ? 700 : 400, maxWidth: contentWidth(page) - this.#labelW });
    this.y += (big ? 25 : 18) * s;
  }

  /** The space between two sections. */
  gap(): void {
    this.y += 6 * this.#sheet.page.scale;
  }
}

/** The child, the registration, the parents and (with a guardianship credential) the guardians; returns where it ends. */
function drawRecord(sheet: Sheet, content: CertificateContent, l: CertificateLabels, top: number): number {
  const claims = content.birth.claims;
  const out = new RecordWriter(sheet, top);
  out.section(l.child);
  out.row(l.givenName, claims.givenName, true);
  out.row(l.familyName, claims.familyName, true);
  out.row(l.birthDate, l.formatDate(claims.birthDate));
  out.row(l.sex, l.sexValues[claims.sex] ?? claims.sex);
  out.row(l.placeOfBirth, placeText(claims.placeOfBirth));
  if (claims.placeOfBirth.facility !== undefined) out.row(l.facility, claims.placeOfBirth.facility);
  out.gap();

  out.section(l.registration);
  out.row(l.registrationNumber, claims.registrationNumber);
  out.row(l.registrationDate, l.formatDate(claims.registrationDate));
  out.row(l.registeringOffice, claims.registeringOffice.name);
  out.gap();

  out.section(l.parents);
  if (claims.parents.length === 0) out.row('', l.noParents);
  for (const p of claims.parents.slice(0, 4)) out.row(l.parentRoles[p.role] ?? p.role, p.reference);
  const guardians = content.guardianship?.guardians ?? [];
  if (guardians.length > 0) {
    out.gap();
    out.section(l.guardians);
    for (const g of guardians.slice(0, 4)) {
      const who = g.name ?? g.id;
      const docText = documentText(g.document);
      out.row(l.parentRoles[g.role] ?? g.role, docText === '' ? who : `${who} — ${l.document}: ${docText}`);
    }
  }
  return out.y;
}

/** Height of the footer band at the foot of the page (points, before scaling). */
const FOOTER_H = 34;
/** Smallest width (points, before scaling) the instructions get beside the seals; below it they go above them. */
const MIN_INSTRUCTIONS_W = 110;

/** Where the seals go: their codes and sides, their top edge, the gap between them, and the room left for the instructions. */
interface SealPlacement {
  readonly codes: readonly Seal[];
  readonly sides: readonly number[];
  readonly top: number;
  readonly height: number;
  readonly gap: number;
  readonly width: number;
  readonly instructionsW: number;
}

/**
 * Size the seals (the birth credential's and, when given, the guardianship credential's) and place them
 * at the foot of the page, above the footer and their captions. Throws `TOO_LARGE` when they would
 * overlap the record that ends at `recordBottom`.
 */
function placeSeals(page: Page, content: CertificateContent, moduleMm: number, recordBottom: number): SealPlacement {
  const s = page.scale;
  const codes = [sealCode(encodeQrPayload(content.birth.jwt)), ...(content.guardianship === undefined ? [] : [sealCode(encodeQrPayload(content.guardianship.jwt))])];
  const sides = codes.map((code) => sealSide(code, moduleMm));
  const height = Math.max(...sides);
  const captionH = 14 * s;
  const top = page.height - page.margin - FOOTER_H * s - captionH - height;
  if (top < recordBottom + 4) {
    throw new CradleError('TOO_LARGE', 'The record does not fit on one page with its seals (too many parents or guardians, or very long names).');
  }
  const gap = codes.length > 1 ? 14 * s : 0;
  const width = sides.reduce((a, b) => a + b, 0) + gap;
  return { codes, sides, top, height, gap, width, instructionsW: contentWidth(page) - width - 12 * s };
}

/** The seals side by side, each with its caption, and how to check them: beside the seals, or above them on narrow paper. */
function drawSeals(sheet: Sheet, content: CertificateContent, l: CertificateLabels, moduleMm: number, recordBottom: number): void {
  const { doc, page } = sheet;
  const s = page.scale;
  const x0 = page.margin;
  const w = contentWidth(page);
  const at = placeSeals(page, content, moduleMm, recordBottom);
  const besideSeals = at.instructionsW >= MIN_INSTRUCTIONS_W * s;
  let sx = besideSeals ? x0 : x0 + (w - at.width) / 2;
  const captions = [l.birthSeal, l.guardianshipSeal];
  at.codes.forEach((code, i) => {
    const side = drawSeal(doc, code, sx, at.top + (at.height - at.sides[i]!), moduleMm);
    sheet.line(captions[i]!, sx, at.top + at.height + 2 * s, { size: 8.5, weight: 700, maxWidth: side, align: 'center' });
    sx += side + at.gap;
  });
  if (besideSeals) {
    const ix = x0 + at.width + 12 * s;
    const iy = sheet.paragraph(l.sealInstructions, ix, at.top + 4 * s, at.instructionsW, 8.5, INK);
    sheet.paragraph(l.bearerWarning, ix, iy + 6 * s, at.instructionsW, 8.5, ACCENT);
  } else {
    const iy = sheet.paragraph(`${l.sealInstructions} ${l.bearerWarning}`, x0, recordBottom + 2 * s, w, 7.5, INK);
    if (iy > at.top) throw new CradleError('TOO_LARGE', 'The record does not fit on one page with its seals.');
  }
}

/** Who issued the credential, its id, and that the paper was printed from it. */
function drawFooter(sheet: Sheet, content: CertificateContent, l: CertificateLabels): void {
  const { doc, page } = sheet;
  const s = page.scale;
  const x0 = page.margin;
  const w = contentWidth(page);
  const fy = page.height - page.margin - FOOTER_H * s + 6 * s;
  doc.lineWidth(0.4).strokeColor(MUTED).moveTo(x0, fy - 4 * s).lineTo(x0 + w, fy - 4 * s).stroke();
  sheet.line(`${l.issuedBy}: ${content.birth.issuer}`, x0, fy, { size: 7, color: MUTED, maxWidth: w });
  sheet.line(`${l.credentialId}: ${content.birth.id} — ${l.printedFrom}`, x0, fy + 10 * s, { size: 7, color: MUTED, maxWidth: w });
}
