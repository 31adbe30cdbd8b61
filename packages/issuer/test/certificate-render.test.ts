// The printed certificate as a person sees it: each PDF is rasterised by poppler's pdftoppm (the
// Debian package poppler-utils) and the checks look at pixels, not at the PDF's text layer.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { fontBytes, textRuns, uncoveredCharacters } from '../src/certificate/certificate-fonts.js';
import { CERTIFICATE_LANGUAGES, renderCertificatePdf } from '../src/index.js';
import type { CertificateContent } from '../src/index.js';
import { sampleClaims } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cradle-certificate-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A structurally valid compact JWS: the renderer only encodes it into the seal. */
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWS = `${b64({ alg: 'EdDSA', typ: 'vc+jwt' })}.${b64({ credentialSubject: { givenName: 'x'.repeat(600) } })}.${Buffer.alloc(64, 7).toString('base64url')}`;

function content(names: { givenName?: string; familyName?: string } = {}): CertificateContent {
  const claims = { ...sampleClaims(), ...names } as unknown as CertificateContent['birth']['claims'];
  return { birth: { id: 'urn:uuid:00000000-0000-4000-8000-000000000001', jwt: JWS, issuer: 'did:ethr:0x7a69:0x00000000000000000000000000000000000000aa', claims, issuedAt: '2025-03-21T10:00:00.000Z' } };
}

interface Gray {
  width: number;
  height: number;
  px: Uint8Array;
}

