import { randomUUID } from 'node:crypto';
import {
  CradleError,
  SD_JWT_VC_DISCLOSABLE,
  VCT_BIRTH_REGISTRATION,
  VCT_GUARDIANSHIP,
  base64UrlEncode,
  buildCredential,
  buildSdJwtVc,
  ed25519PublicKeyOfDidKey,
  readSdJwtVc,
} from '@cradle/core';
import type { BitstringStatusListEntry, PublicJwk } from '@cradle/core';
import type { CredentialRecord } from './credential-records.js';
import { statusEntry } from './credential-payloads.js';
import { registrarSigner, signCredential } from './sign-credential.js';
import type { CradleCredentialType, CredentialFormat } from './credential-payloads.js';
import type { Actor } from './audit-log.js';
import { IssuanceGroupCommit } from './issuance-group-commit.js';
import type { CredentialRow, RegistrationPolicy } from './issuance-group-commit.js';
import type { RegistrationHolder } from './registration-lookup.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import type { StatusPurpose, StatusSlot } from './status-list-allocator.js';
import { uniqueViolationTable } from './storage/registrar-store.js';

/** A credential the registrar issued. */
export interface IssuedCredential {
  /** `urn:uuid:…`. */
  id: string;
  /** The compact JWS (`vc+jwt` or VCDM 1.1 JWT), or the SD-JWT VC with all its disclosures (`sd-jwt-vc`). */
  jwt: string;
  type: CradleCredentialType;
  subject: string;
  format: CredentialFormat;
  /** Status entries (revocation, and suspension when enabled). */
  status: StatusSlot[];
  /** ISO date-time of issuance. */
  createdAt: string;
  /**
   * Set when the registration number already has a live birth credential for another child
   * (`REGISTRATION_ALREADY_ISSUED`; with `duplicateRegistration: 'refuse'` the issuance is a CONFLICT instead).
   */
  warnings?: { code: 'REGISTRATION_ALREADY_ISSUED'; message: string; credentialId: string }[];
}

/** One issuance, already validated. */
export interface IssueRequest {
  type: CradleCredentialType;
  subject: string;
  claims: Record<string, unknown>;
  format: CredentialFormat;
  /** When issued by a batch: the batch and row to mark done in the same transaction. */
  batch?: { id: string; row: number };
  /** The registration's identity (batch issuance): UNIQUE among credentials not revoked. */
  rowKey?: string;
  /** Who issues (the audit log's "who"; default `library`). */
  actor?: Actor;
  /**
   * A birth registration's number and identity (`registrationKey`), for `find` and the one-child rule
   * (`registration-holder.ts`): the database refuses the INSERT (`CRADLE_REGISTRATION_HELD`) when another
   * child holds it, unless {@link issueWithOutcome} is given a policy.
   */
  registration?: { number: string; key: string };
}

/**
 * What became of an issuance: stored (a known duplicate of `duplicateOf` when another child holds its
 * registration under the `warn` policy), or refused because `refusedBy` holds it (`refuse`: nothing stored).
 */
export type IssueOutcome = { issued: IssuedCredential; duplicateOf?: RegistrationHolder } | { refusedBy: RegistrationHolder };

/** One group commit per registrar runtime (kept here, so that the issuance write path stays in this file). */
const groupCommits = new WeakMap<RegistrarRuntime, IssuanceGroupCommit>();

function groupCommitOf(rt: RegistrarRuntime): IssuanceGroupCommit {
  let g = groupCommits.get(rt);
  if (g === undefined) {
    // A key rotated by another replica or process is noticed when the rows are written, once per group.
    g = new IssuanceGroupCommit(rt.db, rt.queue, { currentSigningKey: async () => (await rt.currentIdentity()).signingKid });
    groupCommits.set(rt, g);
  }
  return g;
}

/**
 * Reserve random status indices, sign (core builds the token, the key manager signs it), and store: the
 * credential row, its status allocations (UNIQUE(list, index)), its batch progress and its audit-log row
 * are written by **one INSERT statement**, i.e. one transaction, with triggers doing the allocation and
 * audit rows. Concurrent issuances are **group-committed** ({@link IssuanceGroupCommit}): their rows share
 * one INSERT, and each caller's promise settles only after that statement has committed. Signing runs
 * outside the write queue, so it overlaps the commit of the previous group. If the insert fails nothing of
 * the row is stored, the index stays free, and an index clash (only possible with a second process on the
 * same database: a CLI beside `serve`, or replicas) is retried with fresh indices.
 */
