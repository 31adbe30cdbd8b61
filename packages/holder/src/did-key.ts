import { CradleError } from '@cradle/core';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ED25519_PUB_MULTICODEC = [0xed, 0x01] as const;
const DID_KEY_PREFIX = 'did:key:';

/**
 * The Ed25519 public key of a `did:key:z6Mk…` DID (multibase base58btc, multicodec `ed25519-pub`).
 * Throws `INVALID_ARGUMENT` for anything else.
 *
 * @example
 * ```ts
 * const pub = ed25519PublicKeyFromDidKey('did:key:z6Mk…'); // 32 bytes
 * ```
 */
export function ed25519PublicKeyFromDidKey(did: string): Uint8Array {
  const fingerprint = did.startsWith(DID_KEY_PREFIX) ? did.slice(DID_KEY_PREFIX.length) : '';
  if (!fingerprint.startsWith('z6Mk') || fingerprint.length > 64) {
    throw new CradleError('INVALID_ARGUMENT', `${did} is not an Ed25519 did:key (did:key:z6Mk…).`);
  }
  const bytes = base58Decode(fingerprint.slice(1));
  if (bytes.length !== 34 || bytes[0] !== ED25519_PUB_MULTICODEC[0] || bytes[1] !== ED25519_PUB_MULTICODEC[1]) {
    throw new CradleError('INVALID_ARGUMENT', `${did} is not an Ed25519 did:key (did:key:z6Mk…).`);
  }
  return bytes.slice(2);
}

/** The `did:key` DID of an Ed25519 public key. */
export function didKeyFromEd25519PublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new CradleError('INVALID_ARGUMENT', 'An Ed25519 public key is 32 bytes.');
  return `${DID_KEY_PREFIX}z${base58Encode(Uint8Array.from([...ED25519_PUB_MULTICODEC, ...publicKey]))}`;
}

/** The verification method id a `did:key` signs with: `<did>#<fingerprint>` (the `kid` of its JWS). */
export function didKeyVerificationMethod(did: string): string {
  ed25519PublicKeyFromDidKey(did);
  return `${did}#${did.slice(DID_KEY_PREFIX.length)}`;
}

function base58Decode(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let carry = ALPHABET.indexOf(char);
    if (carry < 0) throw new CradleError('INVALID_ARGUMENT', `Invalid base58btc character ${JSON.stringify(char)}.`);
    for (let i = 0; i < out.length; i++) {
      carry += (out[i] ?? 0) * 58;
      out[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      out.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const char of text) {
    if (char !== '1') break;
    out.push(0);
  }
  return Uint8Array.from(out.reverse());
}

function base58Encode(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] ?? 0) << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i] ?? 0];
  return out;
}
