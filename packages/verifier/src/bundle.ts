// Trust bundles on the checkpoint side: what goes into an export (only what this checkpoint can vouch
// for) and what an import may take (docs/offline-verification.md, "Trust bundles"). The file format
// itself (members, envelope, limits) is @cradle/core's formats/bundle.ts.
import {
  ALERT_STATUS_PURPOSE,
  CradleError,
  MAX_BUNDLE_BYTES,
  TYP_BUNDLE,
  base64UrlDecode,
  buildBundle,
  buildSignedBundle,
  clockOption,
  displayText,
  isSealedAlertList,
  readBundle,
  readSignedBundlePayload,
  utf8Decode,
  utf8Encode,
} from '@cradle/core';
import type { AlertKeyJwk, BundleContents, BundleDidDocument, BundleList, BundleSigner, Clock, VerificationProblem } from '@cradle/core';
import { keysFromDidDocument } from './did-document-keys.js';
import { canonicalDid, canonicalEthrDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { acceptStatusList } from './status-list-credential.js';
import type { AnchorRecord, CachedDidDocument, CachedStatusList, CachedTrustList, CheckpointConfig, CheckpointState, TrustState, VerifierStore } from './store.js';
import { anchorKey, statusListKey } from './store.js';
import { acceptTrustList } from './trust-list.js';
import { withGovernanceList } from './trust.js';
import type { KeyResolver } from './verification-context.js';
import { buildVerificationContext, isSelfCertifyingDid, keysWithDocuments, loadVerificationContext } from './verification-context.js';

export { MAX_BUNDLE_BYTES, TYP_BUNDLE } from '@cradle/core';

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  /** The clock (`() => ms since the epoch`); default `Date.now`. A number of ms is still accepted (deprecated). */
  readonly now?: Clock | number;
  /** Sign the whole bundle (e.g. with the governance authority's key) so importers can trust its freshness and trust entries. */
  readonly signer?: BundleSigner;
}

/**
 * Everything a checkpoint needs, in one file: trusted registrars, DID documents, signed status lists
 * with their anchors, the governance trust list. Each status list authenticates itself (registrar
 * signature + digest equal to the included anchor); DID documents and freshness do not, unless the
 * bundle is signed (see docs/offline-verification.md).
 *
 * @example
 * ```ts
 * await writeFile('checkpoint.bundle.json', await exportBundle(store));
 * ```
 */
export async function exportBundle(store: VerifierStore, opts: ExportBundleOptions = {}): Promise<Uint8Array> {
  const state = await store.load();
  const ctx = buildVerificationContext(state);
  // Only what this checkpoint can vouch for: no unconfirmed data.
  const confirmed = state.statusLists.filter((l) => l.unconfirmed !== true);
  const listEntry = (l: CachedStatusList): BundleList => ({ jwt: l.jwt, anchor: l.anchor, checkedAt: l.checkedAt, ...(l.checkedBlock === undefined ? {} : { checkedBlock: l.checkedBlock }) });
  const governanceList = state.trust.governanceList;
  const contents: BundleContents = {
    createdAt: Math.floor(clockOption('now', opts.now)() / 1000),
    ...(state.config?.ledger === undefined ? {} : { chainId: state.config.ledger.chainId }),
    ...(state.config?.governanceDid === undefined ? {} : { governanceDid: state.config.governanceDid }),
    ...(state.sync === undefined ? {} : { syncedBlock: state.sync.lastBlock }),
    trustedIssuers: state.trust.operator.map((e) => e.did).filter((d) => ctx.trust(d).trusted),
    ...(governanceList === undefined ? {} : { governanceList: { jwt: governanceList.jwt, ...(governanceList.anchor ? { anchor: governanceList.anchor } : {}) } }),
    // Only what this checkpoint can vouch for: no unconfirmed data, no self-certifying DID documents.
    didDocuments: state.didDocuments
      .filter((d) => d.unconfirmed !== true && !isSelfCertifyingDid(d.did))
      .map((d) => ({ did: d.did, document: d.document, fetchedAt: d.fetchedAt, ...(d.blockNumber === undefined ? {} : { blockNumber: d.blockNumber }) })),
    statusLists: confirmed.filter((l) => l.purpose !== ALERT_STATUS_PURPOSE).map(listEntry),
    // Alert lists travel as the registrar published them: encrypted (a bundle is readable by whoever
    // carries it; only a checkpoint alert key opens these). Their bits, decrypted here, stay here.
    alertLists: confirmed.filter((l) => l.purpose === ALERT_STATUS_PURPOSE && isSealedAlertList(l.jwt)).map(listEntry),
    anchors: [...state.anchors],
  };
  return opts.signer === undefined ? buildBundle(contents) : buildSignedBundle(contents, opts.signer);
}

