import { ALERT_STATUS_PURPOSE, StatusList, digestOf, isCradleError, isSealedAlertList, openAlertList, readStatusListCredential, utf8Decode, utf8Encode } from '@cradle/core';
import type { AlertKeyJwk, SourceRefusalCode, VerificationCode, VerificationProblem } from '@cradle/core';
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

/**
 * Accept a fetched status list only if (1) its sha256 equals the anchored digest, (2) it is a
 * `BitstringStatusListCredential` whose `id` hashes to the anchored list id, (3) `iss`/`issuer` is
 * the DID of the anchoring identity, (4) its JWS verifies with that registrar's assertion key, (5) its
 * version is the anchored version, and (6) its bitstring decodes within bounds.
 *
 * A child-protection alert list is published encrypted (a JSON JWE; docs/privacy.md): the anchored digest
 * is that of the ciphertext, which is opened with one of `alertKeys` (this checkpoint's private alert
 * keys), and the signed list inside must pass the same checks with `statusPurpose: "message"`. The cached
 * `jwt` is then the ciphertext as anchored. A plain (unencrypted) `message` list is refused.
 */
export async function acceptStatusList(
  bytes: Uint8Array,
  anchor: AnchorRecord,
  issuerDid: string,
  keysOf: KeyResolver,
  verifier: SignatureVerifier,
  checkedAt: number,
  checkedBlock?: number,
  alertKeys: readonly AlertKeyJwk[] = [],
): Promise<{ list: CachedStatusList; /** The signed list (for an alert list: the one decrypted from `list.jwt`). */ signedList: string } | { rejection: ListRejection }> {
  const reject = (code: ListRejection['code'], message: string) => ({ rejection: { code, message } });
  if (bytes.length > MAX_STATUS_LIST_BYTES) return reject('TOO_LARGE', `the status list is ${bytes.length} bytes, over the ${MAX_STATUS_LIST_BYTES} limit`);
  let jwt: string;
  try {
    jwt = utf8Decode(bytes).trim(); // the digest covers the compact JWS itself (docs/formats.md)
  } catch {
    return reject('MALFORMED', 'the list is not text');
  }
  const digest = digestOf(utf8Encode(jwt));
  if (digest !== anchor.digest.toLowerCase()) {
    return reject('DIGEST_MISMATCH', `its digest ${digest.slice(0, 12)}… is not the latest anchored one (${anchor.digest.slice(0, 12)}…, version ${anchor.version}): an old, altered or foreign list`);
  }
  const anchored = jwt;
  const sealed = isSealedAlertList(anchored);
  if (sealed) {
    if (alertKeys.length === 0) return reject('ALERT_KEY_MISMATCH', 'it is an encrypted child-protection alert list and this checkpoint has no alert key');
    let opened: Awaited<ReturnType<typeof openAlertList>> | undefined;
    for (const key of alertKeys) {
      opened = await openAlertList(anchored, key);
      if ('list' in opened) break;
    }
    if (opened === undefined || !('list' in opened)) return reject(opened?.problem.code ?? 'MALFORMED', opened?.problem.message ?? 'unreadable alert list');
    jwt = opened.list;
  }
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
  const sig = await checkSignature(token, issuerDid, 'assertionMethod', keysOf, verifier, 'status list', problems);
  if (sig !== 'verified') return reject(problems[0]?.code ?? 'SIGNATURE_INVALID', problems[0]?.message ?? 'bad signature');
  // An encrypted list must be an alert list, and an alert list must come encrypted.
  if (sealed && l.purpose !== ALERT_STATUS_PURPOSE) return reject('MALFORMED', 'the encrypted list is not a child-protection alert list');
  if (!sealed && l.purpose === ALERT_STATUS_PURPOSE) return reject('MALFORMED', 'its subject is not a revocation or suspension BitstringStatusList');
  if (l.validUntil !== undefined && l.validUntil < checkedAt) return reject('EXPIRED', 'the list has expired');
  const { statusSize } = l;
  let bits: Uint8Array;
  try {
    bits = StatusList.decodeSync(l.encodedList, { statusSize, maxDecompressedBytes: MAX_STATUS_LIST_BITS_BYTES }).bytes;
  } catch (e) {
    const code = isCradleError(e, 'DECOMPRESSION_LIMIT') || isCradleError(e, 'TOO_LARGE') ? 'TOO_LARGE' : 'MALFORMED';
    return reject(code, `its bitstring is ${code === 'TOO_LARGE' ? 'too large (a compression bomb?)' : 'malformed'}: ${(e as Error).message}`);
  }
  return {
    signedList: jwt,
    list: {
      url: l.url,
      issuer: issuerDid,
      purpose: l.purpose,
      jwt: anchored,
      bits,
      statusSize,
      anchor,
      checkedAt,
      ...(checkedBlock === undefined ? {} : { checkedBlock }),
    },
  };
}
