import { SecretBox } from '@veramo/kms-local';
import { bytesToHex, randomBytes } from '@noble/hashes/utils';
import { CradleError, base64UrlDecode, base64UrlEncode } from '@cradle/core';
import { isSupportedScryptParams, requireCanary, scryptKey } from '@cradle/core/node';

/** scrypt parameters used to turn the wallet secret into the SecretBox key. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Cost of opening a wallet. Every CLI command opens the wallet once; N = 2^15 with Node's native scrypt
 * (`@cradle/core/node`) costs about half of what @noble/hashes did (measured on the loaded development
 * machine: 0.50 s vs 0.98 s; 2^17: 2.4 s vs 3.4 s). The secret is
 * expected to be a high-entropy value from `CRADLE_SECRET` or a file; backups, protected by a human
 * passphrase, use a higher cost.
 */
export const WALLET_KDF_PARAMS: KdfParams = { N: 2 ** 15, r: 8, p: 1 };

/** What the wallet stores (in `cradle_wallet_meta`) to re-derive and check the key-encryption key. */
export interface KeyEncryptionRecord {
  kdf: 'scrypt';
  params: KdfParams;
  /** base64url */
  salt: string;
  /** SecretBox ciphertext (hex) of `CANARY`: opening it proves the secret is the right one. */
  canary: string;
}

const CANARY = 'cradle-wallet-key-encryption-canary-v1';

/** Create the key-encryption record and SecretBox for a new wallet. */
export async function createKeyEncryption(secret: string): Promise<{ box: SecretBox; record: KeyEncryptionRecord }> {
  const salt = randomBytes(16);
  const box = new SecretBox(await deriveKeyHex(secret, salt, WALLET_KDF_PARAMS));
  const canary = await box.encrypt(CANARY);
  return { box, record: { kdf: 'scrypt', params: WALLET_KDF_PARAMS, salt: base64UrlEncode(salt), canary } };
}

/**
 * Re-derive the SecretBox of an existing wallet from its secret; a wrong secret is detected here, at
 * open, by the canary (not later, when a signature comes out wrong).
 */
export async function openKeyEncryption(secret: string, record: KeyEncryptionRecord): Promise<SecretBox> {
  const { N, r, p } = record.params;
  if (record.kdf !== 'scrypt' || !isSupportedScryptParams({ N, r, p })) {
    throw new CradleError('CONFIG_INVALID', 'The wallet database has unsupported key-encryption settings.');
  }
  const box = new SecretBox(await deriveKeyHex(secret, base64UrlDecode(record.salt), record.params));
  await requireCanary(box, record.canary, CANARY, 'This secret does not open the wallet (CRADLE_SECRET or --secret-file). Use the secret the wallet was created with.');
  return box;
}

/** Parse the stored record, or fail loudly if the database was tampered with. */
export function parseKeyEncryptionRecord(text: string): KeyEncryptionRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', 'The wallet database has a corrupt key-encryption record.', { cause });
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as KeyEncryptionRecord).kdf !== 'scrypt' ||
    typeof (value as KeyEncryptionRecord).salt !== 'string' ||
    typeof (value as KeyEncryptionRecord).canary !== 'string' ||
    typeof (value as KeyEncryptionRecord).params !== 'object'
  ) {
    throw new CradleError('CONFIG_INVALID', 'The wallet database has a corrupt key-encryption record.');
  }
  const { params } = value as KeyEncryptionRecord;
  if (![params.N, params.r, params.p].every((n) => Number.isSafeInteger(n))) {
    throw new CradleError('CONFIG_INVALID', 'The wallet database has a corrupt key-encryption record.');
  }
  return value as KeyEncryptionRecord;
}

async function deriveKeyHex(secret: string, salt: Uint8Array, params: KdfParams): Promise<string> {
  return bytesToHex(await scryptKey(secret, salt, params));
}
