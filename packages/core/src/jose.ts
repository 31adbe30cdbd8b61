import { normalizeMediaType } from './formats/media-types.js';
import { base64UrlDecode, base64UrlDecodeText, base64UrlEncode, utf8Encode } from './base64url.js';
import { CradleError } from './errors.js';
import { parseStrictJson } from './strict-json.js';

/** JWS algorithms Cradle signs and verifies (RFC 8725 §3.1: an explicit allow-list). */
export type JwsAlgorithm = 'EdDSA' | 'ES256K' | 'ES256' | 'ES384';

/** The allow-list, default first. */
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['EdDSA', 'ES256K', 'ES256', 'ES384'];


export { MEDIA_TYPE_JOSE_JSON, MEDIA_TYPE_VC_JWT, TYP_JWT, TYP_VC_JWT, TYP_VP_JWT, normalizeMediaType } from './formats/media-types.js';

/** Default size limit for {@link decodeJws} (64 KiB). */
export const JWS_DEFAULT_MAX_BYTES = 64 * 1024;

/** Header members that would let a token carry or point to its own key: never trusted, always rejected. */
const EMBEDDED_KEY_MEMBERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/**
 * The signature length of each allowed algorithm: 64 bytes for Ed25519 and for raw `r || s` on the
 * 256-bit curves, 96 for P-384 (RFC 7518 §3.4).
 */
export function jwsSignatureBytes(alg: JwsAlgorithm): number {
  return alg === 'ES384' ? 96 : 64;
}

/** A JWS protected header. */
export interface JwsHeader {
  alg: string;
  typ?: string;
  kid?: string;
  cty?: string;
  [k: string]: unknown;
}

/** A compact JWS split and parsed, signature not yet checked. */
export interface DecodedJws {
  readonly header: JwsHeader;
  readonly payload: Record<string, unknown>;
  /** The ASCII bytes of `<header>.<payload>`: what the signature covers. */
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
  readonly token: string;
}

/** Options for {@link decodeJws}. */
export interface DecodeJwsOptions {
  /** The `typ` (or `typ`s) this artefact must carry, e.g. `TYP_VC_JWT`. */
  readonly expectedTyp: string | readonly string[];
  /** Reject tokens longer than this, before any parsing (default 64 KiB). */
  readonly maxBytes?: number;
}

/**
 * Serialise header and payload into the JWS signing input (`base64url(header).base64url(payload)`).
 * Throws `ALG_NOT_ALLOWED` if `header.alg` is not in the allow-list.
 *
 * @example
 * ```ts
 * const { signingInput, bytes } = encodeJwsSigningInput({ alg: 'EdDSA', typ: TYP_VC_JWT, kid }, payload);
 * ```
 */
export function encodeJwsSigningInput(
  header: JwsHeader,
  payload: Record<string, unknown>,
): { signingInput: string; bytes: Uint8Array } {
  if (!isPlainObject(header)) throw new CradleError('INVALID_ARGUMENT', 'JWS header must be an object');
  if (!isAllowedAlg(header.alg)) {
    throw new CradleError('ALG_NOT_ALLOWED', `JWS alg must be one of ${JWS_ALGORITHMS.join(', ')} (got ${describe(header.alg)})`);
  }
  if (!isPlainObject(payload)) throw new CradleError('INVALID_ARGUMENT', 'JWS payload must be a JSON object');
  const signingInput = `${base64UrlEncode(utf8Encode(JSON.stringify(header)))}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}`;
  return { signingInput, bytes: utf8Encode(signingInput) };
}

/**
 * Sign and return the compact JWS. `sign` receives the signing-input bytes and must return the JOSE
 * signature: 64 bytes for Ed25519, raw `r || s` (not DER) for ECDSA (64 bytes, 96 for ES384).
 *
 * @example
 * ```ts
 * const jwt = await signJws({ alg: 'EdDSA', typ: TYP_VC_JWT, kid }, payload, (data) => ed25519.sign(data, sk));
 * ```
 */
