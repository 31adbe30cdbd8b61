import { ALERT_STATUS_PURPOSE, StatusList, digestOf, isCradleError, isSealedAlertList, openAlertList, readStatusListCredential, utf8Decode, utf8Encode } from '@cradle/core';
import type { AlertKeyJwk, SourceRefusalCode, StatusListCredentialView, VerificationCode, VerificationProblem } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import type { AnchorRecord, CachedStatusList } from './store.js';
import type { KeyResolver } from './verification-context.js';
import { statusListIdOf } from './verification-context.js';

/** Largest signed status list accepted (bytes), before hashing or parsing. */
export const MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024;
/** Largest decoded bitstring accepted (bytes): 16 M one-bit entries. */
export const MAX_STATUS_LIST_BITS_BYTES = 2 * 1024 * 1024;

/** Why a fetched status list was refused. */
export interface ListRejection {
  readonly code: VerificationCode | SourceRefusalCode;
  readonly message: string;
}


export { digestOf } from '@cradle/core';

/** What a fetched status list is judged against: the anchor, the registrar that anchored it, its keys. */
export interface AcceptStatusListOptions {
  /** The latest anchor of this list on the ledger: its digest, list id and version must match. */
  readonly anchor: AnchorRecord;
  /** DID of the registrar that anchored the list: it must be the list's issuer and its signer. */
  readonly issuerDid: string;
  /** The registrar's keys (its assertion key verifies the list). */
  readonly keysOf: KeyResolver;
  readonly verifier: SignatureVerifier;
  /**
   * When the list was checked, in Unix seconds (the list's `validUntil` is compared with it, and it is
   * recorded as `CachedStatusList.checkedAt`, which the store keeps in seconds).
   */
  readonly checkedAt: number;
  /** The ledger block the anchor was read at, recorded with the list. */
  readonly checkedBlock?: number;
  /** This checkpoint's private alert keys, to open an encrypted child-protection alert list. */
  readonly alertKeys?: readonly AlertKeyJwk[];
}

/** A status list that passed every check. */
export interface AcceptedStatusList {
  readonly list: CachedStatusList;
  /** The signed list (for an alert list: the one decrypted from `list.jwt`). */
  readonly signedList: string;
}

type Judged<T> = T | { rejection: ListRejection };
const reject = (code: ListRejection['code'], message: string): { rejection: ListRejection } => ({ rejection: { code, message } });

/**
 * Accept a fetched status list only if (1) its sha256 equals the anchored digest, (2) it is a
 * `BitstringStatusListCredential` whose `id` hashes to the anchored list id, (3) `iss`/`issuer` is
 * the DID of the anchoring identity, (4) its JWS verifies with that registrar's assertion key, (5) its
 * version is the anchored version, and (6) its bitstring decodes within bounds.
 *
 * A child-protection alert list is published encrypted (a JSON JWE; docs/privacy.md): the anchored digest
 * is that of the ciphertext, which is opened with one of `alertKeys` (this checkpoint's private alert
 * keys), and the signed list inside must pass the same checks with `statusPurpose: "message"`. The cached
 * `jwt` is then the ciphertext as anchored. A plain (unencrypted) `message` list is refused. Never throws
 * on the list's bytes: a refusal is `{ rejection: { code, message } }`.
 *
 * @example
 * ```ts
 * const r = await acceptStatusList(bytes, { anchor, issuerDid, keysOf, verifier, checkedAt: Math.floor(Date.now() / 1000) });
 * if ('rejection' in r) console.log(r.rejection.code); else store(r.list);
 * ```
 */
export async function acceptStatusList(bytes: Uint8Array, opts: AcceptStatusListOptions): Promise<Judged<AcceptedStatusList>>;
/**
 * The positional form of {@link acceptStatusList} (before the options object).
 *
 * @deprecated Pass one {@link AcceptStatusListOptions} object: `acceptStatusList(bytes, { anchor, issuerDid, keysOf, verifier, checkedAt, checkedBlock, alertKeys })`.
 */
export async function acceptStatusList(
  bytes: Uint8Array,
  anchor: AnchorRecord,
  issuerDid: string,
  keysOf: KeyResolver,
  verifier: SignatureVerifier,
  checkedAt: number,
  checkedBlock?: number,
  alertKeys?: readonly AlertKeyJwk[],
): Promise<Judged<AcceptedStatusList>>;
export async function acceptStatusList(
  bytes: Uint8Array,
  optsOrAnchor: AcceptStatusListOptions | AnchorRecord,
  ...positional: [issuerDid?: string, keysOf?: KeyResolver, verifier?: SignatureVerifier, checkedAt?: number, checkedBlock?: number, alertKeys?: readonly AlertKeyJwk[]]
): Promise<Judged<AcceptedStatusList>> {
  const opts = 'issuerDid' in optsOrAnchor ? optsOrAnchor : positionalOptions(optsOrAnchor, positional);
  const { anchor, issuerDid, checkedAt, checkedBlock } = opts;
  const anchored = anchoredText(bytes, anchor);
  if ('rejection' in anchored) return anchored;
  const sealed = isSealedAlertList(anchored.text);
  const signed = sealed ? await openSealedList(anchored.text, opts.alertKeys ?? []) : { jwt: anchored.text };
  if ('rejection' in signed) return signed;
  const read = await readSignedList(signed.jwt, sealed, opts);
  if ('rejection' in read) return read;
  const bits = decodeBits(read.list);
  if ('rejection' in bits) return bits;
  const { url, purpose, statusSize } = read.list;
  return {
    signedList: signed.jwt,
    list: { url, issuer: issuerDid, purpose, jwt: anchored.text, bits: bits.bytes, statusSize, anchor, checkedAt, ...(checkedBlock === undefined ? {} : { checkedBlock }) },
  };
}

