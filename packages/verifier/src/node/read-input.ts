import { readFile, stat } from 'node:fs/promises';
import { CradleError, utf8Decode } from '@cradle/core';
import { MAX_INPUT_CHARS } from '../input.js';
import { MAX_PNG_BYTES, isPng, readQrFromPng } from './png-qr.js';

/**
 * What the checkpoint was given on the command line: `-` (stdin), a file (text or a PNG photo of the
 * QR code), or the token / QR text itself. Returns the text to verify.
 */
export async function readVerifierInput(arg: string, stdin: () => Promise<Uint8Array> = readStdin): Promise<string> {
  if (arg === '-') return textOrQr(await stdin());
  if (arg.length < 4096 && !/^CRADLE\d:/.test(arg) && !/^ey[A-Za-z0-9_-]+\./.test(arg)) {
    let isFile = false;
    try {
      isFile = (await stat(arg)).isFile();
    } catch {
      isFile = false;
    }
    if (isFile) {
      const s = await stat(arg);
      if (s.size > MAX_PNG_BYTES) throw new CradleError('TOO_LARGE', `${arg} is ${s.size} bytes: far larger than any credential or QR image.`);
      return textOrQr(new Uint8Array(await readFile(arg)));
    }
  }
  return arg;
}

function textOrQr(bytes: Uint8Array): string {
  if (isPng(bytes)) return readQrFromPng(bytes);
  if (bytes.length > MAX_INPUT_CHARS * 4) return 'x'.repeat(MAX_INPUT_CHARS + 1); // let verification say TOO_LARGE
  return utf8Decode(bytes, 'MALFORMED');
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_PNG_BYTES) throw new CradleError('TOO_LARGE', 'The input on stdin is far larger than any credential or QR image.');
    chunks.push(b);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
