// The registrar's operations, by group, as `createRegistrar` assembles them into one `Registrar`. Each
// group is a thin layer over the module that does the work (issue-credential.ts, credential-records.ts,
// publish-status-lists.ts, anchor-outbox.ts, ...): argument checks and the write queue live here.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CradleError } from '@cradle/core';
import { allAnchors, pendingAnchors, processOutbox } from './anchor-outbox.js';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { LIBRARY_ACTOR, checkReason, readAudit } from './audit-log.js';
import { runBatch } from './batch-issuance.js';
import { printCertificate } from './certificate/print-certificate.js';
import { checkBirthRegistrationClaims, checkGuardianshipClaims, invalidClaims, subjectProblems } from './claims-validation.js';
import { alertEvents, setAlert } from './credential-alerts.js';
import { changeStatus, getCredential, listCredentials } from './credential-records.js';
import type { StatusChangeContext } from './credential-records.js';
import { issueCredential } from './issue-credential.js';
import { anchoredSignedList, packedSignedLists, publishStatusLists, signedListVersion, statusListStates } from './publish-status-lists.js';
import type { Registrar } from './registrar.js';
import { sealRegistrarBackup } from './registrar-backup.js';
import type { RegistrarBackupManifest } from './registrar-backup.js';
import { initIdentity, loadIdentity, rotateSigningKey } from './registrar-identity.js';
import type { RegistrarSession } from './registrar-session.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { findByRegistrationNumber, registrationOfClaims } from './registration-lookup.js';
import { issueRegistered } from './registration-holder.js';

/** A status change's context with its reason checked against the closed list (`INVALID_ARGUMENT`). */
function checkedContext(ctx: StatusChangeContext | undefined): StatusChangeContext {
  const reason = checkReason(ctx?.reason);
  return { ...(ctx?.actor === undefined ? {} : { actor: ctx.actor }), ...(reason === undefined ? {} : { reason }) };
}

/** `init` and `rotateSigningKey`: the identity on the ledger, through the write queue; the session takes the result. */
export function identityOperations(session: RegistrarSession): Pick<Registrar, 'init' | 'rotateSigningKey'> {
  const { rt } = session;
  return {
    init: async () => {
      const result = await rt.queue.run(() => initIdentity(rt.db, rt.agent, rt.config));
      session.useIdentity(await loadIdentity(rt.db));
      return result;
    },
    rotateSigningKey: (opts) =>
      rt.queue.run(async () => {
        const rotated = await rotateSigningKey(rt.db, rt.agent, rt.config, await rt.currentIdentity(), opts?.validitySeconds);
        session.useIdentity(rotated.identity);
        return rotated.result;
      }),
  };
}

/** Issuing: claims and subject checked first (`INVALID_CLAIMS`), one child per registration; a correction issues, then revokes. */
export function issuanceOperations(rt: RegistrarRuntime): Pick<Registrar, 'issueBirthRegistration' | 'issueGuardianship' | 'correct' | 'issueBatch'> {
  const issueBirthRegistration: Registrar['issueBirthRegistration'] = async ({ subject, claims, format, actor }) => {
    const problems = subjectProblems(subject);
    if (problems.length > 0) invalidClaims(problems);
    const checked = checkBirthRegistrationClaims(claims, rt.config.now);
    const registration = registrationOfClaims(checked);
    const req = { type: 'BirthRegistrationCredential', subject, claims: checked, format: format ?? 'vc+jwt', ...(actor === undefined ? {} : { actor }) } as const;
    // One child per registration, enforced by the database (registration-holder.ts).
    return registration === undefined ? issueCredential(rt, req) : issueRegistered(rt, { ...req, registration });
  };
  return {
    issueBirthRegistration,
    issueGuardianship: async ({ subject, guardians, basis, format, actor }) => {
      const problems = subjectProblems(subject);
      if (problems.length > 0) invalidClaims(problems);
      const checked = checkGuardianshipClaims(basis === undefined ? { guardians } : { guardians, basis }, rt.config.now);
      return issueCredential(rt, { type: 'GuardianshipCredential', subject, claims: checked, format: format ?? 'vc+jwt', ...(actor === undefined ? {} : { actor }) });
    },
    correct: async (id, claims, opts) => {
      const old = await getCredential(rt.db, id);
      if (old === undefined) throw new CradleError('NOT_FOUND', `No credential with id ${id} was issued here.`, { details: { id } });
      if (old.type !== 'BirthRegistrationCredential') throw new CradleError('INVALID_ARGUMENT', `Credential ${id} is a ${old.type}, not a birth registration.`, { details: { id } });
      if (old.revokedAt !== null) throw new CradleError('CONFLICT', `Credential ${id} is already revoked; correct the child's current birth credential instead.`, { details: { id } });
      // Issue first: if anything fails after this, the child still holds a valid record (the old one).
      // The registration is held by this child, so the new credential is no duplicate; revoking the old
      // one then leaves the registration with the new one (or frees the old number when it changed).
      const actor = opts?.actor ?? LIBRARY_ACTOR;
      const issued = await issueBirthRegistration({ subject: old.subject, claims, format: old.format, actor });
      const revoked = await changeStatus(rt, id, 'revoke', { actor, reason: 'superseded' });
      return { revoked, issued };
    },
    issueBatch: (opts) => runBatch(rt, opts),
  };
}

