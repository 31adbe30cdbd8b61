import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64UrlEncode, isStrictEd25519PublicKey, isStrictEd25519Signature, jwsSignatureBytes } from '@cradle/core';
import type { SignatureVerifier } from '../signature-verifier.js';
import { nobleSignatureVerifier } from '../signature-verifier.js';
import type { VerificationKey } from '../verification-key.js';
import { KEY_TYPE_OF_ALG } from '../verification-key.js';

/** A key as imported once: its OpenSSL KeyObject (null: use noble) and, for Ed25519, the strict-key verdict. */
interface ImportedKey {
  readonly keyObject: KeyObject | null;
  readonly strictEd25519: boolean;
}

const importedKeys = new WeakMap<VerificationKey, ImportedKey>();

function imported(key: VerificationKey): ImportedKey {
  let entry = importedKeys.get(key);
  if (entry !== undefined) return entry;
  let k: KeyObject | null = null;
  const pub = key.publicKey;
  try {
    if (pub !== undefined && key.type === 'Ed25519') {
      k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(pub) }, format: 'jwk' });
    } else if (pub !== undefined && pub[0] === 4 && pub.length === (key.type === 'P-384' ? 97 : 65)) {
      const half = (pub.length - 1) / 2;
      k = createPublicKey({ key: { kty: 'EC', crv: key.type, x: base64UrlEncode(pub.subarray(1, 1 + half)), y: base64UrlEncode(pub.subarray(1 + half)) }, format: 'jwk' });
    }
  } catch {
    k = null;
  }
  // The key half of the strict Ed25519 rule is judged here, from the same bytes the KeyObject was made of.
  entry = { keyObject: k, strictEd25519: key.type === 'Ed25519' && pub !== undefined && isStrictEd25519PublicKey(pub) };
  importedKeys.set(key, entry);
  return entry;
}

/**
 * Signature verification with `node:crypto` (OpenSSL): the fastest backend in Node. Imported keys (and
 * their strict Ed25519 verdict) are cached per {@link VerificationKey}; compressed EC keys and Ethereum-address keys fall back to noble.
 *
 * @example
 * ```ts
 * await verifyCredential(token, { store, signatureVerifier: nodeSignatureVerifier });
 * ```
 */
export const nodeSignatureVerifier: SignatureVerifier = {
  verify(alg, key, data, signature) {
    if (KEY_TYPE_OF_ALG[alg] !== key.type || signature.length !== jwsSignatureBytes(alg)) return false;
    const entry = imported(key);
    // OpenSSL accepts small-order keys and their all-zero-S signatures: the project's strict rule first
    // (ed25519StrictPrecheck, its key half judged once per key).
    if (alg === 'EdDSA' && !(entry.strictEd25519 && isStrictEd25519Signature(signature))) return false;
    const k = entry.keyObject;
    if (k === null) return nobleSignatureVerifier.verify(alg, key, data, signature);
    try {
      if (alg === 'EdDSA') return nodeVerify(null, data, k, signature);
      return nodeVerify(alg === 'ES384' ? 'sha384' : 'sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
};
