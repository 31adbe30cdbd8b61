// `@cradle/verifier/store`: the contract a storage adapter implements (IndexedDB in the app, a file in Node,
// a database elsewhere), with the pure helpers adapters need. Nothing else of the verifier comes with it.
export type {
  AnchorRecord,
  CachedDidDocument,
  CachedStatusList,
  CachedTrustList,
  CheckpointConfig,
  CheckpointState,
  OperatorTrustEntry,
  StoreChanges,
  SyncState,
  TrustListEntry,
  TrustState,
  VerifierStore,
} from '../store.js';
export { EMPTY_TRUST, anchorKey, applyChanges, statusListKey } from '../store.js';
export { MemoryVerifierStore } from '../memory-store.js';
