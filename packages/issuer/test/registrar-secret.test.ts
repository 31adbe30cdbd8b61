import { readFileSync, existsSync } from 'node:fs';
import { PrivateKeyStore } from '@veramo/data-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';
import { openSecretBox } from '../src/key-encryption-secret.js';
import { BASE_URL, CHILD, SECRET, TEST_DATABASE, chain, databaseFor, initRegistrar, openTestStore, queryDatabase, sampleClaims, tempHome } from './helpers.js';

let devChain: DevChain;
let home: string;
let cleanup: () => void;

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  const registrar = await initRegistrar(devChain, home);
  await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
  await registrar.close();
});

afterAll(async () => {
  await devChain?.stop();
  cleanup?.();
});

describe('the key-encryption secret', () => {
  it('a missing secret is SECRET_MISSING, before anything is created', async () => {
    const fresh = tempHome();
    for (const secret of [undefined, '', '   ']) {
      await expect(createRegistrar({ home: fresh.home, ...(await databaseFor(fresh.home)), secret, ledger: devChain.config, baseUrl: BASE_URL })).rejects.toMatchObject({
        code: 'SECRET_MISSING',
        message: expect.stringContaining('CRADLE_SECRET'),
      });
    }
    expect(existsSync(`${fresh.home}/registrar.sqlite`)).toBe(false);
    fresh.cleanup();
  });

  it('a wrong secret is SECRET_WRONG at startup (the canary does not decrypt)', async () => {
    await expect(createRegistrar({ home, ...(await databaseFor(home)), secret: 'not the secret', ledger: devChain.config, baseUrl: BASE_URL })).rejects.toMatchObject({
      code: 'SECRET_WRONG',
    });
  });

  it('the right secret opens the registrar again', async () => {
    const registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL });
    expect((await registrar.list()).length).toBe(1);
    await registrar.close();
  });

  it('the database holds no private key in plaintext (hex, base64, base64url or raw bytes)', async () => {
    const db = await openTestStore(home);
    const keys = await new PrivateKeyStore(db.dataSource, await openSecretBox(db, SECRET)).listKeys();
    await db.close();
    expect(keys.map((k) => k.type).sort()).toEqual(['Ed25519', 'Secp256k1', 'Secp256k1']);
    // SQLite: the bytes of the file (and its WAL); PostgreSQL: every stored key row and setting, as text.
    const files =
      TEST_DATABASE === 'sqlite'
        ? [`${home}/registrar.sqlite`, `${home}/registrar.sqlite-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f))
        : [Buffer.from(JSON.stringify([await queryDatabase(home, 'SELECT * FROM "private-key"'), await queryDatabase(home, 'SELECT * FROM "key"'), await queryDatabase(home, 'SELECT * FROM "cradle_meta"')]))];
    for (const key of keys) {
      const raw = Buffer.from(key.privateKeyHex, 'hex');
      const seed = raw.subarray(0, 32);
      const needles = [raw, seed].flatMap((b) => [
        b,
        Buffer.from(b.toString('hex')),
        Buffer.from(b.toString('hex').toUpperCase()),
        Buffer.from(b.toString('base64')),
        Buffer.from(b.toString('base64url')),
      ]);
      for (const file of files) for (const needle of needles) expect(file.includes(needle)).toBe(false);
    }
  });
});
