// The trust bundle: everything a checkpoint that never connects needs, in one JSON file (docs/formats.md,
// "Trust bundles"). Built and read here, in both shapes: unsigned (`{ type, format, …contents }`) and
// signed (`{ type, format, jws }`, the contents base64url-encoded in the `bundle` claim of a
// `cradle-bundle+jwt`). What a bundle is WORTH (who may sign it, what it may replace, whether its lists
// match their anchors) is the checkpoint's policy: `@cradle/verifier`'s `importBundle`.
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from '../base64url.js';
import { isDid } from '../did/syntax.js';
import { isCradleError } from '../errors.js';
import { isRecord } from '../guards.js';
import { signJws } from '../jose.js';
import { parseStrictJson } from '../strict-json.js';
import type { AnchorRecord } from './anchor.js';

/** JOSE `typ` of a signed bundle. */
export const TYP_BUNDLE = 'cradle-bundle+jwt';
/** `type` member of every bundle (and of the signed contents). */
export const BUNDLE_TYPE = 'CradleTrustBundle';
/** The one bundle format this code builds and reads. */
export const BUNDLE_FORMAT = 1;
/** Largest bundle file accepted (bytes), checked before decoding. */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
/** Deepest JSON nesting accepted (DID documents are nested). */
const MAX_BUNDLE_DEPTH = 64;
/** Longest signed status or alert list in a bundle (characters). */
const MAX_LIST_CHARS = 4 * 1024 * 1024;
/** Longest governance trust list in a bundle (characters). */
const MAX_TRUST_LIST_CHARS = 1024 * 1024;
/** Longest DID in a bundle. */
const MAX_BUNDLE_DID = 256;

/** A DID document as a bundle carries it (its keys are judged by the importer). */
export interface BundleDidDocument {
  readonly did: string;
  readonly document: unknown;
  /** When the exporting checkpoint fetched it (unix seconds). */
  readonly fetchedAt: number;
  /** The ledger block it reflects, for a did:ethr document. */
  readonly blockNumber?: number;
}

/** A signed list (status list, or an encrypted alert list) with the anchor it must match. */
export interface BundleList {
  /** The list exactly as anchored: a compact JWS, or for an alert list its JWE (JSON text). */
  readonly jwt: string;
  readonly anchor: AnchorRecord;
  /** When the exporting checkpoint last confirmed it (unix seconds). */
  readonly checkedAt: number;
  readonly checkedBlock?: number;
}

/** What a bundle carries (the members besides `type` and `format`). */
export interface BundleContents {
  /** Unix seconds. */
  readonly createdAt: number;
  readonly chainId?: number;
  readonly governanceDid?: string;
  readonly syncedBlock?: number;
  /** Registrars the exporting checkpoint trusts (an importer takes them only from a signed bundle). */
  readonly trustedIssuers: readonly string[];
  /** The governance trust list (compact JWS) and its anchor. */
  readonly governanceList?: { readonly jwt: string; readonly anchor?: AnchorRecord };
  readonly didDocuments: readonly BundleDidDocument[];
  readonly statusLists: readonly BundleList[];
  /**
   * Child-protection alert lists, exactly as anchored: the registrar's ENCRYPTED list (a JWE that only
   * checkpoint alert keys open), never the decrypted one. Absent when there are none.
   */
  readonly alertLists?: readonly BundleList[];
  readonly anchors: readonly AnchorRecord[];
}

/** Who signs a bundle: an Ed25519 key of the governance authority or of a pinned operator bundle key. */
export interface BundleSigner {
  readonly did: string;
  /** Verification method id of the key (`did#fragment`). */
  readonly kid: string;
  /** Ed25519 signature (64 bytes) of the JWS signing input. */
  readonly sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
}

/** The contents as one JSON object, members in a fixed order (so equal contents give equal bytes). */
function bundleObject(c: BundleContents): Record<string, unknown> {
  return {
    type: BUNDLE_TYPE,
    format: BUNDLE_FORMAT,
    createdAt: c.createdAt,
    ...(c.chainId === undefined ? {} : { chainId: c.chainId }),
    ...(c.governanceDid === undefined ? {} : { governanceDid: c.governanceDid }),
    ...(c.syncedBlock === undefined ? {} : { syncedBlock: c.syncedBlock }),
    trustedIssuers: c.trustedIssuers,
    ...(c.governanceList === undefined ? {} : { governanceList: c.governanceList }),
    didDocuments: c.didDocuments,
    statusLists: c.statusLists,
    ...(c.alertLists === undefined || c.alertLists.length === 0 ? {} : { alertLists: c.alertLists }),
    anchors: c.anchors,
  };
}

