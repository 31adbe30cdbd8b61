import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CradleError, readAlertKey } from '@cradle/core';
import type { AlertKind } from '@cradle/core';
import type { OutboxEntry, OutboxReport, ProcessOutboxOptions } from './anchor-outbox.js';
import type { AlertChange, AlertEvent } from './credential-alerts.js';
import type { ApiKey, ApiRole, CreatedApiKey } from './api-keys.js';
import type { Actor, AuditEntry, AuditQuery } from './audit-log.js';
import type { CredentialRecord, StatusChangeContext } from './credential-records.js';
import type { CredentialFormat } from './credential-payloads.js';
import type { IssuedCredential } from './issue-credential.js';
import { openSecretBox, requireSecret } from './key-encryption-secret.js';
import { openRegistrarStore } from './storage/open-registrar-store.js';
import { openRegistrarBackup, restoreDatabaseFile } from './registrar-backup.js';
import type { RegistrarBackupManifest } from './registrar-backup.js';
import type { PublishedList, SignedStatusList, StatusListState } from './publish-status-lists.js';
import type { RegistrarAgent } from './registrar-agent.js';
import { resolveRegistrarConfig } from './registrar-config.js';
import type { RegistrarConfig, ResolvedRegistrarConfig } from './registrar-config.js';
import { loadIdentity } from './registrar-identity.js';
import type { InitResult, RegistrarIdentity, RotationResult } from './registrar-identity.js';
import { apiKeyOperations, backupRegistrar, identityOperations, issuanceOperations, recordOperations, statusListOperations } from './registrar-operations.js';
import { openRegistrarSession } from './registrar-session.js';
import type { RegistrarSession } from './registrar-session.js';
import { OfferStore } from './oid4vci/offer-store.js';
import { deriveOid4vciKeys } from './oid4vci/oid4vci-crypto.js';
import type { Oid4vciKeys } from './oid4vci/oid4vci-crypto.js';
import type { CertificateOptions } from './certificate/render-certificate.js';
import type { BatchOptions, BatchReport } from './batch-issuance.js';

/** A guardian listed in a guardianship credential. */
export interface GuardianRef {
  /** The guardian's DID (did:key). */
  id: string;
  /** `mother`, `father`, `parent`, `legal-guardian` or `custodial-organisation`. */
  role: string;
  /** The adult's full name as on their identity document (what a border officer reads out). */
  name?: string;
  /** The identity document the registrar saw: `{ type: passport|national-id|other, country, number }`. */
  document?: { type: string; country: string; number: string };
}

/**
 * A registrar: issues birth-registration and guardianship credentials, manages their status lists and
 * anchors those lists on the ledger. Create one with {@link createRegistrar}.
 */
