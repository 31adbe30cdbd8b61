import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ListSource } from '../list-sources.js';
import { mirrorCandidates } from '../list-sources.js';

/**
 * A directory of signed lists (a USB stick, a shared folder): files named like the last segment of
 * the list URL, `status/<name>`, or `<digest>.jwt`. Contents are untrusted; sync checks each against
 * the anchored digest.
 *
 * @example
 * ```ts
 * await sync({ store, mirrors: [directoryMirror('/media/usb/cradle')] });
 * ```
 */
export function directoryMirror(dir: string): ListSource {
  const root = resolve(dir);
  return {
    name: `dir:${root}`,
    async get(anchor, maxBytes) {
      const found: Uint8Array[] = [];
      for (const name of mirrorCandidates(anchor)) {
        const path = join(root, name);
        if (!path.startsWith(root)) continue;
        try {
          const s = await stat(path);
          if (!s.isFile() || s.size > maxBytes) continue;
          found.push(new Uint8Array(await readFile(path)));
        } catch {
          // not there: try the next name
        }
      }
      return found;
    },
  };
}

/** Turn CLI `--mirror` values into sources: http(s) URLs stay URLs, anything else is a directory. */
export function mirrorsFromArgs(values: readonly string[]): (string | ListSource)[] {
  return values.map((v) => (/^https?:\/\//i.test(v) ? v : directoryMirror(v)));
}