/**
 * The bytes of an unsigned bundle: `{"type":"CradleTrustBundle","format":1,…}` and a newline.
 *
 * @example
 * ```ts
 * await writeFile('checkpoint.bundle.json', buildBundle({ createdAt: nowS, chainId: 31337, trustedIssuers, didDocuments, statusLists, anchors }));
 * ```
 */
export function buildBundle(contents: BundleContents): Uint8Array {
  return utf8Encode(`${JSON.stringify(bundleObject(contents))}\n`);
}

/**
 * The bytes of a signed bundle: `{"type":"CradleTrustBundle","format":1,"jws":…}` and a newline, where the
 * JWS (`typ: cradle-bundle+jwt`, EdDSA) carries `iss` (the signer's DID) and `bundle` (the base64url JSON
 * of the contents).
 *
 * @example
 * ```ts
 * const bytes = await buildSignedBundle(contents, { did: govDid, kid: `${govDid}#key-1`, sign });
 * ```
 */
export async function buildSignedBundle(contents: BundleContents, signer: BundleSigner): Promise<Uint8Array> {
  const body = base64UrlEncode(utf8Encode(JSON.stringify(bundleObject(contents))));
  const jws = await signJws({ alg: 'EdDSA', typ: TYP_BUNDLE, kid: signer.kid }, { iss: signer.did, bundle: body }, signer.sign);
  return utf8Encode(`${JSON.stringify({ type: BUNDLE_TYPE, format: BUNDLE_FORMAT, jws })}\n`);
}

/**
 * Why bytes are not a readable bundle. `TOO_LARGE`: over {@link MAX_BUNDLE_BYTES}; `NOT_TEXT`: not UTF-8
 * (e.g. a status-list pack); `NOT_JSON`: not complete JSON (cut short, altered, duplicate members);
 * `NOT_A_BUNDLE`: JSON, but no `"type": "CradleTrustBundle"`; `FORMAT_UNSUPPORTED`: another `format`
 * number; `MALFORMED`: a member is missing or of the wrong type; `SIGNATURE_REQUIRED`: unsigned, and
 * the reader asked for a signed one.
 */
export type BundleReadCode = 'TOO_LARGE' | 'NOT_TEXT' | 'NOT_JSON' | 'NOT_A_BUNDLE' | 'FORMAT_UNSUPPORTED' | 'MALFORMED' | 'SIGNATURE_REQUIRED';

/** What is wrong with a bundle: a stable code and a reason a person can read ("didDocuments[2].fetchedAt is not a valid number"). */
export interface BundleProblem {
  readonly code: BundleReadCode;
  readonly reason: string;
}

/**
 * Result of {@link readBundle}: the contents of an unsigned bundle, the JWS of a signed one (its contents
 * are read with {@link readSignedBundlePayload} once the signature is checked), or the problem.
 */
export type BundleRead =
  | { readonly signed: false; readonly contents: BundleContents }
  | { readonly signed: true; readonly jws: string }
  | { readonly problem: BundleProblem };

/** Options of {@link readBundle}. */
export interface ReadBundleOptions {
  /** Refuse an unsigned bundle (`SIGNATURE_REQUIRED`) without reading its contents. */
  readonly requireSigned?: boolean;
}

/**
 * Read bundle file bytes. Never throws: anything that is not a bundle of this format gives
 * `{ problem }`. Nothing here is trusted: a signed bundle's signature, and whether any content may be
 * imported, are the importer's to judge.
 *
 * @example
 * ```ts
 * const r = readBundle(await readFile('checkpoint.bundle.json'));
 * if ('problem' in r) console.error(r.problem.code, r.problem.reason);
 * else if (r.signed) checkAndRead(r.jws);
 * else use(r.contents);
 * ```
 */
