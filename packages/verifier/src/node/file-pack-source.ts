import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ListSource } from '../list-sources.js';
import { MAX_STATUS_PACK_BYTES, packSource, packTooLarge } from '../pack-source.js';

/**
 * A status-list pack file (e.g. copied from a registrar's `/status-pack` onto a USB stick), read at
 * most once per source. Contents are untrusted; sync checks each list against the anchored digest.
 *
 * @example
 * ```ts
 * await sync({ store, packs: [filePackSource('/media/usb/cradle.pack')] });
 * ```
 */
export function filePackSource(path: string): ListSource {
  const file = resolve(path);
  return packSource(`pack:${file}`, async () => {
    const s = await stat(file);
    if (!s.isFile()) throw new Error(`${file} is not a file`);
    if (s.size > MAX_STATUS_PACK_BYTES) throw packTooLarge(`pack:${file}`, s.size);
    return new Uint8Array(await readFile(file));
  });
}

/** Turn CLI `--pack` values into sources: http(s) URLs fetch the pack, anything else is a file. */
export function packsFromArgs(values: readonly string[]): (string | ListSource)[] {
  return values.map((v) => (/^https?:\/\//i.test(v) ? v : filePackSource(v)));
}
