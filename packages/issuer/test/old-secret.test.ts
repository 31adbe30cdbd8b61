// A registrar database written before the shared scrypt helper (@cradle/core/node) still opens: the
// salt and canary it stored (cradle_meta) are checked with the same secret, and a wrong one is refused.
import { describe, expect, it } from 'vitest';
import { openSecretBox } from '../src/key-encryption-secret.js';

const OLD_SECRET = 'old-registrar-secret-0123456789abcdef';
const OLD_META: Record<string, string> = {"kdf.salt": "72bb70f8706986a7ea7e66ee8b26be13", "kdf.params": "{\"alg\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1}", "kdf.canary": "a8dd17fedea6a076d3dd03b8a236c2fada9e628f5340b24098fa158f3aea112ea4db1592f18606921c9bcf4524ff4745fc90d82b5fdc5065dbb1496fd19533"};

/** The cradle_meta table of that database (the two queries openSecretBox makes). */
function metaDb(meta: Map<string, string>): never {
  const db = {
    async query(sql: string, params: string[]) {
      if (sql.startsWith('SELECT')) return meta.has(params[0]!) ? [{ value: meta.get(params[0]!) }] : [];
      meta.set(params[0]!, params[1]!);
      return [];
    },
    async transaction(fn: (tx: unknown) => Promise<void>) {
      await fn(db);
    },
  };
  return db as never;
}

describe('a registrar database written before @cradle/core/node still opens', () => {
  it('its stored canary opens with the secret, nothing is rewritten, and a wrong secret is SECRET_WRONG', async () => {
    const meta = new Map(Object.entries(OLD_META));
    await openSecretBox(metaDb(meta), OLD_SECRET);
    expect(Object.fromEntries(meta)).toEqual(OLD_META);
    await expect(openSecretBox(metaDb(new Map(Object.entries(OLD_META))), 'another-secret-0123456789abcdef')).rejects.toMatchObject({ code: 'SECRET_WRONG' });
  });
});
