import { createAgent } from '@veramo/core';
import type { IDIDManager, IKeyManager, TAgent } from '@veramo/core-types';
import { DIDStore, KeyStore, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { openSecretBox } from './key-encryption-secret.js';
import type { RegistrarStore } from './storage/registrar-store.js';
import { openSqliteStore } from './storage/sqlite-store.js';

/**
 * A **separate** keystore for children's `did:key`s created on a family's behalf during a batch
 * (`assignDids`), in its own SQLite file (`<home>/custody.sqlite`), encrypted with the same secret but
 * never loaded by the registrar's agent: the registrar's keys and the children's keys never share a
 * KMS. Hand the file (or the keys in it) to the custodial NGO wallet; the registrar itself does not need it.
 */
export class CustodialKeystore {
  readonly #db: RegistrarStore;
  readonly #agent: TAgent<IKeyManager & IDIDManager>;

  private constructor(db: RegistrarStore, agent: TAgent<IKeyManager & IDIDManager>) {
    this.#db = db;
    this.#agent = agent;
  }

  /** Open (or create) the custodial keystore at `path`. */
  static async open(path: string, secret: string): Promise<CustodialKeystore> {
    const db = await openSqliteStore(path);
    try {
      const box = await openSecretBox(db, secret);
      const agent = createAgent<IKeyManager & IDIDManager>({
        plugins: [
          new KeyManager({ store: new KeyStore(db.dataSource), kms: { custody: new KeyManagementSystem(new PrivateKeyStore(db.dataSource, box)) } }),
          new DIDManager({ store: new DIDStore(db.dataSource), defaultProvider: 'did:key', providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'custody' }) } }),
        ],
      });
      return new CustodialKeystore(db, agent);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  /**
   * The child DID for `alias` (e.g. `batch:<hash>:<row>`), created on first use: rerunning an interrupted
   * batch gives the same row the same DID.
   */
  async childDid(alias: string): Promise<string> {
    const identifier = await this.#agent.didManagerGetOrCreate({ alias, provider: 'did:key' });
    return identifier.did;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
