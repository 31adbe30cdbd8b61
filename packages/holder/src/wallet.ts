import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createAgent } from '@veramo/core';
import type { IDIDManager, IKeyManager, TAgent } from '@veramo/core-types';
import { DIDManager } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { SecretBox } from '@veramo/kms-local';
import { DIDStore, Identifier, KeyStore, PrivateKeyStore } from '@veramo/data-store';
import type { DataSource } from 'typeorm';
import { CradleError, base64UrlDecode, base64UrlEncode, buildTravelConsent, clockOption, ed25519PublicKeyOfDidKey, encodeQrPayload, presentSdJwtVc, readSdJwtVc, signJws } from '@cradle/core';
import type { Clock, JwsHeader } from '@cradle/core';
import { buildBackupContents, parseBackupContents } from './backup-contents.js';
import type { BackupContents } from './backup-contents.js';
import { openBackup, sealBackup, MAX_BACKUP_BYTES } from './backup-file.js';
import { createKeyEncryption, openKeyEncryption, parseKeyEncryptionRecord } from './key-encryption.js';
import { parseCredential } from './parse-credential.js';
import type { CredentialFormat, ParsedCredential } from './parse-credential.js';
import { didKeyVerificationMethod } from './did-key.js';
import { receiveOffer } from './oid4vci-receive.js';
import { respondToRequest } from './oid4vp-respond.js';
import type { RespondResult } from './oid4vp-respond.js';
import { buildPresentation } from './presentation-payload.js';
import { renderQrPng } from './qr-image.js';
import { openWalletDatabase, transactionView } from './wallet-database.js';
import { CredentialEntity, LabelEntity, MetaEntity } from './wallet-tables.js';
import type { CredentialRow } from './wallet-tables.js';

/** File name of the wallet database inside its home directory. */
export const WALLET_DATABASE_FILE = 'wallet.sqlite';

/** Configuration of {@link createWallet}. */
export interface WalletConfig {
  /** State directory; the database is `<home>/wallet.sqlite`. */
  home?: string;
  /** Explicit database file (instead of `home`). */
  databasePath?: string;
  /** The secret that encrypts private keys at rest (e.g. `CRADLE_SECRET`). Required. */
  secret: string | undefined;
  /**
   * The clock (`() => ms since the epoch`, Cradle's one convention; inject a fixed one in tests); default
   * `Date.now`. A function returning a `Date` is still accepted (the earlier shape; deprecated).
   */
  now?: Clock | (() => Date);
  /** What to do when there is no wallet yet: create it (default) or fail with `NOT_FOUND`. */
  ifMissing?: 'create' | 'error';
}

/** How a DID is used in this wallet, from the credentials it holds. */
export type DidRole = 'child' | 'guardian';

/** A DID held in the wallet (its private key is in the wallet, encrypted). */
export interface HeldDid {
  did: string;
  label?: string;
  /** `child` when a held credential is about it, `guardian` when a held guardianship credential lists it. */
  roles: DidRole[];
  /** ISO 8601 */
  createdAt?: string;
}

/** A credential as stored in the wallet. */
export interface StoredCredential extends ParsedCredential {
  /** ISO 8601 */
  importedAt: string;
}

/** Result of {@link Wallet.importCredential}. */
export interface ImportResult {
  credential: StoredCredential;
  /** False when the same credential was already in the wallet (importing is idempotent). */
  created: boolean;
}

/** Options of {@link Wallet.present}. */
export interface PresentOptions {
  /** The child's DID (or its label in this wallet). */
  child: string;
  /** The checkpoint's nonce, exactly as shown. */
  nonce: string;
  /** The checkpoint's domain, exactly as shown. */
  domain: string;
  /** The presenting guardian's DID (or label); by default the first guardian held in this wallet. */
  guardian?: string;
  /** Lifetime of the presentation (default 300 s, at most 3600 s). */
  ttlSeconds?: number;
  /** Also render the QR code as a PNG. */
  png?: boolean;
  /**
   * For SD-JWT VC credentials: the birth-registration claims to reveal (default: what a checkpoint needs,
   * `givenName`, `familyName`, `birthDate`). A guardianship SD-JWT VC always shows its guardians and
   * nothing else. Each SD-JWT VC is bound to the checkpoint's nonce and domain with the child's key.
   */
  disclose?: readonly string[];
  /** Present the birth registration held in this format (default: the newest current one, any format). */
  birthFormat?: CredentialFormat;
}

