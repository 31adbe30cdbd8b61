import { CREDENTIAL_FORMAT_CONTEXTS, CradleError, envelopeCredential } from '@cradle/core';
import type { EnvelopedVerifiableCredential } from '@cradle/core';
import type { CradleCredentialType, CredentialFormat } from '../credential-payloads.js';
import type { IssuedCredential } from '../issue-credential.js';

/** The body of `POST /credentials/issue` after the JSON schema (VC-API `IssueCredentialRequest`). */
export interface IssueCredentialBody {
  credential: Record<string, unknown> & { credentialSubject: Record<string, unknown> & { id: string } };
  options?: { format?: CredentialFormat };
}

/** What the registrar will issue for a request that passed {@link readIssueRequest}. */
export interface AcceptedIssueRequest {
  type: CradleCredentialType;
  subject: string;
  claims: Record<string, unknown>;
  format: CredentialFormat;
}

const TYPES: readonly CradleCredentialType[] = ['BirthRegistrationCredential', 'GuardianshipCredential'];

/** Members the registrar always sets itself, with what to do instead. */
const SET_BY_REGISTRAR: Readonly<Record<string, string>> = {
  id: 'the registrar assigns each credential a fresh urn:uuid id',
  credentialStatus: 'the registrar allocates revocation (and suspension) status entries itself',
  validFrom: 'the registrar sets validFrom to the time of issuance',
  issuanceDate: 'the registrar sets the issuance date to the time of issuance',
  validUntil: 'birth and guardianship credentials are issued without an expiry',
  expirationDate: 'birth and guardianship credentials are issued without an expiry',
  proof: 'the registrar secures the credential itself (VC-JOSE-COSE)',
};

function refuse(field: string, message: string): never {
  throw new CradleError('INVALID_ARGUMENT', `credential.${field}: ${message}.`, { details: { field: `credential.${field}` } });
}

function sameList(a: unknown, b: readonly string[], ordered: boolean): boolean {
  if (!Array.isArray(a) || a.length !== b.length || !a.every((x) => typeof x === 'string')) return false;
  const list = a as string[];
  return ordered ? list.every((x, i) => x === b[i]) : new Set(list).size === b.length && b.every((x) => list.includes(x));
}

/**
 * Check an issue request against what the registrar can honour, refusing (400, naming the field)
 * every member it would otherwise silently replace or drop: `id`, `credentialStatus`, validity dates
 * and `proof` are always set by the registrar; `@context` and `type` must be exactly what it will
 * issue (`type` chooses between a birth registration, the default, and a guardianship credential);
 * `issuer` must be the registrar's own DID; any other member is not part of a Cradle credential.
 * Claims are validated later against the credential schemas (422 naming the claim).
 *
 * @example
 * ```ts
 * readIssueRequest({ credential: { type: ['VerifiableCredential', 'GuardianshipCredential'], credentialSubject } }, registrarDid)
 * // { type: 'GuardianshipCredential', subject, claims, format: 'vc+jwt' }
 * ```
 */
export function readIssueRequest(body: IssueCredentialBody, registrarDid: string | undefined): AcceptedIssueRequest {
  const format = body.options?.format ?? 'vc+jwt';
  const { credentialSubject, ...rest } = body.credential;
  let type: CradleCredentialType = 'BirthRegistrationCredential';
  for (const [field, value] of Object.entries(rest)) {
    const why = SET_BY_REGISTRAR[field];
    if (why !== undefined) refuse(field, `${why}; leave it out of the request`);
    if (field === '@context') {
      if (!sameList(value, CREDENTIAL_FORMAT_CONTEXTS[format], true)) refuse(field, `a ${format} credential from this registrar has the contexts ${JSON.stringify(CREDENTIAL_FORMAT_CONTEXTS[format])}; send exactly those or leave it out`);
    } else if (field === 'type') {
      const chosen = TYPES.find((t) => sameList(value, ['VerifiableCredential', t], false));
      if (chosen === undefined) refuse(field, `must be ["VerifiableCredential", "BirthRegistrationCredential"] or ["VerifiableCredential", "GuardianshipCredential"]`);
      type = chosen;
    } else if (field === 'issuer') {
      const id = typeof value === 'string' ? value : typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
      const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
      if (registrarDid === undefined || id !== registrarDid || keys.some((k) => k !== 'id')) {
        refuse(field, `this registrar issues only as ${registrarDid ?? '(no identity yet)'}; send that DID or leave it out`);
      }
    } else {
      refuse(field, 'is not part of a Cradle birth-registration or guardianship credential and would be dropped; leave it out');
    }
  }
  const { id: subject, ...claims } = credentialSubject;
  return { type, subject, claims, format };
}

/** The VC-API issue response: the credential enveloped (VCDM 2.0 §4.13), plus Cradle's own fields. */
export interface IssueCredentialResponse {
  /** `EnvelopedVerifiableCredential` for `vc+jwt` and `sd-jwt-vc`; the compact JWT itself for a VCDM 1.1 JWT-VC. */
  verifiableCredential: EnvelopedVerifiableCredential | string;
  id: string;
  jwt: string;
  credentialStatus: { statusPurpose: string; statusListIndex: string; statusListCredential: string }[];
  /** E.g. `REGISTRATION_ALREADY_ISSUED` (the registration has a live credential for another child). */
  warnings?: { code: string; message: string; credentialId: string }[];
}

/**
 * Shape an issued credential as the VC-API answers: `verifiableCredential` is an
 * `EnvelopedVerifiableCredential` (`data:application/vc+jwt,<jws>`) for VC-JOSE-COSE credentials and
 * `data:application/dc+sd-jwt,<sd-jwt>` for SD-JWT VC.
 * VCDM 1.1 has no envelope, so a JWT-VC comes back as the compact JWT, as VC-API implementations of
 * VCDM 1.1 do. `id`, `jwt` and `credentialStatus` are kept for existing clients.
 */
export function issueResponse(issued: IssuedCredential): IssueCredentialResponse {
  return {
    verifiableCredential: issued.format === 'jwt-vc' ? issued.jwt : envelopeCredential(issued.jwt, issued.format),
    id: issued.id,
    jwt: issued.jwt,
    credentialStatus: issued.status.map((s) => ({ statusPurpose: s.purpose, statusListIndex: String(s.index), statusListCredential: s.url })),
    ...(issued.warnings === undefined ? {} : { warnings: issued.warnings }),
  };
}
