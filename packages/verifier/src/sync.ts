import { ALERT_STATUS_PURPOSE, CradleError, clockOption, displayText, isAlertListUrl, isCradleError } from '@cradle/core';
import type { AlertKeyJwk, Clock, SyncFailureCode } from '@cradle/core';
import type { LedgerConfig } from '@cradle/ledger';
import { TRUST_LIST_ID, connectLedger, createResolver } from '@cradle/ledger';
import { fetchDidWebDocument, isDidWeb } from './did-methods/did-web.js';
import { canonicalEthrDid, identityOnChain } from './ethr-did.js';
import type { ListSource } from './list-sources.js';
import { anchoredUriSource, httpMirror } from './list-sources.js';
import { httpPackSource } from './pack-source.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { MAX_STATUS_LIST_BYTES, acceptStatusList } from './status-list-credential.js';
import type { AnchorRecord, CachedDidDocument, CachedStatusList, CachedTrustList, CheckpointState, VerifierStore } from './store.js';
import { anchorKey } from './store.js';
import { acceptTrustList } from './trust-list.js';
import { trustedIssuers, withGovernanceList } from './trust.js';
import type { KeyResolver } from './verification-context.js';
import { keysWithDocuments } from './verification-context.js';

/** Options of {@link sync}. */
export interface SyncOptions {
  readonly store: VerifierStore;
  /** Default: the ledger in the store's checkpoint config. */
  readonly ledger?: LedgerConfig;
  /** Used for anchored URIs and HTTP mirrors; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Extra places to fetch signed lists from: HTTP(S) base URLs, or sources (e.g. `directoryMirror`). */
  readonly mirrors?: readonly (string | ListSource)[];
  /**
   * Status-list packs (docs/formats.md): HTTP(S) URLs (e.g. a registrar's `/status-pack`) or sources
   * (`packSource`, Node `filePackSource`). Tried FIRST, before the anchored URIs and mirrors, so a pack
   * holding every current list means no per-list requests. URLs are fetched at most once per sync.
   */
  readonly packs?: readonly (string | ListSource)[];
  /** The clock (`() => ms since the epoch`); default `Date.now`. A `Date` or a number of ms is still accepted (deprecated). */
  readonly now?: Clock | Date | number;
  /** An ethers provider to reach the chain through (e.g. an in-process dev chain). */
  readonly provider?: NonNullable<Parameters<typeof connectLedger>[1]>['provider'];
  readonly signatureVerifier?: SignatureVerifier;
  /**
   * This checkpoint's PRIVATE alert keys (`readAlertKey(jwk, 'private')`): child-protection alert lists
   * are fetched and decrypted with them (docs/privacy.md). Without keys, alert lists are not fetched.
   */
  readonly alertKeys?: readonly AlertKeyJwk[];
}

/** One thing sync could not do. Nothing cached before was changed because of it. */
export interface SyncFailure {
  /** What failed: `ledger`, a DID, a list URL/URI, `trust list`. */
  readonly source: string;
  readonly code: SyncFailureCode;
  readonly message: string;
}

/** One anchored list and what sync did with it. */
export interface SyncListReport {
  readonly identity: string;
  readonly listId: string;
  readonly version: number;
  readonly url?: string;
  readonly outcome: 'updated' | 'unchanged' | 'failed';
  /** Where the accepted copy came from. */
  readonly source?: string;
}

/** What a sync did, per source. `ok` is false when anything failed. */
export interface SyncReport {
  readonly ok: boolean;
  readonly syncedAt: string;
  readonly ledger?: { readonly fromBlock: number; readonly toBlock: number; readonly head: number; readonly headTime?: number };
  readonly didDocuments: readonly { readonly did: string; readonly outcome: 'updated' | 'failed' }[];
  readonly lists: readonly SyncListReport[];
  readonly trustList?: { readonly outcome: 'updated' | 'unchanged' | 'failed'; readonly version?: number };
  readonly failures: readonly SyncFailure[];
}

/** Code and message of a failure; messages echo what servers and the ledger said, so they are sanitized. */
function errorInfo(e: unknown): { code: SyncFailureCode; message: string } {
  if (isCradleError(e)) return { code: e.code, message: displayText(e.message, { maxLength: 1000 }) };
  return { code: 'RPC_ERROR', message: displayText(e instanceof Error ? e.message : String(e), { maxLength: 1000 }) };
}

