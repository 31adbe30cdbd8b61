import { statusListId } from '@cradle/core';
import { parseEthrDid } from './ethr-did.js';
import { keysFromDidDocument } from './did-document-keys.js';
import { isSelfCertifyingDid, selfCertifyingKey } from './did-methods/index.js';
import type { AnchorRecord, CachedDidDocument, CachedStatusList, CheckpointState, VerifierStore } from './store.js';
import { anchorKey } from './store.js';
import type { TrustDecision } from './trust.js';
import { trustDecision } from './trust.js';
import type { VerificationKey } from './verification-key.js';

/**
 * Where the keys of a DID come from. Return `undefined` when the DID is unknown (the verifier then
 * says it cannot confirm the issuer), or its keys. Must be synchronous and offline.
 */
export type KeyResolver = (did: string) => ResolvedKeys | undefined;

/** The keys of one DID and how old they are. */
export interface ResolvedKeys {
  readonly keys: readonly VerificationKey[];
  /** Unix seconds the keys were fetched (ledger DIDs); absent for self-certifying DIDs like did:key. */
  readonly fetchedAt?: number;
  /** The DID document came from an unsigned bundle: nothing vouches for these keys. */
  readonly unconfirmed?: boolean;
}

export { isSelfCertifyingDid };

/**
 * Keys from a fixed map (DID -> keys), e.g. for pinned test keys or an out-of-band registrar key.
 *
 * @example
 * ```ts
 * const resolver = staticKeyResolver({ [did]: [{ id: `${did}#k1`, controller: did, type: 'Ed25519',
 *   publicKey, assertionMethod: true, authentication: false }] });
 * ```
 */
export function staticKeyResolver(keys: Readonly<Record<string, readonly VerificationKey[]>>): KeyResolver {
  const map = new Map(Object.entries(keys).map(([did, list]) => [did, { keys: list }]));
  return (did) => map.get(did);
}

/** Anchor list id of the governance trust list: `keccak256(utf8("cradle:trust-list"))` (`TRUST_LIST_ID` in @cradle/ledger). */
export const TRUST_LIST_ANCHOR_ID = statusListIdOf('cradle:trust-list');

/** The governance authority anchored a newer trust list than the one on this device. */
export interface TrustListStaleness {
  /** Version on this device (absent: none). */
  readonly cached?: number;
  /** Latest version anchored on the ledger, as the last sync (or a signed bundle) saw it. */
  readonly anchored: number;
}

/** Status list with its list id precomputed. */
export interface ContextStatusList extends CachedStatusList {
  readonly listKey: string;
}

/** A consistent, decoded snapshot of a store, reused across verifications until the store changes. */
export interface VerificationContext {
  readonly state: CheckpointState;
  readonly keysOf: KeyResolver;
  statusList(issuer: string, url: string): ContextStatusList | undefined;
  latestAnchor(key: string): AnchorRecord | undefined;
  trust(did: string): TrustDecision;
  /**
   * Set when the ledger shows a newer governance trust list than the one cached: accreditation cannot be
   * confirmed (the newer list may de-accredit a registrar) until it is fetched.
   */
  readonly trustListStale?: TrustListStaleness;
}

const cache = new WeakMap<VerifierStore, { revision: number; ctx: Promise<VerificationContext> }>();

/** sha256/keccak helpers work on bytes; list ids are `keccak256(utf8(url))`. */
export function statusListIdOf(url: string): string {
  return statusListId(url);
}

/** Build a context from a state (no caching). */
export function buildVerificationContext(state: CheckpointState): VerificationContext {
  const docKeys = new Map<string, ResolvedKeys>();
  for (const d of state.didDocuments) {
    // A self-certifying DID's keys come from the DID, never from a stored document (whatever put it there).
    if (isSelfCertifyingDid(d.did)) continue;
    docKeys.set(d.did, { keys: keysFromDidDocument(d.did, d.document), fetchedAt: d.fetchedAt, ...(d.unconfirmed === true ? { unconfirmed: true } : {}) });
  }
  const didKeys = new Map<string, ResolvedKeys | undefined>();
  const keysOf: KeyResolver = (did) => {
    // did:key and did:jwk: the key comes from the DID itself, never from a cached or imported document.
    if (!isSelfCertifyingDid(did)) return docKeys.get(did);
    let r = didKeys.get(did);
    if (r === undefined && !didKeys.has(did)) {
      const key = selfCertifyingKey(did);
      r = key === undefined ? undefined : { keys: [key] };
      if (didKeys.size < 10_000) didKeys.set(did, r);
    }
    return r;
  };
  // Issuer, then URL: a lookup per status entry of every credential, without building a key string.
  const lists = new Map<string, Map<string, ContextStatusList>>();
  for (const l of state.statusLists) {
    let byUrl = lists.get(l.issuer);
    if (byUrl === undefined) lists.set(l.issuer, (byUrl = new Map()));
    byUrl.set(l.url, { ...l, listKey: anchorKey(l.anchor) });
  }
  const anchors = new Map(state.anchors.map((a) => [anchorKey(a), a]));
  const trustCache = new Map<string, TrustDecision>();
  const trustListStale = trustListStaleness(state, anchors);
  return {
    state,
    ...(trustListStale === undefined ? {} : { trustListStale }),
    keysOf,
    statusList: (issuer, url) => lists.get(issuer)?.get(url),
    latestAnchor: (key) => anchors.get(key),
    trust: (did) => {
      let t = trustCache.get(did);
      if (t === undefined) {
        t = trustDecision(state.trust, did);
        if (trustCache.size < 10_000) trustCache.set(did, t);
      }
      return t;
    },
  };
}

/**
 * The keys this checkpoint would have with `fresh` DID documents added to (or replacing) its own: what a
 * sync or a bundle import checks lists against before anything is written.
 */
export function keysWithDocuments(state: CheckpointState, fresh: readonly CachedDidDocument[]): KeyResolver {
  const byDid = new Map(state.didDocuments.map((d) => [d.did, d]));
  for (const d of fresh) byDid.set(d.did, d);
  return buildVerificationContext({ ...state, didDocuments: [...byDid.values()] }).keysOf;
}

function trustListStaleness(state: CheckpointState, anchors: ReadonlyMap<string, AnchorRecord>): TrustListStaleness | undefined {
  const governanceDid = state.config?.governanceDid;
  const address = governanceDid === undefined ? undefined : parseEthrDid(governanceDid)?.address;
  if (address === undefined) return undefined;
  const anchored = anchors.get(anchorKey({ identity: address, listId: TRUST_LIST_ANCHOR_ID }));
  const cached = state.trust.governanceList?.version;
  if (anchored === undefined || (cached !== undefined && cached >= anchored.version)) return undefined;
  return { anchored: anchored.version, ...(cached === undefined ? {} : { cached }) };
}

/**
 * The decoded snapshot of `store`, rebuilt only when `store.revision` changed. Everything verification
 * needs (keys, status bits, trust) is then a synchronous lookup.
 */
export function loadVerificationContext(store: VerifierStore): Promise<VerificationContext> {
  const hit = cache.get(store);
  if (hit !== undefined && hit.revision === store.revision) return hit.ctx;
  const revision = store.revision;
  const ctx = store.load().then(buildVerificationContext);
  cache.set(store, { revision, ctx });
  ctx.catch(() => cache.delete(store));
  return ctx;
}