/** What {@link importBundle} took. */
export interface ImportBundleReport {
  readonly signed: boolean;
  readonly signedBy?: string;
  readonly didDocuments: number;
  readonly statusLists: number;
  /** Lists not taken because this checkpoint already has them, or newer ones (or, unsigned, any data for them). */
  readonly skippedOlder: number;
  /** Lists taken from an unsigned bundle whose anchor this checkpoint never saw on the ledger: never counted as fresh. */
  readonly unconfirmedStatusLists: number;
  /** Child-protection alert lists taken (decrypted with this checkpoint's alert key; also counted in `statusLists`). */
  readonly alertLists: number;
  /**
   * Alert lists the bundle carries that this checkpoint could not read: it has no alert key
   * (`importBundle(…, { alertKeys })`), or they are encrypted to other checkpoints' keys. Nothing else is affected.
   */
  readonly alertListsNotRead: number;
  /**
   * DID documents not taken: `did:key`/`did:jwk` ones (their keys always come from the DID itself), and
   * ones this checkpoint already has (an unsigned bundle never replaces a document; a signed one only
   * with a later ledger block).
   */
  readonly ignoredDidDocuments: readonly string[];
  /** Anchors not taken (an unsigned bundle brings no anchors; a signed one only newer versions). */
  readonly ignoredAnchors: number;
  readonly governanceList?: number;
  /** Trusted registrars imported (signed bundles only). */
  readonly trustedIssuers: readonly string[];
  /** Trusted registrars listed by an unsigned bundle and NOT imported: add them with `trust add`. */
  readonly trustNotImported: readonly string[];
}

/** Options of {@link importBundle}. */
export interface ImportBundleOptions {
  /** The clock (`() => ms since the epoch`); default `Date.now`. A number of ms is still accepted (deprecated). */
  readonly now?: Clock | number;
  readonly signatureVerifier?: SignatureVerifier;
  /**
   * This checkpoint's PRIVATE alert keys: the bundle's encrypted child-protection alert lists are
   * decrypted and checked with them (as `sync` does). Without keys, alert lists are not read.
   */
  readonly alertKeys?: readonly AlertKeyJwk[];
}

/**
 * Refuse the whole bundle. The content is damaged, altered or not a bundle: `BUNDLE_INVALID`, with what
 * to do. (Refusals by this checkpoint's policy, e.g. an unsigned bundle where a key is pinned, go through
 * {@link refuse} with `INVALID_ARGUMENT`.)
 */
function fail(message: string): never {
  const text = `The bundle was refused, nothing was imported: ${message}. Get a fresh copy from whoever exported it (cradle checkpoint bundle export) and import it again.`;
  throw new CradleError('BUNDLE_INVALID', displayText(text, { maxLength: 1000 }));
}

/** Refuse a well-formed bundle that this checkpoint's policy does not accept (`INVALID_ARGUMENT`). */
function refuse(message: string): never {
  throw new CradleError('INVALID_ARGUMENT', displayText(`The bundle was refused, nothing was imported: ${message}`, { maxLength: 1000 }));
}

