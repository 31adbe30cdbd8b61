/**
 * A fake-camera feed of a real printed birth certificate: the PDF from the issuer's own renderer
 * (`renderCertificatePdf`), rasterised by poppler's `pdftoppm` (the renderer the certificate tests and
 * CI use) at 150 dpi in grey, and framed as a phone held over the seals would see it: the lower part of
 * the page, where both seals sit, in a 1280x720 picture.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderCertificatePdf } from '@cradle/issuer';
import type { CertificateGuardian } from '@cradle/issuer';
import type { BirthRegistrationClaims } from '@cradle/core';
import { lumaVideoY4m } from './y4m.js';

const run = promisify(execFile);
const FRAME = { width: 1280, height: 720 };

/** A grey-scale picture: one byte per pixel, rows top to bottom. */
export interface GreyImage {
  width: number;
  height: number;
  luma: Uint8Array;
}

/** Reads a binary PGM (P5, 8-bit), what `pdftoppm -gray` writes. */
export function readPgm(bytes: Uint8Array): GreyImage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 64)));
  if (!header) throw new Error('not an 8-bit binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const luma = bytes.subarray(header[0].length, header[0].length + width * height);
  if (luma.length !== width * height) throw new Error('truncated PGM');
  return { width, height, luma };
}

/** Renders page 1 of `pdf` with pdftoppm at `dpi`, in grey. */
export async function rasterise(pdf: Uint8Array, dir: string, name: string, dpi = 150): Promise<GreyImage> {
  const pdfPath = path.join(dir, `${name}.pdf`);
  await writeFile(pdfPath, pdf);
  await run('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', pdfPath, path.join(dir, name)]);
  return readPgm(new Uint8Array(await readFile(path.join(dir, `${name}.pgm`))));
}

/**
 * The 1280x720 frame a phone held over the seals sees: the page's lower part (above the outer margin),
 * centred on white.
 */
export function sealFrame(page: GreyImage): Uint8Array {
  const frame = new Uint8Array(FRAME.width * FRAME.height).fill(235);
  const margin = Math.round(page.height * 0.025); // the frame around the sheet, below the footer
  const top = Math.max(0, page.height - margin - FRAME.height);
  const cols = Math.min(page.width, FRAME.width);
  const left = Math.floor((FRAME.width - cols) / 2);
  for (let y = 0; y < FRAME.height && top + y < page.height; y++) {
    const row = page.luma.subarray((top + y) * page.width, (top + y) * page.width + cols);
    frame.set(row, y * FRAME.width + left);
  }
  return frame;
}

/** What to print: the credentials (id + token) and the claims printed beside the seals. */
export interface PrintedCertificate {
  issuer: string;
  claims: Record<string, unknown>;
  birth: { id: string; jwt: string };
  guardianship: { id: string; jwt: string };
  guardians: readonly CertificateGuardian[];
}

/**
 * Prints a certificate (A4, English) with the issuer's renderer, then makes its fake-camera video and
 * whole-page scan ({@link certificateVideo}).
 */
export async function writeCertificateVideo(dir: string, name: string, c: PrintedCertificate): Promise<{ video: string; frame: Uint8Array; scan: string }> {
  const pdf = await renderCertificatePdf({
    birth: { id: c.birth.id, jwt: c.birth.jwt, issuer: c.issuer, claims: c.claims as unknown as BirthRegistrationClaims, issuedAt: '2025-03-21T09:00:00Z' },
    guardianship: { id: c.guardianship.id, jwt: c.guardianship.jwt, guardians: c.guardians },
  });
  return certificateVideo(dir, name, pdf);
}

/**
 * A certificate PDF (e.g. from `cradle registrar certificate`), rasterised at 150 dpi: a Y4M fake-camera
 * video of its seals and a PNG scan of the whole page (what an officer picks as a photo).
 */
export async function certificateVideo(dir: string, name: string, pdf: Uint8Array): Promise<{ video: string; frame: Uint8Array; scan: string }> {
  const frame = sealFrame(await rasterise(pdf, dir, name));
  const video = path.join(dir, `${name}.y4m`);
  await writeFile(video, lumaVideoY4m([frame, frame], { ...FRAME, fps: 5 }));
  await run('pdftoppm', ['-r', '150', '-png', '-singlefile', path.join(dir, `${name}.pdf`), path.join(dir, `${name}-scan`)]);
  return { video, frame, scan: path.join(dir, `${name}-scan.png`) };
}
