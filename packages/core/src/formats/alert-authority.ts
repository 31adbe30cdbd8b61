// Child-protection alerts through the governance trust list (issue #14 item 3): the one module that builds
// and reads (1) the `alerts` member of a governance trust list, which distributes the checkpoints' alert
// PUBLIC keys to registrars and accredits child-protection authorities to raise alerts on a registrar's
// credentials, and (2) an authority's signed alert request (`cradle-alert-request+jwt`), which the
// registrar that issued the credential applies only when the trust list accredits that authority for it.
// Signatures, the governance DID and the anchor are the verifier's to judge (docs/privacy.md).
import { isDid } from '../did/syntax.js';
import { isRecord } from '../guards.js';
import { ALERT_KINDS, isAlertKind } from './alert-list.js';
import type { AlertKind } from './alert-list.js';

/** The member of a trust list payload that carries {@link TrustListAlerts}. */
export const TRUST_LIST_ALERTS_MEMBER = 'alerts';
/** Most checkpoint alert keys one trust list may distribute (the same bound as an alert list's recipients). */
export const MAX_TRUST_LIST_ALERT_RECIPIENTS = 64;
/** Most alert authorities one trust list may accredit. */
export const MAX_ALERT_AUTHORITIES = 200;
/** Most registrars one authority may be accredited for (`"*"`, all registrars of the list, is one entry). */
export const MAX_ALERT_AUTHORITY_REGISTRARS = 1000;
/** `typ` of an authority's signed alert request. */
export const TYP_ALERT_REQUEST = 'cradle-alert-request+jwt';
/** `type` claim of an alert request. */
export const ALERT_REQUEST_TYPE = 'CradleAlertRequest';
/** Longest life of an alert request (it is applied once, soon after it is signed). */
export const MAX_ALERT_REQUEST_SECONDS = 7 * 86_400;
/** Longest reason an alert request may carry (the registrar records it; it is never published). */
export const MAX_ALERT_REQUEST_REASON = 1000;

/** A child-protection authority that the governance authority accredits to raise and clear alerts. */
export interface AlertAuthority {
  readonly did: string;
  /** Its display name ("National Child Protection Unit (fictional)"), cut to 200 characters. */
  readonly name?: string;
  /** The registrars on whose credentials it may raise alerts; `["*"]`: every registrar this list accredits. */
  readonly registrars: readonly string[];
}

/** A checkpoint alert PUBLIC key as a trust list distributes it (EC P-256 JWK, no private part). */
export interface TrustListAlertRecipient {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid?: string;
}

/** The `alerts` member of a governance trust list. */
export interface TrustListAlerts {
  /** Checkpoint alert PUBLIC keys registrars encrypt their alert lists to (besides their own configuration). */
  readonly recipients: readonly TrustListAlertRecipient[];
  readonly authorities: readonly AlertAuthority[];
}

const B64_32 = /^[A-Za-z0-9_-]{43}$/;

/**
 * Read the `alerts` member of a trust list payload (absent: nothing distributed, nobody accredited).
 * Structural checks only (whether each key is a point on the curve is checked where it is used, with
 * `readAlertKey`). Never throws: a malformed member gives `{ problem }` (the whole list is then refused).
 *
 * @example
 * ```ts
 * const r = readTrustListAlerts(payload.alerts);
 * if ('alerts' in r) r.alerts.authorities;
 * ```
 */
export function readTrustListAlerts(value: unknown): { readonly alerts: TrustListAlerts } | { readonly problem: string } {
  if (value === undefined) return { alerts: { recipients: [], authorities: [] } };
  if (!isRecord(value)) return { problem: 'its "alerts" member is not an object' };
  const recipientsIn = value.recipients ?? [];
  const authoritiesIn = value.authorities ?? [];
  if (!Array.isArray(recipientsIn) || recipientsIn.length > MAX_TRUST_LIST_ALERT_RECIPIENTS) return { problem: `"alerts.recipients" must be a list of at most ${MAX_TRUST_LIST_ALERT_RECIPIENTS} public keys` };
  if (!Array.isArray(authoritiesIn) || authoritiesIn.length > MAX_ALERT_AUTHORITIES) return { problem: `"alerts.authorities" must be a list of at most ${MAX_ALERT_AUTHORITIES} authorities` };
  const recipients: TrustListAlertRecipient[] = [];
  for (const [i, k] of recipientsIn.entries()) {
    if (!isRecord(k) || k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.x !== 'string' || !B64_32.test(k.x) || typeof k.y !== 'string' || !B64_32.test(k.y)) {
      return { problem: `alert recipient ${i + 1} is not an EC P-256 public key (JWK)` };
    }
    if (k.d !== undefined) return { problem: `alert recipient ${i + 1} holds a private key: a trust list distributes PUBLIC keys only` };
    const kid = typeof k.kid === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(k.kid) ? k.kid : undefined;
    recipients.push({ kty: 'EC', crv: 'P-256', x: k.x, y: k.y, ...(kid === undefined ? {} : { kid }) });
  }
  const authorities: AlertAuthority[] = [];
  for (const [i, a] of authoritiesIn.entries()) {
    if (!isRecord(a) || !isDid(a.did, 256)) return { problem: `alert authority ${i + 1} has no valid "did"` };
    if (!Array.isArray(a.registrars) || a.registrars.length === 0 || a.registrars.length > MAX_ALERT_AUTHORITY_REGISTRARS) {
      return { problem: `alert authority ${a.did} must list the registrars it is accredited for ("registrars": [DID, …] or ["*"])` };
    }
    const registrars: string[] = [];
    for (const r of a.registrars) {
      if (r !== '*' && !isDid(r, 256)) return { problem: `alert authority ${a.did} lists a registrar that is not a DID` };
      registrars.push(r as string);
    }
    const name = typeof a.name === 'string' ? a.name.slice(0, 200) : undefined;
    authorities.push({ did: a.did, registrars, ...(name === undefined ? {} : { name }) });
  }
  return { alerts: { recipients, authorities } };
}

