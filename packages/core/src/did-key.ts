import { base58Decode, base58Encode } from './base58.js';
import { isStrictEd25519PublicKey } from './ed25519-strict.js';
import { CradleError } from './errors.js';

const ED25519_PUB_MULTICODEC = [0xed, 0x01] as const;
const DID_KEY_PREFIX = 'did:key:z';

/**
 * The Ed25519 public key of a `did:key` (`did:key:z6Mk…`), or `undefined` when `did` is not one, or
 * names a key no one should accept: a non-canonical encoding or a point of small order (see
 * `isStrictEd25519PublicKey`; Node's Ed25519 accepts the all-zero signature for those). Never throws:
 * use it on untrusted input. Issuer inputs, wallet imports and verifiers all read did:keys through it.
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
  const key = bytes.slice(2);
  return isStrictEd25519PublicKey(key) ? key : undefined;
}

/**
 * True when `did` is an Ed25519 `did:key` whose key is refused everywhere (small order, or not a
 * canonical point encoding): anyone can produce signatures some libraries accept for such a key, so an
 * issuer must not name it (subject, guardian) and a wallet must not import a credential that does.
 * False for every other string (including other DID methods and malformed DIDs).
 *
 * @example
 * ```ts
 * isWeakEd25519DidKey(didKeyFromEd25519PublicKey(identityPointBytes)) // true
 * ```
 */
export function isWeakEd25519DidKey(did: string): boolean {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY_PREFIX) || did.length > 64) return false;
  const bytes = base58Decode(did.slice(DID_KEY_PREFIX.length));
  if (bytes === undefined || bytes.length !== 34 || bytes[0] !== ED25519_PUB_MULTICODEC[0] || bytes[1] !== ED25519_PUB_MULTICODEC[1]) return false;
  return !isStrictEd25519PublicKey(bytes.slice(2));
}

/** Why a weak did:key is refused, for error messages. */
export const WEAK_DID_KEY_MESSAGE = 'names an Ed25519 did:key whose key is of small order or not canonically encoded (anyone could sign for it)';

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