export interface Registrar {
  /** The resolved configuration. */
  readonly config: ResolvedRegistrarConfig;
  /** The underlying Veramo agent (keys, DIDs, resolution); credentials are signed through its key manager. */
  readonly agent: RegistrarAgent;
  /** The registrar's identity, or undefined before `init()`. */
  identity(): RegistrarIdentity | undefined;
  /** Create the did:ethr identity, publish the signing key and anchoring delegate (resumable, idempotent). */
  init(): Promise<InitResult>;
  /**
   * Publish a new Ed25519 signing key on ERC-1056 (explicit validity, default the config's) and sign with
   * it from now on; the old key stays valid until its own validity ends. See docs/operations.md.
   */
  rotateSigningKey(opts?: { validitySeconds?: number }): Promise<RotationResult>;
  /**
   * Issue a `BirthRegistrationCredential` to the child's DID. Claims are validated first (`INVALID_CLAIMS`).
   * One child per registration (office + number), enforced by the database across replicas: see
   * `duplicateRegistration` in {@link RegistrarConfig}.
   */
  issueBirthRegistration(args: { subject: string; claims: unknown; format?: CredentialFormat; actor?: Actor }): Promise<IssuedCredential>;
  /** Issue a `GuardianshipCredential` listing who may present for the child. */
  issueGuardianship(args: { subject: string; guardians: GuardianRef[]; basis?: string; format?: CredentialFormat; actor?: Actor }): Promise<IssuedCredential>;
  /** Revoke (irreversible; a second call is a no-op). `ctx`: who and why, for the audit log. */
  revoke(id: string, ctx?: StatusChangeContext): Promise<CredentialRecord>;
  /** Suspend (reversible). */
  suspend(id: string, ctx?: StatusChangeContext): Promise<CredentialRecord>;
  /** Lift a suspension (`CONFLICT` on a revoked credential). */
  unsuspend(id: string, ctx?: StatusChangeContext): Promise<CredentialRecord>;
  /**
   * Raise a child-protection alert on birth credential `id` (`kind`), or clear it (`kind: null`); the
   * reason is recorded (never published). Checkpoints holding an alert key see it after the next
   * `publish()` is anchored and they sync. See docs/privacy.md, "Child-protection alerts".
   */
  alert(id: string, opts: { kind: AlertKind | null; reason: string; actor?: Actor }): Promise<AlertChange>;
  /** Every recorded alert change of credential `id`, oldest first. */
  alertHistory(id: string): Promise<AlertEvent[]>;
  /** One issued credential, or undefined. */
  get(id: string): Promise<CredentialRecord | undefined>;
  /** Issued credentials, newest first. */
  list(opts?: { limit?: number; offset?: number }): Promise<CredentialRecord[]>;
  /** Birth credentials with this registration number (case-insensitive), newest first, revoked ones too. */
  findByRegistrationNumber(number: string): Promise<CredentialRecord[]>;
  /** Sign changed status lists and enqueue their anchors (one transaction). Does not touch the network. */
  publish(opts?: { actor?: Actor }): Promise<PublishedList[]>;
  /** Send/confirm queued anchors (one pass). */
  processOutbox(opts?: ProcessOutboxOptions): Promise<OutboxReport>;
  /** Anchors not yet confirmed. */
  pending(): Promise<OutboxEntry[]>;
  /** The most recent outbox rows (any state), newest first. */
  anchors(limit?: number): Promise<OutboxEntry[]>;
  /**
   * The version of a status list to serve at its URL: the newest one whose anchor is confirmed (undefined
   * before the first is); or, given `version`, that signed version (the base of a delta).
   */
  statusListJwt(name: string, version?: number): Promise<SignedStatusList | undefined>;
  /**
   * The printable PDF birth certificate of birth credential `id`, with the signed credential as its
   * seal (and the child's current guardianship credential as a second seal). Printing again gives the
   * same credential and the same bytes. `NOT_FOUND` for an unknown id, `CONFLICT` for a revoked or
   * suspended credential. See docs/paper-certificate.md.
   */
  certificate(id: string, opts?: CertificateOptions): Promise<Uint8Array>;
  /**
   * Correct a birth record: issue a new birth credential to the same child with `claims`, then revoke
   * the old one (the change reaches checkpoints at the next `publish()`). Print the new one with
   * `certificate(issued.id)`. `CONFLICT` when `id` is already revoked. The registration stays with the
   * child throughout; a corrected registration number frees the old one (and is refused, with
   * `duplicateRegistration: 'refuse'`, when another child holds the new one: nothing is revoked then).
   */
  correct(id: string, claims: unknown, opts?: { actor?: Actor }): Promise<{ revoked: CredentialRecord; issued: IssuedCredential }>;
  /**
   * Per-user API keys of the HTTP service, with roles (`clerk` issues, `supervisor` revokes and suspends,
   * `operator` publishes and manages keys); stored as sha256 of the token. See docs/deployment.md.
   */
  readonly apiKeys: {
    /** Create a key; its `token` is returned once and stored nowhere. */
    create(args: { name: string; role: ApiRole; actor?: Actor }): Promise<CreatedApiKey>;
    list(): Promise<ApiKey[]>;
    /** Revoke a key: it stops working at once, on every replica. */
    revoke(id: string, opts?: { actor?: Actor }): Promise<ApiKey>;
    /** The live key of a bearer token, or undefined. */
    authenticate(token: string): Promise<ApiKey | undefined>;
  };
  /** The append-only audit log (who, when, what, why), oldest first. */
  audit(query?: AuditQuery): Promise<AuditEntry[]>;
  /** What `GET /status-pack` carries: each list's anchored version plus a newer one already sent to the chain. */
  statusPackLists(): Promise<SignedStatusList[]>;
  /** Per list: the version checkpoints see (anchored) against the newest signed one. */
  statusLists(): Promise<StatusListState[]>;
  /** Issue from a CSV or JSON-lines file; resumable. */
  issueBatch(opts: BatchOptions): Promise<BatchReport>;
  /**
   * Write an encrypted backup of the whole database (keys and records) to `file`, taken as one consistent
   * snapshot (`VACUUM INTO`) while the registrar keeps running. `passphrase` defaults to the registrar
   * secret; `extra` is stored with it (the CLI keeps its `config.json` there). See {@link restoreRegistrar}.
   */
  backup(opts: { file: string; passphrase?: string; extra?: Record<string, unknown> }): Promise<RegistrarBackupManifest>;
  /** OpenID4VCI pre-authorized offers (create with `createOfferUri`; the HTTP service redeems them). */
  readonly offers: OfferStore;
  /** The keys of the OpenID4VCI endpoints (access tokens, nonces), derived from the registrar secret. */
  oid4vciKeys(): Oid4vciKeys;
  /** Names of the `init` steps already done (empty before the first), for tools that clean up a failed init. */
  initSteps(): Promise<string[]>;
  /** Close the database and forget decrypted keys. */
  close(): Promise<void>;
}

function databaseMissing(config: ResolvedRegistrarConfig, what: string): CradleError {
  return new CradleError(
    'DATABASE_MISSING',
    `The registrar database ${config.databasePath} ${what}, but this registrar is ${config.expectedDid}. Do not run \`registrar init\`: it would create a new DID and orphan every credential issued before. Restore the database from a backup (\`cradle registrar restore FILE\`, see docs/operations.md).`,
    { details: { path: config.databasePath, expectedDid: config.expectedDid } },
  );
}

