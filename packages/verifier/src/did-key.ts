import { base58Decode, base58Encode } from './base58.js';
import type { VerificationKey } from './verification-key.js';

const ED25519_PUB_PREFIX = [0xed, 0x01];
const DID_KEY_PREFIX = 'did:key:z';

/**
 * The Ed25519 public key of a `did:key:z6Mk…` DID (multicodec `0xed01`), or `undefined` when `did` is
 * not such a DID. Resolved locally: `did:key` never touches the network.
 *
 * @example
 * ```ts
 * ed25519PublicKeyOfDidKey('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK') // Uint8Array(32)
 * ```
 */
export function ed25519PublicKeyOfDidKey(did: string): Uint8Array | undefined {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY_PREFIX) || did.length > 64) return undefined;
  const bytes = base58Decode(did.slice(DID_KEY_PREFIX.length));
  if (bytes === undefined || bytes.length !== 34 || bytes[0] !== ED25519_PUB_PREFIX[0] || bytes[1] !== ED25519_PUB_PREFIX[1]) {
    return undefined;
  }
  return bytes.slice(2);
}

/** The `did:key` of an Ed25519 public key (32 bytes). */
export function didKeyFromEd25519PublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_PREFIX);
  bytes.set(publicKey, 2);
  return DID_KEY_PREFIX + base58Encode(bytes);
}

/**
 * The single verification method of an Ed25519 `did:key` (`<did>#<multibase>`), usable both to sign
 * presentations (authentication) and credentials (assertionMethod), as the did:key method specifies.
 */
export function didKeyVerificationKey(did: string): VerificationKey | undefined {
  const publicKey = ed25519PublicKeyOfDidKey(did);
  if (publicKey === undefined) return undefined;
  return {
    id: `${did}#${did.slice('did:key:'.length)}`,
    controller: did,
    type: 'Ed25519',
    publicKey,
    assertionMethod: true,
    authentication: true,
  };
}