/**
 * How `alerts` accredits `authorityDid` for credentials of `registrarDid`: `named` (the registrar is
 * listed by DID), `wildcard` (`"*"`: valid only for a registrar the same trust list accredits, which the
 * caller checks), or `undefined` (not accredited). Compare canonical DIDs: pass `canonical`.
 *
 * @example
 * ```ts
 * alertAuthorityScope(list.alerts, 'did:key:z6Mk…', registrarDid) // 'named'
 * ```
 */
export function alertAuthorityScope(
  alerts: TrustListAlerts | undefined,
  authorityDid: string,
  registrarDid: string,
  canonical: (did: string) => string = (d) => d,
): 'named' | 'wildcard' | undefined {
  const entry = alerts?.authorities.find((a) => canonical(a.did) === canonical(authorityDid));
  if (entry === undefined) return undefined;
  if (entry.registrars.some((r) => r !== '*' && canonical(r) === canonical(registrarDid))) return 'named';
  return entry.registrars.includes('*') ? 'wildcard' : undefined;
}

/** What an authority asks a registrar to do: raise (`kind`) or clear (`kind: null`) the alert on one credential. */
export interface AlertRequest {
  /** The authority: issuer and signer. */
  readonly authority: string;
  /** The registrar that issued the credential (the request's audience). */
  readonly registrar: string;
  /** The birth credential's id (`urn:uuid:…`). */
  readonly credentialId: string;
  readonly kind: AlertKind | null;
  readonly reason: string;
  /** Unix seconds. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Unique id of this request (`urn:uuid:…`): a registrar applies each one once. */
  readonly id: string;
}

/**
 * The JWS payload of an alert request (sign it with `typ: cradle-alert-request+jwt` and the authority's
 * assertion key). Throws `TypeError`/`RangeError` for a caller mistake.
 *
 * @example
 * ```ts
 * const payload = buildAlertRequestPayload({ authority, registrar, credentialId, kind: 'missing', reason, issuedAt, expiresAt, id });
 * ```
 */
export function buildAlertRequestPayload(r: AlertRequest): Record<string, unknown> {
  if (!isDid(r.authority, 256) || !isDid(r.registrar, 256)) throw new TypeError('authority and registrar must be DIDs');
  if (r.kind !== null && !isAlertKind(r.kind)) throw new TypeError(`kind must be one of ${ALERT_KINDS.join(', ')} or null (clear)`);
  if (r.reason.trim() === '' || r.reason.length > MAX_ALERT_REQUEST_REASON) throw new RangeError(`reason must be 1 to ${MAX_ALERT_REQUEST_REASON} characters`);
  if (!(r.expiresAt > r.issuedAt) || r.expiresAt - r.issuedAt > MAX_ALERT_REQUEST_SECONDS) throw new RangeError(`an alert request must expire after it is issued, within ${MAX_ALERT_REQUEST_SECONDS} seconds`);
  return {
    iss: r.authority,
    aud: r.registrar,
    type: ALERT_REQUEST_TYPE,
    sub: r.credentialId,
    ...(r.kind === null ? { clear: true } : { kind: r.kind }),
    reason: r.reason,
    iat: r.issuedAt,
    exp: r.expiresAt,
    jti: r.id,
  };
}

/**
 * Read an alert request payload (untrusted: the signature, the accreditation and the time are judged by
 * the caller). Never throws.
 *
 * @example
 * ```ts
 * const r = readAlertRequestPayload(token.payload);
 * ```
 */
export function readAlertRequestPayload(payload: unknown): { readonly request: AlertRequest } | { readonly problem: string } {
  if (!isRecord(payload) || payload.type !== ALERT_REQUEST_TYPE) return { problem: 'it is not a child-protection alert request' };
  const { iss, aud, sub, kind, clear, reason, iat, exp, jti } = payload;
  if (!isDid(iss, 256)) return { problem: 'its issuer (the authority) is not a DID' };
  if (!isDid(aud, 256)) return { problem: 'its audience (the registrar) is not a DID' };
  if (typeof sub !== 'string' || !/^urn:uuid:[0-9a-f-]{36}$/i.test(sub)) return { problem: 'it does not name a credential id (urn:uuid:…)' };
  if ((kind === undefined) === (clear !== true)) return { problem: 'it must either raise one kind of alert or clear it' };
  if (kind !== undefined && !isAlertKind(kind)) return { problem: `unknown alert kind (expected ${ALERT_KINDS.join(', ')})` };
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_ALERT_REQUEST_REASON) return { problem: 'it gives no reason (or one that is too long)' };
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || typeof exp !== 'number' || !Number.isSafeInteger(exp) || exp <= iat || exp - iat > MAX_ALERT_REQUEST_SECONDS) {
    return { problem: 'its validity window is missing or too long' };
  }
  if (typeof jti !== 'string' || !/^urn:uuid:[0-9a-f-]{36}$/i.test(jti)) return { problem: 'it has no request id (urn:uuid:…)' };
  return { request: { authority: iss, registrar: aud, credentialId: sub, kind: kind === undefined ? null : (kind as AlertKind), reason: reason.trim(), issuedAt: iat, expiresAt: exp, id: jti } };
}
