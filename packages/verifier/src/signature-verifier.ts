import { ed25519StrictPrecheck, ed25519VerifyStrict, jwsSignatureBytes } from '@cradle/core';
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha256';
import { sha384 } from '@noble/hashes/sha512';
import { keccak_256 } from '@noble/hashes/sha3';
import type { SignatureAlgorithm, VerificationKey } from './verification-key.js';
import { KEY_TYPE_OF_ALG } from './verification-key.js';

/**
 * Verifies one JOSE signature with one key. Pluggable so that Node can use `node:crypto` (see
 * `@cradle/verifier/node`) while browsers use WebCrypto. Must return `false`, never throw, for any
 * signature or key that does not verify. Every EdDSA implementation here applies `ed25519StrictPrecheck`
 * (@cradle/core) first, so all of them give the same, strict answer (small-order or non-canonical A or R,
 * S >= L: refused; then the cofactorless equation).
 */
export interface SignatureVerifier {
  verify(alg: SignatureAlgorithm, key: VerificationKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Pure-JS verification with @noble/curves (works everywhere; the fallback of the WebCrypto verifier). */
export const nobleSignatureVerifier: SignatureVerifier = {
  verify(alg, key, data, signature) {
    try {
      if (KEY_TYPE_OF_ALG[alg] !== key.type || signature.length !== jwsSignatureBytes(alg)) return false;
      if (alg === 'EdDSA') return key.publicKey !== undefined && ed25519VerifyStrict(signature, data, key.publicKey);
      if (alg === 'ES384') return key.publicKey !== undefined && p384.verify(signature, sha384(data), key.publicKey, { lowS: false });
      const digest = sha256(data);
      if (alg === 'ES256') return key.publicKey !== undefined && p256.verify(signature, digest, key.publicKey, { lowS: false });
      if (key.publicKey !== undefined) return secp256k1.verify(signature, digest, key.publicKey, { lowS: false });
      if (key.ethereumAddress === undefined) return false;
      // EcdsaSecp256k1RecoveryMethod2020: recover the signer and compare its Ethereum address.
      const sig = secp256k1.Signature.fromCompact(signature);
      for (const bit of [0, 1]) {
        try {
          const pub = sig.addRecoveryBit(bit).recoverPublicKey(digest).toRawBytes(false);
          if (`0x${toHex(keccak_256(pub.subarray(1)).subarray(12))}` === key.ethereumAddress) return true;
        } catch {
          // this recovery bit gives no point; try the other
        }
      }
      return false;
    } catch {
      return false;
    }
  },
};

let subtleEd25519: boolean | undefined;
const importedKeys = new WeakMap<VerificationKey, Promise<CryptoKey | null>>();

function importKey(key: VerificationKey): Promise<CryptoKey | null> {
  let p = importedKeys.get(key);
  if (p === undefined) {
    const subtle = globalThis.crypto?.subtle;
    const pub = key.publicKey;
    if (subtle === undefined || pub === undefined) p = Promise.resolve(null);
    else if (key.type === 'Ed25519') {
      p = subtle.importKey('raw', pub as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']).then(
        (k) => ((subtleEd25519 = true), k),
        // Only "not supported" means the platform lacks Ed25519; a bad key must not switch everyone to JS.
        (e: unknown) => ((e as { name?: unknown } | null)?.name === 'NotSupportedError' && (subtleEd25519 = false), null),
      );
    } else if ((key.type === 'P-256' && pub.length === 65) || (key.type === 'P-384' && pub.length === 97)) {
      p = subtle.importKey('raw', pub as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: key.type }, false, ['verify']).catch(() => null);
    } else p = Promise.resolve(null);
    importedKeys.set(key, p);
  }
  return p;
}

/**
 * WebCrypto verification (native Ed25519, P-256 and P-384 where the platform has them), falling back to
 * {@link nobleSignatureVerifier} for secp256k1 and for platforms without WebCrypto Ed25519. Imported
 * `CryptoKey`s are cached per {@link VerificationKey} object.
 */
export const webCryptoSignatureVerifier: SignatureVerifier = {
  async verify(alg, key, data, signature) {
    if (KEY_TYPE_OF_ALG[alg] !== key.type || signature.length !== jwsSignatureBytes(alg)) return false;
    if (alg === 'EdDSA' && (key.publicKey === undefined || !ed25519StrictPrecheck(signature, key.publicKey))) return false;
    if (alg === 'ES256K' || (alg === 'EdDSA' && subtleEd25519 === false)) return nobleSignatureVerifier.verify(alg, key, data, signature);
    const cryptoKey = await importKey(key);
    if (cryptoKey === null) return nobleSignatureVerifier.verify(alg, key, data, signature);
    try {
      const algorithm = alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: alg === 'ES384' ? 'SHA-384' : 'SHA-256' };
      return await globalThis.crypto.subtle.verify(algorithm, cryptoKey, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    } catch {
      return false;
    }
  },
};