/** What a checkpoint needs from a birth registration: who the child is. */
export const DEFAULT_BIRTH_DISCLOSURES: readonly string[] = ['givenName', 'familyName', 'birthDate'];

/** A checkpoint presentation. */
export interface Presentation {
  /** The `vp+jwt` compact JWS. */
  jwt: string;
  /** `CRADLE5:` QR payload of the JWS (draw it with `qrSegments`: numeric mode). */
  qr: string;
  /** PNG of the QR code, when asked for. */
  png?: Uint8Array;
  child: string;
  guardian: string;
  /** Ids of the birth-registration and guardianship credentials carried. */
  credentialIds: [string, string];
  /** The birth credential as carried: for an SD-JWT VC, with only the chosen disclosures and its key binding. */
  birthToken: string;
  /** Ids of the travel consents carried (those naming the presenting guardian as traveller). */
  consentIds: string[];
  /** ISO 8601 */
  expiresAt: string;
}

/** Options of {@link Wallet.consent}. */
export interface ConsentOptions {
  /** The child's DID (or its label in this wallet). */
  child: string;
  /** The consenting guardian's DID (or label): its key in this wallet signs. */
  by: string;
  /** The DID of the adult the child travels with (another listed guardian, or a named adult). */
  traveller: string;
  /** Destination countries, ISO 3166-1 alpha-2 (e.g. `['UG', 'TZ']`). */
  countries: string[];
  /** End of the consent. */
  until: Date;
  /** Start of the consent (default now). */
  from?: Date;
}

/** A signed travel consent. */
export interface SignedConsent {
  id: string;
  /** The `vc+jwt` compact JWS: give it to the travelling adult, who imports it into their wallet. */
  jwt: string;
  child: string;
  by: string;
  traveller: string;
  countries: string[];
  /** ISO 8601 */
  validFrom: string;
  validUntil: string;
}

/** Options of {@link Wallet.receive}. */
export interface ReceiveOptions {
  /** The transaction code the issuer gave separately, when the offer asks for one. */
  txCode?: string;
  /** The DID (or label) the credential is for; default: the only DID in the wallet. */
  child?: string;
  /** Accept an issuer on plain http (tests, closed networks). */
  allowHttp?: boolean;
  /** Injected fetch (default: global). */
  fetch?: typeof fetch;
}

/** What {@link Wallet.receive} imported. */
export interface ReceiveResult {
  /** The credential issuer's URL (from the offer). */
  issuer: string;
  /** The credential configuration requested. */
  credentialConfigurationId: string;
  imported: ImportResult[];
}

/** Options of {@link Wallet.respond}. */
export interface RespondOptions {
  /** The child (DID or label) to present; default: the only child with a birth credential in the wallet. */
  child?: string;
  /** The guardian (DID or label) who signs, when several are held. */
  guardian?: string;
  /** Accept a verifier on plain http (tests, closed networks). */
  allowHttp?: boolean;
  /** Injected fetch (default: global). */
  fetch?: typeof fetch;
}

/** Result of {@link Wallet.backup} and {@link Wallet.restore}. */
export interface BackupSummary {
  path: string;
  dids: number;
  credentials: number;
}

/**
 * A guardian's wallet (or a custodial NGO's, holding many children): DIDs with encrypted keys,
 * credentials, checkpoint presentations, encrypted backups.
 */
