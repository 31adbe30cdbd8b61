import { randomBytes } from '@noble/hashes/utils';
import { CradleError, base64UrlDecode, base64UrlEncode } from '@cradle/core';
import { scryptKey } from '@cradle/core/node';
import type { KdfParams } from './key-encryption.js';

/** `format` of a wallet backup file. */
export const BACKUP_FORMAT = 'cradle-wallet-backup';
/** Current backup file version. */
export const BACKUP_VERSION = 1;
/**
 * scrypt cost for backups: N = 2^17, r = 8, p = 1 (128 MiB; Node's native scrypt through
 * `@cradle/core/node`, about 1-2.5 s on the development machine). A backup is protected by a human passphrase and is made rarely, so it pays for
 * a higher cost than opening the wallet.
 */
export const BACKUP_KDF_PARAMS: KdfParams = { N: 2 ** 17, r: 8, p: 1 };
/** Largest backup file accepted (bytes). */
export const MAX_BACKUP_BYTES = 64 * 1024 * 1024;
const MAX_KDF_N = 2 ** 20;
const MIN_PASSPHRASE_LENGTH = 8;

/**
 * The backup file: a JSON header in the clear (everything needed to derive the key and decrypt) and the
 * ciphertext. The header fields are bound to the ciphertext as AES-GCM additional data, so changing any
 * of them makes decryption fail.
 */
export interface BackupEnvelope {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  kdf: 'scrypt';
  kdfParams: KdfParams;
  /** base64url */
  salt: string;
  /** AES-256-GCM through WebCrypto (no extra dependency; the key is fresh per backup, from a fresh salt). */
  cipher: 'aes-256-gcm';
  /** base64url, 12 bytes */
  nonce: string;
  /** base64url */
  ciphertext: string;
}

/**
 * Encrypt a backup's plaintext under a passphrase.
 *
 * @example
 * ```ts
 * const text = await sealBackup(utf8(JSON.stringify(contents)), passphrase);
 * ```
 */
export async function sealBackup(plaintext: Uint8Array, passphrase: string, params: KdfParams = BACKUP_KDF_PARAMS): Promise<string> {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const header: Omit<BackupEnvelope, 'ciphertext'> = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: 'scrypt',
    kdfParams: { N: params.N, r: params.r, p: params.p },
    salt: base64UrlEncode(salt),
    cipher: 'aes-256-gcm',
    nonce: base64UrlEncode(nonce),
  };
  const key = await deriveKey(passphrase, salt, params);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: copy(nonce), additionalData: additionalData(header) }, key, copy(plaintext)),
  );
  const envelope: BackupEnvelope = { ...header, ciphertext: base64UrlEncode(ciphertext) };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

/**
 * Decrypt a backup file. Throws `BACKUP_INVALID` for a file that is not a Cradle wallet backup (or of a
 * version this code does not read) and `BACKUP_PASSPHRASE_WRONG` when the passphrase does not open it.
 */
export async function openBackup(text: string, passphrase: string): Promise<Uint8Array> {
  if (text.length > MAX_BACKUP_BYTES) throw new CradleError('BACKUP_INVALID', 'The backup file is too large to be a Cradle wallet backup.');
  const envelope = parseEnvelope(text);
  const { ciphertext, ...header } = envelope;
  const key = await deriveKey(passphrase, base64UrlDecode(header.salt), header.kdfParams);
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: copy(base64UrlDecode(header.nonce)), additionalData: additionalData(header) },
        key,
        copy(base64UrlDecode(ciphertext)),
      ),
    );
  } catch (cause) {
    throw new CradleError(
      'BACKUP_PASSPHRASE_WRONG',
      'The passphrase does not open this backup (or the file was modified). Nothing was restored.',
      { cause },
    );
  }
}

function parseEnvelope(text: string): BackupEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CradleError('BACKUP_INVALID', 'This file is not a Cradle wallet backup (not JSON).', { cause });
  }
  const v = value as Partial<BackupEnvelope> | null;
  if (typeof v !== 'object' || v === null || v.format !== BACKUP_FORMAT) {
    throw new CradleError('BACKUP_INVALID', 'This file is not a Cradle wallet backup.');
  }
  if (v.version !== BACKUP_VERSION) {
    throw new CradleError('BACKUP_INVALID', `This backup has version ${String(v.version)}; this wallet reads version ${BACKUP_VERSION}. Update Cradle.`);
  }
  const p = v.kdfParams;
  const kdfOk =
    v.kdf === 'scrypt' &&
    typeof p === 'object' &&
    p !== null &&
    Number.isSafeInteger(p.N) &&
    p.N > 1 &&
    p.N <= MAX_KDF_N &&
    (p.N & (p.N - 1)) === 0 &&
    Number.isSafeInteger(p.r) &&
    p.r >= 1 &&
    p.r <= 32 &&
    Number.isSafeInteger(p.p) &&
    p.p >= 1 &&
    p.p <= 16;
  if (!kdfOk || v.cipher !== 'aes-256-gcm') {
    throw new CradleError('BACKUP_INVALID', 'This backup uses key-derivation or cipher settings this wallet does not accept.');
  }
  for (const field of ['salt', 'nonce', 'ciphertext'] as const) {
    if (typeof v[field] !== 'string') throw new CradleError('BACKUP_INVALID', `The backup has no ${field}.`);
  }
  try {
    if (base64UrlDecode(v.nonce as string).length !== 12) throw new Error('nonce must be 12 bytes');
    base64UrlDecode(v.salt as string);
  } catch (cause) {
    throw new CradleError('BACKUP_INVALID', 'The backup header is damaged.', { cause });
  }
  return v as BackupEnvelope;
}

/** The header as AES-GCM additional data, serialised field by field in a fixed order. */
function additionalData(h: Omit<BackupEnvelope, 'ciphertext'>): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    JSON.stringify([h.format, h.version, h.kdf, h.kdfParams.N, h.kdfParams.r, h.kdfParams.p, h.salt, h.cipher, h.nonce]),
  );
}

async function deriveKey(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<CryptoKey> {
  const raw = await scryptKey(passphrase, salt, params);
  return crypto.subtle.importKey('raw', copy(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new CradleError('INVALID_ARGUMENT', `The backup passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
}

/** WebCrypto wants bytes backed by a plain ArrayBuffer. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
