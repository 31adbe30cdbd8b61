import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { SecretBox } from '@veramo/kms-local';
import { CradleError } from '@cradle/core';
import { getMeta, setMeta } from './meta-store.js';
import type { RegistrarStore } from './storage/registrar-store.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt cost: N=2^15, r=8, p=1 (~50-100 ms once per start; 32 MiB of memory). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const CANARY = 'cradle-secret-canary-v1';

/** Throw `SECRET_MISSING` unless `secret` is a non-empty string. */
export function requireSecret(secret: string | undefined): asserts secret is string {
  if (secret === undefined || secret.trim() === '') {
    throw new CradleError(
      'SECRET_MISSING',
      'No secret to open the registrar keys: set CRADLE_SECRET or pass --secret-file FILE (config.secret in the library).',
    );
  }
}

/**
 * Turn the operator's secret (any passphrase, from `CRADLE_SECRET` or `--secret-file`) into the
 * SecretBox key that encrypts private keys at rest, and check it against the canary stored in the
 * database. A fresh database gets a random salt and a new canary.
 *
 * Throws `SECRET_MISSING` for an empty secret and `SECRET_WRONG` when the canary does not decrypt, so
 * a wrong secret is caught at startup rather than at the first signature.
 */
export async function openSecretBox(db: RegistrarStore, secret: string | undefined): Promise<SecretBox> {
  requireSecret(secret);
  const saltHex = await getMeta(db, 'kdf.salt');
  const salt = saltHex === undefined ? randomBytes(16) : Buffer.from(saltHex, 'hex');
  const key = await scryptAsync(secret, salt, 32, SCRYPT);
  const box = new SecretBox(key.toString('hex'));
  const canary = await getMeta(db, 'kdf.canary');
  if (saltHex === undefined || canary === undefined) {
    const sealed = await box.encrypt(CANARY);
    await db.write(async (tx) => {
      await setMeta(tx, 'kdf.salt', salt.toString('hex'));
      await setMeta(tx, 'kdf.params', JSON.stringify({ alg: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }));
      await setMeta(tx, 'kdf.canary', sealed);
    });
    return box;
  }
  let opened = '';
  try {
    opened = await box.decrypt(canary);
  } catch {
    opened = '';
  }
  if (opened !== CANARY) {
    throw new CradleError(
      'SECRET_WRONG',
      'The secret does not open this registrar\'s keys. Use the secret this home directory was created with (CRADLE_SECRET or --secret-file).',
    );
  }
  return box;
}
