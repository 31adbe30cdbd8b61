import { didKeyVerificationKey } from '../did-key.js';
import { fromMultibase } from '../did-document-keys.js';
import type { VerificationKey } from '../verification-key.js';
import { uncompressedEcPoint } from './ec-point.js';

const DID_KEY_PREFIX = 'did:key:z';
// Ed25519 did:key is 56 characters, P-256 and secp256k1 (33-byte compressed points) 57, P-384 (49 bytes) 78.
const MAX_DID_KEY_LENGTH = 80;

/**
 * The verification key of a `did:key`, derived from the DID itself (no document is ever fetched or
 * imported): Ed25519 (multicodec `0xed`), P-256 (`0x1200`), P-384 (`0x1201`) and secp256k1 (`0xe7`), EC keys as
 * compressed points (the did:key spec's only form). `undefined` for any other or malformed did:key.
 * Never throws.
 *
 * @example
 * ```ts
 * didKeyKeys('did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169') // { type: 'P-256', … }
 * ```
 */
export function didKeyKeys(did: string): VerificationKey | undefined {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY_PREFIX) || did.length > MAX_DID_KEY_LENGTH) return undefined;
  const ed = didKeyVerificationKey(did);
  if (ed !== undefined) return ed;
  const fingerprint = did.slice('did:key:'.length);
  const decoded = fromMultibase(fingerprint);
  if (decoded === undefined || decoded.type === 'Ed25519' || decoded.publicKey.length !== (decoded.type === 'P-384' ? 49 : 33)) return undefined;
  const publicKey = uncompressedEcPoint(decoded.type, decoded.publicKey);
  if (publicKey === undefined) return undefined;
  return { id: `${did}#${fingerprint}`, controller: did, type: decoded.type, publicKey, assertionMethod: true, authentication: true };
}