/**
 * The only network step: read anchors from the ledger since the last synced block, refresh the DID
 * documents of trusted registrars (did:ethr from the ledger, did:web from their HTTPS did.json; did:key
 * and did:jwk need none) and of the governance authority, fetch every anchored status list
 * of a trusted registrar from the status-list packs, its URI or the mirrors (in that order), and
 * accept a list only if its sha256 equals the latest anchored digest, it is signed by the anchoring
 * registrar and its `iss` is that registrar.
 * The governance trust list is synced the same way. Everything accepted is written in ONE atomic
 * store write at the end; failures are reported per source and never replace good cached data.
 * Throws only for caller mistakes (no ledger configured).
 *
 * @example
 * ```ts
 * const report = await sync({ store, mirrors: ['https://mirror.ngo.example/cradle/'] });
 * for (const f of report.failures) console.warn(f.source, f.message);
 * ```
 */
export async function sync(opts: SyncOptions): Promise<SyncReport> {
  const store = opts.store;
  const state = await store.load();
  const ledger = opts.ledger ?? state.config?.ledger;
  if (ledger === undefined) throw new CradleError('CONFIG_INVALID', 'No ledger is configured for this checkpoint: run `cradle checkpoint init --ledger FILE` first.');
  const nowMs = clockOption('now', opts.now)();
  const now = Math.floor(nowMs / 1000);
  const syncedAt = new Date(now * 1000).toISOString();
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const verifier = opts.signatureVerifier ?? webCryptoSignatureVerifier;
  const sources: ListSource[] = [
    // Pack URLs are asked for deltas against the lists held (docs/formats.md, "Delta sync").
    ...(opts.packs ?? []).map((p) =>
      typeof p === 'string'
        ? httpPackSource(p, fetchFn, {
            // Alert lists never travel in packs (they are encrypted, not signed lists a delta can rebuild).
            bases: state.statusLists.filter((l) => l.purpose !== ALERT_STATUS_PURPOSE).map((l) => ({ listId: l.anchor.listId, version: l.anchor.version, jwt: l.jwt })),
          })
        : p,
    ),
    anchoredUriSource(fetchFn),
    ...(opts.mirrors ?? []).map((m) => (typeof m === 'string' ? httpMirror(m, fetchFn) : m)),
  ];
  const failures: SyncFailure[] = [];

  let client;
  try {
    client = await connectLedger(ledger, opts.provider === undefined ? {} : { provider: opts.provider });
  } catch (e) {
    const info = errorInfo(e);
    return { ok: false, syncedAt, didDocuments: [], lists: [], failures: [{ source: 'ledger', ...info, message: `Could not reach the ledger: ${info.message}` }] };
  }
  try {
    return await syncWith(client, ledger, state, store, { now, fetchFn, syncedAt, sources, verifier, failures, refusedPacks: new Set(), opts });
  } catch (e) {
    // A ledger failure mid-way: nothing was written (the single write happens last).
    const info = errorInfo(e);
    return { ok: false, syncedAt, didDocuments: [], lists: [], failures: [...failures, { source: 'ledger', ...info, message: `The ledger stopped answering: ${info.message}` }] };
  } finally {
    client.close();
  }
}

interface SyncEnv {
  now: number;
  fetchFn: typeof fetch;
  syncedAt: string;
  sources: ListSource[];
  verifier: SignatureVerifier;
  failures: SyncFailure[];
  /** Packs already reported as refused (`PACK_INVALID`) in this sync. */
  refusedPacks: Set<string>;
  opts: SyncOptions;
}

/** One sync: the ledger connection, this checkpoint's state before it, and the environment. */
interface SyncRun {
  readonly client: Awaited<ReturnType<typeof connectLedger>>;
  readonly ledger: LedgerConfig;
  readonly state: CheckpointState;
  readonly env: SyncEnv;
}

/** Where the ledger is: its head, and the range of blocks this sync reads (only confirmed blocks). */
interface LedgerRange {
  readonly head: number;
  readonly headTime: number | undefined;
  /** The newest block with enough confirmations: what this sync reads up to. */
  readonly safeHead: number;
  readonly fromBlock: number;
}

/** Who this checkpoint follows on the ledger: its trusted did:ethr registrars on this chain, and its governance authority. */
interface Followed {
  /** Address → canonical DID of each trusted registrar. */
  readonly registrars: ReadonlyMap<string, string>;
  readonly governanceDid: string | undefined;
  readonly governanceIdentity: string | undefined;
  /** Every followed address (registrars and the governance authority). */
  readonly all: ReadonlySet<string>;
}

