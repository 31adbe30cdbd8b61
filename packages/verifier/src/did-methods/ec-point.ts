import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { KeyType } from '../verification-key.js';

/**
 * The uncompressed SEC1 form (`04 || x || y`) of an EC public key given compressed or uncompressed,
 * or `undefined` when the bytes are not a point of the curve. Decompressing here (once, when keys are
 * extracted) validates the point and lets native backends (WebCrypto, node:crypto), which take only
 * uncompressed keys, verify without the pure-JS fallback.
 */
export function uncompressedEcPoint(type: Exclude<KeyType, 'Ed25519'>, bytes: Uint8Array): Uint8Array | undefined {
  try {
    const curve = type === 'P-256' ? p256 : type === 'P-384' ? p384 : secp256k1;
    return curve.ProjectivePoint.fromHex(bytes).toRawBytes(false);
  } catch {
    return undefined;
  }
}
