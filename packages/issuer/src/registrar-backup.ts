import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CradleError } from '@cradle/core';
import { scryptKey } from '@cradle/core/node';
import { createPrivateFile } from './open-database.js';

/** First line of a registrar backup file. */
export const REGISTRAR_BACKUP_MAGIC = 'cradle-registrar-backup/1\n';
/** scrypt cost of a backup key (N = 2^15, r = 8, p = 1: the same as the key-encryption secret). */
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
const MAX_KDF_N = 2 ** 20;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What a backup holds besides the database (e.g. the CLI's `config.json`), and who it belongs to. */
export interface RegistrarBackupManifest {
  /** The registrar DID at backup time. */
  did: string;
  /** ISO time of the backup. */
  createdAt: string;
  /** Anything the caller asked to keep with it (the CLI stores its home `config.json` here). */
  extra?: Record<string, unknown>;
}

interface Header {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** hex */
  salt: string;
  /** hex, 12 bytes */
  nonce: string;
}

async function deriveKey(passphrase: string, salt: Buffer, h: Pick<Header, 'N' | 'r' | 'p'>): Promise<Buffer> {
  return Buffer.from(await scryptKey(passphrase, salt, h));
}

function requirePassphrase(passphrase: string | undefined): string {
  if (typeof passphrase !== 'string' || passphrase.length < 8) {
    throw new CradleError('SECRET_MISSING', 'A registrar backup is encrypted: give the registrar secret (CRADLE_SECRET) or a passphrase of at least 8 characters.');
  }
  return passphrase;
}

/**
 * Encrypt a consistent copy of the registrar database (keys, which are also SecretBox-encrypted with the
 * registrar secret, and every record) and `manifest` into one file: `cradle-registrar-backup/1`, a JSON
 * header line (scrypt parameters, salt, nonce), then AES-256-GCM(manifest length, manifest, database)
 * with the header as additional data. The file is written to a temporary name (mode 0600) and renamed.
 */
export async function sealRegistrarBackup(file: string, database: Buffer, manifest: RegistrarBackupManifest, passphrase: string | undefined): Promise<void> {
  const pass = requirePassphrase(passphrase);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const header: Header = { kdf: 'scrypt', ...KDF, salt: salt.toString('hex'), nonce: nonce.toString('hex') };
  const headerLine = `${JSON.stringify(header)}\n`;
  const key = await deriveKey(pass, salt, header);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(REGISTRAR_BACKUP_MAGIC + headerLine, 'utf8'));
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(manifestBytes.length);
  const body = Buffer.concat([cipher.update(length), cipher.update(manifestBytes), cipher.update(database), cipher.final(), cipher.getAuthTag()]);
  await writeAtomically(file, Buffer.concat([Buffer.from(REGISTRAR_BACKUP_MAGIC + headerLine, 'utf8'), body]));
}

/**
 * Decrypt a registrar backup. `BACKUP_INVALID` for a file that is not one (or is truncated or damaged in
 * its header), `BACKUP_PASSPHRASE_WRONG` when the passphrase does not open it (or the body was changed).
 */
export async function openRegistrarBackup(file: string, passphrase: string | undefined): Promise<{ manifest: RegistrarBackupManifest; database: Buffer }> {
  const pass = requirePassphrase(passphrase);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new CradleError('BACKUP_INVALID', `Cannot read the backup file ${file}.`, { cause });
  }
  const magic = Buffer.from(REGISTRAR_BACKUP_MAGIC, 'utf8');
  const headerEnd = bytes.indexOf(0x0a, magic.length);
  if (!bytes.subarray(0, magic.length).equals(magic) || headerEnd < 0 || headerEnd > magic.length + 1024) {
    throw new CradleError('BACKUP_INVALID', `${file} is not a Cradle registrar backup.`);
  }
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(magic.length, headerEnd).toString('utf8')) as Header;
  } catch (cause) {
    throw new CradleError('BACKUP_INVALID', 'The backup header is damaged.', { cause });
  }
  const n = header.N;
  const ok =
    header.kdf === 'scrypt' &&
    Number.isSafeInteger(n) && n > 1 && n <= MAX_KDF_N && (n & (n - 1)) === 0 &&
    Number.isSafeInteger(header.r) && header.r >= 1 && header.r <= 32 &&
    Number.isSafeInteger(header.p) && header.p >= 1 && header.p <= 16 &&
    /^[0-9a-f]{32}$/.test(header.salt) && /^[0-9a-f]{24}$/.test(header.nonce);
  const body = bytes.subarray(headerEnd + 1);
  if (!ok || body.length < 16 + 4) throw new CradleError('BACKUP_INVALID', 'The backup header is damaged or the file is truncated.');
  const key = await deriveKey(pass, Buffer.from(header.salt, 'hex'), header);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.nonce, 'hex'));
    decipher.setAAD(bytes.subarray(0, headerEnd + 1));
    decipher.setAuthTag(body.subarray(body.length - 16));
    plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch (cause) {
    throw new CradleError('BACKUP_PASSPHRASE_WRONG', 'The passphrase does not open this backup, or the file was modified or truncated. Nothing was restored.', { cause });
  }
  const length = plain.readUInt32BE(0);
  const manifest = JSON.parse(plain.subarray(4, 4 + length).toString('utf8')) as RegistrarBackupManifest;
  const database = plain.subarray(4 + length);
  if (!database.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC) || typeof manifest.did !== 'string') {
    throw new CradleError('BACKUP_INVALID', 'The backup decrypted but holds no registrar database.');
  }
  return { manifest, database };
}

/**
 * Put a backed-up database at `databasePath`. Refuses (`CONFLICT`) to replace a live registrar (a
 * non-empty database file) unless `force`; writes a temporary file (0600) and renames it, so an
 * interrupted restore leaves the previous state, never a partial database.
 */
export async function restoreDatabaseFile(databasePath: string, database: Buffer, force: boolean): Promise<void> {
  const existing = await stat(databasePath).catch(() => undefined);
  if (existing !== undefined && existing.size > 0 && !force) {
    throw new CradleError('CONFLICT', `${databasePath} already holds a registrar database: restore into a new --home, or pass --force to replace it (the current one is lost).`, {
      details: { path: databasePath },
    });
  }
  await writeAtomically(databasePath, database);
  // A WAL left by the replaced database belongs to it, not to the restored one.
  await rm(`${databasePath}-wal`, { force: true });
  await rm(`${databasePath}-shm`, { force: true });
}

/** Write `bytes` to `path` through a temporary file in the same directory (mode 0600), flushed, then renamed. */
export async function writeAtomically(path: string, bytes: Buffer | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  await createPrivateFile(tmp);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
