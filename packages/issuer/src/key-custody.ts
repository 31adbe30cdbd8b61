import type { AbstractKeyManagementSystem } from '@veramo/key-manager';
import type { SecretBox } from '@veramo/kms-local';
import { CachedPrivateKeyStore } from './cached-stores.js';
import { NativeEd25519KeyManagementSystem } from './native-ed25519-kms.js';
import type { RegistrarStore } from './storage/registrar-store.js';

/**
 * Where the registrar's private keys live and what signs with them: the secp256k1 controller and
 * anchoring keys and the Ed25519 credential-signing key. The signing side is Veramo's key-management
 * plugin contract (`AbstractKeyManagementSystem`: `createKey`, `importKey`, `sign`, `listKeys`,
 * `deleteKey`, `sharedSecret`), so a KMS or HSM is plugged in by implementing that class over its API
 * (PKCS#11, a cloud KMS, ...); the registrar never reads private key bytes itself. See
 * docs/deployment.md, "Key custody".
 *
 * The custody is chosen when the registrar is created: keys are recorded under its `name` (Veramo's
 * `kms` column) and are found again only through a custody of the same name.
 */
export interface KeyCustody {
  /** The name keys are recorded under; `local` for {@link localEncryptedCustody}. */
  readonly name: string;
  /** Creates, imports and signs with the keys (Veramo's plugin contract). */
  readonly kms: AbstractKeyManagementSystem;
  /** Forget any key material held in memory (called on `registrar.close()`). */
  close?(): void;
}

/** Builds the custody of a registrar once its database is open and its secret checked. */
export type KeyCustodyFactory = (ctx: { store: RegistrarStore; secretBox: SecretBox }) => KeyCustody;

/**
 * The default custody: private keys stored in the registrar's own database, encrypted with SecretBox
 * under a key derived from the registrar secret (scrypt), decrypted into memory for signing; Ed25519
 * signatures by Node's native Ed25519.
 *
 * @example
 * ```ts
 * createRegistrar({ home, secret, ledger, baseUrl, keyCustody: localEncryptedCustody }); // the default
 * ```
 */
export const localEncryptedCustody: KeyCustodyFactory = ({ store, secretBox }) => {
  const privateKeys = new CachedPrivateKeyStore(store.dataSource, secretBox);
  const kms = new NativeEd25519KeyManagementSystem(privateKeys);
  return {
    name: 'local',
    kms,
    close: () => {
      privateKeys.clear();
      kms.clear();
    },
  };
};