export interface Wallet {
  readonly databasePath: string;
  /** True when this call created the wallet. */
  readonly created: boolean;
  /** Create a `did:key` (Ed25519) for a guardian or a child, with an optional local label. */
  createDid(options?: { label?: string }): Promise<{ did: string }>;
  /** The DIDs held here, oldest first. */
  listDids(): Promise<HeldDid[]>;
  /** A DID, or the DID with this label (labels are local and not necessarily unique). */
  resolveDid(didOrLabel: string): Promise<string>;
  /**
   * Import a credential (compact JWS or `CRADLE5:`, `CRADLE4:`, `CRADLE3:`, `CRADLE2:` or `CRADLE1:` QR payload) after checking its structure and that
   * it is addressed to a DID held here. Does NOT verify the issuer's signature.
   */
  importCredential(input: string): Promise<ImportResult>;
  /** Credentials held, ordered by child then type; optionally only those about one child. */
  listCredentials(filter?: { subject?: string }): Promise<StoredCredential[]>;
  getCredential(id: string): Promise<StoredCredential | undefined>;
  /** Delete a credential; false when there was none with that id. */
  deleteCredential(id: string): Promise<boolean>;
  /** Build and sign a checkpoint presentation for a child (docs/formats.md); carries the travel consents naming the presenter. */
  present(options: PresentOptions): Promise<Presentation>;
  /**
   * Sign a travel consent with a guardian's key held here: the child may travel with `traveller` to
   * `countries` until `until`. The consent counts at a checkpoint only if the registrar lists `by` as a
   * guardian of the child.
   */
  consent(options: ConsentOptions): Promise<SignedConsent>;
  /**
   * Receive credentials through an OpenID4VCI 1.0 pre-authorized offer from any issuer (docs/openid4vc.md)
   * and import them. The credential is bound to `child` (a DID or label held here; default: the only DID
   * of the wallet), whose key signs the proof of possession; what arrives must be addressed to it.
   */
  receive(offer: string, options?: ReceiveOptions): Promise<ReceiveResult>;
  /**
   * Answer an OpenID4VP 1.0 request (a verifier's QR code or link; unsigned, DCQL, `direct_post`) with a
   * checkpoint presentation for `child` (default: the only child with a birth credential here), signed
   * by a guardian held here, bound to the request's nonce and client id (docs/openid4vc.md).
   */
  respond(request: string, options?: RespondOptions): Promise<RespondResult>;
  /** Write an encrypted backup of keys, DIDs, labels and credentials. */
  backup(path: string, passphrase: string): Promise<BackupSummary>;
  /** Restore a backup into this wallet, which must be empty; all or nothing. */
  restore(path: string, passphrase: string): Promise<BackupSummary>;
  /** Close the database. */
  close(): Promise<void>;
}

type WalletAgent = TAgent<IDIDManager & IKeyManager>;

const KEY_ENCRYPTION_META = 'keyEncryption';
const MAX_LABEL_LENGTH = 64;

/**
 * Open the wallet at `config.home` (or `config.databasePath`), creating it if needed. The secret is
 * required; a wrong one fails here with `SECRET_WRONG`.
 *
 * @example
 * ```ts
 * const wallet = await createWallet({ home: '/var/lib/cradle/wallet', secret: process.env.CRADLE_SECRET });
 * const { did: child } = await wallet.createDid({ label: 'Amina' });
 * await wallet.importCredential(birthCredentialJwt);
 * const { jwt, qr } = await wallet.present({ child, nonce, domain });
 * await wallet.close();
 * ```
 */
export async function createWallet(config: WalletConfig): Promise<Wallet> {
  const secret = config.secret;
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new CradleError(
      'SECRET_MISSING',
      'The wallet needs the secret that encrypts its keys (CRADLE_SECRET or --secret-file). Keep the same secret for this wallet.',
    );
  }
  const databasePath = databasePathOf(config);
  const exists = existsSync(databasePath);
  if (!exists && config.ifMissing === 'error') {
    throw new CradleError('NOT_FOUND', `No wallet at ${databasePath}. Create one with \`cradle wallet init\` (same --home).`);
  }
  await mkdir(dirname(databasePath), { recursive: true, mode: 0o700 });
  // Created 0600 before SQLite opens it: SQLite would use the umask (often 0644), and its journal
  // files copy the database file's mode. There is no window in which the keys are world-readable.
  if (!exists) await (await open(databasePath, 'wx', 0o600)).close();
  const dataSource = await openWalletDatabase(databasePath);
  try {
    const box = await openOrCreateKeyEncryption(dataSource, secret);
    return new SqliteWallet(databasePath, !exists, dataSource, box, clockOption('now', config.now));
  } catch (e) {
    await dataSource.destroy();
    throw e;
  }
}

function databasePathOf(config: WalletConfig): string {
  if (config.databasePath !== undefined && config.databasePath !== '') return resolve(config.databasePath);
  if (config.home !== undefined && config.home !== '') return join(resolve(config.home), WALLET_DATABASE_FILE);
  throw new CradleError('INVALID_ARGUMENT', 'Give the wallet a home directory (home) or a database file (databasePath).');
}