async function syncWith(
  client: Awaited<ReturnType<typeof connectLedger>>,
  ledger: LedgerConfig,
  state: CheckpointState,
  store: VerifierStore,
  env: SyncEnv,
): Promise<SyncReport> {
  const run: SyncRun = { client, ledger, state, env };
  const range = await ledgerRange(run);
  const followed = followedIdentities(run);
  // 1. DID documents first: lists are checked against the fresh keys.
  const dids = await refreshDidDocuments(run, followed, range);
  const keysOf = keysWithDocuments(state, dids.docs);
  // 2. Anchors: the authoritative latest per list.
  const anchors = await latestAnchors(run, followed, range);
  // 3. Each list whose anchor changed, fetched and checked; the unchanged ones reconfirmed.
  const lists = await syncLists(run, { anchors, followed, keysOf, head: range.head });
  // 4. One atomic write.
  await store.write({
    didDocuments: dids.docs,
    statusLists: lists.lists,
    anchors,
    sync: { lastBlock: range.safeHead, syncedAt: env.now, followed: [...followed.all].sort(), ...(range.headTime === undefined ? {} : { lastBlockTime: range.headTime }) },
    ...(lists.trustList === undefined ? {} : { trust: withGovernanceList((await store.getTrust()) ?? state.trust, lists.trustList) }),
  });
  return {
    ok: env.failures.length === 0,
    syncedAt: env.syncedAt,
    ledger: { fromBlock: range.fromBlock, toBlock: range.safeHead, head: range.head, ...(range.headTime === undefined ? {} : { headTime: range.headTime }) },
    didDocuments: dids.reports,
    lists: lists.reports,
    ...(lists.trustReport === undefined ? {} : { trustList: lists.trustReport }),
    failures: env.failures,
  };
}

async function ledgerRange({ client, ledger, state }: SyncRun): Promise<LedgerRange> {
  const head = await client.blockNumber();
  const headBlock = await client.provider.getBlock(head);
  return {
    head,
    headTime: headBlock?.timestamp,
    safeHead: Math.max(0, head - (ledger.confirmations - 1)),
    fromBlock: state.sync !== undefined ? state.sync.lastBlock + 1 : (ledger.deployBlock ?? 0),
  };
}

function followedIdentities({ ledger, state }: SyncRun): Followed {
  const governanceDid = state.config?.governanceDid;
  const registrars = new Map<string, string>();
  for (const did of trustedIssuers(state.trust)) {
    const id = identityOnChain(did, ledger.chainId);
    if (id !== undefined) registrars.set(id, canonicalEthrDid(ledger.chainId, id));
  }
  const governanceIdentity = governanceDid === undefined ? undefined : identityOnChain(governanceDid, ledger.chainId);
  return { registrars, governanceDid, governanceIdentity, all: new Set([...registrars.keys(), ...(governanceIdentity === undefined ? [] : [governanceIdentity])]) };
}

/**
 * The DID documents of the followed did:ethr identities (from the ledger, as of its head) and of trusted
 * did:web registrars (their did.json over HTTPS, bounded, no redirects; verification never fetches it).
 * did:key and did:jwk need none. A failure keeps the copy from the last sync.
 */
async function refreshDidDocuments(run: SyncRun, followed: Followed, range: LedgerRange): Promise<{ docs: CachedDidDocument[]; reports: { did: string; outcome: 'updated' | 'failed' }[] }> {
  const { ledger, env } = run;
  const docs: CachedDidDocument[] = [];
  const reports: { did: string; outcome: 'updated' | 'failed' }[] = [];
  const refresh = async (did: string, fetchDocument: () => Promise<CachedDidDocument>): Promise<void> => {
    try {
      docs.push(await fetchDocument());
      reports.push({ did, outcome: 'updated' });
    } catch (e) {
      env.failures.push({ source: did, ...errorInfo(e), message: `Could not refresh the DID document of ${did}: ${errorInfo(e).message}. The copy from the last sync is kept.` });
      reports.push({ did, outcome: 'failed' });
    }
  };
  const resolver = createResolver(ledger, env.opts.provider === undefined ? {} : { provider: env.opts.provider });
  const onLedger = [...followed.registrars.values(), ...(followed.governanceIdentity === undefined ? [] : [canonicalEthrDid(ledger.chainId, followed.governanceIdentity)])];
  for (const did of new Set(onLedger)) {
    await refresh(did, async () => {
      const res = await resolver.resolve(did);
      const doc = res.didDocument;
      if (res.didResolutionMetadata.error !== undefined || doc === null || doc.id !== did) {
        throw new CradleError('RPC_ERROR', `resolution failed (${String(res.didResolutionMetadata.error ?? 'no document')})`);
      }
      return { did, document: doc, fetchedAt: env.now, blockNumber: range.head, ...(range.headTime === undefined ? {} : { blockTime: range.headTime }) };
    });
  }
  for (const did of trustedIssuers(run.state.trust).filter(isDidWeb)) {
    await refresh(did, async () => ({ did, document: await fetchDidWebDocument(did, env.fetchFn), fetchedAt: env.now }));
  }
  return { docs, reports };
}

