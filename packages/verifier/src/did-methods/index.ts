import type { VerificationKey } from '../verification-key.js';
import { didJwkKeys } from './did-jwk.js';
import { didKeyKeys } from './did-key.js';

/**
 * Whether `did` uses a method whose document is derived from the DID itself (`did:key`, `did:jwk`):
 * such documents are never fetched, cached or imported from a bundle, so no input can change them.
 */
export function isSelfCertifyingDid(did: string): boolean {
  return typeof did === 'string' && (did.startsWith('did:key:') || did.startsWith('did:jwk:'));
}

/**
 * The key of a self-certifying DID (see {@link isSelfCertifyingDid}), or `undefined` when it is
 * malformed or of a key type Cradle does not verify. Never throws.
 *
 * @example
 * ```ts
 * selfCertifyingKey('did:jwk:eyJrdHkiOi…') // { id: 'did:jwk:eyJrdHkiOi…#0', type: 'P-256', … }
 * ```
 */
export function selfCertifyingKey(did: string): VerificationKey | undefined {
  if (did.startsWith('did:key:')) return didKeyKeys(did);
  if (did.startsWith('did:jwk:')) return didJwkKeys(did);
  return undefined;
}
