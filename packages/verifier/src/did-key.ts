import { ed25519PublicKeyOfDidKey } from '@cradle/core';
import type { VerificationKey } from './verification-key.js';

/**
 * The verification key of an Ed25519 `did:key`, resolved locally (no network, nothing on chain), or
 * `undefined` when `did` is not one. Never throws.
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