/**
 * The latest anchor of every list of a followed identity: the lists come from the anchors held and the
 * events since the last sync (and, for identities followed since then, from the first block); the
 * contract says which version is latest; the event of that version gives its URI.
 */
async function latestAnchors(run: SyncRun, followed: Followed, range: LedgerRange): Promise<AnchorRecord[]> {
  const { client, ledger, state } = run;
  const { fromBlock, safeHead } = range;
  const events = safeHead >= fromBlock ? await client.anchorEvents({ fromBlock, toBlock: safeHead }) : [];
  // Identities trusted since the last sync: their earlier anchors were never read, so read them from the start.
  const known = new Set(state.sync?.followed ?? []);
  const firstBlock = ledger.deployBlock ?? 0;
  for (const identity of followed.all) {
    if (state.sync === undefined || known.has(identity) || fromBlock <= firstBlock) continue;
    events.push(...(await client.anchorEvents({ fromBlock: firstBlock, toBlock: Math.min(fromBlock - 1, safeHead), identity })));
  }
  const uriByVersion = new Map<string, string>();
  const pairs = new Map<string, { identity: string; listId: string }>();
  for (const a of [...state.anchors, ...events]) {
    const identity = a.identity.toLowerCase();
    if (!followed.all.has(identity)) continue;
    pairs.set(anchorKey(a), { identity, listId: a.listId.toLowerCase() });
    uriByVersion.set(`${anchorKey(a)}@${a.version}`, a.uri);
  }
  const pairList = [...pairs.values()];
  const latest = pairList.length === 0 ? [] : await client.latestMany(pairList);
  const anchors: AnchorRecord[] = [];
  for (let i = 0; i < pairList.length; i++) {
    const rec = latest[i];
    const pair = pairList[i]!;
    if (rec === null || rec === undefined || rec.blockNumber > safeHead) continue;
    let uri = uriByVersion.get(`${anchorKey(pair)}@${rec.version}`);
    if (uri === undefined) {
      const evs = await client.anchorEvents({ fromBlock: rec.blockNumber, toBlock: rec.blockNumber, identity: pair.identity, listId: pair.listId });
      uri = evs.find((e) => e.version === rec.version)?.uri;
    }
    anchors.push({ identity: pair.identity, listId: pair.listId, version: rec.version, digest: rec.digest.toLowerCase(), uri: uri ?? '', blockNumber: rec.blockNumber, blockTime: rec.blockTime });
  }
  return anchors;
}

/**
 * For each latest anchor: the governance trust list, or a trusted registrar's status list — reconfirmed
 * when this checkpoint holds that very version, else fetched from the sources and checked. A checkpoint
 * without an alert key does not fetch alert lists (it could not read them).
 */