/** What one import works with: this checkpoint's state, whether the bundle is signed, and the tools to check it. */
interface BundleImport {
  readonly state: CheckpointState;
  readonly signed: boolean;
  /** Unix seconds. */
  readonly now: number;
  readonly verifier: SignatureVerifier;
  readonly alertKeys: readonly AlertKeyJwk[];
}

/**
 * Import a trust bundle on a checkpoint that never connects. Validates everything first and writes
 * in one atomic store write, or throws and changes nothing: `BUNDLE_INVALID` for a damaged, altered or oversized bundle (or not a bundle), `INVALID_ARGUMENT` for one this checkpoint's policy refuses. Bundle data is only as
 * trustworthy as its signature:
 * - a signed bundle must be signed by this checkpoint's governance authority or its pinned bundle key
 *   (`checkpoint init --governance DID | --bundle-key DID`); a checkpoint with either refuses unsigned
 *   bundles. A signed bundle brings trust, sync times, anchors; it replaces data only with newer ledger
 *   facts (a higher anchor version, a later block), never because of a time it claims;
 * - an UNSIGNED bundle only fills gaps: it never replaces a DID document, a status list, an anchor or
 *   a trust list this checkpoint has, except by the exact list the ledger anchored (as a mirror may).
 *   Its anchors are not taken; its lists whose anchor this checkpoint never saw, and its DID documents,
 *   never count as fresh: they can prove a credential revoked, never valid. It brings no trust;
 * - a `did:key` (or `did:jwk`) document is never imported: those keys come from the DID itself;
 * - every status list must be signed by the registrar that anchored it and match its anchor.
 *
 * @example
 * ```ts
 * const report = await importBundle(store, await readFile('checkpoint.bundle.json'));
 * ```
 */
export async function importBundle(store: VerifierStore, bytes: Uint8Array, opts: ImportBundleOptions = {}): Promise<ImportBundleReport> {
  if (!(bytes instanceof Uint8Array)) throw new CradleError('INVALID_ARGUMENT', 'importBundle needs the bundle bytes');
  const now = Math.floor(clockOption('now', opts.now)() / 1000);
  const verifier = opts.signatureVerifier ?? webCryptoSignatureVerifier;
  const ctx = await loadVerificationContext(store);
  // 1. Read and authenticate: the contents, and who signed them (if anyone).
  const { contents, signedBy } = await openBundle(bytes, ctx.state.config, ctx.keysOf, verifier);
  const imp: BundleImport = { state: ctx.state, signed: signedBy !== undefined, now, verifier, alertKeys: opts.alertKeys ?? [] };
  // 2. Check every part against this checkpoint's data and the signing rules; nothing is written yet.
  const chainId = bundleChain(imp, contents);
  const docs = takeDidDocuments(imp, contents.didDocuments);
  const keysOf = keysWithDocuments(imp.state, docs.taken);
  const lists = await takeLists(imp, contents, chainId, keysOf);
  const anchors = takeAnchors(imp, contents.anchors);
  const trust = await takeTrust(imp, contents, keysOf);
  // 3. Apply, in one atomic write.
  await store.write({ didDocuments: docs.taken, statusLists: lists.taken, anchors: anchors.taken, ...(trust.trust === imp.state.trust ? {} : { trust: trust.trust }) });
  return {
    signed: imp.signed,
    ...(signedBy === undefined ? {} : { signedBy }),
    didDocuments: docs.taken.length,
    statusLists: lists.taken.length,
    skippedOlder: lists.skippedOlder,
    unconfirmedStatusLists: lists.taken.filter((l) => l.unconfirmed === true).length,
    alertLists: lists.taken.filter((l) => l.purpose === ALERT_STATUS_PURPOSE).length,
    alertListsNotRead: lists.alertListsNotRead,
    ignoredDidDocuments: docs.ignored,
    ignoredAnchors: anchors.ignored,
    ...(trust.governanceList === undefined ? {} : { governanceList: trust.governanceList.version }),
    trustedIssuers: trust.imported,
    trustNotImported: trust.notImported,
  };
}

