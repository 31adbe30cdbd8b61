import { CradleError, base64UrlDecode, base64UrlEncode, isCradleError, parseStrictJson, signJws, utf8Decode, utf8Encode } from '@cradle/core';
import type { VerificationProblem } from '@cradle/core';
import { keysFromDidDocument } from './did-document-keys.js';
import { canonicalDid, canonicalEthrDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { acceptStatusList } from './status-list-credential.js';
import type { AnchorRecord, CachedDidDocument, CachedStatusList, CachedTrustList, StoreChanges, VerifierStore } from './store.js';
import { anchorKey, statusListKey } from './store.js';
import { acceptTrustList } from './trust-list.js';
import { withGovernanceList } from './trust.js';
import { buildVerificationContext, loadVerificationContext } from './verification-context.js';

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
  anchors: AnchorRecord[];
}

/** Options of {@link exportBundle}. */
export interface ExportBundleOptions {
  readonly now?: number;
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
  const body: BundleBody = {
    type: BUNDLE_TYPE,
    format: 1,
    createdAt: Math.floor((opts.now ?? Date.now()) / 1000),
    ...(state.config?.ledger === undefined ? {} : { chainId: state.config.ledger.chainId }),
    ...(state.config?.governanceDid === undefined ? {} : { governanceDid: state.config.governanceDid }),
    ...(state.sync === undefined ? {} : { syncedBlock: state.sync.lastBlock }),
    trustedIssuers: state.trust.operator.map((e) => e.did).filter((d) => ctx.trust(d).trusted),
    ...(state.trust.governanceList === undefined
      ? {}
      : { governanceList: { jwt: state.trust.governanceList.jwt, ...(state.trust.governanceList.anchor ? { anchor: state.trust.governanceList.anchor } : {}) } }),
    didDocuments: state.didDocuments.map((d) => ({ did: d.did, document: d.document, fetchedAt: d.fetchedAt, ...(d.blockNumber === undefined ? {} : { blockNumber: d.blockNumber }) })),
    statusLists: state.statusLists.map((l) => ({ jwt: l.jwt, anchor: l.anchor, checkedAt: l.checkedAt, ...(l.checkedBlock === undefined ? {} : { checkedBlock: l.checkedBlock }) })),
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
  /** Lists skipped because this checkpoint already had the same or a newer version. */
  readonly skippedOlder: number;
  readonly governanceList?: number;
  /** Trusted registrars imported (signed bundles only). */
  readonly trustedIssuers: readonly string[];
  /** Trusted registrars listed by an unsigned bundle and NOT imported: add them with `trust add`. */
  readonly trustNotImported: readonly string[];
}

/** Options of {@link importBundle}. */
export interface ImportBundleOptions {
  readonly now?: number;
  readonly signatureVerifier?: SignatureVerifier;
}

function fail(message: string, cause?: unknown): never {
  throw new CradleError('INVALID_ARGUMENT', `The bundle was refused, nothing was imported: ${message}`, cause === undefined ? undefined : { cause });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${what} is not a valid number`);
  return v;
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

/**
 * Import a trust bundle on a checkpoint that never connects. Validates everything first and writes
 * in one atomic store write, or throws `INVALID_ARGUMENT` and changes nothing:
 * - every status list must be signed by the registrar that anchored it and match the included anchor;
 * - a signed bundle must be signed by this checkpoint's governance authority; a checkpoint with a
 *   governance authority refuses unsigned bundles;
 * - an unsigned bundle does not bring trust (its registrar list is reported, not imported) and its
 *   status data counts as fresh only from the time the registrar signed each list;
 * - nothing older than what the checkpoint already has replaces it.
 *
 * @example
 * ```ts
 * const report = await importBundle(store, await readFile('checkpoint.bundle.json'));
 * ```
 */
export async function importBundle(store: VerifierStore, bytes: Uint8Array, opts: ImportBundleOptions = {}): Promise<ImportBundleReport> {
  if (!(bytes instanceof Uint8Array)) throw new CradleError('INVALID_ARGUMENT', 'importBundle needs the bundle bytes');
  if (bytes.length > MAX_BUNDLE_BYTES) fail(`it is ${bytes.length} bytes, over the ${MAX_BUNDLE_BYTES} limit`);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const verifier = opts.signatureVerifier ?? webCryptoSignatureVerifier;
  const ctx = await loadVerificationContext(store);
  const state = ctx.state;
  const governanceDid = state.config?.governanceDid;

  let outer: unknown;
  try {
    outer = parseStrictJson(utf8Decode(bytes), { maxBytes: MAX_BUNDLE_BYTES, maxDepth: 64 });
  } catch (e) {
    fail(isCradleError(e) ? e.message : 'it is not JSON', e);
  }
  if (!isRecord(outer) || outer.type !== BUNDLE_TYPE || outer.format !== 1) fail('it is not a Cradle trust bundle (format 1)');

  let body: Record<string, unknown> = outer;
  let signedBy: string | undefined;
  if (outer.jws !== undefined) {
    if (governanceDid === undefined) fail('it is signed, but this checkpoint has no governance authority configured to check the signature');
    const problems: VerificationProblem[] = [];
    const token = decodeToken(str(outer.jws, 'jws', MAX_BUNDLE_BYTES), TYP_BUNDLE, MAX_BUNDLE_BYTES, 'bundle', problems);
    if (token === undefined || problems.length > 0) fail(problems[0]?.message ?? 'unreadable signature');
    if (typeof token.payload.iss !== 'string' || canonicalDid(token.payload.iss) !== canonicalDid(governanceDid)) fail(`it is signed by ${String(token.payload.iss).slice(0, 100)}, not by this checkpoint's governance authority`);
    if ((await checkSignature(token, canonicalDid(governanceDid), 'assertionMethod', ctx.keysOf, verifier, 'bundle', problems)) !== 'verified') {
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
    signedBy = governanceDid;
  } else if (governanceDid !== undefined) {
    fail('this checkpoint only accepts bundles signed by its governance authority');
  }
  const signed = signedBy !== undefined;

  const chainId = body.chainId === undefined ? undefined : int(body.chainId, 'chainId');
  const myChain = state.config?.ledger?.chainId;
  if (chainId !== undefined && myChain !== undefined && chainId !== myChain) fail(`it is for chain ${chainId}, this checkpoint uses chain ${myChain}`);
  const effectiveChain = myChain ?? chainId;
  if (effectiveChain === undefined) fail('it does not say which ledger it is for');

  // DID documents: keep only well-formed ones with at least one usable key; never replace a newer copy.
  const docsIn = Array.isArray(body.didDocuments) ? body.didDocuments : fail('didDocuments is missing');
  const docs: CachedDidDocument[] = [];
  for (const [i, d] of docsIn.entries()) {
    if (!isRecord(d)) fail(`didDocuments[${i}] is malformed`);
    const did = str(d.did, `didDocuments[${i}].did`, 256);
    if (keysFromDidDocument(did, d.document).length === 0) fail(`the DID document of ${did} has no usable key`);
    const fetchedAt = Math.min(int(d.fetchedAt, `didDocuments[${i}].fetchedAt`), now);
    const existing = state.didDocuments.find((x) => x.did === did);
    if (existing !== undefined && existing.fetchedAt >= fetchedAt) continue;
    docs.push({ did, document: d.document, fetchedAt, ...(d.blockNumber === undefined ? {} : { blockNumber: int(d.blockNumber, 'blockNumber') }) });
  }
  const docMap = new Map(state.didDocuments.map((d) => [d.did, d]));
  for (const d of docs) docMap.set(d.did, d);
  const keysOf = buildVerificationContext({ ...state, didDocuments: [...docMap.values()] }).keysOf;

  // Status lists: each must authenticate itself against its anchor.
  const listsIn = Array.isArray(body.statusLists) ? body.statusLists : fail('statusLists is missing');
  const existingLists = new Map(state.statusLists.map((l) => [anchorKey(l.anchor), l]));
  const lists: CachedStatusList[] = [];
  let skippedOlder = 0;
  for (const [i, l] of listsIn.entries()) {
    if (!isRecord(l)) fail(`statusLists[${i}] is malformed`);
    const anchor = anchorOf(l.anchor, `statusLists[${i}].anchor`);
    const issuer = canonicalEthrDid(effectiveChain, anchor.identity);
    const claimed = Math.min(int(l.checkedAt, `statusLists[${i}].checkedAt`), now);
    const r = await acceptStatusList(utf8Encode(str(l.jwt, `statusLists[${i}].jwt`, 4 * 1024 * 1024)), anchor, issuer, keysOf, verifier, claimed);
    if ('rejection' in r) fail(`status list ${i + 1} (${anchor.uri || anchor.listId}): ${r.rejection.message}`);
    let list = r.list;
    if (!signed) {
      // Unsigned: only the registrar's own signing time is authenticated.
      const iat = listSignedAt(list.jwt);
      list = { ...list, checkedAt: Math.min(claimed, iat ?? 0) };
    }
    const existing = existingLists.get(anchorKey(anchor));
    if (existing !== undefined && (existing.anchor.version > anchor.version || (existing.anchor.version === anchor.version && existing.checkedAt >= list.checkedAt))) {
      skippedOlder++;
      continue;
    }
    lists.push(list);
  }
  const seen = new Set(lists.map(statusListKey));
  if (seen.size !== lists.length) fail('it contains the same status list twice');

  // Anchors: only forward.
  const anchorsIn = Array.isArray(body.anchors) ? body.anchors : [];
  const currentAnchors = new Map(state.anchors.map((a) => [anchorKey(a), a]));
  const anchors: AnchorRecord[] = [];
  for (const [i, a] of anchorsIn.entries()) {
    const anchor = anchorOf(a, `anchors[${i}]`);
    const cur = currentAnchors.get(anchorKey(anchor));
    if (cur === undefined || cur.version < anchor.version) anchors.push(anchor);
  }

  // Trust.
  let trust = state.trust;
  let governanceList: CachedTrustList | undefined;
  if (isRecord(body.governanceList) && governanceDid !== undefined) {
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
    if (trust.governanceList === undefined || trust.governanceList.version <= r.list.version) {
      governanceList = r.list;
      trust = withGovernanceList(trust, r.list);
    }
  }
  const listed = Array.isArray(body.trustedIssuers) ? body.trustedIssuers.filter((d): d is string => typeof d === 'string' && /^did:[a-z0-9]+:/.test(d)) : [];
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