export async function issueCredential(rt: RegistrarRuntime, req: IssueRequest): Promise<IssuedCredential> {
  // Without a registration policy nothing is refused: the row is stored, or its INSERT fails.
  return ((await issueWithOutcome(rt, req)) as { issued: IssuedCredential }).issued;
}

/**
 * {@link issueCredential} for a birth registration under `policy` (`registration-holder.ts`), telling what
 * the policy decided. The holder of the registration is looked up when the row is written, once per
 * group commit (`IssuanceGroupCommit`), not once per issuance. A refused credential was signed but is not
 * stored, and its status indices are free again.
 */
export async function issueWithOutcome(rt: RegistrarRuntime, req: IssueRequest, policy?: RegistrationPolicy): Promise<IssueOutcome> {
  const format = req.format;
  if (format !== 'vc+jwt' && format !== 'jwt-vc' && format !== 'sd-jwt-vc') {
    throw new CradleError('INVALID_ARGUMENT', `Unknown credential format ${JSON.stringify(format)}: use vc+jwt, jwt-vc or sd-jwt-vc.`, { details: { field: 'format' } });
  }
  // An SD-JWT VC is bound to the child's key (cnf): refuse before anything is allocated.
  if (format === 'sd-jwt-vc') holderJwkOf(req.subject);
  for (let clashes = 0, resigned = 0; ; ) {
    // The identity this process knows: no read before signing (a rotation elsewhere is caught when the
    // row is written, and the credential is signed again); read only while this process knows none.
    const identity = rt.knownIdentity() ?? (await rt.currentIdentity());
    try {
      const { issued, row } = await signedRow(rt, req, identity.did, identity.signingKid, identity.verificationMethod);
      const stored = await groupCommitOf(rt).store(row, { ...(policy === undefined ? {} : { registration: policy }), signedWith: identity.signingKid });
      if (stored.stored) return stored.duplicateOf === undefined ? { issued } : { issued, duplicateOf: stored.duplicateOf };
      rt.allocator.release(issued.status);
      if (stored.heldBy !== undefined) return { refusedBy: stored.heldBy };
      // Signed with a key another replica rotated out meanwhile: sign again with the current one.
      if (++resigned >= MAX_RESIGNS) {
        throw new CradleError('CONFLICT', `The registrar's signing key changed ${MAX_RESIGNS} times while this credential was being issued (rotations by another replica or process): issue it again.`);
      }
    } catch (e) {
      // The bitmap may hold indices that were never stored: reload it (on the queue, like every reserve that reads).
      await rt.queue.run(async () => rt.allocator.reset());
      const clash = uniqueViolationTable(e) === 'cradle_status_allocation';
      if (!clash || ++clashes >= 3) throw e;
    }
  }
}

/** Times a credential is signed again because the signing key was rotated meanwhile, before giving up. */
const MAX_RESIGNS = 3;

/** A slot from the open list in memory when there is one; else on the write queue (it may load or create a list). */
async function reserve(rt: RegistrarRuntime, purpose: StatusPurpose): Promise<StatusSlot> {
  return rt.allocator.reserveInMemory(purpose) ?? (await rt.queue.run(() => rt.allocator.reserve(rt.db, purpose)));
}

