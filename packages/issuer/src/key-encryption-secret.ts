import { randomBytes } from 'node:crypto';
import { SecretBox } from '@veramo/kms-local';
import { CradleError } from '@cradle/core';
import { requireCanary, scryptKey } from '@cradle/core/node';
import { getMeta, setMeta } from './meta-store.js';
import type { RegistrarStore } from './storage/registrar-store.js';

/** scrypt cost: N=2^15, r=8, p=1 (~50-100 ms once per start; 32 MiB of memory). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
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

/** Shortest secret a new registrar accepts (characters), and fewest distinct characters in it. */
export const MIN_SECRET_LENGTH = 16;
const MIN_SECRET_DISTINCT = 6;

/**
 * Throw `SECRET_WEAK` for a secret too short or too repetitive to protect the keys of a new registrar:
 * at least 16 characters and 6 distinct ones (a passphrase of a few words, or 24 random bytes in base64).
 * Checked when a database is created; an existing registrar keeps opening with the secret it has.
 */
export function requireStrongSecret(secret: string): void {
  const chars = [...secret.trim()];
  if (chars.length < MIN_SECRET_LENGTH || new Set(chars).size < MIN_SECRET_DISTINCT) {
    throw new CradleError(
      'SECRET_WEAK',
      `The secret that encrypts this registrar's keys is too weak: use at least ${MIN_SECRET_LENGTH} characters with at least ${MIN_SECRET_DISTINCT} different ones, e.g. \`openssl rand -base64 24\` or a passphrase of several words (CRADLE_SECRET or --secret-file).`,
    );
  }
}

/**
 * Turn the operator's secret (any passphrase, from `CRADLE_SECRET` or `--secret-file`) into the
 * SecretBox key that encrypts private keys at rest, and check it against the canary stored in the
 * database. A fresh database gets a random salt and a new canary.
 *
 * Throws `SECRET_MISSING` for an empty secret and `SECRET_WRONG` when the canary does not decrypt, so
 * a wrong secret is caught at startup rather than at the first signature. A new database refuses a weak
 * secret (`SECRET_WEAK`, see {@link requireStrongSecret}).
 */
export async function openSecretBox(db: RegistrarStore, secret: string | undefined): Promise<SecretBox> {
  requireSecret(secret);
  const saltHex = await getMeta(db, 'kdf.salt');
  const salt = saltHex === undefined ? randomBytes(16) : Buffer.from(saltHex, 'hex');
  const key = await scryptKey(secret, salt, SCRYPT);
  const box = new SecretBox(Buffer.from(key).toString('hex'));
  const canary = await getMeta(db, 'kdf.canary');
  if (saltHex === undefined || canary === undefined) {
    requireStrongSecret(secret);
    const sealed = await box.encrypt(CANARY);
    await db.write(async (tx) => {
      await setMeta(tx, 'kdf.salt', salt.toString('hex'));
      await setMeta(tx, 'kdf.params', JSON.stringify({ alg: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }));
      await setMeta(tx, 'kdf.canary', sealed);
    });
    return box;
  }
  await requireCanary(
    box,
    canary,
    CANARY,
    'The secret does not open this registrar\'s keys. Use the secret this home directory was created with (CRADLE_SECRET or --secret-file).',
  );
  return box;
}
