import type { IIdentifier, IKey, ManagedKeyInfo } from '@veramo/core-types';
import { DIDStore, KeyStore, PrivateKeyStore } from '@veramo/data-store';
import type { ManagedPrivateKey } from '@veramo/key-manager';

/**
 * Veramo's TypeORM stores, with a read cache on the lookups that every issuance repeats
 * (`didManagerGet` of the issuer, `keyManagerGet` of the signing key, the private key for the KMS).
 * Without them one credential costs four SQLite reads plus a SecretBox decryption before it is signed;
 * the cache is process-local and invalidated on every write through the same store.
 */
export class CachedKeyStore extends KeyStore {
  readonly #cache = new Map<string, IKey>();

  override async getKey(args: { kid: string }): Promise<IKey> {
    const hit = this.#cache.get(args.kid);
    if (hit !== undefined) return hit;
    const key = await super.getKey(args);
    this.#cache.set(args.kid, key);
    return key;
  }

  override async importKey(args: IKey): Promise<boolean> {
    this.#cache.delete(args.kid);
    return super.importKey(args);
  }

  override async deleteKey(args: { kid: string }): Promise<boolean> {
    this.#cache.delete(args.kid);
    return super.deleteKey(args);
  }

  override async listKeys(args: object = {}): Promise<ManagedKeyInfo[]> {
    return super.listKeys(args);
  }
}

/**
 * The SecretBox-encrypted private key store, caching decrypted keys in memory (they are decrypted into
 * memory for every signature anyway; at rest in SQLite they stay encrypted).
 */
export class CachedPrivateKeyStore extends PrivateKeyStore {
  readonly #cache = new Map<string, ManagedPrivateKey>();

  override async getKey(args: { alias: string }): Promise<ManagedPrivateKey> {
    const hit = this.#cache.get(args.alias);
    if (hit !== undefined) return { ...hit };
    const key = await super.getKey(args);
    this.#cache.set(args.alias, { ...key });
    return key;
  }

  override async deleteKey(args: { alias: string }): Promise<boolean> {
    this.#cache.delete(args.alias);
    return super.deleteKey(args);
  }

  /** Forget every decrypted key (on close). */
  clear(): void {
    this.#cache.clear();
  }
}

/** Veramo's DID store with a cache of `getDID({ did })`. */
export class CachedDIDStore extends DIDStore {
  readonly #cache = new Map<string, IIdentifier>();

  override async getDID(args: { did: string; alias: string; provider: string }): Promise<IIdentifier> {
    if (args.did !== undefined && args.alias === undefined) {
      const hit = this.#cache.get(args.did);
      if (hit !== undefined) return hit;
      const found = await super.getDID(args);
      this.#cache.set(args.did, found);
      return found;
    }
    return super.getDID(args);
  }

  override async importDID(args: IIdentifier): Promise<boolean> {
    this.#cache.delete(args.did);
    return super.importDID(args);
  }

  override async deleteDID(args: { did: string }): Promise<boolean> {
    this.#cache.delete(args.did);
    return super.deleteDID(args);
  }

  /** Drop `did` from the cache: another process changed it (e.g. added a rotated signing key). */
  forget(did: string): void {
    this.#cache.delete(did);
  }
}
