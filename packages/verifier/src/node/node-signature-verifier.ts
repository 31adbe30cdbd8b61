import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64UrlEncode, ed25519StrictPrecheck, jwsSignatureBytes } from '@cradle/core';
import type { SignatureVerifier } from '../signature-verifier.js';
import { nobleSignatureVerifier } from '../signature-verifier.js';
import type { VerificationKey } from '../verification-key.js';
import { KEY_TYPE_OF_ALG } from '../verification-key.js';

const keyObjects = new WeakMap<VerificationKey, KeyObject | null>();

function keyObject(key: VerificationKey): KeyObject | null {
  let k = keyObjects.get(key);
  if (k !== undefined) return k;
  k = null;
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
  keyObjects.set(key, k);
  return k;
}

/**
 * Signature verification with `node:crypto` (OpenSSL): the fastest backend in Node. Imported keys are
 * cached per {@link VerificationKey}; compressed EC keys and Ethereum-address keys fall back to noble.
 *
 * @example
 * ```ts
 * await verifyCredential(token, { store, signatureVerifier: nodeSignatureVerifier });
 * ```
 */
export const nodeSignatureVerifier: SignatureVerifier = {
  verify(alg, key, data, signature) {
    if (KEY_TYPE_OF_ALG[alg] !== key.type || signature.length !== jwsSignatureBytes(alg)) return false;
    // OpenSSL accepts small-order keys and their all-zero-S signatures: the project's strict rule first.
    if (alg === 'EdDSA' && (key.publicKey === undefined || !ed25519StrictPrecheck(signature, key.publicKey))) return false;
    const k = keyObject(key);
    if (k === null) return nobleSignatureVerifier.verify(alg, key, data, signature);
    try {
      if (alg === 'EdDSA') return nodeVerify(null, data, k, signature);
      return nodeVerify(alg === 'ES384' ? 'sha384' : 'sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
};
