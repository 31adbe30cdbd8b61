// JsonWebKey / JsonWebKey2020 verification methods with publicKeyJwk (VC-JOSE-COSE §3.3) are read wherever
// the checkpoint reads a DID document: a synced registrar document, a did:web document, a signed trust
// bundle. Keys are made by node:crypto (OpenSSL) and tokens signed by jose where jose supports the curve.
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64UrlEncode } from '@cradle/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/bundle.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import type { VerificationResult } from '../src/result.js';
import { verifyCredential } from '../src/verify-credential.js';
import { DAY, NOW, NOW_S, birthClaims, issue, makeDidKey, world } from './helpers/fixtures.js';
import type { World } from './helpers/fixtures.js';

const LEDGER = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 };
const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);

/** The registrar's DID document with its signing key written as `type` + `publicKeyJwk` (plus extra methods). */
async function jwkDocument(w: World, type: 'JsonWebKey' | 'JsonWebKey2020', extra: Record<string, unknown>[] = []): Promise<void> {
  const did = w.registrar.did;
  const doc = {
    ...w.registrar.document,
    verificationMethod: [
      { id: w.registrar.kid, type, controller: did, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(w.registrar.publicKey) } },
      ...extra,
    ],
    assertionMethod: [w.registrar.kid, ...extra.map((m) => m.id)],
  };
  await w.store.write({ didDocuments: [{ did, document: doc, fetchedAt: NOW_S - 3600, blockNumber: 120 }] });
}

function statusOf(w: World) {
  return { revocation: { url: w.revocation.url, index: w.revIndex }, suspension: { url: w.suspension.url, index: w.susIndex } };
}

/** A vc+jwt signed by jose with `key` under `kid` (header `alg`). */
async function joseCredential(w: World, key: KeyObject, alg: 'EdDSA' | 'ES256', kid: string): Promise<string> {
  const status = statusOf(w);
  const entries = (['revocation', 'suspension'] as const).map((purpose) => ({
    id: `${status[purpose].url}#${status[purpose].index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(status[purpose].index),
    statusListCredential: status[purpose].url,
  }));
  return new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:6f0c2a3e-1d4b-4c5e-8f6a-7b8c9d0e1f2a',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: w.registrar.did,
    validFrom: new Date((NOW_S - DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: w.child.did, ...birthClaims() },
    credentialStatus: entries,
    iss: w.registrar.did,
    sub: w.child.did,
    iat: NOW_S - DAY,
    nbf: NOW_S - DAY,
  })
    .setProtectedHeader({ alg, typ: 'vc+jwt', kid })
    .sign(key);
}

function ecJwk(curve: 'P-256' | 'secp256k1'): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve === 'P-256' ? 'prime256v1' : 'secp256k1' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, jwk: { kty, crv, x, y } };
}

describe('JsonWebKey verification methods in a registrar DID document', () => {
  it('an Ed25519 key as JsonWebKey (publicKeyJwk, OKP) verifies the registrar\'s credentials; so does JsonWebKey2020', async () => {
    for (const type of ['JsonWebKey', 'JsonWebKey2020'] as const) {
      const w = await world();
      await jwkDocument(w, type);
      const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
      expect(r.errors, type).toEqual([]);
      expect(r.outcome).toBe('valid');
    }
  });

  it('a P-256 JsonWebKey verifies an ES256 credential signed by jose; a secp256k1 one an ES256K credential signed by OpenSSL', async () => {
    const w = await world();
    const p256 = ecJwk('P-256');
    const k256 = ecJwk('secp256k1');
    const p256Kid = `${w.registrar.did}#p256`;
    const k256Kid = `${w.registrar.did}#k256`;
    await jwkDocument(w, 'JsonWebKey', [
      { id: p256Kid, type: 'JsonWebKey', controller: w.registrar.did, publicKeyJwk: p256.jwk },
      { id: k256Kid, type: 'JsonWebKey2020', controller: w.registrar.did, publicKeyJwk: k256.jwk },
    ]);
    expect((await verifyCredential(await joseCredential(w, p256.privateKey, 'ES256', p256Kid), { store: w.store, now: NOW })).errors).toEqual([]);
    const es256k = issue({
      issuer: { ...w.registrar, kid: k256Kid, sign: (d) => new Uint8Array(nodeSign('sha256', d, { key: k256.privateKey, dsaEncoding: 'ieee-p1363' })) },
      subject: w.child.did,
      status: statusOf(w),
      header: { alg: 'ES256K' },
    });
    expect((await verifyCredential(es256k, { store: w.store, now: NOW })).errors).toEqual([]);
  });

  it('a JsonWebKey marked for encryption, carrying a private part, off its curve, or of another curve than its type says is not a signing key', async () => {
    const p256 = ecJwk('P-256');
    const kid = (w: World): string => `${w.registrar.did}#p256`;
    const cases: [string, (w: World) => Record<string, unknown>][] = [
      ['use: enc', (w) => ({ id: kid(w), type: 'JsonWebKey', controller: w.registrar.did, publicKeyJwk: { ...p256.jwk, use: 'enc' } })],
      ['private part', (w) => ({ id: kid(w), type: 'JsonWebKey', controller: w.registrar.did, publicKeyJwk: { ...p256.jwk, d: base64UrlEncode(new Uint8Array(32).fill(7)) } })],
      ['off the curve', (w) => ({ id: kid(w), type: 'JsonWebKey', controller: w.registrar.did, publicKeyJwk: { ...p256.jwk, y: base64UrlEncode(new Uint8Array(32).fill(1)) } })],
      ['type says Ed25519', (w) => ({ id: kid(w), type: 'Ed25519VerificationKey2018', controller: w.registrar.did, publicKeyJwk: p256.jwk })],
    ];
    for (const [name, method] of cases) {
      const w = await world();
      await jwkDocument(w, 'JsonWebKey', [method(w)]);
      const r = await verifyCredential(await joseCredential(w, p256.privateKey, 'ES256', kid(w)), { store: w.store, now: NOW });
      expect(r.outcome, name).toBe('invalid');
      expect(codes(r), name).toEqual(['KEY_NOT_ISSUERS']);
    }
  });
});

describe('JsonWebKey documents travel in signed trust bundles', () => {
  it('a checkpoint that never connects verifies the credential with the JsonWebKey document a signed bundle brought', async () => {
    const operator = makeDidKey(700);
    const w = await world({ config: { ledger: LEDGER } });
    await jwkDocument(w, 'JsonWebKey');
    const bytes = await exportBundle(w.store, { now: NOW, signer: { did: operator.did, kid: operator.kid, sign: operator.sign } });
    const target = new MemoryVerifierStore({ config: { maxStatusAge: DAY, ledger: LEDGER, bundleKeyDid: operator.did }, trust: { operator: [], removed: [] }, didDocuments: [], statusLists: [], anchors: [] });
    expect(await importBundle(target, bytes, { now: NOW })).toMatchObject({ signed: true });
    const doc = (await target.load()).didDocuments.find((d) => d.did === w.registrar.did)?.document as { verificationMethod: { type: string }[] };
    expect(doc.verificationMethod[0]!.type).toBe('JsonWebKey');
    const r = await verifyCredential(w.credential, { store: target, now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('valid');
    // …and a credential signed by another Ed25519 key under the same kid stays refused.
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(codes(await verifyCredential(await joseCredential(w, privateKey, 'EdDSA', w.registrar.kid), { store: target, now: NOW }))).toEqual(['SIGNATURE_INVALID']);
  });
});
