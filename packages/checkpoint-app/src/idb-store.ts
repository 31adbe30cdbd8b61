/**
 * `VerifierStore` on IndexedDB: everything a checkpoint synced or imported survives reloads, restarts and
 * days without a network. Each piece is its own record (`config`, `trust`, `sync`, `did/<did>`,
 * `list/<issuer> <url>`, `anchor/<identity>/<listId>`), so a sync that touches one list rewrites one record, and
 * every change set is one IndexedDB transaction: after a crash a reader sees all of it or none of it.
 */
import { EMPTY_TRUST } from '@cradle/verifier';
import type {
  AnchorRecord,
  CachedDidDocument,
  CachedStatusList,
  CheckpointConfig,
  CheckpointState,
  StoreChanges,
  SyncState,
  TrustState,
  VerifierStore,
} from '@cradle/verifier';
import { anchorKey, statusListKey } from '@cradle/verifier';
import type { IdbKeyValue } from './idb.js';

const CONFIG = 'config';
const TRUST = 'trust';
const SYNC = 'sync';
const DID = 'did/';
const LIST = 'list/';
const ANCHOR = 'anchor/';

/**
 * A {@link VerifierStore} persisted in one IndexedDB object store.
 * @example
 * const store = new IdbVerifierStore(new IdbKeyValue(await openCheckpointDb(), STORES.verifier));
 * const result = await verify(scanned, { store });
 */
export class IdbVerifierStore implements VerifierStore {
  #revision = 0;
  #snapshot: Promise<CheckpointState> | undefined;
  #channel: BroadcastChannel | undefined;

  /**
   * @param kv the object store to keep the data in.
   * @param channelName other tabs (or instances) of the app announce their writes on this channel, so
   *   a tab never verifies against data another tab has since replaced (e.g. a newer bundle).
   */
  constructor(
    private readonly kv: IdbKeyValue,
    channelName = 'cradle-checkpoint-store',
  ) {
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(channelName);
      this.#channel.onmessage = () => this.invalidate();
    }
  }

  /** Increases on every committed write through this instance. */
  get revision(): number {
    return this.#revision;
  }

  /**
   * Tells the store another tab (or anything outside this instance) changed the database, so the next
   * verification reloads it.
   */
  invalidate(): void {
    this.#snapshot = undefined;
    this.#revision++;
  }

  load(): Promise<CheckpointState> {
    this.#snapshot ??= this.#read().catch((e: unknown) => {
      this.#snapshot = undefined;
      throw e;
    });
    return this.#snapshot;
  }

  async #read(): Promise<CheckpointState> {
    const entries = await this.kv.entries<unknown>();
    const didDocuments: CachedDidDocument[] = [];
    const statusLists: CachedStatusList[] = [];
    const anchors: AnchorRecord[] = [];
    let config: CheckpointConfig | undefined;
    let trust: TrustState = EMPTY_TRUST;
    let sync: SyncState | undefined;
    for (const [key, value] of entries) {
      if (key === CONFIG) config = value as CheckpointConfig;
      else if (key === TRUST) trust = value as TrustState;
      else if (key === SYNC) sync = value as SyncState;
      else if (key.startsWith(DID)) didDocuments.push(value as CachedDidDocument);
      else if (key.startsWith(LIST)) statusLists.push(value as CachedStatusList);
      else if (key.startsWith(ANCHOR)) anchors.push(value as AnchorRecord);
    }
    return {
      trust,
      didDocuments,
      statusLists,
      anchors,
      ...(config === undefined ? {} : { config }),
      ...(sync === undefined ? {} : { sync }),
    };
  }

  async getConfig(): Promise<CheckpointConfig | undefined> {
    return (await this.load()).config;
  }

  async getTrust(): Promise<TrustState> {
    return (await this.load()).trust;
  }

  async getDidDocument(did: string): Promise<CachedDidDocument | undefined> {
    return this.kv.get<CachedDidDocument>(DID + did);
  }

  async getStatusList(issuer: string, url: string): Promise<CachedStatusList | undefined> {
    return this.kv.get<CachedStatusList>(LIST + statusListKey({ issuer, url }));
  }

  async getSyncState(): Promise<SyncState | undefined> {
    return (await this.load()).sync;
  }

  async write(changes: StoreChanges): Promise<void> {
    const puts: [string, unknown][] = [];
    if (changes.config !== undefined) puts.push([CONFIG, changes.config]);
    if (changes.trust !== undefined) puts.push([TRUST, changes.trust]);
    if (changes.sync !== undefined) puts.push([SYNC, changes.sync]);
    for (const d of changes.didDocuments ?? []) puts.push([DID + d.did, d]);
    for (const l of changes.statusLists ?? []) puts.push([LIST + statusListKey(l), l]);
    for (const a of changes.anchors ?? []) puts.push([ANCHOR + anchorKey(a), a]);
    try {
      await this.kv.setMany(puts);
    } finally {
      // Even a failed transaction may have raced another writer: reload on next use.
      this.invalidate();
      this.#channel?.postMessage('changed');
    }
  }

  /** Deletes everything this checkpoint cached (trust, keys, lists, settings of the verifier). */
  async clear(): Promise<void> {
    try {
      await this.kv.setMany([], await this.kv.keys());
    } finally {
      this.invalidate();
      this.#channel?.postMessage('changed');
    }
  }
}
