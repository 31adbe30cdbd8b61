import { CradleError, didKeyVerificationMethodId, ed25519PublicKeyOfDidKey } from '@cradle/core';

/**
 * The Ed25519 public key of a `did:key` held or named by the wallet. Throws `INVALID_ARGUMENT` when
 * `did` is not an Ed25519 did:key (the wallet only makes those).
 */
export function ed25519PublicKeyFromDidKey(did: string): Uint8Array {
  const key = ed25519PublicKeyOfDidKey(did);
  if (key === undefined) throw new CradleError('INVALID_ARGUMENT', `${did} is not an Ed25519 did:key (did:key:z6Mk…).`);
  return key;
}

/** The verification method id (`kid`) a guardian signs presentations with: `<did>#<fingerprint>`. */
export function didKeyVerificationMethod(did: string): string {
  return didKeyVerificationMethodId(did);
}