/** Who may sign bundles for this checkpoint: its governance authority and its pinned operator bundle key. */
function bundleSigners(config: CheckpointConfig | undefined): string[] {
  return [config?.governanceDid, config?.bundleKeyDid].filter((d): d is string => d !== undefined).map(canonicalDid);
}

/**
 * Read the file (core's reader) and, for a signed bundle, check that this checkpoint's governance
 * authority or bundle key signed it. A checkpoint with either accepts only signed bundles.
 */
async function openBundle(bytes: Uint8Array, config: CheckpointConfig | undefined, keysOf: KeyResolver, verifier: SignatureVerifier): Promise<{ contents: BundleContents; signedBy?: string }> {
  const signers = bundleSigners(config);
  const read = readBundle(bytes, { requireSigned: signers.length > 0 });
  if ('problem' in read) {
    if (read.problem.code === 'SIGNATURE_REQUIRED') refuse('this checkpoint only accepts bundles signed by its governance authority or its bundle key');
    fail(read.problem.reason);
  }
  if (!read.signed) return { contents: read.contents };
  if (signers.length === 0) {
    refuse('it is signed, but this checkpoint has no governance authority or bundle key to check the signature with (checkpoint init --governance DID or --bundle-key DID)');
  }
  const problems: VerificationProblem[] = [];
  const token = decodeToken(read.jws, TYP_BUNDLE, MAX_BUNDLE_BYTES, 'bundle', problems);
  if (token === undefined || problems.length > 0) fail(problems[0]?.message ?? 'unreadable signature');
  const iss = typeof token.payload.iss === 'string' ? canonicalDid(token.payload.iss) : undefined;
  if (iss === undefined || !signers.includes(iss)) refuse(`it is signed by ${displayText(String(token.payload.iss).slice(0, 100))}, not by this checkpoint's governance authority or bundle key`);
  if ((await checkSignature(token, iss, 'assertionMethod', keysOf, verifier, 'bundle', problems)) !== 'verified') fail(problems[0]?.message ?? 'bad signature');
  const body = readSignedBundlePayload(token.payload);
  if ('problem' in body) fail(body.problem.reason);
  return { contents: body.contents, signedBy: iss };
}

/** The chain the bundle's anchors are on: this checkpoint's; a bundle for another chain is refused. */
function bundleChain(imp: BundleImport, contents: BundleContents): number {
  const mine = imp.state.config?.ledger?.chainId;
  if (contents.chainId !== undefined && mine !== undefined && contents.chainId !== mine) refuse(`it is for chain ${contents.chainId}, this checkpoint uses chain ${mine}`);
  const chainId = mine ?? contents.chainId;
  if (chainId === undefined) fail('it does not say which ledger it is for');
  return chainId;
}

/**
 * DID documents. A did:key/did:jwk one is never taken (its keys come from the DID). Unsigned: gaps only,
 * and unconfirmed. Signed: replaces a confirmed document only with a later ledger block.
 */
function takeDidDocuments(imp: BundleImport, entries: readonly BundleDidDocument[]): { taken: CachedDidDocument[]; ignored: string[] } {
  const taken: CachedDidDocument[] = [];
  const ignored: string[] = [];
  for (const d of entries) {
    const { did } = d;
    if (isSelfCertifyingDid(did)) {
      ignored.push(did);
      continue;
    }
    if (keysFromDidDocument(did, d.document).length === 0) fail(`the DID document of ${displayText(did)} has no usable key`);
    if (taken.some((x) => x.did === did)) fail(`it contains the DID document of ${displayText(did)} twice`);
    const existing = imp.state.didDocuments.find((x) => x.did === did);
    if (!imp.signed) {
      if (existing !== undefined) ignored.push(did);
      else taken.push({ did, document: d.document, fetchedAt: imp.now, unconfirmed: true });
      continue;
    }
    const newer = d.blockNumber !== undefined && d.blockNumber > (existing?.blockNumber ?? -1);
    if (existing !== undefined && existing.unconfirmed !== true && !newer) {
      ignored.push(did);
      continue;
    }
    taken.push({ did, document: d.document, fetchedAt: Math.min(d.fetchedAt, imp.now), ...(d.blockNumber === undefined ? {} : { blockNumber: d.blockNumber }) });
  }
  return { taken, ignored };
}

