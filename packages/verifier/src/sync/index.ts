// `@cradle/verifier/sync`: the only path from the verifier to the ledger (anchors, registrar DID documents,
// the governance trust list) and to the network (status-list mirrors and packs). Not browser-light: it
// brings @cradle/ledger and ethers, so apps load it lazily, when the device has a link.
export { sync } from '../sync.js';
export type { SyncFailure, SyncListReport, SyncOptions, SyncReport } from '../sync.js';
export { anchoredUriSource, httpMirror, mirrorCandidates } from '../list-sources.js';
export type { ListSource } from '../list-sources.js';
export { MAX_STATUS_PACK_BYTES, MAX_STATUS_PACK_LISTS, httpPackSource, packSource } from '../pack-source.js';
export type { HttpPackSourceOptions, PackBase, PackSourceOptions } from '../pack-source.js';