async function openOrCreateKeyEncryption(dataSource: DataSource, secret: string): Promise<SecretBox> {
  const meta = dataSource.getRepository(MetaEntity);
  const stored = await meta.findOneBy({ key: KEY_ENCRYPTION_META });
  if (stored !== null) return openKeyEncryption(secret, parseKeyEncryptionRecord(stored.value));
  const keyCount = await dataSource.getRepository(Identifier).count();
  if (keyCount > 0) {
    throw new CradleError('CONFIG_INVALID', 'The wallet database holds DIDs but no key-encryption record; it was damaged or not made by Cradle.');
  }
  const { box, record } = await createKeyEncryption(secret);
  await meta.insert({ key: KEY_ENCRYPTION_META, value: JSON.stringify(record) });
  return box;
}

class SqliteWallet implements Wallet {
  private readonly agent: WalletAgent;
  private readonly privateKeys: PrivateKeyStore;

  constructor(
    readonly databasePath: string,
    readonly created: boolean,
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly now: Clock,
  ) {
    this.privateKeys = new PrivateKeyStore(dataSource, box);
    this.agent = createAgent<IDIDManager & IKeyManager>({
      plugins: [
        new KeyManager({ store: new KeyStore(dataSource), kms: { local: new KeyManagementSystem(this.privateKeys) } }),
        new DIDManager({
          store: new DIDStore(dataSource),
          defaultProvider: 'did:key',
          providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
        }),
      ],
    });
  }

  async createDid(options: { label?: string } = {}): Promise<{ did: string }> {
    const label = options.label === undefined ? undefined : checkLabel(options.label);
    const identifier = await this.agent.didManagerCreate({ provider: 'did:key', kms: 'local', options: { keyType: 'Ed25519' } });
    if (label !== undefined) await this.dataSource.getRepository(LabelEntity).save({ did: identifier.did, label });
    return { did: identifier.did };
  }

  async listDids(): Promise<HeldDid[]> {
    const identifiers = await this.dataSource.getRepository(Identifier).find({ order: { saveDate: 'ASC', did: 'ASC' } });
    const labels = new Map((await this.dataSource.getRepository(LabelEntity).find()).map((l) => [l.did, l.label]));
    const credentials = await this.listCredentials();
    const children = new Set(credentials.map((c) => c.subject));
    const guardians = new Set(credentials.flatMap((c) => c.guardians.map((g) => g.id)));
    return identifiers.map((i) => {
      const roles: DidRole[] = [];
      if (children.has(i.did)) roles.push('child');
      if (guardians.has(i.did)) roles.push('guardian');
      const label = labels.get(i.did);
      const saved = i.saveDate as Date | undefined;
      return {
        did: i.did,
        ...(label !== undefined ? { label } : {}),
        roles,
        ...(saved instanceof Date ? { createdAt: saved.toISOString() } : {}),
      };
    });
  }

  async resolveDid(didOrLabel: string): Promise<string> {
    const value = didOrLabel.trim();
    if (value.startsWith('did:')) return value;
    const matches = await this.dataSource.getRepository(LabelEntity).findBy({ label: value });
    const [first, ...rest] = matches;
    if (first === undefined) throw new CradleError('NOT_FOUND', `No DID labelled ${JSON.stringify(value)} in this wallet (see \`cradle wallet list\`).`);
    if (rest.length > 0) throw new CradleError('INVALID_ARGUMENT', `Several DIDs are labelled ${JSON.stringify(value)}; give the DID instead.`);
    return first.did;
  }

