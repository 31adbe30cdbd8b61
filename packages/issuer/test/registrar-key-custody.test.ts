import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IKey, ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core-types';
import { AbstractKeyManagementSystem } from '@veramo/key-manager';
import { Transaction, Wallet, computeAddress, hexlify } from 'ethers';
import type { DevChain } from '@cradle/ledger/devchain';
import type { KeyCustody, Registrar } from '../src/index.js';
import { CHILD, TestClock, chain, decodeJwt, initRegistrar, queryDatabase, sampleClaims, tempHome, verifyEd25519Jws } from './helpers.js';

// The key-custody interface (issue #19): keys held outside the registrar database, as a KMS or HSM holds
// them. `SealedDevice` stands in for such a device: it generates every key inside itself, keeps the
// private halves in private fields, has no operation that returns one, and refuses to import a key. What
// the test checks is that the registrar creates (never imports), signs and anchors only through the
// custody it is given, and that nothing private reaches its database.
let devChain: DevChain;
let registrar: Registrar;
let home: string;
let cleanup: () => void;
const clock = new TestClock();

type Held = { type: 'Ed25519'; key: KeyObject } | { type: 'Secp256k1'; wallet: Wallet };

class SealedDevice extends AbstractKeyManagementSystem {
  readonly #keys = new Map<string, Held>();
  /** Every (kid, algorithm) this device signed with. */
  readonly signed: { kid: string; algorithm: string }[] = [];
  importAttempts = 0;

  async createKey({ type }: { type: TKeyType }): Promise<ManagedKeyInfo> {
    if (type === 'Ed25519') {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      // The raw public key is the last 32 bytes of its SPKI encoding.
      const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
      this.#keys.set(publicKeyHex, { type: 'Ed25519', key: privateKey });
      return { kid: publicKeyHex, kms: 'device', type, publicKeyHex, meta: { algorithms: ['EdDSA', 'Ed25519'] } };
    }
    if (type === 'Secp256k1') {
      const wallet = Wallet.createRandom();
      const publicKeyHex = wallet.signingKey.publicKey.slice(2);
      this.#keys.set(publicKeyHex, { type: 'Secp256k1', wallet: new Wallet(wallet.privateKey) });
      return { kid: publicKeyHex, kms: 'device', type, publicKeyHex, meta: { algorithms: ['eth_signTransaction'] } };
    }
    throw new Error(`this device does not create ${type} keys`);
  }

  async importKey(_args: Exclude<MinimalImportableKey, 'kms'>): Promise<ManagedKeyInfo> {
    this.importAttempts += 1;
    throw new Error('this device cannot import keys: keys are generated inside it');
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    return this.#keys.delete(kid);
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    return [...this.#keys.keys()].map((kid) => ({ kid, kms: 'device', type: this.#keys.get(kid)!.type, publicKeyHex: kid }));
  }

  async sign({ keyRef, algorithm, data }: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array }): Promise<string> {
    const held = this.#keys.get(keyRef.kid);
    if (held === undefined) throw new Error(`this device holds no key ${keyRef.kid}`);
    this.signed.push({ kid: keyRef.kid, algorithm: algorithm ?? '' });
    if (held.type === 'Ed25519' && (algorithm === undefined || algorithm === 'EdDSA' || algorithm === 'Ed25519')) {
      return Buffer.from(nodeSign(null, data, held.key)).toString('base64url');
    }
    if (held.type === 'Secp256k1' && algorithm === 'eth_signTransaction') {
      return held.wallet.signTransaction(Transaction.from(hexlify(data)));
    }
    throw new Error(`this device does not sign ${algorithm ?? '(no algorithm)'} with a ${held.type} key`);
  }

  async sharedSecret(): Promise<string> {
    throw new Error('this device does not derive shared secrets');
  }
}

const device = new SealedDevice();

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  const custody: KeyCustody = { name: 'hsm', kms: device };
  registrar = await initRegistrar(devChain, home, { now: clock.now, keyCustody: () => custody });
});

afterAll(async () => {
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('key custody', () => {
  it('init creates every key inside the custody and imports none; the DID is the address of the controller it created', async () => {
    const identity = registrar.identity()!;
    expect(device.importAttempts).toBe(0);
    const held = new Set((await device.listKeys()).map((k) => k.kid));
    for (const kid of [identity.controllerKid, identity.anchorKid, identity.signingKid]) expect(held.has(kid)).toBe(true);
    const controller = await registrar.agent.keyManagerGet({ kid: identity.controllerKid });
    expect(controller.kms).toBe('hsm');
    expect(identity.address).toBe(computeAddress(`0x${controller.publicKeyHex}`));
    expect(identity.did.endsWith(`:${identity.address}`)).toBe(true);
    // The ERC-1056 transactions of init (signing key, anchoring delegate) were signed by the device's controller.
    expect(device.signed).toContainEqual({ kid: identity.controllerKid, algorithm: 'eth_signTransaction' });
  });

  it('issuance, rotation, revocation and anchoring go through the custody; the database holds no private key', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const identity = registrar.identity()!;
    expect(device.signed).toContainEqual({ kid: identity.signingKid, algorithm: 'EdDSA' });
    const key = await registrar.agent.keyManagerGet({ kid: identity.signingKid });
    expect(key.kms).toBe('hsm');
    expect(decodeJwt(issued.jwt).header.kid).toBe(identity.verificationMethod);
    expect(verifyEd25519Jws(issued.jwt, key.publicKeyHex)).toBe(true);

    const rotated = await registrar.rotateSigningKey({ validitySeconds: 365 * 24 * 3600 });
    const next = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    expect(decodeJwt(next.jwt).header.kid).toBe(rotated.verificationMethod);
    expect(verifyEd25519Jws(next.jwt, (await registrar.agent.keyManagerGet({ kid: registrar.identity()!.signingKid })).publicKeyHex)).toBe(true);

    await registrar.revoke(issued.id);
    await registrar.publish();
    const report = await registrar.processOutbox({ force: true });
    expect(report.confirmed.length).toBeGreaterThan(0);
    expect(device.signed).toContainEqual({ kid: identity.anchorKid, algorithm: 'eth_signTransaction' });
    expect(device.importAttempts).toBe(0);

    expect((await queryDatabase<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM "private-key"'))[0]!.n).toBe(0);
    const kms = await queryDatabase<{ kms: string }>(home, 'SELECT DISTINCT "kms" FROM "key"');
    expect(kms.map((k) => k.kms)).toEqual(['hsm']);
  });
});
