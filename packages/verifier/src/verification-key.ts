/** Curves whose signatures Cradle verifies (JOSE `EdDSA`, `ES256K`, `ES256`, `ES384`). */
export type KeyType = 'Ed25519' | 'secp256k1' | 'P-256' | 'P-384';

/** JOSE algorithms Cradle verifies, and the key type each needs. */
export type SignatureAlgorithm = 'EdDSA' | 'ES256K' | 'ES256' | 'ES384';

/** The key type a JOSE algorithm requires. */
export const KEY_TYPE_OF_ALG: Readonly<Record<SignatureAlgorithm, KeyType>> = {
  EdDSA: 'Ed25519',
  ES256K: 'secp256k1',
  ES256: 'P-256',
  ES384: 'P-384',
};

/**
 * A public key taken from a DID document (or configured statically), ready to verify signatures.
 * Objects are reused across verifications, so crypto providers may cache imported keys per object.
 */
export interface VerificationKey {
  /** Full verification-method id, e.g. `did:ethr:0x7a69:0xabc…#delegate-1`. */
  readonly id: string;
  /** The DID this key belongs to (the document's subject). */
  readonly controller: string;
  readonly type: KeyType;
  /** Raw public key: Ed25519 32 bytes; secp256k1 and P-256 33/65 bytes, P-384 49/97 bytes (SEC1). */
  readonly publicKey?: Uint8Array;
  /**
   * For `EcdsaSecp256k1RecoveryMethod2020` (an Ethereum account, no public key): the lowercase 0x
   * address the recovered signer must match.
   */
  readonly ethereumAddress?: string;
  /** Listed in `assertionMethod` (may sign credentials). */
  readonly assertionMethod: boolean;
  /** Listed in `authentication` (may sign presentations). */
  readonly authentication: boolean;
}