/**
 * Status lists, then alert lists: each must authenticate itself against its anchor; recency is the
 * anchor version and block. Alert lists follow exactly the same signing rules (an unsigned bundle fills
 * gaps, never replaces or rolls back); they are also decrypted with this checkpoint's alert key.
 */
async function takeLists(imp: BundleImport, contents: BundleContents, chainId: number, keysOf: KeyResolver): Promise<{ taken: CachedStatusList[]; skippedOlder: number; alertListsNotRead: number }> {
  const entries = [
    ...contents.statusLists.map((entry, i) => ({ entry, label: `status list ${i + 1}`, alert: false })),
    ...(contents.alertLists ?? []).map((entry, i) => ({ entry, label: `alert list ${i + 1}`, alert: true })),
  ];
  const existing = new Map(imp.state.statusLists.map((l) => [anchorKey(l.anchor), l]));
  const known = new Map(imp.state.anchors.map((a) => [anchorKey(a), a]));
  const taken: CachedStatusList[] = [];
  let skippedOlder = 0;
  let alertListsNotRead = 0;
  for (const { entry, label, alert } of entries) {
    if (alert && imp.alertKeys.length === 0) {
      alertListsNotRead++;
      continue;
    }
    const key = anchorKey(entry.anchor);
    if (!bringsNewerList(imp, entry, existing.get(key), known.get(key))) {
      skippedOlder++;
      continue;
    }
    const r = await acceptBundleList(imp, entry, { label, alert, issuer: canonicalEthrDid(chainId, entry.anchor.identity), keysOf });
    if (r === 'not-for-this-checkpoint') alertListsNotRead++;
    else taken.push(asOfThisCheckpoint(imp, r.list, r.signedList, known.get(key)));
  }
  if (new Set(taken.map(statusListKey)).size !== taken.length || new Set(taken.map((l) => anchorKey(l.anchor))).size !== taken.length) fail('it contains the same status list twice');
  return { taken, skippedOlder, alertListsNotRead };
}

/**
 * Signed: a list newer than the one held (higher anchor version, or the same one confirmed at a later
 * block). Unsigned: exactly the list the ledger anchored (as a mirror may deliver it), or a gap; nothing else.
 */
function bringsNewerList(imp: BundleImport, entry: BundleList, existing: CachedStatusList | undefined, known: AnchorRecord | undefined): boolean {
  const { anchor, checkedBlock } = entry;
  if (imp.signed) {
    return (
      existing === undefined ||
      existing.unconfirmed === true ||
      anchor.version > existing.anchor.version ||
      (anchor.version === existing.anchor.version && checkedBlock !== undefined && checkedBlock > (existing.checkedBlock ?? -1))
    );
  }
  if (known === undefined) return existing === undefined;
  return known.version === anchor.version && known.digest === anchor.digest && (existing === undefined || existing.anchor.version < known.version);
}

/** Check one list against its anchor (registrar signature, digest, decryption); refuse the bundle if it fails. */
async function acceptBundleList(
  imp: BundleImport,
  entry: BundleList,
  how: { label: string; alert: boolean; issuer: string; keysOf: KeyResolver },
): Promise<{ list: CachedStatusList; signedList: string } | 'not-for-this-checkpoint'> {
  const { anchor } = entry;
  const name = `${how.label} (${displayText(anchor.uri || anchor.listId)})`;
  // Each array holds its own kind: an encrypted list among the status lists, or a plain one among the alert lists, is damage.
  if (isSealedAlertList(entry.jwt) !== how.alert) fail(`${name} is ${how.alert ? 'not an encrypted alert list' : 'not a signed status list'}`);
  const r = await acceptStatusList(utf8Encode(entry.jwt), {
    anchor,
    issuerDid: how.issuer,
    keysOf: how.keysOf,
    verifier: imp.verifier,
    checkedAt: Math.min(entry.checkedAt, imp.now),
    checkedBlock: entry.checkedBlock,
    alertKeys: how.alert ? imp.alertKeys : [],
  });
  // Its digest matched the anchor (so it is the registrar's list, unaltered): it is encrypted to other checkpoints.
  if ('rejection' in r && how.alert && r.rejection.code === 'ALERT_KEY_MISMATCH') return 'not-for-this-checkpoint';
  if ('rejection' in r) fail(`${name}: ${r.rejection.message}`);
  return r;
}

