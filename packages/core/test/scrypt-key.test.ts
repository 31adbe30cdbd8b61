// `@cradle/core/node`'s scryptKey is the one secret -> key derivation of the Node packages: it must give
// RFC 7914's bytes (so records written by @noble/hashes' scrypt, as the wallet did, still open) and
// refuse parameters a tampered record could use to exhaust memory.
import { scryptAsync } from '@noble/hashes/scrypt';
import { describe, expect, it } from 'vitest';
import { isSupportedScryptParams, scryptKey } from '../src/node/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('scryptKey (@cradle/core/node)', () => {
  it('gives the RFC 7914 test vectors', async () => {
    expect(hex(await scryptKey('password', new TextEncoder().encode('NaCl'), { N: 1024, r: 8, p: 16 }, 64))).toBe(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    );
    expect(hex(await scryptKey('pleaseletmein', new TextEncoder().encode('SodiumChloride'), { N: 16384, r: 8, p: 1 }, 64))).toBe(
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    );
  });

  it('agrees with @noble/hashes on the wallet and registrar costs (UTF-8 secrets included)', async () => {
    const salt = new Uint8Array(16).fill(7);
    for (const secret of ['CRADLE_SECRET-0123456789abcdef', 'mot de passe: été ✓']) {
      const noble = await scryptAsync(new TextEncoder().encode(secret), salt, { N: 2 ** 15, r: 8, p: 1, dkLen: 32 });
      expect(hex(await scryptKey(secret, salt, { N: 2 ** 15, r: 8, p: 1 }))).toBe(hex(noble));
    }
  });

  it('refuses parameters outside the supported range (a tampered record cannot make it allocate gigabytes)', () => {
    for (const bad of [{ N: 3, r: 8, p: 1 }, { N: 2 ** 21, r: 8, p: 1 }, { N: 1024, r: 0, p: 1 }, { N: 1024, r: 8, p: 17 }, { N: 1024.5, r: 8, p: 1 }, null]) {
      expect(isSupportedScryptParams(bad)).toBe(false);
    }
    expect(() => scryptKey('x', new Uint8Array(16), { N: 2 ** 21, r: 8, p: 1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