/** With `expectedDid`, a missing or zero-length database file is refused before SQLite would create an empty one. */
async function requireExistingDatabase(config: ResolvedRegistrarConfig): Promise<void> {
  if (config.expectedDid === undefined || config.store.kind !== 'sqlite') return;
  const st = await stat(config.databasePath).catch(() => undefined);
  if (st === undefined) throw databaseMissing(config, 'is missing');
  if (st.size === 0) throw databaseMissing(config, 'is empty (0 bytes)');
}

/**
 * Restore a backup written by `registrar.backup()` into `databasePath` (or `<home>/registrar.sqlite`).
 * Refuses to replace a non-empty database unless `force`; never leaves a partial file. Open the result
 * with `createRegistrar` and the registrar secret the keys were encrypted with.
 *
 * @example
 * ```ts
 * const { did } = await restoreRegistrar({ file: 'registrar.backup', home: '/var/lib/cradle/registrar', passphrase: secret });
 * ```
 */
export async function restoreRegistrar(opts: { file: string; home?: string; databasePath?: string; passphrase?: string; force?: boolean }): Promise<RegistrarBackupManifest> {
  const databasePath = opts.databasePath ?? (opts.home === undefined ? undefined : join(opts.home, 'registrar.sqlite'));
  if (databasePath === undefined) throw new CradleError('CONFIG_INVALID', 'restoreRegistrar needs `home` or `databasePath`.');
  const { manifest, database } = await openRegistrarBackup(opts.file, opts.passphrase);
  await mkdir(dirname(databasePath), { recursive: true, mode: 0o700 });
  await restoreDatabaseFile(databasePath, database, opts.force === true);
  return manifest;
}

/**
 * Open (or create) a registrar. Opens the SQLite file, runs migrations, checks the secret against the
 * stored canary (`SECRET_MISSING` / `SECRET_WRONG`), and builds the Veramo agent. A fresh home then
 * needs `init()`.
 *
 * @example
 * ```ts
 * const registrar = await createRegistrar({ home, secret, ledger, baseUrl: 'https://registrar.example' });
 * await registrar.init();
 * const { id, jwt } = await registrar.issueBirthRegistration({ subject: childDid, claims });
 * await registrar.publish();
 * await registrar.processOutbox();
 * ```
 */
export async function createRegistrar(config: RegistrarConfig): Promise<Registrar> {
  const resolved = await resolveWithAlertKeys(config);
  // Checked before touching the disk, so a missing secret never creates an empty home.
  requireSecret(resolved.secret);
  await requireExistingDatabase(resolved);
  const db = await openRegistrarStore(resolved.store);
  try {
    const secretBox = await openSecretBox(db, resolved.secret);
    const identity = await loadIdentity(db);
    if (resolved.expectedDid !== undefined && identity?.did !== resolved.expectedDid) throw databaseMissing(resolved, identity === undefined ? 'holds no registrar identity' : `holds another registrar (${identity.did})`);
    return assembleRegistrar(openRegistrarSession(db, resolved, secretBox, identity), resolved.secret);
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** The configuration resolved, with the alert recipients read as public JWKs (`CONFIG_INVALID` otherwise). */
async function resolveWithAlertKeys(config: RegistrarConfig): Promise<ResolvedRegistrarConfig> {
  const resolved = resolveRegistrarConfig(config);
  if (config.alertRecipients !== undefined) {
    if (!Array.isArray(config.alertRecipients)) throw new CradleError('CONFIG_INVALID', 'alertRecipients must be an array of public JWKs.', { details: { field: 'alertRecipients' } });
    resolved.alertRecipients = await Promise.all(config.alertRecipients.map((k) => readAlertKey(k, 'public')));
  }
  return resolved;
}

/** One `Registrar` from the operation groups of registrar-operations.ts over an open session; `secret` (checked) derives the OpenID4VCI keys. */
function assembleRegistrar(session: RegistrarSession, secret: string): Registrar {
  const { rt } = session;
  let closed = false;
  let oid4vciKeys: Oid4vciKeys | undefined;
  return {
    config: rt.config,
    agent: rt.agent,
    identity: session.identity,
    ...identityOperations(session),
    ...issuanceOperations(rt),
    ...recordOperations(rt),
    ...statusListOperations(rt),
    backup: (opts) => backupRegistrar(rt, opts),
    offers: new OfferStore(rt),
    oid4vciKeys: () => (oid4vciKeys ??= deriveOid4vciKeys(secret)),
    apiKeys: apiKeyOperations(rt),
    initSteps: async () => (await rt.db.query<{ key: string }>(`SELECT "key" FROM "cradle_meta" WHERE "key" LIKE 'init.%' ORDER BY "key"`)).map((r) => r.key.slice(5)),
    close: async () => {
      if (closed) return;
      closed = true;
      await rt.queue.run(async () => undefined);
      session.destroy();
      await rt.db.close();
    },
  };
}