let seq = 0;
/** Rasterise page 1 of a PDF with pdftoppm into an 8-bit grey image (PGM). */
function rasterise(pdf: Uint8Array, dpi: number): Gray {
  const base = join(dir, `r${seq++}`);
  writeFileSync(`${base}.pdf`, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', `${base}.pdf`, base]);
  const pgm = readFileSync(`${base}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), px: pgm.subarray(header[0].length) };
}

/** The pixels where two renderings differ (dark in `a`), with their bounding box. */
function inkDiff(a: Gray, b: Gray): { count: number; box: { x0: number; y0: number; x1: number; y1: number } } {
  let count = 0;
  const box = { x0: Infinity, y0: Infinity, x1: -1, y1: -1 };
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.width + x;
      if (a.px[i]! < 128 && b.px[i]! >= 128) {
        count++;
        box.x0 = Math.min(box.x0, x);
        box.y0 = Math.min(box.y0, y);
        box.x1 = Math.max(box.x1, x);
        box.y1 = Math.max(box.y1, y);
      }
    }
  }
  return { count, box };
}

/** Binarised crop of a box, for comparing two drawings of the same string. */
function crop(g: Gray, box: { x0: number; y0: number; x1: number; y1: number }): boolean[][] {
  const rows: boolean[][] = [];
  for (let y = box.y0; y <= box.y1; y++) {
    const row: boolean[] = [];
    for (let x = box.x0; x <= box.x1; x++) row.push(g.px[y * g.width + x]! < 128);
    rows.push(row);
  }
  return rows;
}

/** 1 - |A ∩ B| / |A ∪ B| of two binary images aligned at their top-left corners. */
function dissimilarity(a: boolean[][], b: boolean[][]): number {
  let inter = 0;
  let union = 0;
  for (let y = 0; y < Math.max(a.length, b.length); y++) {
    for (let x = 0; x < Math.max(a[0]?.length ?? 0, b[0]?.length ?? 0); x++) {
      const p = a[y]?.[x] === true;
      const q = b[y]?.[x] === true;
      if (p && q) inter++;
      if (p || q) union++;
    }
  }
  return union === 0 ? 0 : 1 - inter / union;
}

/** Connected groups of ink (8-neighbourhood) larger than a speck: separate letters or strokes. */
function components(img: boolean[][]): number {
  const seen = img.map((row) => row.map(() => false));
  let n = 0;
  for (let y = 0; y < img.length; y++) {
    for (let x = 0; x < img[y]!.length; x++) {
      if (!img[y]![x] || seen[y]![x]) continue;
      let size = 0;
      const stack: [number, number][] = [[y, x]];
      seen[y]![x] = true;
      while (stack.length > 0) {
        const [cy, cx] = stack.pop()!;
        size++;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const ny = cy + dy;
            const nx = cx + dx;
            if (img[ny]?.[nx] === true && !seen[ny]![nx]) {
              seen[ny]![nx] = true;
              stack.push([ny, nx]);
            }
          }
        }
      }
      if (size >= 6) n++;
    }
  }
  return n;
}

/** What a renderer without the right font draws: the string in the Latin Noto Sans Bold only (.notdef boxes). */
async function tofuReference(text: string, dpi: number): Promise<Gray> {
  const latin = textRuns('A', 700)[0]!.face!;
  const doc = new PDFDocument({ size: 'A4', margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => doc.on('end', r));
  doc.registerFont('latin', fontBytes(latin)).font('latin').fontSize(16).text(text, 100, 100, { lineBreak: false });
  doc.end();
  await done;
  return rasterise(Buffer.concat(chunks), dpi);
}

const DPI = 100;
const NAMES: Record<string, string> = {
  Arabic: 'محمد أمين',
  Amharic: 'ገብረ መድኅን',
  Devanagari: 'प्रिया शर्मा',
  Bengali: 'রবীন্দ্রনাথ ঠাকুর',
  Chinese: '王秀英',
  'Latin with diacritics': 'Zoë Łódź-Nguyễn Ñandú',
};

describe('names in every script render on the printed sheet', () => {
  let blank: Gray | undefined;
  const blankPage = async (): Promise<Gray> => (blank ??= rasterise(await renderCertificatePdf(content({ givenName: ' ' })), DPI));

  for (const [script, name] of Object.entries(NAMES)) {
    it(`${script}: the given name has ink on the rendered page, every character has a font, and it is not drawn as empty boxes`, async () => {
      expect(uncoveredCharacters(name)).toEqual([]);
      const page = rasterise(await renderCertificatePdf(content({ givenName: name })), DPI);
      const ink = inkDiff(page, await blankPage());
      // A 16 pt bold name at 100 dpi: each glyph is dozens of dark pixels.
      expect(ink.count, `${script} name ink`).toBeGreaterThan(40 * [...name.replace(/\s/g, '')].length * (script === 'Chinese' ? 2 : 1) * 0.5);
      const ours = crop(page, ink.box);
      const tofu = await tofuReference(name, DPI);
      const tofuInk = inkDiff(tofu, { ...tofu, px: new Uint8Array(tofu.px.length).fill(255) });
      if (script === 'Latin with diacritics') return; // the Latin font is the right font here
      expect(dissimilarity(ours, crop(tofu, tofuInk.box)), `${script} name vs .notdef boxes`).toBeGreaterThan(0.3);
    });
  }

  it('Arabic letters are joined (shaped), not drawn as isolated letters', async () => {
    // محمد is one connected stroke when shaped (every letter joins the next). U+200C (zero-width
    // non-joiner) between the letters forces the isolated forms: four separate shapes. A renderer that
    // does not shape draws the isolated forms in both cases.
    const base = await blankPage();
    const joinedPage = rasterise(await renderCertificatePdf(content({ givenName: 'محمد' })), DPI);
    const isolatedPage = rasterise(await renderCertificatePdf(content({ givenName: 'م\u200cح\u200cم\u200cد' })), DPI);
    const joined = components(crop(joinedPage, inkDiff(joinedPage, base).box));
    const isolated = components(crop(isolatedPage, inkDiff(isolatedPage, base).box));
    expect(isolated).toBeGreaterThanOrEqual(4);
    expect(joined).toBeLessThanOrEqual(2);
  });
});

describe('the certificate file', () => {
  it('the same record gives byte-for-byte the same PDF (a reprint is the same document)', async () => {
    const a = await renderCertificatePdf(content(), { lang: 'fr' });
    const b = await renderCertificatePdf(content(), { lang: 'fr' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('labels come in every offered language, and an unknown language is refused with the list', async () => {
    expect(Object.keys(CERTIFICATE_LANGUAGES)).toEqual(expect.arrayContaining(['en', 'fr']));
    for (const labels of Object.values(CERTIFICATE_LANGUAGES)) {
      for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') expect(value.trim(), `${labels.lang}.${key}`).not.toBe('');
    }
    await expect(renderCertificatePdf(content(), { lang: 'xx' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('en, fr') });
  });

  it('control characters and bidi overrides in a name never reach the paper', async () => {
    const clean = rasterise(await renderCertificatePdf(content({ givenName: 'Amina' })), DPI);
    const tricked = rasterise(await renderCertificatePdf(content({ givenName: '\u202eAmina\u0007' })), DPI);
    expect(inkDiff(tricked, clean).count + inkDiff(clean, tricked).count).toBe(0);
  });
});

describe('the page layout', () => {
  interface Word {
    text: string;
    x: number;
    y: number;
    right: number;
  }
  /** The words on page 1 with their boxes, as poppler's pdftotext -bbox reads them. */
  function words(pdf: Uint8Array): Word[] {
    const file = join(dir, `w${seq++}.pdf`);
    writeFileSync(file, pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
      text: m[4]!,
      x: Number(m[1]),
      y: Number(m[2]),
      right: Number(m[3]),
    }));
  }
  const at = (ws: Word[], text: string, nth = 0): Word => {
    const found = ws.filter((w) => w.text === text)[nth];
    if (found === undefined) throw new Error(`"${text}" (#${nth + 1}) is not on the page`);
    return found;
  };
  /** A compact JWS whose payload does not compress: the seal grows with `n`, the same seal on every run. */
  const sizedJws = (n: number): string => {
    let note = '';
    for (let h = Buffer.alloc(0); note.length < n; ) {
      h = createHash('sha256').update(h).digest();
      note += h.toString('base64url');
    }
    return `${b64({ alg: 'EdDSA', typ: 'vc+jwt' })}.${b64({ note: note.slice(0, n) })}.${Buffer.alloc(64, 7).toString('base64url')}`;
  };
  const withSeals = (n: number): CertificateContent => {
    const base = content();
    return {
      birth: { ...base.birth, jwt: sizedJws(n) },
      guardianship: { id: 'urn:uuid:00000000-0000-4000-8000-000000000002', jwt: sizedJws(n), guardians: [{ id: 'did:key:z6MkGuardian', role: 'mother', name: 'Amina' }] },
    };
  };

  it('the page reads top to bottom: office, title, the record section by section, the seals with their captions, the footer', async () => {
    const ws = words(await renderCertificatePdf(withSeals(200)));
    const order = [at(ws, 'Office'), at(ws, 'Certificate'), at(ws, 'CHILD'), at(ws, 'REGISTRATION'), at(ws, 'PARENTS'), at(ws, 'ADULTS'), at(ws, 'Seal'), at(ws, 'Issued'), at(ws, 'Record:')];
    for (let i = 1; i < order.length; i++) expect(order[i]!.y, `${order[i]!.text} below ${order[i - 1]!.text}`).toBeGreaterThan(order[i - 1]!.y);
    // Each fact: the label on the left, the value in the column to its right, on the same line.
    const label = at(ws, 'Given');
    const value = at(ws, (sampleClaims().givenName as string).split(' ')[0]!);
    expect(value.x).toBeGreaterThan(label.right);
    expect(Math.abs(value.y - label.y)).toBeLessThan(8);
    // The guardianship seal stands beside the birth seal, captions on one line.
    expect(at(ws, 'Seal', 1).y).toBeCloseTo(at(ws, 'Seal').y, 0);
    expect(at(ws, 'Seal', 1).x).toBeGreaterThan(at(ws, 'Seal').right);
  });

  it('the instructions stand beside the seals while there is room, and above them, full width, when two seals leave none', async () => {
    const beside = words(await renderCertificatePdf(withSeals(200), { paper: 'a5' }));
    expect(at(beside, 'To').x).toBeGreaterThan(at(beside, 'Seal', 1).right);
    expect(at(beside, 'To').y).toBeGreaterThan(at(beside, 'ADULTS').y);
    const above = words(await renderCertificatePdf(withSeals(400), { paper: 'a5' }));
    expect(at(above, 'To').x).toBeLessThan(at(above, 'Seal').x + 1);
    expect(at(above, 'To').y).toBeLessThan(at(above, 'Seal').y);
    expect(at(above, 'To').y).toBeGreaterThan(at(above, 'ADULTS').y);
  });

  it('a record that cannot fit above its seals is refused (TOO_LARGE), never drawn over them', async () => {
    // The seals alone reach into the record; then the instructions above the seals would.
    await expect(renderCertificatePdf(withSeals(1400), { paper: 'a5' })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('too many parents or guardians') });
    await expect(renderCertificatePdf(withSeals(1000), { paper: 'a5' })).rejects.toMatchObject({ code: 'TOO_LARGE', message: 'The record does not fit on one page with its seals.' });
    await expect(renderCertificatePdf(withSeals(800), { paper: 'a5' })).resolves.toBeInstanceOf(Uint8Array);
  });
});