export async function signJws(
  header: JwsHeader,
  payload: Record<string, unknown>,
  sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array,
): Promise<string> {
  const { signingInput, bytes } = encodeJwsSigningInput(header, payload);
  const signature = await sign(bytes);
  const expected = jwsSignatureBytes(header.alg as JwsAlgorithm);
  if (!(signature instanceof Uint8Array) || signature.length !== expected) {
    throw new CradleError(
      'INVALID_ARGUMENT',
      `the signer must return a ${expected}-byte ${header.alg} signature (raw r||s for ECDSA, not DER); got ${
        signature instanceof Uint8Array ? `${signature.length} bytes` : typeof signature
      }`,
    );
  }
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

/**
 * Split and parse an untrusted compact JWS, enforcing RFC 8725 before anyone looks at the claims.
 * Does NOT verify the signature. Throws `CradleError` with:
 * - `TOO_LARGE`: longer than `maxBytes` (checked before any parsing);
 * - `MALFORMED`: not three segments, bad base64url or UTF-8, invalid or duplicate-member JSON, header
 *   or payload not an object, `crit` or `b64` present, nested token (`cty: JWT`), bad signature length;
 * - `ALG_NOT_ALLOWED`: `alg` missing, `none` or not EdDSA/ES256K/ES256/ES384, or an embedded/remote key
 *   (`jwk`, `jku`, `x5u`, `x5c`) in the header;
 * - `TYP_UNEXPECTED`: `typ` missing or not one of `expectedTyp` (case-insensitive, optional
 *   `application/` prefix, per RFC 7515 §4.1.9).
 *
 * @example
 * ```ts
 * const { header, payload, signingInput, signature } = decodeJws(token, { expectedTyp: TYP_VC_JWT });
 * ```
 */
export function decodeJws(token: string, opts: DecodeJwsOptions): DecodedJws {
  const maxBytes = opts.maxBytes ?? JWS_DEFAULT_MAX_BYTES;
  if (typeof token !== 'string') throw new CradleError('MALFORMED', 'a compact JWS must be a string');
  if (token.length > maxBytes) {
    throw new CradleError('TOO_LARGE', `the token is ${token.length} bytes; the limit is ${maxBytes}`);
  }
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
    const parts = token.split('.').length;
    throw new CradleError(
      'MALFORMED',
      parts === 5
        ? 'the token is a JWE (5 segments); only signed compact JWS (3 segments) is accepted'
        : `a compact JWS has 3 dot-separated segments; this has ${parts}`,
    );
  }
  const h64 = token.slice(0, dot1);
  const p64 = token.slice(dot1 + 1, dot2);
  const s64 = token.slice(dot2 + 1);
  if (h64.length === 0 || p64.length === 0) throw new CradleError('MALFORMED', 'JWS header and payload must not be empty');

  const header = parseSegment(h64, 'header', maxBytes) as JwsHeader;
  checkHeader(header, opts.expectedTyp);
  const payload = parseSegment(p64, 'payload', maxBytes);
  const signature = base64UrlDecode(s64, 'MALFORMED');
  if (signature.length === 0) throw new CradleError('MALFORMED', 'the token is unsigned (empty signature)');
  const expected = jwsSignatureBytes(header.alg as JwsAlgorithm);
  if (signature.length !== expected) {
    throw new CradleError('MALFORMED', `a ${header.alg} signature is ${expected} bytes; this one is ${signature.length}`);
  }
  return { header, payload, signingInput: asciiBytes(token.slice(0, dot2)), signature, token };
}

const encoder = new TextEncoder();

/**
 * The bytes of text known to be ASCII (here `<header>.<payload>`, both strict base64url): one byte per
 * character, so `encodeInto` an array of exactly that size (a third of the cost of `TextEncoder.encode`,
 * which must size its output for any text).
 */
function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  encoder.encodeInto(s, out);
  return out;
}


/** True when `alg` is in the allow-list (`EdDSA`, `ES256K`, `ES256`, `ES384`; exact case). */
export function isAllowedAlg(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && (JWS_ALGORITHMS as readonly string[]).includes(alg);
}

function parseSegment(segment: string, what: 'header' | 'payload', maxBytes: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseStrictJson(base64UrlDecodeText(segment, 'MALFORMED'), { maxBytes });
  } catch (e) {
    if (e instanceof CradleError) throw new CradleError('MALFORMED', `JWS ${what}: ${e.message}`, { cause: e });
    throw e;
  }
  if (!isPlainObject(value)) throw new CradleError('MALFORMED', `JWS ${what} must be a JSON object`);
  return value;
}

function checkHeader(header: JwsHeader, expectedTyp: string | readonly string[]): void {
  if ('crit' in header) {
    throw new CradleError('MALFORMED', 'JWS header has "crit": no critical extensions are supported');
  }
  if ('b64' in header) {
    throw new CradleError('MALFORMED', 'JWS header has "b64": unencoded payloads (RFC 7797) are not accepted');
  }
  if (!isAllowedAlg(header.alg)) {
    throw new CradleError(
      'ALG_NOT_ALLOWED',
      header.alg === undefined
        ? 'JWS header has no "alg"'
        : `JWS alg ${describe(header.alg)} is not allowed; allowed: ${JWS_ALGORITHMS.join(', ')}`,
    );
  }
  for (const member of EMBEDDED_KEY_MEMBERS) {
    if (member in header) {
      throw new CradleError(
        'ALG_NOT_ALLOWED',
        `JWS header carries "${member}": keys embedded in or referenced by a token are never trusted; keys come from the issuer's DID document`,
      );
    }
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new CradleError('MALFORMED', 'JWS header "kid" must be a string');
  }
  if (header.cty !== undefined) {
    if (typeof header.cty !== 'string') throw new CradleError('MALFORMED', 'JWS header "cty" must be a string');
    if (normalizeMediaType(header.cty) === 'jwt') {
      throw new CradleError('MALFORMED', 'nested tokens (cty: JWT) are not accepted');
    }
  }
  const expected = (typeof expectedTyp === 'string' ? [expectedTyp] : expectedTyp).map(normalizeMediaType);
  if (typeof header.typ !== 'string' || !expected.includes(normalizeMediaType(header.typ))) {
    throw new CradleError(
      'TYP_UNEXPECTED',
      `JWS typ ${header.typ === undefined ? 'is missing' : describe(header.typ)}; expected ${expected.join(' or ')}`,
    );
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);
}
