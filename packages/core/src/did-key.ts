import { base58Decode, base58Encode } from './base58.js';
import { CradleError } from './errors.js';

const ED25519_PUB_MULTICODEC = [0xed, 0x01] as const;
const DID_KEY_PREFIX = 'did:key:z';

/**
 * The Ed25519 public key of a `did:key` (`did:key:z6Mk…`), or `undefined` when `did` is not one. Never
 * throws: use it on untrusted input.
 *
 * @example
 * ```ts
 * ed25519PublicKeyOfDidKey('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK') // Uint8Array(32)
 * ```
 */
export function ed25519PublicKeyOfDidKey(did: string): Uint8Array | undefined {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY_PREFIX) || did.length > 64) return undefined;
  const bytes = base58Decode(did.slice(DID_KEY_PREFIX.length));
  if (bytes === undefined || bytes.length !== 34 || bytes[0] !== ED25519_PUB_MULTICODEC[0] || bytes[1] !== ED25519_PUB_MULTICODEC[1]) {
    return undefined;
  }
  return bytes.slice(2);
}

/**
 * The `did:key` of an Ed25519 public key (multicodec `0xed01`, base58btc).
 *
 * @example
 * ```ts
 * didKeyFromEd25519PublicKey(publicKey) // 'did:key:z6Mk…'
 * ```
 */
export function didKeyFromEd25519PublicKey(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new CradleError('INVALID_ARGUMENT', 'An Ed25519 public key is 32 bytes.');
  }
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_MULTICODEC);
  bytes.set(publicKey, 2);
  return DID_KEY_PREFIX + base58Encode(bytes);
}

/**
 * The id of the (only) verification method of an Ed25519 `did:key`: `<did>#<fingerprint>`. Throws
 * `INVALID_ARGUMENT` when `did` is not an Ed25519 did:key.
 */
export function didKeyVerificationMethodId(did: string): string {
  if (ed25519PublicKeyOfDidKey(did) === undefined) {
    throw new CradleError('INVALID_ARGUMENT', `${String(did)} is not an Ed25519 did:key (did:key:z6Mk…).`);
  }
  return `${did}#${did.slice('did:key:'.length)}`;
}
