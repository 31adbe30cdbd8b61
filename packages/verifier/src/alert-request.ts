// An accredited authority's child-protection alert request, judged for the registrar that issued the
// credential (issue #14 item 3: "the registrar, or an authority that the governance trust list accredits
// for alerts, can raise and clear an alert"). The format is core's (formats/alert-authority.ts); this
// module checks the signature, the audience, the time and the accreditation, and never throws on
// untrusted input. It also lets a registrar check a governance trust list file before it takes the
// checkpoint alert keys the list distributes.
import { CradleError, TYP_ALERT_REQUEST, alertAuthorityScope, buildAlertRequestPayload, clockOption, readAlertRequestPayload, signJws } from '@cradle/core';
import type { AlertKind, AlertRequest, Clock, VerificationProblem } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import type { CachedDidDocument, CachedTrustList } from './store.js';
import { EMPTY_TRUST } from './store.js';
import { acceptTrustList } from './trust-list.js';
import { buildVerificationContext, isSelfCertifyingDid } from './verification-context.js';

/** Largest alert request accepted (bytes), checked before parsing. */
const MAX_ALERT_REQUEST_BYTES = 16 * 1024;

/** Why an alert request was refused (a stable code and what to do). */
export interface AlertRequestRejection {
  readonly code: 'MALFORMED' | 'SIGNATURE_INVALID' | 'ISSUER_UNKNOWN' | 'NO_TRUST_LIST' | 'AUTHORITY_NOT_ACCREDITED' | 'WRONG_REGISTRAR' | 'EXPIRED' | 'NOT_YET_VALID';
  readonly message: string;
}

/**
 * The current time in whole seconds (the JWT NumericDates these formats carry) from a `now` option, which
 * is Cradle's one clock ({@link Clock}: milliseconds, like `Date.now`, the default). Before the one
 * convention these two functions took a number of SECONDS; such a number is refused (`INVALID_ARGUMENT`)
 * rather than read as milliseconds, which would put the clock in January 1970 and refuse every request.
 */
function nowInSeconds(now: unknown): number {
  if (typeof now === 'number') {
    throw new CradleError('INVALID_ARGUMENT', 'now must be a clock: a function returning milliseconds since the epoch, like Date.now (a number of seconds is no longer read).', {
      details: { field: 'now' },
    });
  }
  return Math.floor(clockOption('now', now)() / 1000);
}

/** Keys of DIDs that are not self-certifying (did:ethr, did:web), as resolved by the caller. */
function keysOfDocuments(didDocuments: readonly CachedDidDocument[]) {
  return buildVerificationContext({ trust: EMPTY_TRUST, didDocuments, statusLists: [], anchors: [] }).keysOf;
}

/**
 * Sign an alert request as a child-protection authority (its Ed25519 assertion key): ask the registrar
 * `registrar` to raise (`kind`) or clear (`kind: null`) the alert on its birth credential `credentialId`.
 * Valid for `validForSeconds` (default one day, at most seven).
 *
 * @example
 * ```ts
 * const jwt = await signAlertRequest({ authority: unitDid, kid: `${unitDid}#key-1`, registrar: registrarDid,
 *   credentialId: 'urn:uuid:…', kind: 'missing', reason: 'Reported missing, case 2026/118', sign });
 * ```
 */
export async function signAlertRequest(opts: {
  authority: string;
  kid: string;
  registrar: string;
  credentialId: string;
  kind: AlertKind | null;
  reason: string;
  sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  /** The clock (milliseconds, like `Date.now`, the default); a fixed number of milliseconds is still read (deprecated). */
  now?: Clock | number;
  validForSeconds?: number;
}): Promise<string> {
  const issuedAt = Math.floor(clockOption('now', opts.now)() / 1000);
  const payload = buildAlertRequestPayload({
    authority: opts.authority,
    registrar: opts.registrar,
    credentialId: opts.credentialId,
    kind: opts.kind,
    reason: opts.reason,
    issuedAt,
    expiresAt: issuedAt + (opts.validForSeconds ?? 86_400),
    id: `urn:uuid:${globalThis.crypto.randomUUID()}`,
  });
  return signJws({ alg: 'EdDSA', typ: TYP_ALERT_REQUEST, kid: opts.kid }, payload, opts.sign);
}

/**
 * Judge an alert request for the registrar `registrarDid`: a strict JWS (`typ: cradle-alert-request+jwt`)
 * signed by an assertion key of the requesting authority, addressed to this registrar, within its
 * validity window (bounded clock skew), and from an authority that `trustList` (the governance list this
 * registrar checked, {@link checkGovernanceTrustList}) accredits for this registrar. An authority
 * accredited for `"*"` counts only for registrars the same list accredits. Never throws on untrusted
 * input; a `now` that is not a {@link Clock} is a caller mistake (`INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * const r = await acceptAlertRequest(jwt, { registrarDid, trustList }); // now: Date.now by default
 * if ('request' in r) await registrar.alert(r.request.credentialId, { kind: r.request.kind, reason: r.request.reason });
 * ```
 */
