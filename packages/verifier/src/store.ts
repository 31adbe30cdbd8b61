import type { AnchorRecord, LedgerConfig, TrustListAlerts, TrustListEntry } from '@cradle/core';

/** An anchored list version (`@cradle/core`'s one shape, shared with `@cradle/ledger`). */
export type { AnchorRecord } from '@cradle/core';

/** A signed status list that passed every sync check, with its decoded bits kept in memory. */
export interface CachedStatusList {
  /** The list URL (`statusListCredential` in credentials; the list credential's `id`). */
  readonly url: string;
  /** DID of the registrar that signed it (equals the anchoring identity's DID). */
  readonly issuer: string;
  readonly purpose: string;
  /** The compact JWS exactly as fetched: its sha256 is `anchor.digest`. */
  readonly jwt: string;
  /** Decoded bitstring (big-endian bit order, W3C Bitstring Status List). */
  readonly bits: Uint8Array;
  readonly statusSize: number;
  readonly anchor: AnchorRecord;
  /** Unix seconds when sync last confirmed that `anchor` is still the latest one on the ledger. */
  readonly checkedAt: number;
  /** The ledger block that confirmation reflects. */
  readonly checkedBlock?: number;
  /**
   * Set when the list came from an unsigned bundle with an anchor this checkpoint never saw on the
   * ledger: it can still prove a credential revoked, but it never counts as fresh (answers that need it
   * say "cannot confirm") until a sync or a signed bundle confirms its anchor.
   */
  readonly unconfirmed?: true;
}

/** A DID document cached at sync time. */
export interface CachedDidDocument {
  readonly did: string;
  /** The resolved DID document (untrusted JSON; keys are extracted defensively). */
  readonly document: unknown;
  /** Unix seconds when it was resolved. */
  readonly fetchedAt: number;
  /** Ledger block the resolution reflects (did:ethr), and its time. */
  readonly blockNumber?: number;
  readonly blockTime?: number;
  /**
   * Set when the document came from an unsigned bundle (nothing on this checkpoint vouches for it):
   * signatures checked with its keys never make an answer `valid` until a sync or a signed bundle
   * replaces it.
   */
  readonly unconfirmed?: true;
}

/** One registrar in a governance trust list (`@cradle/core`'s trust-list format). */
export type { TrustListEntry } from '@cradle/core';

/** A governance-signed trust list that passed every check. */
export interface CachedTrustList {
  readonly jwt: string;
  readonly issuer: string;
  readonly version: number;
  readonly registrars: readonly TrustListEntry[];
  /**
   * Child-protection alerts: checkpoint alert PUBLIC keys the governance authority distributes to
   * registrars, and the authorities it accredits to raise alerts on registrars' credentials.
   */
  readonly alerts?: TrustListAlerts;
  /** The ledger anchor its digest matched, when it came through sync. */
  readonly anchor?: AnchorRecord;
  /** Unix seconds when it was imported or last confirmed latest. */
  readonly checkedAt: number;
}

/** A registrar the operator trusts locally. */
export interface OperatorTrustEntry {
  readonly did: string;
  /** Unix seconds. */
  readonly addedAt: number;
}

/** Accreditation: the operator's own list plus (optionally) the governance list. */
export interface TrustState {
  readonly operator: readonly OperatorTrustEntry[];
  /** DIDs the operator removed although the governance list accredits them. */
  readonly removed: readonly string[];
  readonly governanceList?: CachedTrustList;
}

/** How far sync got. */
export interface SyncState {
  /** Last ledger block whose anchor events have been read. */
  readonly lastBlock: number;
  readonly lastBlockTime?: number;
  /** Unix seconds of the last sync that reached the ledger. */
  readonly syncedAt: number;
  /** Identities (lowercase addresses) whose anchors were read up to `lastBlock`; others are read from the deploy block. */
  readonly followed?: readonly string[];
}

