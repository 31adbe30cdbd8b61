import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { DevChain } from '@cradle/ledger/devchain';
import type { KeyCustody, Registrar } from '../src/index.js';
import { CHILD, TestClock, chain, decodeJwt, initRegistrar, queryDatabase, sampleClaims, tempHome, verifyEd25519Jws } from './helpers.js';

// The key-custody interface (issue #19 item 4): keys held outside the registrar database, as a KMS or
// HSM would hold them. Here Veramo's kms-local over an in-memory store stands in for the device: what
// the test checks is that the registrar creates, signs and anchors only through the custody it is given.
let devChain: DevChain;
let registrar: Registrar;
let home: string;
let cleanup: () => void;
const clock = new TestClock();
const signedWith = new Set<string>();

class RecordingKms extends KeyManagementSystem {
  override async sign(args: Parameters<KeyManagementSystem['sign']>[0]): Promise<string> {
    signedWith.add(args.keyRef.kid);
    return super.sign(args);
  }
}

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  const device: KeyCustody = { name: 'hsm', kms: new RecordingKms(new MemoryPrivateKeyStore()) };
  registrar = await initRegistrar(devChain, home, { now: clock.now, keyCustody: () => device });
});

afterAll(async () => {
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('key custody', () => {
  it('a registrar whose keys live in another custody issues and anchors through it; its database holds no private key', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const identity = registrar.identity()!;
    expect(signedWith.has(identity.signingKid)).toBe(true);
    const key = await registrar.agent.keyManagerGet({ kid: identity.signingKid });
    expect(key.kms).toBe('hsm');
    expect(decodeJwt(issued.jwt).header.kid).toBe(identity.verificationMethod);
    expect(verifyEd25519Jws(issued.jwt, key.publicKeyHex)).toBe(true);

    await registrar.revoke(issued.id);
    await registrar.publish();
    const report = await registrar.processOutbox({ force: true });
    expect(report.confirmed.length).toBeGreaterThan(0);
    expect(signedWith.has(identity.anchorKid)).toBe(true);

    expect((await queryDatabase<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM "private-key"'))[0]!.n).toBe(0);
    const kms = await queryDatabase<{ kms: string }>(home, 'SELECT DISTINCT "kms" FROM "key"');
    expect(kms.map((k) => k.kms)).toEqual(['hsm']);
  });
});
