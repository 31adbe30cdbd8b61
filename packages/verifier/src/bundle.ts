import { ALERT_STATUS_PURPOSE, CradleError, base64UrlDecode, base64UrlEncode, clockOption, displayText, isCradleError, isSealedAlertList, parseStrictJson, signJws, utf8Decode, utf8Encode } from '@cradle/core';
import type { AlertKeyJwk, Clock, VerificationProblem } from '@cradle/core';
import { keysFromDidDocument } from './did-document-keys.js';
import { canonicalDid, canonicalEthrDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { acceptStatusList } from './status-list-credential.js';
import type { AnchorRecord, CachedDidDocument, CachedStatusList, CachedTrustList, CheckpointConfig, StoreChanges, VerifierStore } from './store.js';
import { anchorKey, statusListKey } from './store.js';
import { acceptTrustList } from './trust-list.js';
import { withGovernanceList } from './trust.js';
import { buildVerificationContext, isSelfCertifyingDid, loadVerificationContext } from './verification-context.js';

/** JOSE `typ` of a signed bundle. */
export const TYP_BUNDLE = 'cradle-bundle+jwt';
/** Largest bundle file accepted (bytes). */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
const BUNDLE_TYPE = 'CradleTrustBundle';

interface BundleBody {
  type: typeof BUNDLE_TYPE;
  format: 1;
  createdAt: number;
  chainId?: number;
  governanceDid?: string;
  syncedBlock?: number;
  trustedIssuers: string[];
  governanceList?: { jwt: string; anchor?: AnchorRecord };
  didDocuments: { did: string; document: unknown; fetchedAt: number; blockNumber?: number }[];
  statusLists: { jwt: string; anchor: AnchorRecord; checkedAt: number; checkedBlock?: number }[];
  /**
   * Child-protection alert lists, exactly as anchored: the registrar's ENCRYPTED list (a JWE that only
   * checkpoint alert keys open), never the decrypted one. Absent in bundles from checkpoints without alerts.
   */
  alertLists?: { jwt: string; anchor: AnchorRecord; checkedAt: number; checkedBlock?: number }[];
  anchors: AnchorRecord[];
}

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  /** The clock (`() => ms since the epoch`); default `Date.now`. A number of ms is still accepted (deprecated). */
  readonly now?: Clock | number;
  /** Sign the whole bundle (e.g. with the governance authority's key) so importers can trust its freshness and trust entries. */
  readonly signer?: { did: string; kid: string; sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array };
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
  const alertLists = confirmed.filter((l) => l.purpose === ALERT_STATUS_PURPOSE && isSealedAlertList(l.jwt));
  const listEntry = (l: CachedStatusList) => ({ jwt: l.jwt, anchor: l.anchor, checkedAt: l.checkedAt, ...(l.checkedBlock === undefined ? {} : { checkedBlock: l.checkedBlock }) });
  const body: BundleBody = {
    type: BUNDLE_TYPE,
    format: 1,
    createdAt: Math.floor(clockOption('now', opts.now)() / 1000),
    ...(state.config?.ledger === undefined ? {} : { chainId: state.config.ledger.chainId }),
    ...(state.config?.governanceDid === undefined ? {} : { governanceDid: state.config.governanceDid }),
    ...(state.sync === undefined ? {} : { syncedBlock: state.sync.lastBlock }),
    trustedIssuers: state.trust.operator.map((e) => e.did).filter((d) => ctx.trust(d).trusted),
    ...(state.trust.governanceList === undefined
      ? {}
      : { governanceList: { jwt: state.trust.governanceList.jwt, ...(state.trust.governanceList.anchor ? { anchor: state.trust.governanceList.anchor } : {}) } }),
    // Only what this checkpoint can vouch for: no unconfirmed data, no self-certifying DID documents.
    didDocuments: state.didDocuments.filter((d) => d.unconfirmed !== true && !isSelfCertifyingDid(d.did)).map((d) => ({ did: d.did, document: d.document, fetchedAt: d.fetchedAt, ...(d.blockNumber === undefined ? {} : { blockNumber: d.blockNumber }) })),
    statusLists: confirmed.filter((l) => l.purpose !== ALERT_STATUS_PURPOSE).map(listEntry),
    // Alert lists travel as the registrar published them: encrypted (a bundle is readable by whoever
    // carries it; only a checkpoint alert key opens these). Their bits, decrypted here, stay here.
    ...(alertLists.length === 0 ? {} : { alertLists: alertLists.map(listEntry) }),
    anchors: [...state.anchors],
  };
  if (opts.signer === undefined) return utf8Encode(`${JSON.stringify(body)}\n`);
  const jws = await signJws({ alg: 'EdDSA', typ: TYP_BUNDLE, kid: opts.signer.kid }, { iss: opts.signer.did, bundle: base64UrlEncode(utf8Encode(JSON.stringify(body))) }, opts.signer.sign);
  return utf8Encode(`${JSON.stringify({ type: BUNDLE_TYPE, format: 1, jws })}\n`);
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
function fail(message: string, cause?: unknown): never {
  const text = `The bundle was refused, nothing was imported: ${message}. Get a fresh copy from whoever exported it (cradle checkpoint bundle export) and import it again.`;
  throw new CradleError('BUNDLE_INVALID', displayText(text, { maxLength: 1000 }), cause === undefined ? undefined : { cause });
}

/** Refuse a well-formed bundle that this checkpoint's policy does not accept (`INVALID_ARGUMENT`). */
function refuse(message: string): never {
  throw new CradleError('INVALID_ARGUMENT', displayText(`The bundle was refused, nothing was imported: ${message}`, { maxLength: 1000 }));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${what} is not a valid number`);
  return v;
}

function optInt(v: unknown, what: string): number | undefined {
  return v === undefined ? undefined : int(v, what);
}

function str(v: unknown, what: string, max = 4096): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) fail(`${what} is missing or too long`);
  return v;
}

function anchorOf(v: unknown, what: string): AnchorRecord {
  if (!isRecord(v)) fail(`${what} is not an anchor`);
  const hex32 = /^0x[0-9a-f]{64}$/;
  const identity = str(v.identity, `${what}.identity`, 42).toLowerCase();
  const listId = str(v.listId, `${what}.listId`, 66).toLowerCase();
  const digest = str(v.digest, `${what}.digest`, 66).toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(identity) || !hex32.test(listId) || !hex32.test(digest)) fail(`${what} is malformed`);
  return {
    identity,
    listId,
    digest,
    version: int(v.version, `${what}.version`),
    uri: typeof v.uri === 'string' ? v.uri.slice(0, 2048) : '',
    blockNumber: int(v.blockNumber, `${what}.blockNumber`),
    ...(v.blockTime === undefined ? {} : { blockTime: int(v.blockTime, `${what}.blockTime`) }),
  };
}

const sameAnchor = (a: AnchorRecord | undefined, b: AnchorRecord): boolean => a !== undefined && a.version === b.version && a.digest === b.digest;

/** Who may sign bundles for this checkpoint: its governance authority and its pinned operator bundle key. */
function bundleSigners(config: CheckpointConfig | undefined): string[] {
  return [config?.governanceDid, config?.bundleKeyDid].filter((d): d is string => d !== undefined).map(canonicalDid);
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
  if (bytes.length > MAX_BUNDLE_BYTES) fail(`it is ${bytes.length} bytes, over the ${MAX_BUNDLE_BYTES} limit`);
  const now = Math.floor(clockOption('now', opts.now)() / 1000);
  const verifier = opts.signatureVerifier ?? webCryptoSignatureVerifier;
  const ctx = await loadVerificationContext(store);
  const state = ctx.state;
  const governanceDid = state.config?.governanceDid;
  const signers = bundleSigners(state.config);

  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch (e) {
    fail('it is not a text file (a trust bundle is JSON text; this looks like binary data, e.g. a status-list pack)', e);
  }
  let outer: unknown;
  try {
    outer = parseStrictJson(text, { maxBytes: MAX_BUNDLE_BYTES, maxDepth: 64 });
  } catch (e) {
    fail(`it is not complete JSON (cut short or altered?): ${isCradleError(e) ? e.message : 'unreadable'}`, e);
  }
  if (!isRecord(outer) || outer.type !== BUNDLE_TYPE || outer.format !== 1) fail('it is not a Cradle trust bundle (format 1)');

  let body: Record<string, unknown> = outer;
  let signedBy: string | undefined;
  if (outer.jws !== undefined) {
    if (signers.length === 0) {
      refuse('it is signed, but this checkpoint has no governance authority or bundle key to check the signature with (checkpoint init --governance DID or --bundle-key DID)');
    }
    const problems: VerificationProblem[] = [];
    const token = decodeToken(str(outer.jws, 'jws', MAX_BUNDLE_BYTES), TYP_BUNDLE, MAX_BUNDLE_BYTES, 'bundle', problems);
    if (token === undefined || problems.length > 0) fail(problems[0]?.message ?? 'unreadable signature');
    const iss = typeof token.payload.iss === 'string' ? canonicalDid(token.payload.iss) : undefined;
    if (iss === undefined || !signers.includes(iss)) refuse(`it is signed by ${displayText(String(token.payload.iss).slice(0, 100))}, not by this checkpoint's governance authority or bundle key`);
    if ((await checkSignature(token, iss, 'assertionMethod', ctx.keysOf, verifier, 'bundle', problems)) !== 'verified') {
      fail(problems[0]?.message ?? 'bad signature');
    }
    try {
      body = parseStrictJson(utf8Decode(base64UrlDecode(str(token.payload.bundle, 'bundle', MAX_BUNDLE_BYTES))), {
        maxBytes: MAX_BUNDLE_BYTES,
        maxDepth: 64,
      }) as Record<string, unknown>;
    } catch (e) {
      fail('its signed content is unreadable', e);
    }
    if (!isRecord(body) || body.type !== BUNDLE_TYPE) fail('its signed content is not a bundle');
    signedBy = iss;
  } else if (signers.length > 0) {
    refuse('this checkpoint only accepts bundles signed by its governance authority or its bundle key');
  }
  const signed = signedBy !== undefined;

  const chainId = body.chainId === undefined ? undefined : int(body.chainId, 'chainId');
  const myChain = state.config?.ledger?.chainId;
  if (chainId !== undefined && myChain !== undefined && chainId !== myChain) refuse(`it is for chain ${chainId}, this checkpoint uses chain ${myChain}`);
  const effectiveChain = myChain ?? chainId;
  if (effectiveChain === undefined) fail('it does not say which ledger it is for');

  // DID documents. Unsigned: gaps only, and unconfirmed. Signed: replace only with a later ledger block.
  const docsIn = Array.isArray(body.didDocuments) ? body.didDocuments : fail('didDocuments is missing');
  const docs: CachedDidDocument[] = [];
  const ignoredDocs: string[] = [];
  for (const [i, d] of docsIn.entries()) {
    if (!isRecord(d)) fail(`didDocuments[${i}] is malformed`);
    const did = str(d.did, `didDocuments[${i}].did`, 256);
    if (isSelfCertifyingDid(did)) {
      ignoredDocs.push(did);
      continue;
    }
    if (keysFromDidDocument(did, d.document).length === 0) fail(`the DID document of ${displayText(did)} has no usable key`);
    const blockNumber = optInt(d.blockNumber, `didDocuments[${i}].blockNumber`);
    const existing = state.didDocuments.find((x) => x.did === did);
    if (docs.some((x) => x.did === did)) fail(`it contains the DID document of ${displayText(did)} twice`);
    if (!signed) {
      if (existing !== undefined) {
        ignoredDocs.push(did);
        continue;
      }
      docs.push({ did, document: d.document, fetchedAt: now, unconfirmed: true });
      continue;
    }
    const newer = blockNumber !== undefined && blockNumber > (existing?.blockNumber ?? -1);
    if (existing !== undefined && existing.unconfirmed !== true && !newer) {
      ignoredDocs.push(did);
      continue;
    }
    const fetchedAt = Math.min(int(d.fetchedAt, `didDocuments[${i}].fetchedAt`), now);
    docs.push({ did, document: d.document, fetchedAt, ...(blockNumber === undefined ? {} : { blockNumber }) });
  }
  const docMap = new Map(state.didDocuments.map((d) => [d.did, d]));
  for (const d of docs) docMap.set(d.did, d);
  const keysOf = buildVerificationContext({ ...state, didDocuments: [...docMap.values()] }).keysOf;

  // Status lists, then alert lists: each must authenticate itself against its anchor; recency is the
  // anchor version and block. Alert lists follow exactly the same signing rules (an unsigned bundle fills
  // gaps, never replaces or rolls back); they are also decrypted with this checkpoint's alert key.
  const statusIn = Array.isArray(body.statusLists) ? body.statusLists : fail('statusLists is missing');
  const alertIn = body.alertLists === undefined ? [] : Array.isArray(body.alertLists) ? body.alertLists : fail('alertLists is malformed');
  const alertKeys = opts.alertKeys ?? [];
  const listsIn = [
    ...statusIn.map((entry, i) => ({ entry, where: `statusLists[${i}]`, label: `status list ${i + 1}`, alert: false })),
    ...alertIn.map((entry, i) => ({ entry, where: `alertLists[${i}]`, label: `alert list ${i + 1}`, alert: true })),
  ];
  const existingLists = new Map(state.statusLists.map((l) => [anchorKey(l.anchor), l]));
  const knownAnchors = new Map(state.anchors.map((a) => [anchorKey(a), a]));
  const lists: CachedStatusList[] = [];
  let skippedOlder = 0;
  let alertListsNotRead = 0;
  for (const { entry: l, where, label, alert } of listsIn) {
    if (!isRecord(l)) fail(`${where} is malformed`);
    const anchor = anchorOf(l.anchor, `${where}.anchor`);
    if (alert && alertKeys.length === 0) {
      alertListsNotRead++;
      continue;
    }
    const key = anchorKey(anchor);
    const known = knownAnchors.get(key);
    const existing = existingLists.get(key);
    const checkedBlock = optInt(l.checkedBlock, `${where}.checkedBlock`);
    const claimed = Math.min(int(l.checkedAt, `${where}.checkedAt`), now);
    if (signed) {
      const newer =
        existing === undefined ||
        existing.unconfirmed === true ||
        anchor.version > existing.anchor.version ||
        (anchor.version === existing.anchor.version && checkedBlock !== undefined && checkedBlock > (existing.checkedBlock ?? -1));
      if (!newer) {
        skippedOlder++;
        continue;
      }
    } else if (known !== undefined ? !sameAnchor(known, anchor) || (existing !== undefined && existing.anchor.version >= known.version) : existing !== undefined) {
      // Unsigned: it may deliver exactly the list the ledger anchored (as a mirror does), or fill a gap; nothing else.
      skippedOlder++;
      continue;
    }
    const issuer = canonicalEthrDid(effectiveChain, anchor.identity);
    const text = str(l.jwt, `${where}.jwt`, 4 * 1024 * 1024);
    // Each array holds its own kind: an encrypted list among the status lists, or a plain one among the alert lists, is damage.
    if (isSealedAlertList(text) !== alert) fail(`${label} (${displayText(anchor.uri || anchor.listId)}) is ${alert ? 'not an encrypted alert list' : 'not a signed status list'}`);
    const r = await acceptStatusList(utf8Encode(text), anchor, issuer, keysOf, verifier, claimed, checkedBlock, alert ? alertKeys : []);
    if ('rejection' in r && alert && r.rejection.code === 'ALERT_KEY_MISMATCH') {
      // Its digest matched the anchor (so it is the registrar's list, unaltered): it is encrypted to other checkpoints.
      alertListsNotRead++;
      continue;
    }
    if ('rejection' in r) fail(`${label} (${displayText(anchor.uri || anchor.listId)}): ${r.rejection.message}`);
    let list: CachedStatusList = r.list;
    if (!signed) {
      const sync = state.sync;
      if (known !== undefined && sync !== undefined && (sync.followed ?? []).includes(anchor.identity)) {
        // The anchor is the one this checkpoint's own sync read as latest: the list is current as of that sync.
        const { checkedBlock: _b, ...rest } = list;
        list = { ...rest, checkedAt: Math.min(sync.syncedAt, now), checkedBlock: sync.lastBlock };
      } else {
        const { checkedBlock: _b, ...rest } = list;
        list = { ...rest, checkedAt: Math.min(now, listSignedAt(r.signedList) ?? 0), unconfirmed: true };
      }
    }
    lists.push(list);
  }
  const seen = new Set(lists.map(statusListKey));
  if (seen.size !== lists.length || new Set(lists.map((l) => anchorKey(l.anchor))).size !== lists.length) fail('it contains the same status list twice');

  // Anchors: only a signed bundle brings them, and only forward.
  const anchorsIn = Array.isArray(body.anchors) ? body.anchors : [];
  const anchors: AnchorRecord[] = [];
  let ignoredAnchors = 0;
  for (const [i, a] of anchorsIn.entries()) {
    const anchor = anchorOf(a, `anchors[${i}]`);
    const cur = knownAnchors.get(anchorKey(anchor));
    if (signed && (cur === undefined || cur.version < anchor.version)) anchors.push(anchor);
    else ignoredAnchors++;
  }

  // Trust.
  let trust = state.trust;
  let governanceList: CachedTrustList | undefined;
  // The governance trust list: only from a signed bundle (a checkpoint with a governance authority
  // refuses unsigned bundles anyway), never older than the one in use.
  if (signed && isRecord(body.governanceList) && governanceDid !== undefined) {
    const g = body.governanceList;
    const anchor = g.anchor === undefined ? undefined : anchorOf(g.anchor, 'governanceList.anchor');
    const r = await acceptTrustList(str(g.jwt, 'governanceList.jwt', 1024 * 1024), {
      governanceDid,
      keysOf,
      verifier,
      now,
      ...(anchor === undefined ? {} : { anchor }),
    });
    if ('rejection' in r) fail(`its trust list: ${r.rejection.message}`);
    const current = trust.governanceList;
    if (current === undefined || current.version <= r.list.version) {
      governanceList = r.list;
      trust = withGovernanceList(trust, r.list);
    }
  }
  const listed = Array.isArray(body.trustedIssuers) ? body.trustedIssuers.filter((d): d is string => typeof d === 'string' && /^did:[a-z0-9]+:/.test(d) && d.length <= 256) : [];
  const imported: string[] = [];
  const notImported: string[] = [];
  for (const did of listed) {
    if (trust.operator.some((e) => e.did === did)) continue;
    if (signed) imported.push(did);
    else notImported.push(did);
  }
  if (imported.length > 0) trust = { ...trust, operator: [...trust.operator, ...imported.map((did) => ({ did, addedAt: now }))] };

  const changes: StoreChanges = {
    didDocuments: docs,
    statusLists: lists,
    anchors,
    ...(trust === state.trust ? {} : { trust }),
  };
  await store.write(changes);
  return {
    signed,
    ...(signedBy === undefined ? {} : { signedBy }),
    didDocuments: docs.length,
    statusLists: lists.length,
    skippedOlder,
    unconfirmedStatusLists: lists.filter((l) => l.unconfirmed === true).length,
    alertLists: lists.filter((l) => l.purpose === ALERT_STATUS_PURPOSE).length,
    alertListsNotRead,
    ignoredDidDocuments: ignoredDocs,
    ignoredAnchors,
    ...(governanceList === undefined ? {} : { governanceList: governanceList.version }),
    trustedIssuers: imported,
    trustNotImported: notImported,
  };
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
