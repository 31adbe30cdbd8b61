import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519';
import { base64UrlDecode, base64UrlEncode, didKeyFromEd25519PublicKey, ed25519PublicKeyOfDidKey, ed25519VerifyStrict, signJws, utf8Encode } from '@cradle/core';
import type { JwsHeader } from '@cradle/core';
import { HashAlgorithm } from '@openid4vc/oauth2';
import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2';

/** Lifetime of a `c_nonce` from the nonce endpoint. */
export const NONCE_TTL_SECONDS = 300;

/**
 * The keys of the registrar's OpenID4VCI endpoints, derived from the registrar secret (HKDF), so every
 * replica of `registrar serve` on one database signs and checks the same access tokens and nonces, and
 * nothing new is stored: an Ed25519 key that signs access tokens (published at the JWKS endpoint) and
 * an HMAC key that makes `c_nonce` values self-checking.
 */
export interface Oid4vciKeys {
  accessToken: { secretKey: Uint8Array; publicJwk: Jwk & { kid: string } };
  nonceKey: Buffer;
}

/** Derive {@link Oid4vciKeys} from the registrar secret. */
export function deriveOid4vciKeys(secret: string): Oid4vciKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', secret, 'cradle', `cradle/oid4vci/${label}`, 32));
  const secretKey = new Uint8Array(derive('access-token-ed25519'));
  const x = base64UrlEncode(ed25519.getPublicKey(secretKey));
  const kid = createHash('sha256').update(x).digest('base64url').slice(0, 16);
  return { accessToken: { secretKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' } }, nonceKey: derive('nonce-hmac') };
}

/** A self-checking `c_nonce`: expiry (ms) and 16 random bytes, MACed. */
export function createNonce(keys: Oid4vciKeys, now: Date): { nonce: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + NONCE_TTL_SECONDS * 1000);
  const body = Buffer.alloc(24);
  body.writeBigUInt64BE(BigInt(expiresAt.getTime()), 0);
  randomBytes(16).copy(body, 8);
  const mac = createHmac('sha256', keys.nonceKey).update(body).digest().subarray(0, 16);
  return { nonce: Buffer.concat([body, mac]).toString('base64url'), expiresAt };
}

/** The expiry of a nonce this registrar made, or undefined for any other string (never throws). */
export function nonceExpiry(keys: Oid4vciKeys, nonce: unknown): Date | undefined {
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{54}$/.test(nonce)) return undefined;
  const bytes = Buffer.from(nonce, 'base64url');
  if (bytes.length !== 40) return undefined;
  const body = bytes.subarray(0, 24);
  const mac = createHmac('sha256', keys.nonceKey).update(body).digest().subarray(0, 16);
  if (!timingSafeEqual(mac, bytes.subarray(24))) return undefined;
  return new Date(Number(body.readBigUInt64BE(0)));
}

/**
 * The Ed25519 public key a JWT signer names: an OKP/Ed25519 JWK, or a `did:key` (Ed25519) DID URL.
 * Anything else (other DID methods, x5c, other curves) is unsupported here and yields undefined.
 */
export function ed25519KeyOfSigner(signer: JwtSigner): { publicKey: Uint8Array; did: string } | undefined {
  try {
    if (signer.method === 'did') {
      const did = signer.didUrl.split('#')[0]!;
      const publicKey = ed25519PublicKeyOfDidKey(did);
      return publicKey === undefined ? undefined : { publicKey, did };
    }
    if (signer.method === 'jwk') {
      const jwk = signer.publicJwk as { kty?: unknown; crv?: unknown; x?: unknown };
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return undefined;
      const publicKey = base64UrlDecode(jwk.x);
      if (publicKey.length !== 32) return undefined;
      return { publicKey, did: didKeyFromEd25519PublicKey(publicKey) };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** EdDSA verification of a compact JWT against the signer's key (strict Ed25519; never throws). */
function verifyEdDsa(signer: JwtSigner, compact: string): { verified: true; signerJwk: Jwk } | { verified: false } {
  if (signer.alg !== 'EdDSA' && signer.alg !== 'Ed25519') return { verified: false };
  const key = ed25519KeyOfSigner(signer);
  if (key === undefined) return { verified: false };
  const dot = compact.lastIndexOf('.');
  if (dot < 0) return { verified: false };
  try {
    const ok = ed25519VerifyStrict(base64UrlDecode(compact.slice(dot + 1)), utf8Encode(compact.slice(0, dot)), key.publicKey);
    return ok ? { verified: true, signerJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(key.publicKey) } } : { verified: false };
  } catch {
    return { verified: false };
  }
}

function sha(alg: HashAlgorithm): string {
  return alg === HashAlgorithm.Sha384 ? 'sha384' : alg === HashAlgorithm.Sha512 ? 'sha512' : 'sha256';
}

/**
 * Callbacks for `@openid4vc/*` on the registrar: SHA-2, randomness, access tokens signed with the
 * derived key, EdDSA verification of wallet proofs (`did:key` or Ed25519 JWK) and access tokens, and
 * `fetch` answering only the registrar's own JWKS (the resource server never reaches the network).
 */
export function issuerCallbacks(keys: Oid4vciKeys, jwksUri: string): Omit<CallbackContext, 'decryptJwe' | 'encryptJwe' | 'clientAuthentication'> & Pick<CallbackContext, 'clientAuthentication' | 'encryptJwe' | 'decryptJwe'> {
  const refuse = () => {
    throw new Error('not supported by the Cradle registrar');
  };
  return {
    hash: (data, alg) => new Uint8Array(createHash(sha(alg)).update(data).digest()),
    generateRandom: (n) => new Uint8Array(randomBytes(n)),
    signJwt: async (signer, { header, payload }) => {
      const own = signer.method === 'jwk' && (signer.publicJwk as { x?: unknown }).x === keys.accessToken.publicJwk.x;
      if (!own) throw new Error('the registrar signs only its own access tokens');
      const jwt = await signJws({ ...(header as JwsHeader), alg: 'EdDSA', kid: keys.accessToken.publicJwk.kid }, payload as Record<string, unknown>, (data) => ed25519.sign(data, keys.accessToken.secretKey));
      return { jwt, signerJwk: keys.accessToken.publicJwk };
    },
    verifyJwt: (signer, { compact }) => verifyEdDsa(signer, compact),
    fetch: async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url !== jwksUri) throw new Error(`the registrar does not fetch ${url}`);
      const { kty, crv, x, kid, use, alg } = keys.accessToken.publicJwk;
      return new Response(JSON.stringify({ keys: [{ kty, crv, x, kid, use, alg }] }), { headers: { 'content-type': 'application/json' } });
    },
    clientAuthentication: () => undefined,
    encryptJwe: refuse,
    decryptJwe: refuse,
  };
}
