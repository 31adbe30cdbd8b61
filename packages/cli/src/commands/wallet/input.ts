import { existsSync, statSync } from 'node:fs';
import { CradleError } from '@cradle/core';

/** Largest credential, presentation or challenge input the wallet reads. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Whether an argument names an existing file (a compact JWS or QR payload never does). */
export function looksLikeFile(input: string): boolean {
  // A compact JWS or QR payload is never an existing path; anything that is one is read as a file.
  try {
    return input.length < 4096 && existsSync(input) && statSync(input).isFile();
  } catch {
    return false;
  }
}

/** All of stdin as UTF-8, refusing more than {@link MAX_INPUT_BYTES}. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw new CradleError('TOO_LARGE', 'The input on stdin is too large to be a credential.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
