import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { BASE_URL, CHILD, SECRET, TestClock, chain, databaseFor, decodeJwt, initRegistrar, sampleClaims, tempHome, verifyEd25519Jws } from './helpers.js';

// A signing-key rotation on one replica is used by the others without a restart (issue #19): two
// registrars on one database (the SQLite file, or PostgreSQL in the postgres project), each with its own
// connections and its own cached identity, as two `registrar serve` replicas have.
let devChain: DevChain;
let home: string;
let cleanup: () => void;
let a: Registrar;
let b: Registrar;
const clock = new TestClock();

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  a = await initRegistrar(devChain, home, { now: clock.now });
  b = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await devChain?.stop();
  cleanup?.();
});

/** The public key (hex) of verification method `id` in the registrar's DID document on the chain. */
async function publicKeyOf(id: string): Promise<string> {
  const { didDocument } = await a.agent.resolveDid({ didUrl: a.identity()!.did });
  const vm = didDocument?.verificationMethod?.find((m) => m.id === id);
  if (vm?.publicKeyHex === undefined) throw new Error(`${id} is not in the DID document`);
  return vm.publicKeyHex;
}

describe('signing-key rotation across replicas', () => {
  it('a key rotated on replica A signs the next credential and status list issued by replica B, without restarting B', async () => {
    const before = await b.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const old = b.identity()!.verificationMethod;
    expect(decodeJwt(before.jwt).header.kid).toBe(old);

    const rotated = await a.rotateSigningKey({ validitySeconds: 365 * 24 * 3600 });
    expect(rotated.previous).toBe(old);

    const after = await b.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    expect(decodeJwt(after.jwt).header.kid).toBe(rotated.verificationMethod);
    expect(verifyEd25519Jws(after.jwt, await publicKeyOf(rotated.verificationMethod))).toBe(true);
    expect(b.identity()!.verificationMethod).toBe(rotated.verificationMethod);

    await b.revoke(before.id);
    const [published] = await b.publish();
    expect(published).toBeDefined();
    const list = await b.statusListJwt(published!.name, published!.version);
    expect(decodeJwt(list!.jwt).header.kid).toBe(rotated.verificationMethod);
    expect(verifyEd25519Jws(list!.jwt, await publicKeyOf(rotated.verificationMethod))).toBe(true);
    // The credential signed before the rotation keeps verifying with the old key.
    expect(verifyEd25519Jws(before.jwt, await publicKeyOf(old))).toBe(true);
  });

  it('a rotation on B after one on A starts from the key A published (B never rolls the identity back)', async () => {
    const current = a.identity()!.verificationMethod;
    const again = await b.rotateSigningKey({ validitySeconds: 365 * 24 * 3600 });
    expect(again.previous).toBe(current);
    const issued = await a.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    expect(decodeJwt(issued.jwt).header.kid).toBe(again.verificationMethod);
  });
});