export async function acceptAlertRequest(
  jwt: string,
  opts: {
    registrarDid: string;
    trustList: CachedTrustList | undefined;
    /** The clock (milliseconds, like `Date.now`, the default). */
    now?: Clock;
    /**
     * Resolves the document of an authority DID that is not self-certifying (did:ethr), e.g. from the
     * registrar's chain. Called only for an authority the trust list accredits.
     */
    resolveDidDocument?: (did: string) => Promise<CachedDidDocument | undefined>;
    signatureVerifier?: SignatureVerifier;
    /** Seconds of clock difference tolerated between the authority and this registrar (default 300). */
    clockSkew?: number;
  },
): Promise<{ readonly request: AlertRequest } | { readonly rejection: AlertRequestRejection }> {
  const now = nowInSeconds(opts.now);
  const reject = (code: AlertRequestRejection['code'], message: string) => ({ rejection: { code, message } });
  const problems: VerificationProblem[] = [];
  const token = decodeToken(typeof jwt === 'string' ? jwt.trim() : '', TYP_ALERT_REQUEST, MAX_ALERT_REQUEST_BYTES, 'alert request', problems);
  if (token === undefined || problems.length > 0) return reject('MALFORMED', `The alert request is unreadable: ${problems[0]?.message ?? 'not a signed alert request'}`);
  const read = readAlertRequestPayload(token.payload);
  if ('problem' in read) return reject('MALFORMED', `The alert request is malformed: ${read.problem}.`);
  const request = read.request;
  const registrarDid = canonicalDid(opts.registrarDid);
  if (canonicalDid(request.registrar) !== registrarDid) {
    return reject('WRONG_REGISTRAR', `The alert request is addressed to another registrar (${request.registrar}), not to this one (${opts.registrarDid}).`);
  }
  const skew = opts.clockSkew ?? 300;
  if (now + skew < request.issuedAt) return reject('NOT_YET_VALID', 'The alert request is dated in the future: check the clocks of both machines.');
  if (now - skew > request.expiresAt) return reject('EXPIRED', 'The alert request has expired: ask the authority for a new one.');
  const list = opts.trustList;
  if (list === undefined) {
    return reject('NO_TRUST_LIST', 'This registrar has no governance trust list, so it cannot tell which authorities may raise alerts: import one (`cradle registrar trust-list FILE --governance DID`).');
  }
  const authority = canonicalDid(request.authority);
  // A registrar the list de-accredits gets no alerts from anyone; "*" covers only registrars it accredits.
  const standing = list.registrars.find((r) => r.did === registrarDid)?.status;
  const scope = alertAuthorityScope(list.alerts, authority, registrarDid, canonicalDid);
  const accredited = standing !== 'revoked' && (scope === 'named' || (scope === 'wildcard' && standing === 'accredited'));
  if (!accredited) {
    return reject(
      'AUTHORITY_NOT_ACCREDITED',
      `${request.authority} is not accredited by the governance trust list (version ${list.version}) to raise alerts on this registrar's credentials: the request is refused.`,
    );
  }
  let documents: CachedDidDocument[] = [];
  if (!isSelfCertifyingDid(authority) && opts.resolveDidDocument !== undefined) {
    try {
      const doc = await opts.resolveDidDocument(authority);
      documents = doc === undefined ? [] : [doc];
    } catch (e) {
      return reject('ISSUER_UNKNOWN', `The DID document of ${request.authority} could not be resolved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const keysOf = keysOfDocuments(documents);
  const sig = await checkSignature(token, authority, 'assertionMethod', keysOf, opts.signatureVerifier ?? webCryptoSignatureVerifier, 'alert request', problems);
  if (sig === 'unknown-issuer') return reject('ISSUER_UNKNOWN', `The keys of ${request.authority} are not known here (resolve its DID document first).`);
  if (sig !== 'verified') return reject('SIGNATURE_INVALID', `The alert request is not signed by ${request.authority}: ${problems[0]?.message ?? 'bad signature'}`);
  return { request: { ...request, authority } };
}

/**
 * Check a governance trust list file for a registrar: signed by an assertion key of `governanceDid`
 * (a did:key, or a DID whose document the caller resolved into `didDocuments`), well-formed, and not
 * older than `current` (rollback). Returns the list with the alert keys it distributes and the alert
 * authorities it accredits; throws `INVALID_ARGUMENT` saying why it was refused. `now` is the clock
 * (milliseconds, like `Date.now`, the default).
 *
 * @example
 * ```ts
 * const list = await checkGovernanceTrustList(await readFile('trust-list.jwt', 'utf8'), { governanceDid });
 * list.alerts?.recipients // the checkpoints' alert public keys
 * ```
 */
export async function checkGovernanceTrustList(
  jwt: string,
  opts: { governanceDid: string; now?: Clock; didDocuments?: readonly CachedDidDocument[]; current?: CachedTrustList; signatureVerifier?: SignatureVerifier },
): Promise<CachedTrustList> {
  const r = await acceptTrustList(jwt, {
    governanceDid: opts.governanceDid,
    keysOf: keysOfDocuments(opts.didDocuments ?? []),
    verifier: opts.signatureVerifier ?? webCryptoSignatureVerifier,
    now: nowInSeconds(opts.now),
  });
  if ('rejection' in r) throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: ${r.rejection.message}`, { details: { reason: r.rejection.code } });
  const current = opts.current;
  if (current !== undefined && current.issuer === r.list.issuer && r.list.version < current.version) {
    throw new CradleError('INVALID_ARGUMENT', `The trust list was refused: version ${r.list.version} is older than the one already in use (${current.version}).`);
  }
  return r.list;
}
