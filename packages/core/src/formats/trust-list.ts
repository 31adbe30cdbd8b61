// The governance trust list (`cradle-trust-list+jwt`): which registrars a governance authority accredits
// or has de-accredited. Built (payload) and read here; the signature, the governance DID and the anchor
// are judged by the verifier (docs/formats.md, "Trust list").
import { isDid } from '../did/syntax.js';
import { isRecord } from '../guards.js';
import { TRUST_LIST_ALERTS_MEMBER, readTrustListAlerts } from './alert-authority.js';
import type { TrustListAlerts } from './alert-authority.js';

/** JOSE `typ` of a governance trust list. */
export const TYP_TRUST_LIST = 'cradle-trust-list+jwt';
/** `type` claim of a trust list payload. */
export const TRUST_LIST_TYPE = 'CradleTrustList';
/** Most registrars one trust list may name. */
export const MAX_TRUST_LIST_REGISTRARS = 5000;

/** One registrar in a governance trust list. */
export interface TrustListEntry {
  readonly did: string;
  /** The registrar's display name for officers ("Kisumu Civil Registration Office"). */
  readonly name?: string;
  /** The registrar's country, ISO 3166-1 alpha-2 (`KE`). */
  readonly country?: string;
  /** `revoked` = de-accredited: rejected even if an operator trusts it locally. */
  readonly status: 'accredited' | 'revoked';
}

/**
 * The payload of a trust list: `{ iss, type: "CradleTrustList", version, iat, registrars }` (sign it as
 * a JWS with `typ: cradle-trust-list+jwt`).
 *
 * @example
 * ```ts
 * const payload = buildTrustListPayload({ issuer: govDid, version: 3, iat: nowS, registrars });
 * ```
 */
export function buildTrustListPayload(input: { issuer: string; version: number; iat: number; registrars: readonly TrustListEntry[]; alerts?: TrustListAlerts }): Record<string, unknown> {
  return {
    iss: input.issuer,
    type: TRUST_LIST_TYPE,
    version: input.version,
    iat: input.iat,
    registrars: input.registrars,
    // Child-protection alerts (formats/alert-authority.ts): distributed checkpoint keys, accredited authorities.
    ...(input.alerts === undefined ? {} : { [TRUST_LIST_ALERTS_MEMBER]: input.alerts }),
  };
}

/** A trust list payload, read (untrusted: the signature and the issuer are the verifier's to judge). */
export interface TrustListView {
  readonly iss: string;
  readonly version: number;
  /** Entries as listed (DIDs not yet canonicalized; names cut to 200 characters). */
  readonly registrars: readonly TrustListEntry[];
  /** Child-protection alerts (absent when the list has none): distributed checkpoint keys, accredited authorities. */
  readonly alerts?: TrustListAlerts;
}

/** Result of {@link readTrustListPayload}. */
export type TrustListRead = { readonly list: TrustListView } | { readonly problem: { readonly code: 'MALFORMED' | 'ISSUER_MISMATCH'; readonly reason: string } };

/**
 * Read a trust list payload. Never throws: anything malformed gives `{ problem }` with the reason
 * (`ISSUER_MISMATCH` when it is not a `CradleTrustList` with an `iss`).
 *
 * @example
 * ```ts
 * const r = readTrustListPayload(token.payload);
 * ```
 */
export function readTrustListPayload(payload: unknown): TrustListRead {
  const fail = (reason: string, code: 'MALFORMED' | 'ISSUER_MISMATCH' = 'MALFORMED'): TrustListRead => ({ problem: { code, reason } });
  if (!isRecord(payload) || typeof payload.iss !== 'string' || payload.type !== TRUST_LIST_TYPE) return fail('it is not a trust list of a governance authority', 'ISSUER_MISMATCH');
  const version = payload.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return fail('bad trust list version');
  if (!Array.isArray(payload.registrars) || payload.registrars.length > MAX_TRUST_LIST_REGISTRARS) return fail('bad registrars list');
  const registrars: TrustListEntry[] = [];
  for (const r of payload.registrars) {
    if (!isRecord(r) || typeof r.did !== 'string' || !isDid(r.did, 256)) return fail('bad registrar entry');
    if (r.status !== 'accredited' && r.status !== 'revoked') return fail(`bad status for ${r.did}`);
    if (r.country !== undefined && (typeof r.country !== 'string' || !/^[A-Z]{2}$/.test(r.country))) {
      return fail(`bad country for ${r.did} (expected an ISO 3166-1 alpha-2 code such as KE)`);
    }
    const name = typeof r.name === 'string' ? r.name.slice(0, 200) : undefined;
    registrars.push({ did: r.did, status: r.status, ...(name === undefined ? {} : { name }), ...(r.country === undefined ? {} : { country: r.country }) });
  }
  const alerts = readTrustListAlerts(payload[TRUST_LIST_ALERTS_MEMBER]);
  if ('problem' in alerts) return fail(alerts.problem);
  const hasAlerts = alerts.alerts.recipients.length > 0 || alerts.alerts.authorities.length > 0;
  return { list: { iss: payload.iss, version, registrars, ...(hasAlerts ? { alerts: alerts.alerts } : {}) } };
}
