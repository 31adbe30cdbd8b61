import type {
  CachedDidDocument,
  CachedStatusList,
  CheckpointConfig,
  CheckpointState,
  StoreChanges,
  SyncState,
  TrustState,
  VerifierStore,
} from './store.js';
import { EMPTY_TRUST, applyChanges } from './store.js';

/**
 * A {@link VerifierStore} in memory: for tests, and for the web app until it persists to IndexedDB.
 *
 * @example
 * ```ts
 * const store = new MemoryVerifierStore();
 * await store.write({ config: { maxStatusAge: 86_400 } });
 * ```
 */
export class MemoryVerifierStore implements VerifierStore {
  #state: CheckpointState;
  #revision = 0;

  constructor(initial?: CheckpointState) {
    this.#state = initial ?? { trust: EMPTY_TRUST, didDocuments: [], statusLists: [], anchors: [] };
  }

  get revision(): number {
    return this.#revision;
  }

  async load(): Promise<CheckpointState> {
    return this.#state;
  }

  async getConfig(): Promise<CheckpointConfig | undefined> {
    return this.#state.config;
  }

  async getTrust(): Promise<TrustState> {
    return this.#state.trust;
  }

  async getDidDocument(did: string): Promise<CachedDidDocument | undefined> {
    return this.#state.didDocuments.find((d) => d.did === did);
  }

  async getStatusList(issuer: string, url: string): Promise<CachedStatusList | undefined> {
    return this.#state.statusLists.find((s) => s.issuer === issuer && s.url === url);
  }

  async getSyncState(): Promise<SyncState | undefined> {
    return this.#state.sync;
  }

  async write(changes: StoreChanges): Promise<void> {
    const next = applyChanges(this.#state, changes);
    await this.persist(next);
    this.#state = next;
    this.#revision++;
  }

  /**
   * Make `next` durable before it becomes the state readers see; a throw leaves the old state. The
   * in-memory store keeps nothing; persistent stores (files, IndexedDB) override this.
   */
  protected async persist(_next: CheckpointState): Promise<void> {}
}