/** Status and alerts of one credential, and reading the records. */
export function recordOperations(rt: RegistrarRuntime): Pick<Registrar, 'revoke' | 'suspend' | 'unsuspend' | 'alert' | 'alertHistory' | 'get' | 'list' | 'findByRegistrationNumber' | 'certificate' | 'audit'> {
  const { db } = rt;
  return {
    revoke: async (id, ctx) => changeStatus(rt, id, 'revoke', checkedContext(ctx)),
    suspend: async (id, ctx) => changeStatus(rt, id, 'suspend', checkedContext(ctx)),
    unsuspend: async (id, ctx) => changeStatus(rt, id, 'unsuspend', checkedContext(ctx)),
    alert: (id, opts) => setAlert(rt, id, opts),
    alertHistory: (id) => alertEvents(db, id),
    get: (id) => getCredential(db, id),
    list: (opts) => listCredentials(db, opts),
    findByRegistrationNumber: (number) => findByRegistrationNumber(db, number),
    certificate: (id, opts) => printCertificate(db, id, opts),
    audit: (query) => readAudit(db, query),
  };
}

/** Publishing the status lists, anchoring them through the outbox, and what is served. */
export function statusListOperations(rt: RegistrarRuntime): Pick<Registrar, 'publish' | 'processOutbox' | 'pending' | 'anchors' | 'statusListJwt' | 'statusPackLists' | 'statusLists'> {
  return {
    publish: (opts) => publishStatusLists(rt, opts?.actor ?? LIBRARY_ACTOR),
    processOutbox: (opts) => processOutbox(rt, opts),
    pending: () => pendingAnchors(rt),
    anchors: (limit) => allAnchors(rt, limit),
    // Through the write queue: on the single SQLite connection a read during `publish` would see its
    // uncommitted rows; a list must never be served before its outbox row is committed with it.
    statusListJwt: (name, version) => rt.queue.run(() => (version === undefined ? anchoredSignedList(rt, name) : signedListVersion(rt, name, version))),
    statusPackLists: () => rt.queue.run(() => packedSignedLists(rt)),
    statusLists: () => rt.queue.run(() => statusListStates(rt)),
  };
}

/** The HTTP service's per-user API keys, every change in the audit log. */
export function apiKeyOperations(rt: RegistrarRuntime): Registrar['apiKeys'] {
  const { db, config } = rt;
  return {
    create: ({ name, role, actor }) => createApiKey(db, { name, role, actor: actor ?? LIBRARY_ACTOR, now: new Date(config.now()) }),
    list: () => listApiKeys(db),
    revoke: (id, opts) => revokeApiKey(db, { id, actor: opts?.actor ?? LIBRARY_ACTOR, now: new Date(config.now()) }),
    authenticate: (token) => authenticateApiKey(db, token),
  };
}

/** An encrypted backup of one consistent snapshot of the database (`VACUUM INTO`), taken while the registrar keeps running. */
export async function backupRegistrar(rt: RegistrarRuntime, { file, passphrase, extra }: Parameters<Registrar['backup']>[0]): Promise<RegistrarBackupManifest> {
  const id = rt.identity();
  const snapshot = join(dirname(rt.config.databasePath), `.backup-${process.pid}-${Date.now()}.sqlite`);
  try {
    // VACUUM INTO writes a consistent copy, WAL included, while other connections keep working.
    await rt.queue.run(() => rt.db.snapshot(snapshot));
    const manifest: RegistrarBackupManifest = { did: id.did, createdAt: new Date(rt.config.now()).toISOString(), ...(extra === undefined ? {} : { extra }) };
    await sealRegistrarBackup(file, await readFile(snapshot), manifest, passphrase ?? rt.config.secret);
    return manifest;
  } finally {
    await rm(snapshot, { force: true });
  }
}
