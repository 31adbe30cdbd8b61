import type { AnchorRecord } from './store.js';

/**
 * A place signed status lists (or trust lists) can be fetched from: the anchored URI, an HTTP mirror,
 * a directory (Node adapter), a bundle. Sources are untrusted: whatever they return is accepted only
 * if its digest equals the anchor.
 */
export interface ListSource {
  /** For reports: `https://mirror.example/`, `dir:/media/usb`. */
  readonly name: string;
  /** Candidate bytes for this anchor (possibly none; the caller checks each against the digest). May throw. */
  get(anchor: AnchorRecord, maxBytes: number): Promise<Uint8Array[]>;
}

/** Read a fetch response body, refusing more than `maxBytes` (checked while streaming). */
export async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new RangeError(`response is ${declared} bytes, over the ${maxBytes} limit`);
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RangeError(`response is over the ${maxBytes} byte limit`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

async function fetchBytes(fetchFn: typeof fetch, url: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const res = await fetchFn(url, { redirect: 'follow', signal: AbortSignal.timeout(15_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return readBounded(res, maxBytes);
}

/** The URI the registrar anchored (http or https only). */
export function anchoredUriSource(fetchFn: typeof fetch): ListSource {
  return {
    name: 'anchored URI',
    async get(anchor, maxBytes) {
      if (!/^https?:\/\//i.test(anchor.uri)) return [];
      const bytes = await fetchBytes(fetchFn, anchor.uri, maxBytes);
      return bytes === undefined ? [] : [bytes];
    },
  };
}

/** File names a mirror may use for a list: its last URI segment, or its digest. */
export function mirrorCandidates(anchor: AnchorRecord): string[] {
  let last = '';
  try {
    last = decodeURIComponent(new URL(anchor.uri).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    last = '';
  }
  const digest = anchor.digest.toLowerCase().replace(/^0x/, '');
  const safe = /^[A-Za-z0-9._-]{1,200}$/.test(last) && last !== '.' && last !== '..' ? [last, `status/${last}`, `${last}.jwt`] : [];
  return [...safe, `${digest}.jwt`, digest];
}

/**
 * An HTTP(S) mirror: tries `<base>/<list name>`, `<base>/status/<list name>`, `<base>/<digest>.jwt`.
 *
 * @example
 * ```ts
 * await sync({ store, mirrors: [httpMirror('https://mirror.ngo.example/cradle/')] });
 * ```
 */
export function httpMirror(baseUrl: string, fetchFn: typeof fetch = globalThis.fetch): ListSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    name: base,
    async get(anchor, maxBytes) {
      let lastError: unknown;
      const found: Uint8Array[] = [];
      for (const c of mirrorCandidates(anchor)) {
        try {
          const bytes = await fetchBytes(fetchFn, new URL(c, base).toString(), maxBytes);
          if (bytes !== undefined) found.push(bytes);
        } catch (e) {
          lastError = e;
        }
      }
      if (found.length === 0 && lastError !== undefined) throw lastError;
      return found;
    },
  };
}
