import type { SourceRefusalCode, VerificationCode, VerificationProblem } from '@cradle/core';
import { CradleError, signJws, utf8Encode } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import { digestOf } from './status-list-credential.js';
import type { AnchorRecord, CachedTrustList, TrustListEntry, VerifierStore } from './store.js';
import type { KeyResolver } from './verification-context.js';
import { loadVerificationContext } from './verification-context.js';
import { withGovernanceList } from './trust.js';

/** JOSE `typ` of a governance trust list. */
export const TYP_TRUST_LIST = 'cradle-trust-list+jwt';
const MAX_TRUST_LIST_BYTES = 1024 * 1024;
const MAX_REGISTRARS = 5000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Sign a governance trust list (`typ: cradle-trust-list+jwt`). Payload:
 * `{ iss, type: "CradleTrustList", version, iat, registrars: [{ did, name?, country?, status }] }`
 * (`country`: ISO 3166-1 alpha-2).
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
  sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  now?: number;
}): Promise<string> {
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  return signJws(
    { alg: 'EdDSA', typ: TYP_TRUST_LIST, kid: opts.kid },
    { iss: opts.issuer, type: 'CradleTrustList', version: opts.version, iat, registrars: opts.registrars },
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
  const p = token.payload;
  const governanceDid = canonicalDid(opts.governanceDid);
  if (typeof p.iss !== 'string' || canonicalDid(p.iss) !== governanceDid || p.type !== 'CradleTrustList') {
    return reject('ISSUER_MISMATCH', `the trust list is not issued by the configured governance authority (${opts.governanceDid})`);
  }
  const version = p.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return reject('MALFORMED', 'bad trust list version');
  if (opts.anchor !== undefined && opts.anchor.version !== version) return reject('MALFORMED', 'trust list version is not the anchored version');
  const sig = await checkSignature(token, governanceDid, 'assertionMethod', opts.keysOf, opts.verifier, 'trust list', problems);
  if (sig !== 'verified') return reject(problems[0]?.code ?? 'SIGNATURE_INVALID', problems[0]?.message ?? 'bad signature');
  if (!Array.isArray(p.registrars) || p.registrars.length > MAX_REGISTRARS) return reject('MALFORMED', 'bad registrars list');
  const registrars: TrustListEntry[] = [];
  for (const r of p.registrars) {
    if (!isRecord(r) || typeof r.did !== 'string' || !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,200}$/.test(r.did)) return reject('MALFORMED', 'bad registrar entry');
    if (r.status !== 'accredited' && r.status !== 'revoked') return reject('MALFORMED', `bad status for ${r.did}`);
    const name = typeof r.name === 'string' ? r.name.slice(0, 200) : undefined;
    if (r.country !== undefined && (typeof r.country !== 'string' || !/^[A-Z]{2}$/.test(r.country))) {
      return reject('MALFORMED', `bad country for ${r.did} (expected an ISO 3166-1 alpha-2 code such as KE)`);
    }
    const country = r.country;
    registrars.push({
      did: canonicalDid(r.did),
      status: r.status,
      ...(name === undefined ? {} : { name }),
      ...(country === undefined ? {} : { country }),
    });
  }
  return {
    list: {
      jwt: text,
      issuer: governanceDid,
      version,
      registrars,
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
  opts: { governanceDid?: string; now?: number; signatureVerifier?: SignatureVerifier } = {},
): Promise<CachedTrustList> {
  const ctx = await loadVerificationContext(store);
  const governanceDid = opts.governanceDid ?? ctx.state.config?.governanceDid;
  if (governanceDid === undefined) {
    throw new CradleError('CONFIG_INVALID', 'No governance authority is configured for this checkpoint: set governanceDid before importing a trust list.');
  }
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const r = await acceptTrustList(jwt, { governanceDid, keysOf: ctx.keysOf, verifier: opts.signatureVerifier ?? webCryptoSignatureVerifier, now });
  if ('rejection' in r) throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: ${r.rejection.message}`, { details: { reason: r.rejection.code } });
  const current = ctx.state.trust.governanceList;
  if (current !== undefined && current.issuer === canonicalDid(governanceDid) && r.list.version < current.version) {
    throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: version ${r.list.version} is older than the one already in use (${current.version}).`);
  }
  await store.write({ trust: withGovernanceList(ctx.state.trust, r.list) });
  return r.list;
}
