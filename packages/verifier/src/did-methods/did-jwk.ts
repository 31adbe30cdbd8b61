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
 * verification method is `<did>#0`. Only public Ed25519, P-256, P-384 and secp256k1 JWKs are accepted; a JWK
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
  return verificationKeyOfJwk(jwk, `${did}#0`, did);
}

/**
 * A verification key from an untrusted public JWK (a `did:jwk`, or the `cnf.jwk` of an SD-JWT VC): only
 * public Ed25519, P-256, P-384 and secp256k1 keys; a private part (`d`), a `use` other than `sig`, a
 * small-order or non-canonical Ed25519 key, or an EC point off its curve gives `undefined`. Never throws.
 *
 * @example
 * ```ts
 * verificationKeyOfJwk({ kty: 'OKP', crv: 'Ed25519', x }, 'did:key:z6Mk…#cnf')
 * ```
 */
export function verificationKeyOfJwk(jwk: unknown, id: string, controller: string = id.split('#')[0]!): VerificationKey | undefined {
  const key = fromJwk(jwk); // refuses a private part (d) and a use other than sig
  if (key === undefined) return undefined;
  if (key.type === 'Ed25519' && !isStrictEd25519PublicKey(key.publicKey)) return undefined; // small order or non-canonical
  const publicKey = key.type === 'Ed25519' ? key.publicKey : uncompressedEcPoint(key.type, key.publicKey);
  if (publicKey === undefined) return undefined;
  return { id, controller, type: key.type, publicKey, assertionMethod: true, authentication: true };
}
