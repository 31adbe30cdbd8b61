// The signed status list (W3C Bitstring Status List v1.0, `BitstringStatusListCredential` as vc+jwt):
// the registrar builds the unsigned credential here, a checkpoint reads the signed payload here. What is
// judged against the outside world (the anchored digest and list id, the registrar's key, the clock)
// stays with the verifier; this module only knows the shape (docs/formats.md, "Status lists").
import { parseDateTime } from '../date-time.js';
import { isRecord } from '../guards.js';
import { ALERT_STATUS_MESSAGES, ALERT_STATUS_PURPOSE, ALERT_STATUS_SIZE } from './alert-list.js';
import { TYPE_STATUS_LIST, TYPE_STATUS_LIST_CREDENTIAL, TYPE_VERIFIABLE_CREDENTIAL, VC_CONTEXT_V2 } from './credential-types.js';
import type { StatusPurpose } from './credential-types.js';

/**
 * What a status list is for: revoking (final) or suspending (reversible) credentials, or `message`: a
 * child-protection alert list (2 bits per entry, published encrypted; formats/alert-list.ts).
 */
export type StatusListPurpose = StatusPurpose;

/** Input of {@link buildStatusListCredential}. */
export interface StatusListCredentialInput {
  /** Where the signed list is published: its `id`, and `statusListCredential` in credentials. */
  readonly url: string;
  /** The registrar's DID. */
  readonly issuer: string;
  readonly purpose: StatusListPurpose;
  /** Multibase base64url of the gzipped bitstring (`StatusList#encode`). */
  readonly encodedList: string;
  /** `validFrom`, unix seconds. */
  readonly validFrom: number;
}

/**
 * The unsigned `BitstringStatusListCredential` of a list; the registrar signs it as `vc+jwt` and adds the
 * JWT claims (`iss`, `iat`, and `cradleListVersion`, the version it anchors).
 *
 * @example
 * ```ts
 * const vc = buildStatusListCredential({ url, issuer: did, purpose: 'revocation', encodedList, validFrom: nowS });
 * ```
 */
export function buildStatusListCredential(input: StatusListCredentialInput): Record<string, unknown> {
  const subject = { id: `${input.url}#list`, type: TYPE_STATUS_LIST, statusPurpose: input.purpose, encodedList: input.encodedList };
  return {
    '@context': [VC_CONTEXT_V2],
    id: input.url,
    type: [TYPE_VERIFIABLE_CREDENTIAL, TYPE_STATUS_LIST_CREDENTIAL],
    issuer: input.issuer,
    validFrom: new Date(input.validFrom * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: input.purpose === ALERT_STATUS_PURPOSE ? { ...subject, statusSize: ALERT_STATUS_SIZE, statusMessage: ALERT_STATUS_MESSAGES } : subject,
  };
}

/** A signed status list's payload, read (untrusted: nothing here is checked against an anchor or a key). */
export interface StatusListCredentialView {
  /** The list URL (`id`). */
  readonly url: string;
  /** `issuer` (a string or `{ id }`). */
  readonly issuer: string;
  /** The JWT `iss` claim. */
  readonly iss: string;
  readonly purpose: StatusListPurpose;
  /** Bits per entry (1 to 8; default 1). */
  readonly statusSize: number;
  readonly encodedList: string;
  /** `cradleListVersion`: the version the registrar anchored for these bytes (undefined when absent or not a number). */
  readonly version?: number;
  /** `validUntil` (unix seconds), when the list has one. */
  readonly validUntil?: number;
}

/** Why a payload is not a usable status list. */
export interface StatusListCredentialProblem {
  readonly code: 'MALFORMED';
  readonly reason: string;
}

/** Result of {@link readStatusListCredential}: the view, or the first problem. */
export type StatusListCredentialRead = { readonly list: StatusListCredentialView } | { readonly problem: StatusListCredentialProblem };

/**
 * Read a `BitstringStatusListCredential` payload (the decoded JWS payload). Never throws: a payload of
 * any other shape gives `{ problem }` with the reason.
 *
 * @example
 * ```ts
 * const r = readStatusListCredential(token.payload);
 * if ('problem' in r) return reject(r.problem.code, r.problem.reason);
 * ```
 */
export function readStatusListCredential(payload: unknown): StatusListCredentialRead {
  const fail = (reason: string): StatusListCredentialRead => ({ problem: { code: 'MALFORMED', reason } });
  if (!isRecord(payload)) return fail('it is not a JSON object');
  const types = Array.isArray(payload.type) ? payload.type : [];
  const subject = payload.credentialSubject;
  const url = payload.id;
  if (!types.includes(TYPE_STATUS_LIST_CREDENTIAL) || !isRecord(subject) || typeof url !== 'string') return fail('it is not a BitstringStatusListCredential');
  const issuer = typeof payload.issuer === 'string' ? payload.issuer : isRecord(payload.issuer) ? payload.issuer.id : undefined;
  if (typeof issuer !== 'string' || typeof payload.iss !== 'string') return fail('it names no issuer');
  if (subject.type !== TYPE_STATUS_LIST || (subject.statusPurpose !== 'revocation' && subject.statusPurpose !== 'suspension' && subject.statusPurpose !== ALERT_STATUS_PURPOSE)) {
    return fail('its subject is not a revocation, suspension or alert BitstringStatusList');
  }
  const statusSize = subject.statusSize === undefined ? 1 : subject.statusSize;
  if (typeof statusSize !== 'number' || !Number.isInteger(statusSize) || statusSize < 1 || statusSize > 8) return fail('bad statusSize');
  if (typeof subject.encodedList !== 'string') return fail('no encodedList');
  const validUntil = payload.validUntil === undefined ? undefined : parseDateTime(payload.validUntil);
  if (validUntil === null) return fail('its validUntil is not a valid date');
  const version = typeof payload.cradleListVersion === 'number' ? payload.cradleListVersion : undefined;
  return {
    list: {
      url,
      issuer,
      iss: payload.iss,
      purpose: subject.statusPurpose,
      statusSize,
      encodedList: subject.encodedList,
      ...(version === undefined ? {} : { version }),
      ...(validUntil === undefined ? {} : { validUntil }),
    },
  };
}