  async importCredential(input: string): Promise<ImportResult> {
    if (typeof input !== 'string') throw new CradleError('INVALID_ARGUMENT', 'A credential is a string (compact JWT or QR payload).');
    const parsed = parseCredential(input);
    const held = await this.heldDids();
    const addressed =
      held.has(parsed.subject) ||
      (parsed.type === 'GuardianshipCredential' && parsed.guardians.some((g) => held.has(g.id))) ||
      (parsed.travelConsent !== undefined && held.has(parsed.travelConsent.traveller));
    if (!addressed) {
      const whom = parsed.type === 'GuardianshipCredential' ? `${parsed.subject} and guardians it lists` : parsed.subject;
      throw new CradleError(
        'SUBJECT_NOT_IN_WALLET',
        `This ${parsed.type} is addressed to ${whom}, and this wallet holds none of them. Import it into the wallet that holds the child's DID, or create the DID here first and have the registrar issue to it.`,
        { details: { subject: parsed.subject, id: parsed.id } },
      );
    }
    const repo = this.dataSource.getRepository(CredentialEntity);
    const existing = await repo.findOneBy({ id: parsed.id });
    if (existing !== null) {
      if (existing.jwt !== parsed.jwt) {
        throw new CradleError('CONFLICT', `A different credential with id ${parsed.id} is already in this wallet.`, { details: { id: parsed.id } });
      }
      return { credential: { ...parsed, importedAt: existing.importedAt }, created: false };
    }
    const row: CredentialRow = {
      id: parsed.id,
      jwt: parsed.jwt,
      subject: parsed.subject,
      issuer: parsed.issuer,
      type: parsed.type,
      importedAt: new Date(this.now()).toISOString(),
    };
    await repo.insert(row);
    return { credential: { ...parsed, importedAt: row.importedAt }, created: true };
  }

  async listCredentials(filter: { subject?: string } = {}): Promise<StoredCredential[]> {
    const rows = await this.dataSource.getRepository(CredentialEntity).find({
      where: filter.subject === undefined ? {} : { subject: filter.subject },
      order: { subject: 'ASC', type: 'ASC', importedAt: 'ASC' },
    });
    return rows.map(storedCredential);
  }

  async getCredential(id: string): Promise<StoredCredential | undefined> {
    const row = await this.dataSource.getRepository(CredentialEntity).findOneBy({ id });
    return row === null ? undefined : storedCredential(row);
  }