function positionalOptions(
  anchor: AnchorRecord,
  [issuerDid, keysOf, verifier, checkedAt, checkedBlock, alertKeys]: [issuerDid?: string, keysOf?: KeyResolver, verifier?: SignatureVerifier, checkedAt?: number, checkedBlock?: number, alertKeys?: readonly AlertKeyJwk[]],
): AcceptStatusListOptions {
  if (issuerDid === undefined || keysOf === undefined || verifier === undefined || checkedAt === undefined) {
    throw new TypeError('acceptStatusList(bytes, { anchor, issuerDid, keysOf, verifier, checkedAt }) needs all four of issuerDid, keysOf, verifier and checkedAt');
  }
  return { anchor, issuerDid, keysOf, verifier, checkedAt, checkedBlock, alertKeys };
}

/** (1) Bounded, text, and exactly the anchored bytes: the digest covers the compact JWS or JWE itself (docs/formats.md). */
function anchoredText(bytes: Uint8Array, anchor: AnchorRecord): Judged<{ text: string }> {
  if (bytes.length > MAX_STATUS_LIST_BYTES) return reject('TOO_LARGE', `the status list is ${bytes.length} bytes, over the ${MAX_STATUS_LIST_BYTES} limit`);
  let text: string;
  try {
    text = utf8Decode(bytes).trim();
  } catch {
    return reject('MALFORMED', 'the list is not text');
  }
  const digest = digestOf(utf8Encode(text));
  if (digest !== anchor.digest.toLowerCase()) {
    return reject('DIGEST_MISMATCH', `its digest ${digest.slice(0, 12)}… is not the latest anchored one (${anchor.digest.slice(0, 12)}…, version ${anchor.version}): an old, altered or foreign list`);
  }
  return { text };
}

/** An encrypted alert list, opened with the first of this checkpoint's alert keys that fits. */
async function openSealedList(sealed: string, alertKeys: readonly AlertKeyJwk[]): Promise<Judged<{ jwt: string }>> {
  if (alertKeys.length === 0) return reject('ALERT_KEY_MISMATCH', 'it is an encrypted child-protection alert list and this checkpoint has no alert key');
  let problem: { code: ListRejection['code']; message: string } | undefined;
  for (const key of alertKeys) {
    const opened = await openAlertList(sealed, key);
    if ('list' in opened) return { jwt: opened.list };
    problem = opened.problem;
  }
  return reject(problem?.code ?? 'MALFORMED', problem?.message ?? 'unreadable alert list');
}

/** (2)-(5) The signed list: its id, issuer and version are the anchored ones, and the registrar signed it. */
async function readSignedList(jwt: string, sealed: boolean, opts: AcceptStatusListOptions): Promise<Judged<{ list: StatusListCredentialView }>> {
  const { anchor, issuerDid } = opts;
  const problems: VerificationProblem[] = [];
  const token = decodeToken(jwt, 'vc+jwt', MAX_STATUS_LIST_BYTES, 'status list', problems);
  if (token === undefined || problems.length > 0) return reject(problems[0]?.code ?? 'MALFORMED', problems[0]?.message ?? 'unreadable list');
  const read = readStatusListCredential(token.payload);
  if ('problem' in read) return reject(read.problem.code, read.problem.reason);
  const l = read.list;
  if (statusListIdOf(l.url) !== anchor.listId.toLowerCase()) return reject('MALFORMED', `its id ${l.url} is not the anchored list`);
  if (canonicalDid(l.issuer) !== issuerDid || canonicalDid(l.iss) !== issuerDid) {
    return reject('ISSUER_MISMATCH', `it is signed as ${l.iss.slice(0, 80)}, not as the registrar that anchored it (${issuerDid})`);
  }
  if (l.version !== anchor.version) return reject('MALFORMED', `its version ${String(l.version)} is not the anchored version ${anchor.version}`);
  const sig = await checkSignature(token, issuerDid, 'assertionMethod', opts.keysOf, opts.verifier, 'status list', problems);
  if (sig !== 'verified') return reject(problems[0]?.code ?? 'SIGNATURE_INVALID', problems[0]?.message ?? 'bad signature');
  // An encrypted list must be an alert list, and an alert list must come encrypted.
  if (sealed && l.purpose !== ALERT_STATUS_PURPOSE) return reject('MALFORMED', 'the encrypted list is not a child-protection alert list');
  if (!sealed && l.purpose === ALERT_STATUS_PURPOSE) return reject('MALFORMED', 'its subject is not a revocation or suspension BitstringStatusList');
  if (l.validUntil !== undefined && l.validUntil < opts.checkedAt) return reject('EXPIRED', 'the list has expired');
  return { list: l };
}

/** (6) The bitstring, inflated within {@link MAX_STATUS_LIST_BITS_BYTES} (a compression bomb is TOO_LARGE). */
function decodeBits(l: StatusListCredentialView): Judged<{ bytes: Uint8Array }> {
  try {
    return { bytes: StatusList.decodeSync(l.encodedList, { statusSize: l.statusSize, maxDecompressedBytes: MAX_STATUS_LIST_BITS_BYTES }).bytes };
  } catch (e) {
    const code = isCradleError(e, 'DECOMPRESSION_LIMIT') || isCradleError(e, 'TOO_LARGE') ? 'TOO_LARGE' : 'MALFORMED';
    return reject(code, `its bitstring is ${code === 'TOO_LARGE' ? 'too large (a compression bomb?)' : 'malformed'}: ${(e as Error).message}`);
  }
}