/**
 * How current a list from an unsigned bundle is here: as of this checkpoint's own last sync when that
 * sync read its anchor as the latest, else never fresh (unconfirmed, dated when it was signed). A signed
 * bundle's times stand (bounded by now).
 */
function asOfThisCheckpoint(imp: BundleImport, list: CachedStatusList, signedList: string, known: AnchorRecord | undefined): CachedStatusList {
  if (imp.signed) return list;
  const { checkedBlock: _b, ...rest } = list;
  const sync = imp.state.sync;
  if (known !== undefined && sync !== undefined && (sync.followed ?? []).includes(list.anchor.identity)) {
    return { ...rest, checkedAt: Math.min(sync.syncedAt, imp.now), checkedBlock: sync.lastBlock };
  }
  return { ...rest, checkedAt: Math.min(imp.now, listSignedAt(signedList) ?? 0), unconfirmed: true };
}

/** Anchors: only a signed bundle brings them, and only forward. */
function takeAnchors(imp: BundleImport, entries: readonly AnchorRecord[]): { taken: AnchorRecord[]; ignored: number } {
  const known = new Map(imp.state.anchors.map((a) => [anchorKey(a), a]));
  const taken = imp.signed ? entries.filter((a) => (known.get(anchorKey(a))?.version ?? -1) < a.version) : [];
  return { taken, ignored: entries.length - taken.length };
}

/**
 * Trust: the governance trust list only from a signed bundle (a checkpoint with a governance authority
 * refuses unsigned bundles anyway), never older than the one in use; listed registrars are trusted only
 * from a signed bundle (an unsigned one's are reported, for `trust add`).
 */
async function takeTrust(
  imp: BundleImport,
  contents: BundleContents,
  keysOf: KeyResolver,
): Promise<{ trust: TrustState; governanceList?: CachedTrustList; imported: string[]; notImported: string[] }> {
  let trust = imp.state.trust;
  let governanceList: CachedTrustList | undefined;
  const governanceDid = imp.state.config?.governanceDid;
  const g = contents.governanceList;
  if (imp.signed && g !== undefined && governanceDid !== undefined) {
    const r = await acceptTrustList(g.jwt, { governanceDid, keysOf, verifier: imp.verifier, now: imp.now, ...(g.anchor === undefined ? {} : { anchor: g.anchor }) });
    if ('rejection' in r) fail(`its trust list: ${r.rejection.message}`);
    const current = trust.governanceList;
    if (current === undefined || current.version <= r.list.version) {
      governanceList = r.list;
      trust = withGovernanceList(trust, r.list);
    }
  }
  const listed = contents.trustedIssuers.filter((did) => !trust.operator.some((e) => e.did === did));
  const imported = imp.signed ? listed : [];
  if (imported.length > 0) trust = { ...trust, operator: [...trust.operator, ...imported.map((did) => ({ did, addedAt: imp.now }))] };
  return { trust, ...(governanceList === undefined ? {} : { governanceList }), imported, notImported: imp.signed ? [] : listed };
}


function listSignedAt(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(utf8Decode(base64UrlDecode(jwt.split('.')[1] ?? ''))) as Record<string, unknown>;
    if (typeof payload.iat === 'number') return payload.iat;
    if (typeof payload.validFrom === 'string') return Math.floor(Date.parse(payload.validFrom) / 1000) || undefined;
  } catch {
    // already validated by acceptStatusList; unreachable in practice
  }
  return undefined;
}