/** Operator policy of this checkpoint. */
export interface CheckpointConfig {
  /** Oldest status data (seconds) that may still answer `valid`. */
  readonly maxStatusAge: number;
  /** Allowed clock difference (seconds) when checking validity windows; default 300. */
  readonly clockSkew?: number;
  readonly ledger?: LedgerConfig;
  /** DID of the governance authority whose signed trust list this checkpoint follows. */
  readonly governanceDid?: string;
  /** Require a travel consent from every other listed parent when one parent presents (`TRAVEL_CONSENT_MISSING`). */
  readonly requireTravelConsent?: boolean;
  /**
   * The id (JWK thumbprint) of this checkpoint's alert key (`checkpoint init --alert-key`). When set, the
   * checkpoint checks child-protection alerts: a birth credential's alert entry must be answered from a
   * synced, fresh alert list (else "cannot confirm"), and a raised alert makes the outcome `alert`.
   */
  readonly alertKeyId?: string;
  /**
   * DID of an operator key (a `did:key`, pinned at `checkpoint init --bundle-key`) whose signed
   * bundles this checkpoint accepts, besides the governance authority's.
   */
  readonly bundleKeyDid?: string;
  /**
   * Refuse registrar credentials without a revocation entry (`STATUS_MISSING`); default `true`.
   * `false` is an explicit policy (`checkpoint init --allow-missing-revocation-entry`).
   */
  readonly requireRevocationEntry?: boolean;
}

/** Everything a checkpoint caches. Returned by {@link VerifierStore.load}. */
export interface CheckpointState {
  readonly config?: CheckpointConfig;
  readonly trust: TrustState;
  readonly didDocuments: readonly CachedDidDocument[];
  readonly statusLists: readonly CachedStatusList[];
  /** Latest anchors seen on the ledger (also for lists that could not be fetched). */
  readonly anchors: readonly AnchorRecord[];
  readonly sync?: SyncState;
}

/** A set of changes applied atomically by {@link VerifierStore.write}. */
export interface StoreChanges {
  readonly config?: CheckpointConfig;
  readonly trust?: TrustState;
  /** Added or replaced, keyed by `did`. */
  readonly didDocuments?: readonly CachedDidDocument[];
  /** Added or replaced, keyed by `issuer` + `url`. */
  readonly statusLists?: readonly CachedStatusList[];
  /** Added or replaced, keyed by `identity` + `listId`. */
  readonly anchors?: readonly AnchorRecord[];
  readonly sync?: SyncState;
}

/**
 * Where a checkpoint keeps what it synced. Implementations: {@link MemoryVerifierStore} (tests, web
 * app before IndexedDB), `FileVerifierStore` in `@cradle/verifier/node`. `write` must be atomic: after
 * a crash, readers see either all of a change set or none of it.
 */
export interface VerifierStore {
  /** Increases on every committed write in this process, so verifiers can reuse decoded data. */
  readonly revision: number;
  /** Everything cached (one read, so verification works from one consistent snapshot). */
  load(): Promise<CheckpointState>;
  getConfig(): Promise<CheckpointConfig | undefined>;
  getTrust(): Promise<TrustState>;
  getDidDocument(did: string): Promise<CachedDidDocument | undefined>;
  /** The cached list `url` published by `issuer` (lists are keyed by both: one registrar can never shadow another's). */
  getStatusList(issuer: string, url: string): Promise<CachedStatusList | undefined>;
  getSyncState(): Promise<SyncState | undefined>;
  /** Apply a change set atomically. */
  write(changes: StoreChanges): Promise<void>;
}

/** The empty trust state. */
export const EMPTY_TRUST: TrustState = Object.freeze({ operator: [], removed: [] });

/** Merge a change set into a state (pure); shared by the store implementations. */
export function applyChanges(state: CheckpointState, changes: StoreChanges): CheckpointState {
  const byKey = <T>(list: readonly T[], updates: readonly T[] | undefined, key: (t: T) => string): readonly T[] => {
    if (updates === undefined || updates.length === 0) return list;
    const map = new Map(list.map((t) => [key(t), t]));
    for (const u of updates) map.set(key(u), u);
    return [...map.values()];
  };
  const next: CheckpointState = {
    trust: changes.trust ?? state.trust,
    didDocuments: byKey(state.didDocuments, changes.didDocuments, (d) => d.did),
    statusLists: byKey(state.statusLists, changes.statusLists, statusListKey),
    anchors: byKey(state.anchors, changes.anchors, anchorKey),
    ...(changes.config ?? state.config ? { config: changes.config ?? state.config } : {}),
    ...(changes.sync ?? state.sync ? { sync: changes.sync ?? state.sync } : {}),
  };
  return next;
}

/** Map key of a cached status list: issuer and URL. */
export function statusListKey(l: { issuer: string; url: string }): string {
  return `${l.issuer} ${l.url}`;
}

/** Map key of an anchor: `identity/listId`, lowercase. */
export function anchorKey(a: { identity: string; listId: string }): string {
  return `${a.identity.toLowerCase()}/${a.listId.toLowerCase()}`;
}
