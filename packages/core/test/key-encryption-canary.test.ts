// `requireCanary` is the one "does this secret open the keys?" check of the registrar and the wallet:
// the sealed canary must open, and open to exactly the expected text, or the secret is SECRET_WRONG.
// The box here is a real authenticated cipher (AES-256-GCM, node:crypto) keyed by scrypt like the
// SecretBox the packages use: a wrong key fails authentication just as SecretBox's does. The wallet and
// registrar tests (holder wallet.test.ts, issuer registrar-secret.test.ts) run it with Veramo's SecretBox.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCradleError } from '../src/errors.js';
import { requireCanary, scryptKey } from '../src/node/index.js';

const PARAMS = { N: 1024, r: 8, p: 1 };
const CANARY = 'test-canary-v1';
const WRONG = 'This secret does not open the store: use the one it was created with.';

async function boxFor(secret: string, salt: Uint8Array) {
  const key = await scryptKey(secret, salt, PARAMS);
  return {
    encrypt(text: string): Promise<string> {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Promise.resolve(Buffer.concat([iv, c.getAuthTag(), body]).toString('hex'));
    },
    decrypt(sealed: string): Promise<string> {
      const b = Buffer.from(sealed, 'hex');
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Promise.resolve(Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8'));
    },
  };
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('requireCanary (@cradle/core/node)', () => {
  const salt = randomBytes(16);

  it('accepts the secret the canary was sealed with', async () => {
    const box = await boxFor('the right secret', salt);
    await expect(requireCanary(box, await box.encrypt(CANARY), CANARY, WRONG)).resolves.toBeUndefined();
  });

  it('refuses another secret as SECRET_WRONG with the caller\'s message (the box cannot open the canary)', async () => {
    const sealed = await (await boxFor('the right secret', salt)).encrypt(CANARY);
    const e = await refusal(requireCanary(await boxFor('another secret', salt), sealed, CANARY, WRONG));
    expect(isCradleError(e, 'SECRET_WRONG')).toBe(true);
    expect((e as Error).message).toBe(WRONG);
  });

  it('refuses a box that opens the canary to another text (a store sealed for another purpose)', async () => {
    const box = await boxFor('the right secret', salt);
    const e = await refusal(requireCanary(box, await box.encrypt('other-canary-v1'), CANARY, WRONG));
    expect(isCradleError(e, 'SECRET_WRONG')).toBe(true);
  });

  it('refuses a damaged canary as SECRET_WRONG, never with the cipher\'s own error', async () => {
    const box = await boxFor('the right secret', salt);
    for (const sealed of ['', 'zz', (await box.encrypt(CANARY)).slice(0, -2)]) {
      expect(isCradleError(await refusal(requireCanary(box, sealed, CANARY, WRONG)), 'SECRET_WRONG')).toBe(true);
    }
  });
});
