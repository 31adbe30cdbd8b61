import { base64UrlDecode, isStrictEd25519PublicKey, parseStrictJson, utf8Decode } from '@cradle/core';
import { fromJwk } from '../did-document-keys.js';
import type { VerificationKey } from '../verification-key.js';
import { uncompressedEcPoint } from './ec-point.js';

const DID_JWK_PREFIX = 'did:jwk:';
/** A public EC/OKP JWK in base64url is well under 300 characters; anything longer is refused unread. */
const MAX_DID_JWK_LENGTH = 512;

/**
 * The verification key of a `did:jwk` (https://github.com/quartzjer/did-jwk), derived from the DID
 * itself: the method-specific id is the base64url of the public JWK, and the document's only
 * verification method is `<did>#0`. Only public Ed25519, P-256 and secp256k1 JWKs are accepted; a JWK
 * with a private part (`d`), a `use` other than `sig`, duplicate members or trailing data is refused.
 * `undefined` for anything else. Never throws.
 *
 * @example
 * ```ts
 * didJwkKeys(`did:jwk:${base64UrlEncode(utf8Encode(JSON.stringify(publicJwk)))}`) // { id: 'did:jwk:…#0', … }
 * ```
 */
export function didJwkKeys(did: string): VerificationKey | undefined {
  if (typeof did !== 'string' || !did.startsWith(DID_JWK_PREFIX) || did.length > MAX_DID_JWK_LENGTH) return undefined;
  let jwk: unknown;
  try {
    jwk = parseStrictJson(utf8Decode(base64UrlDecode(did.slice(DID_JWK_PREFIX.length))), { maxBytes: MAX_DID_JWK_LENGTH });
  } catch {
    return undefined;
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const use = (jwk as Record<string, unknown>).use;
  if (use !== undefined && use !== 'sig') return undefined; // an encryption key never verifies a signature
  const key = fromJwk(jwk);
  if (key === undefined) return undefined;
  if (key.type === 'Ed25519' && !isStrictEd25519PublicKey(key.publicKey)) return undefined; // small order or non-canonical
  const publicKey = key.type === 'Ed25519' ? key.publicKey : uncompressedEcPoint(key.type, key.publicKey);
  if (publicKey === undefined) return undefined;
  return { id: `${did}#0`, controller: did, type: key.type, publicKey, assertionMethod: true, authentication: true };
}
