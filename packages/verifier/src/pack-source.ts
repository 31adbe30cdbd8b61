import { CradleError, isCradleError, readStatusListPack, utf8Encode } from '@cradle/core';
import type { ListSource } from './list-sources.js';
import { readBounded } from './list-sources.js';
import { MAX_STATUS_LIST_BYTES, digestOf } from './status-list-credential.js';

/** Largest status-list pack a checkpoint downloads or decompresses (16 MiB). */
export const MAX_STATUS_PACK_BYTES = 16 * 1024 * 1024;
/** Most lists one pack may carry. */
export const MAX_STATUS_PACK_LISTS = 10_000;

/** `PACK_INVALID` for a pack over {@link MAX_STATUS_PACK_BYTES}: what was wrong and what to do. */
export function packTooLarge(name: string, bytes?: number): CradleError {
  return new CradleError(
    'PACK_INVALID',
    `The status-list pack ${name} is ${bytes === undefined ? 'larger than' : `${bytes} bytes, over`} the ${MAX_STATUS_PACK_BYTES} bytes a checkpoint accepts: nothing was taken from it. Ask the registrar for a pack of only the lists this checkpoint follows, or sync online.`,
    { details: { pack: name, reason: 'too-large' } },
  );
}

/** `PACK_INVALID` for a pack the codec refused (damaged, not a pack, inflates past the limit). */
function packRefused(name: string, e: unknown): CradleError {
  const details = isCradleError(e) ? e.details : undefined;
  const reason = isCradleError(e, 'DECOMPRESSION_LIMIT') ? 'too-large' : typeof details?.reason === 'string' ? details.reason : 'damaged';
  const why = e instanceof Error ? e.message : String(e);
  const todo =
    reason === 'magic'
      ? 'Check that the file is a status-list pack (a registrar\'s GET /status-pack), not a bundle or a list.'
      : reason === 'too-large'
        ? 'Ask the registrar for a pack of only the lists this checkpoint follows, or sync online.'
        : 'Copy or download the pack again (the copy here is cut short or altered) and run sync again.';
  return new CradleError('PACK_INVALID', `The status-list pack ${name} was refused, nothing was taken from it: ${why} ${todo}`, {
    cause: e,
    details: { pack: name, reason },
  });
}

/** A list the checkpoint holds: named in a delta request, and the base that deltas are rebuilt from. */
export interface PackBase {
  readonly listId: string;
  readonly version: number;
  /** The compact JWS held (exactly as accepted: its sha256 is the anchored digest of `version`). */
  readonly jwt: string;
}

/** Options of {@link packSource}. */
export interface PackSourceOptions {
  /** Lists held, against which delta entries are rebuilt. */
  readonly bases?: readonly PackBase[];
}

/**
 * A status-list pack (docs/formats.md, "Status-list pack") as a list source: `load` runs at most once
 * for the life of the source (the promise is shared; create one source per sync, as `sync` does for
 * URLs), the pack is decoded within bounds and each rebuilt JWS is indexed by its sha256. `get(anchor)`
 * returns the one whose digest is the anchored digest, or nothing. A pack that fails to load makes every
 * `get` throw, which sync reports like any source failure; a pack that is too large, damaged (the
 * `CSLP3` checksum catches truncation and altered bytes) or not a pack throws `PACK_INVALID`, which
 * sync also reports once for the pack itself: nothing is taken from it, never part of it. The pack needs no trust: sync
 * still checks each returned list's digest and signature.
 *
 * @example
 * ```ts
 * await sync({ store, packs: [packSource('usb pack', async () => bytesFromSomewhere)] });
 * ```
 */
export function packSource(name: string, load: () => Promise<Uint8Array>, opts: PackSourceOptions = {}): ListSource {
  let index: Promise<Map<string, Uint8Array>> | undefined;
  const indexed = (): Promise<Map<string, Uint8Array>> => {
    index ??= (async () => {
      const bytes = await load();
      if (bytes.length > MAX_STATUS_PACK_BYTES) throw packTooLarge(name, bytes.length);
      let lists: string[];
      try {
        // Delta entries whose base is not held are left out: their lists are then fetched whole.
        lists = readStatusListPack(bytes, { maxBytes: MAX_STATUS_PACK_BYTES, maxLists: MAX_STATUS_PACK_LISTS, bases: (opts.bases ?? []).map((b) => b.jwt) }).lists;
      } catch (e) {
        throw packRefused(name, e);
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

/** Options of {@link httpPackSource}. */
export interface HttpPackSourceOptions {
  /**
   * Lists the checkpoint holds. When given, the pack is asked for with `?since=<listId>:<version>,...`
   * (only what changed, as deltas against these); anything the delta pack does not deliver is then
   * looked up in the full pack, fetched at most once (fallback on any mismatch).
   */
  readonly bases?: readonly PackBase[];
}

/**
 * Most lists named in one `since` request: 150 items of ~75 characters stay under Node's default 16 KiB
 * request-header limit. Lists not named still arrive, whole, in the same pack.
 */
const MAX_SINCE_ITEMS = 150;

/**
 * A status-list pack served over HTTP(S), e.g. a registrar's `GET /status-pack`. Fetched once per
 * source, bounded while streaming. With `bases`, asks for deltas first (docs/formats.md, "Delta
 * sync") and falls back to the full pack for any list the deltas did not rebuild to the anchored digest.
 *
 * @example
 * ```ts
 * await sync({ store, packs: [httpPackSource('https://registrar.example/status-pack')] });
 * ```
 */
export function httpPackSource(url: string, fetchFn: typeof fetch = globalThis.fetch, opts: HttpPackSourceOptions = {}): ListSource {
  const fetchPack = async (target: string): Promise<Uint8Array> => {
    const res = await fetchFn(target, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    try {
      return await readBounded(res, MAX_STATUS_PACK_BYTES);
    } catch (e) {
      throw e instanceof RangeError ? packTooLarge(`pack:${url}`) : e;
    }
  };
  const full = packSource(`pack:${url}`, () => fetchPack(url));
  const bases = (opts.bases ?? []).filter((b) => /^0x[0-9a-f]{64}$/i.test(b.listId) && Number.isSafeInteger(b.version) && b.version > 0).slice(0, MAX_SINCE_ITEMS);
  if (bases.length === 0) return full;
  const since = bases.map((b) => `${b.listId.toLowerCase()}:${b.version}`).join(',');
  const deltaUrl = `${url}${url.includes('?') ? '&' : '?'}since=${since}`;
  const delta = packSource(`pack:${url} (since)`, () => fetchPack(deltaUrl), { bases });
  return {
    name: `pack:${url}`,
    async get(anchor, maxBytes) {
      let found: Uint8Array[] = [];
      try {
        found = await delta.get(anchor, maxBytes);
      } catch {
        found = []; // a registrar without delta support, or a bad delta pack: the full pack decides
      }
      return found.length > 0 ? found : full.get(anchor, maxBytes);
    },
  };
}