/** Sign the credential of `req` and give its row for the group commit (nothing is stored here). */
async function signedRow(rt: RegistrarRuntime, req: IssueRequest, issuer: string, keyRef: string, kid: string): Promise<{ issued: IssuedCredential; row: CredentialRow }> {
  const id = `urn:uuid:${randomUUID()}`;
  const now = new Date(rt.config.now());
  const status: StatusSlot[] = [await reserve(rt, 'revocation')];
  if (rt.config.suspension) status.push(await reserve(rt, 'suspension'));
  // Every birth credential of a registrar with checkpoint alert keys gets an alert entry, flagged or not.
  const alert = req.type === 'BirthRegistrationCredential' && rt.config.alertRecipients.length > 0 ? await reserve(rt, 'message') : undefined;
  if (alert !== undefined) status.push(alert);
  const seconds = Math.floor(now.getTime() / 1000);
  let jwt: string;
  if (req.format === 'sd-jwt-vc') {
    jwt = await buildSdJwtVc({
      alg: 'EdDSA',
      kid,
      issuer,
      id,
      vct: req.type === 'BirthRegistrationCredential' ? VCT_BIRTH_REGISTRATION : VCT_GUARDIANSHIP,
      subject: req.subject,
      issuedAt: seconds,
      notBefore: seconds,
      holderKey: holderJwkOf(req.subject),
      status: status.map(statusEntry),
      claims: req.claims,
      disclosable: SD_JWT_VC_DISCLOSABLE[req.type === 'BirthRegistrationCredential' ? 'birth-registration' : 'guardianship'],
      // Signed through the KMS like every other credential: the private key never leaves it.
      sign: registrarSigner(rt.agent, keyRef),
    });
  } else {
    // Core builds the token (the one module that also reads it); the key manager only signs its bytes.
    const credential = buildCredential({ id, type: req.type, issuer, subject: req.subject, claims: req.claims, credentialStatus: status.map(statusEntry), issuedAt: seconds }, req.format);
    jwt = await signCredential(rt.agent, { keyRef, kid }, credential, req.format, { issuedAt: seconds });
  }
  const createdAt = now.toISOString();
  const rev = status[0]!;
  const sus = status.find((s) => s.purpose === 'suspension');
  return {
    issued: { id, jwt, type: req.type, subject: req.subject, format: req.format, status, createdAt },
    // In the order of CREDENTIAL_COLUMNS.
    row: [
      id,
      req.subject,
      req.type,
      req.format,
      jwt,
      rev.listName,
      rev.index,
      sus?.listName ?? null,
      sus?.index ?? null,
      alert?.listName ?? null,
      alert?.index ?? null,
      req.batch?.id ?? null,
      req.batch?.row ?? null,
      req.rowKey ?? null,
      req.actor?.name ?? null,
      req.actor?.keyId ?? null,
      req.registration?.number ?? null,
      req.registration?.key ?? null,
      // Set by the group commit when another child holds the registration (RegistrationPolicy `warn`).
      0,
      createdAt,
    ],
  };
}

/**
 * A copy of issued SD-JWT VC `record` bound (`cnf.jwk`) to `holderKey`, a key a wallet proved it holds
 * (OpenID4VCI): the same id, subject, type, claims, validity and status entries (revoking or suspending
 * the record covers the copy), fresh salts, `iat` now, signed with the registrar's current key. Nothing is
 * stored. Throws `INVALID_ARGUMENT` for a record that is not an SD-JWT VC.
 */
export async function sdJwtVcBoundTo(rt: RegistrarRuntime, record: CredentialRecord, holderKey: PublicJwk): Promise<string> {
  const read = record.format === 'sd-jwt-vc' ? readSdJwtVc(record.jwt) : undefined;
  const view = read?.credential;
  if (read === undefined || view === undefined || read.problems.length > 0 || view.kind === 'other') {
    throw new CradleError('INVALID_ARGUMENT', `Credential ${record.id} is not an SD-JWT VC this registrar can bind to another key.`, { details: { id: record.id } });
  }
  const { id: _subject, ...claims } = view.subject;
  // The registrar's current key, as stored: a rotation on another replica counts (registrar-runtime.ts).
  const identity = await rt.currentIdentity();
  return buildSdJwtVc({
    alg: 'EdDSA',
    kid: identity.verificationMethod,
    issuer: identity.did,
    ...(view.id === undefined ? {} : { id: view.id }),
    vct: view.types[0]!,
    ...(view.subjectId === undefined ? {} : { subject: view.subjectId }),
    issuedAt: Math.floor(rt.config.now() / 1000),
    ...(view.notBefore === undefined ? {} : { notBefore: view.notBefore }),
    ...(view.notAfter === undefined ? {} : { expiresAt: view.notAfter }),
    holderKey,
    status: (view.credentialStatus ?? []) as BitstringStatusListEntry[],
    claims,
    disclosable: SD_JWT_VC_DISCLOSABLE[view.kind],
    sign: registrarSigner(rt.agent, identity.signingKid),
  });
}

/** The child's public key as the `cnf.jwk` of an SD-JWT VC: the subject must be an Ed25519 did:key. */
function holderJwkOf(subject: string): PublicJwk {
  const key = ed25519PublicKeyOfDidKey(subject);
  if (key === undefined) {
    throw new CradleError('INVALID_ARGUMENT', `An sd-jwt-vc credential is bound to the child's key, so its subject must be an Ed25519 did:key (got ${subject.slice(0, 80)}); issue vc+jwt instead.`, { details: { field: 'subject' } });
  }
  return { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(key) };
}