async function syncLists(
  run: SyncRun,
  input: { anchors: readonly AnchorRecord[]; followed: Followed; keysOf: KeyResolver; head: number },
): Promise<{ lists: CachedStatusList[]; reports: SyncListReport[]; trustList?: CachedTrustList; trustReport?: SyncReport['trustList'] }> {
  const { state, env } = run;
  const { followed, keysOf, head } = input;
  const cachedByKey = new Map(state.statusLists.map((l) => [anchorKey(l.anchor), l]));
  const lists: CachedStatusList[] = [];
  const reports: SyncListReport[] = [];
  let trust: { list?: CachedTrustList; report: NonNullable<SyncReport['trustList']> } | undefined;
  for (const anchor of input.anchors) {
    const at = { identity: anchor.identity, listId: anchor.listId, version: anchor.version };
    if (anchor.listId === TRUST_LIST_ID.toLowerCase()) {
      if (anchor.identity === followed.governanceIdentity) trust = await syncTrustList(anchor, followed.governanceDid!, state, keysOf, env);
      continue;
    }
    const issuerDid = followed.registrars.get(anchor.identity);
    if (issuerDid === undefined) continue;
    if ((env.opts.alertKeys ?? []).length === 0 && isAlertListUrl(anchor.uri)) continue;
    const cached = cachedByKey.get(anchorKey(anchor));
    if (cached !== undefined && cached.anchor.version === anchor.version && cached.anchor.digest === anchor.digest) {
      // Confirmed on the ledger now (also a list that came unconfirmed from an unsigned bundle).
      const { unconfirmed: _unconfirmed, ...confirmed } = cached;
      lists.push({ ...confirmed, anchor, checkedAt: env.now, checkedBlock: head });
      reports.push({ ...at, url: cached.url, outcome: 'unchanged' });
      continue;
    }
    const accepted = await fetchFirstAccepted(anchor, env, (bytes) =>
      acceptStatusList(bytes, { anchor, issuerDid, keysOf, verifier: env.verifier, checkedAt: env.now, checkedBlock: head, alertKeys: env.opts.alertKeys }),
    );
    if (accepted !== undefined) {
      lists.push(accepted.value);
      reports.push({ ...at, url: accepted.value.url, outcome: 'updated', source: accepted.source });
    } else {
      reports.push({ ...at, ...(cached ? { url: cached.url } : {}), outcome: 'failed' });
    }
  }
  return { lists, reports, ...(trust?.list === undefined ? {} : { trustList: trust.list }), ...(trust === undefined ? {} : { trustReport: trust.report }) };
}

/** Try every source for an anchor; return the first candidate `accept` takes, recording every refusal. */
async function fetchFirstAccepted<T>(
  anchor: AnchorRecord,
  env: SyncEnv,
  accept: (bytes: Uint8Array) => Promise<{ list: T } | { rejection: { code: SyncFailureCode; message: string } }>,
): Promise<{ value: T; source: string } | undefined> {
  const refusals: string[] = [];
  const codes: SyncFailureCode[] = [];
  for (const source of env.sources) {
    let candidates: Uint8Array[];
    try {
      candidates = await source.get(anchor, MAX_STATUS_LIST_BYTES);
    } catch (e) {
      if (isCradleError(e, 'PACK_INVALID')) {
        // The pack itself is reported once (which pack, what was wrong, what to do), besides the lists it failed to bring.
        if (!env.refusedPacks.has(source.name)) env.failures.push({ source: displayText(source.name, { maxLength: 300 }), ...errorInfo(e) });
        env.refusedPacks.add(source.name);
        refusals.push(`${source.name}: the pack was refused (${e.details?.reason === 'too-large' ? 'too large' : 'damaged or not a pack'})`);
        continue;
      }
      refusals.push(`${source.name}: ${errorInfo(e).message}`);
      continue;
    }
    for (const bytes of candidates) {
      const r = await accept(bytes);
      if ('list' in r) return { value: r.list, source: source.name };
      refusals.push(`${source.name}: ${r.rejection.message}`);
      codes.push(r.rejection.code);
    }
  }
  env.failures.push({
    source: displayText(anchor.uri || anchor.listId, { maxLength: 300 }),
    code: codes.includes('DIGEST_MISMATCH') ? 'DIGEST_MISMATCH' : (codes[0] ?? 'NOT_FOUND'),
    message: displayText(
      `Could not get version ${anchor.version} of ${anchor.uri || anchor.listId}${refusals.length > 0 ? ` (${refusals.join('; ')})` : ' from any source'}. Until it is fetched, answers that depend on it say "cannot confirm".`,
      { maxLength: 2000 },
    ),
  });
  return undefined;
}

async function syncTrustList(
  anchor: AnchorRecord,
  governanceDid: string,
  state: CheckpointState,
  keysOf: KeyResolver,
  env: SyncEnv,
): Promise<{ list?: CachedTrustList; report: NonNullable<SyncReport['trustList']> }> {
  const current = state.trust.governanceList;
  if (current !== undefined && current.version === anchor.version && current.anchor?.digest === anchor.digest) {
    return { list: { ...current, checkedAt: env.now }, report: { outcome: 'unchanged', version: anchor.version } };
  }
  if (current !== undefined && current.version > anchor.version) {
    return { report: { outcome: 'unchanged', version: current.version } };
  }
  const accepted = await fetchFirstAccepted(anchor, env, async (bytes) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { rejection: { code: 'MALFORMED', message: 'not text' } };
    }
    return acceptTrustList(text, { governanceDid, keysOf, verifier: env.verifier, now: env.now, anchor });
  });
  if (accepted === undefined) return { report: { outcome: 'failed', version: anchor.version } };
  return { list: accepted.value, report: { outcome: 'updated', version: anchor.version } };
}