export function readBundle(bytes: unknown, opts: ReadBundleOptions = {}): BundleRead {
  const fail = (code: BundleReadCode, reason: string): BundleRead => ({ problem: { code, reason } });
  if (!(bytes instanceof Uint8Array)) return fail('NOT_TEXT', 'it is not the bytes of a file');
  if (bytes.length > MAX_BUNDLE_BYTES) return fail('TOO_LARGE', `it is ${bytes.length} bytes, over the ${MAX_BUNDLE_BYTES} limit`);
  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch {
    return fail('NOT_TEXT', 'it is not a text file (a trust bundle is JSON text; this looks like binary data, e.g. a status-list pack)');
  }
  const outer = parseJson(text, 'it is not complete JSON (cut short or altered?)');
  if ('problem' in outer) return outer;
  const kind = bundleKind(outer.value, 'it');
  if (kind !== undefined) return { problem: kind };
  const envelope = outer.value as Record<string, unknown>;
  if (envelope.jws !== undefined) {
    if (typeof envelope.jws !== 'string' || envelope.jws.length === 0) return fail('MALFORMED', 'jws is missing or too long');
    return { signed: true, jws: envelope.jws };
  }
  if (opts.requireSigned === true) return fail('SIGNATURE_REQUIRED', 'it is not signed');
  const contents = readContents(envelope);
  return 'problem' in contents ? contents : { signed: false, contents: contents.contents };
}

/**
 * Read the payload of a signed bundle's JWS (after its signature was checked): `{ iss, bundle }`, where
 * `bundle` is the base64url JSON of the contents. Never throws.
 *
 * @example
 * ```ts
 * const r = readSignedBundlePayload(token.payload);
 * if ('contents' in r) apply(r.contents);
 * ```
 */
export function readSignedBundlePayload(payload: unknown): { readonly contents: BundleContents } | { readonly problem: BundleProblem } {
  const unreadable = { problem: { code: 'MALFORMED', reason: 'its signed content is unreadable' } } as const;
  if (!isRecord(payload) || typeof payload.bundle !== 'string' || payload.bundle.length === 0 || payload.bundle.length > MAX_BUNDLE_BYTES) return unreadable;
  let text: string;
  try {
    text = utf8Decode(base64UrlDecode(payload.bundle));
  } catch {
    return unreadable;
  }
  const body = parseJson(text, 'its signed content is unreadable');
  if ('problem' in body) return { problem: { code: 'MALFORMED', reason: body.problem.reason } };
  const kind = bundleKind(body.value, 'its signed content');
  if (kind !== undefined) return { problem: kind.code === 'NOT_A_BUNDLE' ? { code: 'MALFORMED', reason: 'its signed content is not a bundle' } : kind };
  return readContents(body.value as Record<string, unknown>);
}

function parseJson(text: string, what: string): { value: unknown } | { problem: BundleProblem } {
  try {
    return { value: parseStrictJson(text, { maxBytes: MAX_BUNDLE_BYTES, maxDepth: MAX_BUNDLE_DEPTH }) };
  } catch (e) {
    return { problem: { code: 'NOT_JSON', reason: `${what}: ${isCradleError(e) ? e.message : 'unreadable'}` } };
  }
}

/** The `type` and `format` check shared by the file and the signed contents (undefined: it is a bundle of this format). */
function bundleKind(value: unknown, what: string): BundleProblem | undefined {
  if (!isRecord(value) || value.type !== BUNDLE_TYPE) return { code: 'NOT_A_BUNDLE', reason: `${what} is not a Cradle trust bundle (format ${BUNDLE_FORMAT})` };
  if (value.format !== BUNDLE_FORMAT) {
    const f = typeof value.format === 'number' && Number.isSafeInteger(value.format) ? `format ${value.format}` : 'an unknown format';
    return { code: 'FORMAT_UNSUPPORTED', reason: `${what} is a Cradle trust bundle of ${f}; this software reads format ${BUNDLE_FORMAT} (export it again with the same Cradle version, or update)` };
  }
  return undefined;
}

/** A member of the wrong shape: thrown inside {@link readContents} only, and turned into its problem there. */
class BadMember {
  constructor(readonly reason: string) {}
}

