import { open, rename, rm } from 'node:fs/promises';
import { CradleError } from '@cradle/core';

/**
 * Write a file so that a reader sees the old bytes or the new ones, never half: the bytes go to a
 * temporary file beside `path`, are synced, then renamed over it. On any failure the temporary file is
 * removed and `path` is untouched; an unwritable place is an `INVALID_ARGUMENT` naming the file.
 *
 * @example
 * ```ts
 * await writeFileAtomic('certificate.pdf', pdf);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CradleError('INVALID_ARGUMENT', `Cannot write ${path}${code === undefined ? '' : ` (${code})`}: check that its folder exists and is writable. Nothing was written.`, { cause });
  }
}