  async deleteCredential(id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(CredentialEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async present(options: PresentOptions): Promise<Presentation> {
    const nowMs = this.now();
    const now = new Date(nowMs);
    const child = await this.resolveDid(options.child);
    const requestedGuardian = options.guardian === undefined ? undefined : await this.resolveDid(options.guardian);
    const held = await this.heldDids();
    if (requestedGuardian !== undefined && !held.has(requestedGuardian)) {
      throw new CradleError('NOT_FOUND', `The guardian ${requestedGuardian} is not a DID of this wallet: its key is needed to sign.`);
    }
    const credentials = (await this.listCredentials({ subject: child })).filter((c) => usableAt(c, now));
    const birth = newest(credentials.filter((c) => c.type === 'BirthRegistrationCredential' && (options.birthFormat === undefined || c.format === options.birthFormat)));
    if (birth === undefined) {
      throw new CradleError(
        'NOT_FOUND',
        `This wallet has no current ${options.birthFormat === undefined ? '' : `${options.birthFormat} `}birth-registration credential for ${child}. Import it first (cradle wallet import).`,
      );
    }
    let chosen: { credential: StoredCredential; guardian: string } | undefined;
    for (const credential of newestFirst(credentials.filter((c) => c.type === 'GuardianshipCredential'))) {
      const guardian = credential.guardians
        .map((g) => g.id)
        .find((g) => (requestedGuardian === undefined ? held.has(g) : g === requestedGuardian));
      if (guardian !== undefined) {
        chosen = { credential, guardian };
        break;
      }
    }
    if (chosen === undefined) {
      const who = requestedGuardian ?? 'a guardian whose DID is in this wallet';
      throw new CradleError(
        'NOT_FOUND',
        `This wallet has no current guardianship credential for ${child} that lists ${who}. Import the guardianship credential from the registrar.`,
      );
    }
    const presenter = chosen.guardian;
    // Consents naming this presenter as the traveller, newest first; at most 6 (a presentation carries at most 8 credentials).
    const consents = newestFirst(credentials.filter((c) => c.type === 'TravelConsentCredential' && c.travelConsent?.traveller === presenter)).slice(0, 6);

    // SD-JWT VCs show only the chosen claims, each bound to this checkpoint with the key it names (the child's).
    const bound = async (c: StoredCredential, disclose: readonly string[]): Promise<StoredCredential> => {
      if (c.format !== 'sd-jwt-vc') return c;
      if (!held.has(c.subject)) {
        throw new CradleError('NOT_FOUND', `The ${c.type} ${c.id} is an SD-JWT VC bound to ${c.subject}, whose key is not in this wallet: present it from the wallet that holds the child's DID.`);
      }
      const jwt = await presentSdJwtVc(c.jwt, {
        disclose,
        keyBinding: { alg: 'EdDSA', audience: options.domain, nonce: options.nonce, issuedAt: Math.floor(now.getTime() / 1000), sign: (data) => this.signBytesAs(c.subject, data) },
      });
      return { ...c, jwt };
    };
    const shownBirth = await bound(birth, options.disclose ?? DEFAULT_BIRTH_DISCLOSURES);
    const shownGuardianship = await bound(chosen.credential, ['guardians']);
    const { header, payload } = buildPresentation({
      guardian: chosen.guardian,
      credentials: [shownBirth, shownGuardianship, ...consents],
      nonce: options.nonce,
      domain: options.domain,
      now: () => nowMs,
      ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    });
    const jwt = await this.signAs(chosen.guardian, header, payload);
    const qr = encodeQrPayload(jwt);
    return {
      jwt,
      qr,
      ...(options.png === true ? { png: await renderQrPng(qr) } : {}),
      child,
      guardian: chosen.guardian,
      credentialIds: [birth.id, chosen.credential.id],
      birthToken: shownBirth.jwt,
      consentIds: consents.map((c) => c.id),
      expiresAt: new Date(payload.exp * 1000).toISOString(),
    };
  }

  async consent(options: ConsentOptions): Promise<SignedConsent> {
    const by = await this.resolveDid(options.by);
    if (!(await this.heldDids()).has(by)) {
      throw new CradleError('NOT_FOUND', `The consenting guardian ${by} is not a DID of this wallet: the consent is signed with that guardian's own key.`);
    }
    const child = await this.resolveDid(options.child);
    const traveller = await this.resolveDid(options.traveller);
    const { header, payload } = buildTravelConsent({
      by,
      child,
      traveller,
      countries: options.countries,
      validFrom: options.from ?? new Date(this.now()),
      validUntil: options.until,
    });
    const jwt = await this.signAs(by, header, payload);
    return {
      id: payload.id,
      jwt,
      child,
      by,
      traveller,
      countries: payload.credentialSubject.countries,
      validFrom: payload.validFrom,
      validUntil: payload.validUntil,
    };
  }

  /** Sign a JWS with the key of a DID held here (the key never leaves the KMS). */
  private async signAs(did: string, header: JwsHeader, payload: Record<string, unknown>): Promise<string> {
    return signJws(header, payload, (data) => this.signBytesAs(did, data));
  }

  /** An EdDSA signature over `data` with the key of a DID held here. */
  private async signBytesAs(did: string, data: Uint8Array): Promise<Uint8Array> {
    const identifier = await this.agent.didManagerGet({ did });
    const keyRef = identifier.controllerKeyId;
    if (keyRef === undefined) throw new CradleError('NOT_FOUND', `The wallet has no signing key for ${did}.`);
    // Veramo decrypts the key for this one signature.
    const signature = await this.agent.keyManagerSign({ keyRef, algorithm: 'EdDSA', data: toHex(data), encoding: 'base16' });
    return base64UrlDecode(signature);
  }

  async receive(offer: string, options: ReceiveOptions = {}): Promise<ReceiveResult> {
    const held = await this.heldDids();
    let holder: string;
    if (options.child !== undefined) {
      holder = await this.resolveDid(options.child);
      if (!held.has(holder)) throw new CradleError('NOT_FOUND', `${holder} is not a DID of this wallet: its key must prove possession.`);
    } else if (held.size === 1) {
      holder = [...held][0]!;
    } else {
      throw new CradleError(
        'INVALID_ARGUMENT',
        held.size === 0
          ? "This wallet holds no DID yet: create the child's DID first (cradle wallet create-did) and have the registry issue to it."
          : 'This wallet holds several DIDs: say which one the credential is for (--child DID|LABEL).',
      );
    }
    const received = await receiveOffer({
      offer,
      holderDid: holder,
      holderKid: didKeyVerificationMethod(holder),
      sign: (header, payload) => this.signAs(holder, header as unknown as JwsHeader, payload),
      ...(options.txCode === undefined ? {} : { txCode: options.txCode }),
      ...(options.allowHttp === undefined ? {} : { allowHttp: options.allowHttp }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    // Check every credential before storing any: all delivered must be bound to the key that proved possession.
    const parsed = received.credentials.map((jwt) => parseCredential(jwt));
    const stray = parsed.find((c) => c.subject !== holder);
    if (stray !== undefined) {
      throw new CradleError('SUBJECT_NOT_IN_WALLET', `The issuer delivered a credential about ${stray.subject}, not about ${holder} whose key proved possession; nothing was stored.`, {
        details: { subject: stray.subject, expected: holder },
      });
    }
    // An SD-JWT VC is presented with the key its cnf names: it must be the key that proved possession.
    const unbound = parsed.find((c) => c.format === 'sd-jwt-vc' && !isBoundTo(c.jwt, holder));
    if (unbound !== undefined) {
      throw new CradleError('SUBJECT_NOT_IN_WALLET', `The issuer delivered an SD-JWT VC bound (cnf) to another key than ${holder}'s, which proved possession: this wallet could not present it; nothing was stored.`, {
        details: { expected: holder },
      });
    }
    const imported: ImportResult[] = [];
    for (const c of parsed) imported.push(await this.importCredential(c.jwt));
    return { issuer: received.issuer, credentialConfigurationId: received.credentialConfigurationId, imported };
  }

  async respond(request: string, options: RespondOptions = {}): Promise<RespondResult> {
    let child: string;
    if (options.child !== undefined) {
      child = await this.resolveDid(options.child);
    } else {
      const children = [...new Set((await this.listCredentials()).filter((c) => c.type === 'BirthRegistrationCredential').map((c) => c.subject))];
      if (children.length !== 1) {
        throw new CradleError(
          children.length === 0 ? 'NOT_FOUND' : 'INVALID_ARGUMENT',
          children.length === 0 ? 'This wallet holds no birth-registration credential to present.' : 'This wallet holds several children: say which one to present (--child DID|LABEL).',
        );
      }
      child = children[0]!;
    }
    return respondToRequest({
      request,
      present: ({ nonce, domain, sdJwtBirth }) =>
        this.present({
          child,
          nonce,
          domain,
          ...(options.guardian === undefined ? {} : { guardian: options.guardian }),
          ...(sdJwtBirth === undefined ? {} : { birthFormat: 'sd-jwt-vc', disclose: sdJwtBirth }),
        }),
      ...(options.allowHttp === undefined ? {} : { allowHttp: options.allowHttp }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  async backup(path: string, passphrase: string): Promise<BackupSummary> {
    const identifiers = await this.dataSource.getRepository(Identifier).find({ relations: { keys: true }, order: { did: 'ASC' } });
    const privateKeys = await this.privateKeys.listKeys();
    const contents = buildBackupContents({
      createdAt: new Date(this.now()).toISOString(),
      identifiers,
      privateKeys,
      labels: await this.dataSource.getRepository(LabelEntity).find(),
      credentials: await this.dataSource.getRepository(CredentialEntity).find({ order: { id: 'ASC' } }),
    });
    const text = await sealBackup(new TextEncoder().encode(JSON.stringify(contents)), passphrase);
    const target = resolve(path);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, target);
    return { path: target, dids: contents.dids.length, credentials: contents.credentials.length };
  }

  async restore(path: string, passphrase: string): Promise<BackupSummary> {
    const source = resolve(path);
    const text = await readBackupFile(source);
    if (typeof passphrase !== 'string' || passphrase === '') throw new CradleError('INVALID_ARGUMENT', 'The backup passphrase is required.');
    const contents: BackupContents = parseBackupContents(await openBackup(text, passphrase));
    const credentialRows = contents.credentials.map((c): CredentialRow => {
      let parsed: ParsedCredential;
      try {
        parsed = parseCredential(c.jwt);
      } catch (cause) {
        throw new CradleError('BACKUP_INVALID', `The backup holds a credential that cannot be read (${(cause as Error).message}). Nothing was restored.`, { cause });
      }
      return { id: parsed.id, jwt: parsed.jwt, subject: parsed.subject, issuer: parsed.issuer, type: parsed.type, importedAt: c.importedAt };
    });
    try {
      await this.restoreRows(contents, credentialRows);
    } catch (e) {
      if (e instanceof CradleError) throw e;
      throw new CradleError('BACKUP_INVALID', `The backup could not be restored (${(e as Error).message}). Nothing was changed.`, { cause: e });
    }
    return { path: source, dids: contents.dids.length, credentials: contents.credentials.length };
  }

  /** Write a backup's contents in one transaction: all of it, or nothing. */
  private async restoreRows(contents: BackupContents, credentialRows: CredentialRow[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const view = transactionView(manager);
      const dids = await manager.getRepository(Identifier).count();
      const credentials = await manager.getRepository(CredentialEntity).count();
      if (dids > 0 || credentials > 0) {
        throw new CradleError('CONFLICT', 'Restore into an empty wallet (a new --home): this one already holds DIDs or credentials.');
      }
      const privateKeys = new PrivateKeyStore(view, this.box);
      const keys = new KeyStore(view);
      const didStore = new DIDStore(view);
      for (const entry of contents.dids) {
        for (const key of entry.keys) {
          await privateKeys.importKey({ alias: key.kid, type: key.type, privateKeyHex: key.privateKeyHex });
          await keys.importKey({ kid: key.kid, kms: 'local', type: key.type, publicKeyHex: key.publicKeyHex, meta: key.meta });
        }
        await didStore.importDID({
          did: entry.did,
          provider: entry.provider,
          ...(entry.alias !== undefined ? { alias: entry.alias } : {}),
          controllerKeyId: entry.controllerKeyId,
          keys: entry.keys.map((k) => ({ kid: k.kid, kms: 'local', type: k.type, publicKeyHex: k.publicKeyHex, meta: k.meta })),
          services: [],
        });
      }
      if (contents.labels.length > 0) await manager.getRepository(LabelEntity).insert(contents.labels);
      for (const row of credentialRows) await manager.getRepository(CredentialEntity).insert(row);
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async heldDids(): Promise<Set<string>> {
    const identifiers = await this.dataSource.getRepository(Identifier).find({ select: { did: true } });
    return new Set(identifiers.map((i) => i.did));
  }
}

function storedCredential(row: CredentialRow): StoredCredential {
  return { ...parseCredential(row.jwt), importedAt: row.importedAt };
}

function usableAt(c: StoredCredential, now: Date): boolean {
  return c.validUntil === undefined || Date.parse(c.validUntil) > now.getTime();
}

/** VCDM 2.0 (`vc+jwt`, the format Cradle documents) before VCDM 1.1 JWT-VC; then the newest. */
function newestFirst(credentials: StoredCredential[]): StoredCredential[] {
  const time = (c: StoredCredential): number => Date.parse(c.validFrom ?? c.importedAt);
  const rank = (c: StoredCredential): number => (c.format === 'vc+jwt' ? 0 : 1);
  return [...credentials].sort((a, b) => rank(a) - rank(b) || time(b) - time(a) || b.importedAt.localeCompare(a.importedAt));
}

function newest(credentials: StoredCredential[]): StoredCredential | undefined {
  return newestFirst(credentials)[0];
}

function checkLabel(label: string): string {
  const value = label.trim();
  // eslint-disable-next-line no-control-regex
  if (value === '' || value.length > MAX_LABEL_LENGTH || /[\u0000-\u001f\u007f]/.test(value) || value.startsWith('did:')) {
    throw new CradleError('INVALID_ARGUMENT', `A label is 1 to ${MAX_LABEL_LENGTH} printable characters and not a DID.`);
  }
  return value;
}

/** True when an SD-JWT VC's `cnf.jwk` is the Ed25519 key of `did` (a did:key held here). */
function isBoundTo(sdJwt: string, did: string): boolean {
  const key = ed25519PublicKeyOfDidKey(did);
  const jwk = readSdJwtVc(sdJwt).holderKey;
  return key !== undefined && jwk !== undefined && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x === base64UrlEncode(key);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

async function readBackupFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new CradleError('NOT_FOUND', `Cannot read the backup file ${path}.`, { cause });
  }
  if (bytes.length > MAX_BACKUP_BYTES) throw new CradleError('BACKUP_INVALID', 'The backup file is too large to be a Cradle wallet backup.');
  return bytes.toString('utf8');
}
