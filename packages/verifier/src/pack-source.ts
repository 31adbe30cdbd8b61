import { CradleError, decodeStatusListPack, utf8Encode } from '@cradle/core';
import type { ListSource } from './list-sources.js';
import { readBounded } from './list-sources.js';
import { MAX_STATUS_LIST_BYTES, digestOf } from './status-list-credential.js';

/** Largest status-list pack a checkpoint downloads or decompresses (16 MiB). */
export const MAX_STATUS_PACK_BYTES = 16 * 1024 * 1024;
/** Most lists one pack may carry. */
export const MAX_STATUS_PACK_LISTS = 10_000;

/**
 * A status-list pack (docs/formats.md, "Status-list pack") as a list source: `load` runs at most once
 * for the life of the source (the promise is shared; create one source per sync, as `sync` does for
 * URLs), the pack is decoded within bounds and each rebuilt JWS is indexed by its sha256. `get(anchor)`
 * returns the one whose digest is the anchored digest, or nothing. A pack that fails to load or decode
 * makes every `get` throw, which sync reports like any source failure. The pack needs no trust: sync
 * still checks each returned list's digest and signature.
 *
 * @example
 * ```ts
 * await sync({ store, packs: [packSource('usb pack', async () => bytesFromSomewhere)] });
 * ```
 */
export function packSource(name: string, load: () => Promise<Uint8Array>): ListSource {
  let index: Promise<Map<string, Uint8Array>> | undefined;
  const indexed = (): Promise<Map<string, Uint8Array>> => {
    index ??= (async () => {
      const bytes = await load();
      if (bytes.length > MAX_STATUS_PACK_BYTES) throw new RangeError(`the pack is ${bytes.length} bytes, over the ${MAX_STATUS_PACK_BYTES} limit`);
      let lists: string[];
      try {
        lists = decodeStatusListPack(bytes, { maxBytes: MAX_STATUS_PACK_BYTES, maxLists: MAX_STATUS_PACK_LISTS });
      } catch (e) {
        throw new CradleError('MALFORMED', `not a usable status-list pack (${e instanceof Error ? e.message : String(e)})`);
      }
      const byDigest = new Map<string, Uint8Array>();
      for (const jws of lists) {
        const encoded = utf8Encode(jws);
        if (encoded.length > MAX_STATUS_LIST_BYTES) continue; // sync would refuse it anyway
        byDigest.set(digestOf(encoded), encoded);
      }
      return byDigest;
    })();
    return index;
  };
  return {
    name,
    async get(anchor, maxBytes) {
      const found = (await indexed()).get(anchor.digest.toLowerCase());
      return found === undefined || found.length > maxBytes ? [] : [found];
    },
  };
}

/**
 * A status-list pack served over HTTP(S), e.g. a registrar's `GET /status-pack`. Fetched once per
 * source, bounded while streaming.
 *
 * @example
 * ```ts
 * await sync({ store, packs: [httpPackSource('https://registrar.example/status-pack')] });
 * ```
 */
export function httpPackSource(url: string, fetchFn: typeof fetch = globalThis.fetch): ListSource {
  return packSource(`pack:${url}`, async () => {
    const res = await fetchFn(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return readBounded(res, MAX_STATUS_PACK_BYTES);
  });
}
