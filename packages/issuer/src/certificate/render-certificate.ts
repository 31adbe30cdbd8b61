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

function layout(sheet: Sheet, content: CertificateContent, l: CertificateLabels, moduleMm: number): void {
  const { doc, page } = sheet;
  const s = page.scale;
  const claims = content.birth.claims;
  const x0 = page.margin;
  const w = page.width - 2 * page.margin;

  // Frame: a double rule, as printed registers have.
  doc.lineWidth(1.6).strokeColor(ACCENT).rect(page.margin / 2, page.margin / 2, page.width - page.margin, page.height - page.margin).stroke();
  doc.lineWidth(0.5).rect(page.margin / 2 + 4, page.margin / 2 + 4, page.width - page.margin - 8, page.height - page.margin - 8).stroke();

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
  y += 12 * s;

  const labelW = w * 0.34;
  const valueX = x0 + labelW;
  const valueW = w - labelW;
  const section = (title: string): void => {
    sheet.line(title.toUpperCase(), x0, y, { size: 9, weight: 700, color: ACCENT, maxWidth: w });
    y += 15 * s;
  };
  const row = (label: string, value: string, big = false): void => {
    sheet.line(label, x0 + 8 * s, y + (big ? 4 * s : 1 * s), { size: 9, color: MUTED, maxWidth: labelW - 12 * s });
    sheet.line(value, valueX, y, { size: big ? 16 : 11.5, weight: big ? 700 : 400, maxWidth: valueW });
    y += (big ? 25 : 18) * s;
  };

  section(l.child);
  row(l.givenName, claims.givenName, true);
  row(l.familyName, claims.familyName, true);
  row(l.birthDate, l.formatDate(claims.birthDate));
  row(l.sex, l.sexValues[claims.sex] ?? claims.sex);
  row(l.placeOfBirth, placeText(claims.placeOfBirth));
  if (claims.placeOfBirth.facility !== undefined) row(l.facility, claims.placeOfBirth.facility);
  y += 6 * s;

  section(l.registration);
  row(l.registrationNumber, claims.registrationNumber);
  row(l.registrationDate, l.formatDate(claims.registrationDate));
  row(l.registeringOffice, claims.registeringOffice.name);
  y += 6 * s;

  section(l.parents);
  if (claims.parents.length === 0) row('', l.noParents);
  for (const p of claims.parents.slice(0, 4)) row(l.parentRoles[p.role] ?? p.role, p.reference);
  const guardians = content.guardianship?.guardians ?? [];
  if (guardians.length > 0) {
    y += 6 * s;
    section(l.guardians);
    for (const g of guardians.slice(0, 4)) {
      const who = g.name ?? g.id;
      const docText = documentText(g.document);
      row(l.parentRoles[g.role] ?? g.role, docText === '' ? who : `${who} — ${l.document}: ${docText}`);
    }
  }

  // Seals at the foot of the page, side by side, each with its caption.
  const birthPayload = sealCode(encodeQrPayload(content.birth.jwt));
  const guardianPayload = content.guardianship === undefined ? undefined : sealCode(encodeQrPayload(content.guardianship.jwt));
  const footerH = 34 * s;
  const captionH = 14 * s;
  const sides = [sealSide(birthPayload, moduleMm), ...(guardianPayload === undefined ? [] : [sealSide(guardianPayload, moduleMm)])];
  const sealH = Math.max(...sides);
  const sealTop = page.height - page.margin - footerH - captionH - sealH;
  if (sealTop < y + 4) {
    throw new CradleError('TOO_LARGE', 'The record does not fit on one page with its seals (too many parents or guardians, or very long names).');
  }
  const gap = guardianPayload === undefined ? 0 : 14 * s;
  const sealsW = sides.reduce((a, b) => a + b, 0) + gap;
  const instructionsW = w - sealsW - 12 * s;
  const sealsLeft = instructionsW >= 110 * s ? x0 : x0 + (w - sealsW) / 2;
  let sx = sealsLeft;
  const captions = [l.birthSeal, l.guardianshipSeal];
  [birthPayload, guardianPayload].forEach((payload, i) => {
    if (payload === undefined) return;
    const side = drawSeal(doc, payload, sx, sealTop + (sealH - sides[i]!), moduleMm);
    sheet.line(captions[i]!, sx, sealTop + sealH + 2 * s, { size: 8.5, weight: 700, maxWidth: side, align: 'center' });
    sx += side + gap;
  });
  if (instructionsW >= 110 * s) {
    const ix = x0 + sealsW + 12 * s;
    const iy = sheet.paragraph(l.sealInstructions, ix, sealTop + 4 * s, instructionsW, 8.5, INK);
    sheet.paragraph(l.bearerWarning, ix, iy + 6 * s, instructionsW, 8.5, ACCENT);
  } else {
    // Narrow paper: the instructions go above the seals, full width.
    const iy = sheet.paragraph(`${l.sealInstructions} ${l.bearerWarning}`, x0, y + 2 * s, w, 7.5, INK);
    if (iy > sealTop) throw new CradleError('TOO_LARGE', 'The record does not fit on one page with its seals.');
  }

  const fy = page.height - page.margin - footerH + 6 * s;
  doc.lineWidth(0.4).strokeColor(MUTED).moveTo(x0, fy - 4 * s).lineTo(x0 + w, fy - 4 * s).stroke();
  sheet.line(`${l.issuedBy}: ${content.birth.issuer}`, x0, fy, { size: 7, color: MUTED, maxWidth: w });
  sheet.line(`${l.credentialId}: ${content.birth.id} — ${l.printedFrom}`, x0, fy + 10 * s, { size: 7, color: MUTED, maxWidth: w });
}