function readContents(o: Record<string, unknown>): { readonly contents: BundleContents } | { readonly problem: BundleProblem } {
  try {
    const createdAt = int(o.createdAt, 'createdAt');
    const chainId = optInt(o.chainId, 'chainId');
    const governanceDid = o.governanceDid === undefined ? undefined : did(o.governanceDid, 'governanceDid');
    const syncedBlock = optInt(o.syncedBlock, 'syncedBlock');
    const trustedIssuers = o.trustedIssuers === undefined ? [] : dids(array(o.trustedIssuers, 'trustedIssuers'), 'trustedIssuers');
    const governanceList = o.governanceList === undefined ? undefined : trustList(o.governanceList);
    const didDocuments = array(o.didDocuments, 'didDocuments').map((d, i) => didDocument(d, `didDocuments[${i}]`));
    const statusLists = array(o.statusLists, 'statusLists').map((l, i) => list(l, `statusLists[${i}]`));
    const alertLists = o.alertLists === undefined ? undefined : array(o.alertLists, 'alertLists', 'is malformed').map((l, i) => list(l, `alertLists[${i}]`));
    const anchors = o.anchors === undefined ? [] : array(o.anchors, 'anchors').map((a, i) => anchor(a, `anchors[${i}]`));
    return {
      contents: {
        createdAt,
        ...(chainId === undefined ? {} : { chainId }),
        ...(governanceDid === undefined ? {} : { governanceDid }),
        ...(syncedBlock === undefined ? {} : { syncedBlock }),
        trustedIssuers,
        ...(governanceList === undefined ? {} : { governanceList }),
        didDocuments,
        statusLists,
        ...(alertLists === undefined ? {} : { alertLists }),
        anchors,
      },
    };
  } catch (e) {
    if (e instanceof BadMember) return { problem: { code: 'MALFORMED', reason: e.reason } };
    throw e; // a bug here, not bad input: every member check above throws BadMember only
  }
}

/** Trusted registrars: every entry must be text; one that is not a DID was never trusted by anyone and is dropped. */
function dids(v: unknown[], what: string): string[] {
  return v.filter((d, i): d is string => {
    if (typeof d !== 'string') throw new BadMember(`${what}[${i}] is not text`);
    return isDid(d, MAX_BUNDLE_DID);
  });
}

function array(v: unknown, what: string, missing = 'is missing or not a list'): unknown[] {
  if (!Array.isArray(v)) throw new BadMember(`${what} ${missing}`);
  return v;
}

function record(v: unknown, what: string, wrong = 'is malformed'): Record<string, unknown> {
  if (!isRecord(v)) throw new BadMember(`${what} ${wrong}`);
  return v;
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new BadMember(`${what} is not a valid number`);
  return v;
}

function optInt(v: unknown, what: string): number | undefined {
  return v === undefined ? undefined : int(v, what);
}

function str(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new BadMember(`${what} is missing or too long`);
  return v;
}

function did(v: unknown, what: string): string {
  if (!isDid(v, MAX_BUNDLE_DID)) throw new BadMember(`${what} is not a DID`);
  return v;
}

function anchor(v: unknown, what: string): AnchorRecord {
  const a = record(v, what, 'is not an anchor');
  const identity = str(a.identity, `${what}.identity`, 42).toLowerCase();
  const listId = str(a.listId, `${what}.listId`, 66).toLowerCase();
  const digest = str(a.digest, `${what}.digest`, 66).toLowerCase();
  const hex32 = /^0x[0-9a-f]{64}$/;
  if (!/^0x[0-9a-f]{40}$/.test(identity) || !hex32.test(listId) || !hex32.test(digest)) throw new BadMember(`${what} is malformed`);
  const blockTime = optInt(a.blockTime, `${what}.blockTime`);
  return {
    identity,
    listId,
    digest,
    version: int(a.version, `${what}.version`),
    uri: typeof a.uri === 'string' ? a.uri.slice(0, 2048) : '',
    blockNumber: int(a.blockNumber, `${what}.blockNumber`),
    ...(blockTime === undefined ? {} : { blockTime }),
  };
}

function list(v: unknown, what: string): BundleList {
  const l = record(v, what);
  const checkedBlock = optInt(l.checkedBlock, `${what}.checkedBlock`);
  return {
    jwt: str(l.jwt, `${what}.jwt`, MAX_LIST_CHARS),
    anchor: anchor(l.anchor, `${what}.anchor`),
    checkedAt: int(l.checkedAt, `${what}.checkedAt`),
    ...(checkedBlock === undefined ? {} : { checkedBlock }),
  };
}

function didDocument(v: unknown, what: string): BundleDidDocument {
  const d = record(v, what);
  const blockNumber = optInt(d.blockNumber, `${what}.blockNumber`);
  return {
    did: str(d.did, `${what}.did`, MAX_BUNDLE_DID),
    document: d.document,
    fetchedAt: int(d.fetchedAt, `${what}.fetchedAt`),
    ...(blockNumber === undefined ? {} : { blockNumber }),
  };
}

function trustList(v: unknown): NonNullable<BundleContents['governanceList']> {
  const g = record(v, 'governanceList');
  const a = g.anchor === undefined ? undefined : anchor(g.anchor, 'governanceList.anchor');
  return { jwt: str(g.jwt, 'governanceList.jwt', MAX_TRUST_LIST_CHARS), ...(a === undefined ? {} : { anchor: a }) };
}
