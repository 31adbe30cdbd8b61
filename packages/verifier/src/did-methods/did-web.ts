import { CradleError, isCradleError, parseStrictJson, utf8Decode } from '@cradle/core';
import { keysFromDidDocument } from '../did-document-keys.js';
import { readBounded } from '../list-sources.js';

/** Largest did.json accepted (bytes, checked while streaming, before parsing). */
export const MAX_DID_WEB_DOCUMENT_BYTES = 64 * 1024;
/** How long one did.json fetch may take, connection to last byte. */
export const DID_WEB_TIMEOUT_MS = 10_000;

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const SEGMENT_RE = /^[A-Za-z0-9._~!$&'()*+,;=@-]{1,100}$/;
// Plain http only where the traffic never leaves the machine (tests, a co-located registrar).
const LOOPBACK_HOSTS = new Set(['127.0.0.1']);

/**
 * The URL of a `did:web` DID's document, per the did:web method spec: `did:web:example.org` ->
 * `https://example.org/.well-known/did.json`, `did:web:example.org:gov:registry` ->
 * `https://example.org/gov/registry/did.json`, a port as `%3A`. Plain `http` only for `127.0.0.1`.
 * `undefined` for anything that is not a well-formed did:web (never throws).
 *
 * @example
 * ```ts
 * didWebDocumentUrl('did:web:registry.gov.example:crvs') // 'https://registry.gov.example/crvs/did.json'
 * ```
 */
export function didWebDocumentUrl(did: string): string | undefined {
  if (typeof did !== 'string' || !did.startsWith('did:web:') || did.length > 256) return undefined;
  const [hostPart, ...path] = did.slice('did:web:'.length).split(':');
  if (hostPart === undefined) return undefined;
  const m = /^([^%]+)(?:%3[Aa]([0-9]{1,5}))?$/.exec(hostPart);
  if (m === null) return undefined;
  const host = m[1]!;
  const port = m[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  const loopback = LOOPBACK_HOSTS.has(host);
  if (!loopback && (!HOST_RE.test(host) || /^[0-9.]+$/.test(host))) return undefined;
  if (!path.every((s) => SEGMENT_RE.test(s) && s !== '.' && s !== '..')) return undefined;
  const origin = `${loopback ? 'http' : 'https'}://${host}${port === undefined ? '' : `:${port}`}`;
  return path.length === 0 ? `${origin}/.well-known/did.json` : `${origin}/${path.join('/')}/did.json`;
}

/** Whether `did` is a did:web (well-formed or not): such DIDs are resolved at sync time only. */
export function isDidWeb(did: string): boolean {
  return typeof did === 'string' && did.startsWith('did:web:');
}

/**
 * Fetch and check the DID document of a `did:web` issuer (sync time only: verification never reaches
 * the network). Bounded: {@link MAX_DID_WEB_DOCUMENT_BYTES}, {@link DID_WEB_TIMEOUT_MS}, no redirects
 * (a redirect could move resolution to a host the DID does not name). The document is accepted only
 * if its `id` is the DID and it has at least one key Cradle can verify with; keys are still extracted
 * defensively at verification time. Throws `CradleError` (`INVALID_ARGUMENT`, `RPC_UNREACHABLE`,
 * `NOT_FOUND`, `TOO_LARGE`, `MALFORMED`) with a message that says what was wrong.
 *
 * @example
 * ```ts
 * const document = await fetchDidWebDocument('did:web:registry.gov.example', fetch);
 * ```
 */
export async function fetchDidWebDocument(did: string, fetchFn: typeof fetch): Promise<unknown> {
  const url = didWebDocumentUrl(did);
  if (url === undefined) {
    throw new CradleError('INVALID_ARGUMENT', `${did} is not a did:web this checkpoint can resolve (https host names only; http only for 127.0.0.1)`);
  }
  let bytes: Uint8Array;
  try {
    const res = await fetchFn(url, { redirect: 'error', signal: AbortSignal.timeout(DID_WEB_TIMEOUT_MS), headers: { accept: 'application/did+json, application/json' } });
    if (res.status === 404) throw new CradleError('NOT_FOUND', `${url} answered 404: the registrar publishes no DID document there`);
    if (!res.ok) throw new CradleError('RPC_ERROR', `${url} answered HTTP ${res.status}`);
    bytes = await readBounded(res, MAX_DID_WEB_DOCUMENT_BYTES);
  } catch (e) {
    if (isCradleError(e)) throw e;
    if (e instanceof RangeError) throw new CradleError('TOO_LARGE', `${url}: the DID document is larger than ${MAX_DID_WEB_DOCUMENT_BYTES} bytes`);
    const why = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${DID_WEB_TIMEOUT_MS / 1000} s` : e instanceof Error ? e.message : String(e);
    throw new CradleError('RPC_UNREACHABLE', `could not fetch ${url}: ${why}`);
  }
  let document: unknown;
  try {
    document = parseStrictJson(utf8Decode(bytes), { maxBytes: MAX_DID_WEB_DOCUMENT_BYTES });
  } catch (e) {
    throw new CradleError('MALFORMED', `${url} is not a JSON DID document (${isCradleError(e) ? e.message : 'unreadable'})`);
  }
  if (typeof document !== 'object' || document === null || (document as { id?: unknown }).id !== did) {
    throw new CradleError('MALFORMED', `${url} is not the DID document of ${did} (its "id" differs)`);
  }
  if (keysFromDidDocument(did, document).length === 0) {
    throw new CradleError('MALFORMED', `the DID document at ${url} has no key this checkpoint can verify with (Ed25519, P-256, P-384 or secp256k1, as publicKeyJwk or publicKeyMultibase)`);
  }
  return document;
}
