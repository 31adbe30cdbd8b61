import type { Clock, SourceRefusalCode, TrustListAlerts, VerificationCode, VerificationProblem } from '@cradle/core';
import { CradleError, TYP_TRUST_LIST, clockOption, buildTrustListPayload, readTrustListPayload, signJws, utf8Encode } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { digestOf } from './status-list-credential.js';
import type { TrustListEntry } from '@cradle/core';
import type { AnchorRecord, CachedTrustList, VerifierStore } from './store.js';
import type { KeyResolver } from './verification-context.js';
import { loadVerificationContext } from './verification-context.js';
import { withGovernanceList } from './trust.js';

export { TYP_TRUST_LIST } from '@cradle/core';
const MAX_TRUST_LIST_BYTES = 1024 * 1024;

/**
 * Sign a governance trust list (`typ: cradle-trust-list+jwt`). Payload:
 * `{ iss, type: "CradleTrustList", version, iat, registrars: [{ did, name?, country?, status }], alerts? }`
 * (`country`: ISO 3166-1 alpha-2; `alerts`: the checkpoint alert public keys it distributes and the
 * alert authorities it accredits, see core's `readTrustListAlerts`).
 *
 * @example
 * ```ts
 * const jwt = await signTrustList({ issuer: govDid, kid: `${govDid}#key-1`, version: 3, registrars, sign });
 * ```
 */
export async function signTrustList(opts: {
  issuer: string;
  kid: string;
  version: number;
  registrars: readonly TrustListEntry[];
  /** Child-protection alerts: checkpoint alert public keys to distribute, accredited alert authorities. */
  alerts?: TrustListAlerts;
  sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  /** The clock (`() => ms`); default `Date.now`. A number of ms is still accepted (deprecated). */
  now?: Clock | number;
}): Promise<string> {
  const iat = Math.floor(clockOption('now', opts.now)() / 1000);
  return signJws(
    { alg: 'EdDSA', typ: TYP_TRUST_LIST, kid: opts.kid },
    buildTrustListPayload({ issuer: opts.issuer, version: opts.version, iat, registrars: opts.registrars, ...(opts.alerts === undefined ? {} : { alerts: opts.alerts }) }),
    opts.sign,
  );
}

/** Why a trust list was refused. */
export interface TrustListRejection {
  readonly code: VerificationCode | SourceRefusalCode;
  readonly message: string;
}

/**
 * Check a signed trust list: strict JOSE, signed by an assertion key of `governanceDid`, well-formed
 * entries, and (when `anchor` is given) its digest and version equal the anchored ones.
 */
export async function acceptTrustList(
  jwt: string,
  opts: { governanceDid: string; keysOf: KeyResolver; verifier: SignatureVerifier; now: number; anchor?: AnchorRecord },
): Promise<{ list: CachedTrustList } | { rejection: TrustListRejection }> {
  const reject = (code: TrustListRejection['code'], message: string) => ({ rejection: { code, message } });
  const text = jwt.trim();
  if (opts.anchor !== undefined && digestOf(utf8Encode(text)) !== opts.anchor.digest.toLowerCase()) {
    return reject('DIGEST_MISMATCH', 'the trust list is not the latest one anchored by the governance authority');
  }
  const problems: VerificationProblem[] = [];
  const token = decodeToken(text, TYP_TRUST_LIST, MAX_TRUST_LIST_BYTES, 'trust list', problems);
  if (token === undefined || problems.length > 0) return reject(problems[0]?.code ?? 'MALFORMED', problems[0]?.message ?? 'unreadable');
  const read = readTrustListPayload(token.payload);
  const governanceDid = canonicalDid(opts.governanceDid);
  if ('problem' in read && read.problem.code === 'ISSUER_MISMATCH') return reject('ISSUER_MISMATCH', `the trust list is not issued by the configured governance authority (${opts.governanceDid})`);
  if ('list' in read && canonicalDid(read.list.iss) !== governanceDid) {
    return reject('ISSUER_MISMATCH', `the trust list is not issued by the configured governance authority (${opts.governanceDid})`);
  }
  if ('problem' in read) return reject(read.problem.code, read.problem.reason);
  const { version } = read.list;
  if (opts.anchor !== undefined && opts.anchor.version !== version) return reject('MALFORMED', 'trust list version is not the anchored version');
  const sig = await checkSignature(token, governanceDid, 'assertionMethod', opts.keysOf, opts.verifier, 'trust list', problems);
  if (sig !== 'verified') return reject(problems[0]?.code ?? 'SIGNATURE_INVALID', problems[0]?.message ?? 'bad signature');
  const registrars = read.list.registrars.map((r) => ({ ...r, did: canonicalDid(r.did) }));
  return {
    list: {
      jwt: text,
      issuer: governanceDid,
      version,
      registrars,
      ...(read.list.alerts === undefined ? {} : { alerts: read.list.alerts }),
      checkedAt: opts.now,
      ...(opts.anchor === undefined ? {} : { anchor: opts.anchor }),
    },
  };
}

/**
 * Import a governance-signed trust list file. The checkpoint config must name the governance DID (or
 * pass `governanceDid`), whose keys must be known (a did:key, or a did:ethr synced earlier). A list
 * older than the one already imported is refused (rollback). Throws `INVALID_ARGUMENT` with the reason.
 *
 * @example
 * ```ts
 * await importTrustList(store, await readFile('trust-list.jwt', 'utf8'));
 * ```
 */
export async function importTrustList(
  store: VerifierStore,
  jwt: string,
  opts: { governanceDid?: string; now?: Clock | number; signatureVerifier?: SignatureVerifier } = {},
): Promise<CachedTrustList> {
  const ctx = await loadVerificationContext(store);
  const governanceDid = opts.governanceDid ?? ctx.state.config?.governanceDid;
  if (governanceDid === undefined) {
    throw new CradleError('CONFIG_INVALID', 'No governance authority is configured for this checkpoint: set governanceDid before importing a trust list.');
  }
  const now = Math.floor(clockOption('now', opts.now)() / 1000);
  const r = await acceptTrustList(jwt, { governanceDid, keysOf: ctx.keysOf, verifier: opts.signatureVerifier ?? webCryptoSignatureVerifier, now });
  if ('rejection' in r) throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: ${r.rejection.message}`, { details: { reason: r.rejection.code } });
  const current = ctx.state.trust.governanceList;
  if (current !== undefined && current.issuer === canonicalDid(governanceDid) && r.list.version < current.version) {
    throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: version ${r.list.version} is older than the one already in use (${current.version}).`);
  }
  await store.write({ trust: withGovernanceList(ctx.state.trust, r.list) });
  return r.list;
}
