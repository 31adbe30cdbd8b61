// The trust rules of bundles (docs/threat-model.md): a bundle is only as trustworthy as its signature; an
// unsigned bundle only fills gaps and never counts as fresh; a did:key document is always derived from
// the DID. Attack tokens are built with `jose`, not with our own signing code.
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base58Encode, base64UrlDecode, buildBundle, buildSignedBundle, didKeyFromEd25519PublicKey, readBundle } from '@cradle/core';
import type { AnchorRecord, BundleDidDocument, BundleList } from '@cradle/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/bundle.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import type { VerificationResult } from '../src/result.js';
import type { CheckpointState } from '../src/store.js';
import { addTrustedIssuer } from '../src/trust.js';
import { verifyCredential } from '../src/verify-credential.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { DAY, NOW, NOW_S, birthClaims, cached, issue, listUrl, makeDidKey, signList, world } from './helpers/fixtures.js';

const LEDGER = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 };
const CHALLENGE = { nonce: 'n-0123456789', domain: 'border-post-7.example' };
const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);

interface Mallory {
  key: KeyObject;
  publicKey: Uint8Array;
  did: string;
}
/** An attacker key made with node:crypto, used through jose. */
function mallory(): Mallory {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = base64UrlDecode(publicKey.export({ format: 'jwk' }).x!);
  return { key: privateKey, publicKey: raw, did: didKeyFromEd25519PublicKey(raw) };
}

async function joseToken(key: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(key);
}

/** A birth credential "from" `issuerDid`, signed by the attacker with jose. */
async function forgedCredential(m: Mallory, issuerDid: string, kid: string, subject: string, status: unknown): Promise<string> {
  return joseToken(m.key, { typ: 'vc+jwt', kid }, {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:0badc0de-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: issuerDid,
    validFrom: new Date((NOW_S - DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: subject, ...birthClaims() },
    credentialStatus: status,
    iss: issuerDid,
    sub: subject,
    iat: NOW_S - DAY,
    nbf: NOW_S - DAY,
  });
}

/** A DID document for `did` whose key is the attacker's. */
function hostileDocument(did: string, kid: string, m: Mallory): Record<string, unknown> {
  return {
    id: did,
    verificationMethod: [{ id: kid, type: 'Ed25519VerificationKey2018', controller: did, publicKeyBase58: base58Encode(m.publicKey) }],
    authentication: [kid],
    assertionMethod: [kid],
  };
}

/** An unsigned bundle as an attacker would write it: well-formed, claiming a creation time ten years ahead. */
function unsignedBundle(parts: { didDocuments?: BundleDidDocument[]; statusLists?: BundleList[]; anchors?: AnchorRecord[]; trustedIssuers?: string[] }): Uint8Array {
  return buildBundle({ createdAt: NOW_S + 10 * 365 * DAY, chainId: 31337, trustedIssuers: parts.trustedIssuers ?? [], didDocuments: parts.didDocuments ?? [], statusLists: parts.statusLists ?? [], anchors: parts.anchors ?? [] });
}

function statusOf(w: Awaited<ReturnType<typeof world>>): unknown[] {
  return [
    { id: `${w.revocation.url}#${w.revIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(w.revIndex), statusListCredential: w.revocation.url },
  ];
}

function emptyCheckpoint(extra: Partial<CheckpointState> = {}): MemoryVerifierStore {
  return new MemoryVerifierStore({ config: { maxStatusAge: DAY, ledger: LEDGER }, trust: { operator: [], removed: [] }, didDocuments: [], statusLists: [], anchors: [], ...extra });
}

describe('a did:key DID document is derived from the DID, never taken from a bundle or a store', () => {
  it("an unsigned bundle carrying a guardian's did:key document with the attacker's key does not let a stranger present the child", async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const m = mallory();
    const kid = `${w.guardian.did}#mallory`;
    const report = await importBundle(w.store, unsignedBundle({ didDocuments: [{ did: w.guardian.did, document: hostileDocument(w.guardian.did, kid, m), fetchedAt: NOW_S + DAY }] }), { now: NOW });
    expect(report.ignoredDidDocuments).toEqual([w.guardian.did]);
    const vp = await joseToken(m.key, { typ: 'vp+jwt', kid }, {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: w.guardian.did,
      verifiableCredential: [w.credential, w.guardianship].map((jwt) => ({ '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` })),
      iss: w.guardian.did,
      aud: CHALLENGE.domain,
      nonce: CHALLENGE.nonce,
      iat: NOW_S - 10,
      exp: NOW_S + 290,
    });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('invalid');
    expect(codes(r)).toContain('KEY_NOT_ISSUERS');
  });

  it('a did:key document already in the store (however it got there) is ignored: keys come from the DID', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const m = mallory();
    const kid = `${w.guardian.did}#mallory`;
    await w.store.write({ didDocuments: [{ did: w.guardian.did, document: hostileDocument(w.guardian.did, kid, m), fetchedAt: NOW_S }] });
    const vp = await joseToken(m.key, { typ: 'vp+jwt', kid }, {
      type: ['VerifiablePresentation'],
      holder: w.guardian.did,
      verifiableCredential: [w.credential, w.guardianship].map((jwt) => ({ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` })),
      iss: w.guardian.did,
      aud: CHALLENGE.domain,
      nonce: CHALLENGE.nonce,
      iat: NOW_S - 10,
      exp: NOW_S + 290,
    });
    expect((await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE })).outcome).not.toBe('valid');
  });

  it('a signed bundle does not bring did:key documents either, and exports never carry them', async () => {
    const operator = makeDidKey(700);
    const w = await world({ config: { ledger: LEDGER } });
    const m = mallory();
    await w.store.write({ didDocuments: [{ did: w.guardian.did, document: hostileDocument(w.guardian.did, `${w.guardian.did}#m`, m), fetchedAt: NOW_S }] });
    const bytes = await exportBundle(w.store, { now: NOW, signer: { did: operator.did, kid: operator.kid, sign: operator.sign } });
    const target = emptyCheckpoint({ config: { maxStatusAge: DAY, ledger: LEDGER, bundleKeyDid: operator.did } });
    const report = await importBundle(target, bytes, { now: NOW });
    expect(report.signed).toBe(true);
    expect((await target.load()).didDocuments.map((d) => d.did)).toEqual([w.registrar.did]);
  });
});

describe('an unsigned bundle only fills gaps: it never replaces or rolls back what this checkpoint has', () => {
  it("never replaces a synced registrar's DID document, whatever time it claims: a forged birth credential stays refused", async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const m = mallory();
    const kid = `${w.registrar.did}#delegate-1`;
    const doc = { did: w.registrar.did, document: hostileDocument(w.registrar.did, kid, m), fetchedAt: NOW_S + 365 * DAY, blockNumber: 1_000_000 };
    const report = await importBundle(w.store, unsignedBundle({ didDocuments: [doc] }), { now: NOW });
    expect(report).toMatchObject({ didDocuments: 0, ignoredDidDocuments: [w.registrar.did] });
    const forged = await forgedCredential(m, w.registrar.did, kid, w.child.did, statusOf(w));
    const r = await verifyCredential(forged, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['SIGNATURE_INVALID']);
  });

  it('a forged list with a forged newer anchor does not un-revoke a revoked credential', async () => {
    const w = await world({ config: { ledger: LEDGER }, revoked: [94_567] });
    const m = mallory();
    const kid = `${w.registrar.did}#delegate-1`;
    // The attacker signs a clean "version 9" of the revocation list with its own key, anchors it itself
    // (in the bundle), and brings a DID document that makes its key the registrar's.
    const forgedList = await signList({ registrar: { did: w.registrar.did, kid, sign: (d: Uint8Array) => new Uint8Array(nodeSign(null, d, m.key)), address: w.registrar.address } as never, url: w.revocation.url, purpose: 'revocation', version: 9 });
    const bundle = unsignedBundle({
      didDocuments: [{ did: w.registrar.did, document: hostileDocument(w.registrar.did, kid, m), fetchedAt: NOW_S, blockNumber: 10_000 }],
      statusLists: [{ jwt: forgedList.jwt, anchor: forgedList.anchor, checkedAt: NOW_S, checkedBlock: 10_000 }],
      anchors: [forgedList.anchor],
    });
    await importBundle(w.store, bundle, { now: NOW }).catch(() => undefined);
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['REVOKED']);
  });

  it("the registrar's own older list (a replayed version) does not roll back a revocation", async () => {
    const w = await world({ config: { ledger: LEDGER }, revoked: [94_567] });
    const v2 = await signList({ registrar: w.registrar, url: w.revocation.url, purpose: 'revocation', version: 2 });
    const report = await importBundle(w.store, unsignedBundle({ statusLists: [{ jwt: v2.jwt, anchor: v2.anchor, checkedAt: NOW_S + DAY }], anchors: [v2.anchor] }), { now: NOW });
    expect(report).toMatchObject({ statusLists: 0, skippedOlder: 1, ignoredAnchors: 1 });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['REVOKED']);
  });

  it('a genuinely signed but unanchored newer list with a forged anchor cannot advance past the anchor sync established', async () => {
    const w = await world({ config: { ledger: LEDGER }, revoked: [94_567] });
    const v4 = await signList({ registrar: w.registrar, url: w.revocation.url, purpose: 'revocation', version: 4 });
    const report = await importBundle(w.store, unsignedBundle({ statusLists: [{ jwt: v4.jwt, anchor: v4.anchor, checkedAt: NOW_S }], anchors: [v4.anchor] }), { now: NOW });
    expect(report).toMatchObject({ statusLists: 0, ignoredAnchors: 1 });
    expect((await w.store.load()).anchors.find((a) => a.listId === v4.anchor.listId)?.version).toBe(3);
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['REVOKED']);
  });

  it('it may deliver exactly the list the ledger anchored (as a mirror may): current as of the last sync', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    // Sync saw version 4 of the revocation list (revoking the credential) but could not fetch it.
    const v4 = await signList({ registrar: w.registrar, url: w.revocation.url, purpose: 'revocation', version: 4, set: [w.revIndex] });
    await w.store.write({ anchors: [v4.anchor], sync: { lastBlock: 130, syncedAt: NOW_S - 600, followed: [w.registrar.address] } });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['STATUS_STALE']);
    const report = await importBundle(w.store, unsignedBundle({ statusLists: [{ jwt: v4.jwt, anchor: v4.anchor, checkedAt: NOW_S + 999 * DAY }] }), { now: NOW });
    expect(report).toMatchObject({ statusLists: 1, unconfirmedStatusLists: 0 });
    const list = (await w.store.load()).statusLists.find((l) => l.url === w.revocation.url);
    expect(list).toMatchObject({ checkedAt: NOW_S - 600, checkedBlock: 130 });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['REVOKED']);
  });

  it('on a checkpoint that knows nothing, unsigned data never counts as fresh: it can prove revoked, never valid', async () => {
    const w = await world({ config: { ledger: LEDGER }, revoked: [7] });
    const target = emptyCheckpoint();
    await addTrustedIssuer(target, w.registrar.did, { now: NOW });
    const report = await importBundle(target, await exportBundle(w.store, { now: NOW }), { now: NOW });
    expect(report).toMatchObject({ signed: false, statusLists: 2, unconfirmedStatusLists: 2, didDocuments: 1 });
    const r = await verifyCredential(w.credential, { store: target, now: NOW });
    expect(r.outcome).toBe('indeterminate');
    expect(codes(r)).toEqual(['STATUS_STALE']);
    expect(r.errors[0]?.message).toMatch(/unsigned bundle/);
    const revoked = issue({ issuer: w.registrar, subject: w.child.did, status: { revocation: { url: w.revocation.url, index: 7 } } });
    expect(codes(await verifyCredential(revoked, { store: target, now: NOW }))).toEqual(['REVOKED']);
  });

  it('unconfirmed data is not re-exported: a signed export cannot launder it', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const middle = emptyCheckpoint();
    await importBundle(middle, await exportBundle(w.store, { now: NOW }), { now: NOW });
    const again = JSON.parse(new TextDecoder().decode(await exportBundle(middle, { now: NOW }))) as { statusLists: unknown[]; didDocuments: unknown[] };
    expect(again).toMatchObject({ statusLists: [], didDocuments: [] });
  });
});

describe('a signed bundle replaces data only with newer ledger facts', () => {
  it('a signed bundle with an older DID document or list (a replay) changes nothing, whatever times it claims', async () => {
    const operator = makeDidKey(701);
    const signer = { did: operator.did, kid: operator.kid, sign: operator.sign };
    const old = await world({ config: { ledger: LEDGER } });
    const target = await world({ config: { ledger: LEDGER, bundleKeyDid: operator.did }, revoked: [94_567] });
    // The target is ahead: revocation list version 4, DID document from block 150.
    const v4 = await signList({ registrar: target.registrar, url: listUrl('r4nd0mRev'), purpose: 'revocation', version: 4, set: [94_567] });
    await target.store.write({ statusLists: [cached(v4, target.registrar.did)], anchors: [v4.anchor], didDocuments: [{ did: target.registrar.did, document: target.registrar.document, fetchedAt: NOW_S - 7200, blockNumber: 150 }] });
    const exported = readBundle(await exportBundle(old.store, { now: NOW }));
    if (!('contents' in exported)) throw new Error('the export is not an unsigned bundle');
    const replay = {
      ...exported.contents,
      didDocuments: exported.contents.didDocuments.map((d) => ({ ...d, fetchedAt: NOW_S })),
      statusLists: exported.contents.statusLists.map((l) => ({ ...l, checkedAt: NOW_S })),
    };
    const report = await importBundle(target.store, await buildSignedBundle(replay, signer), { now: NOW });
    expect(report).toMatchObject({ signed: true, didDocuments: 0, statusLists: 0, skippedOlder: 2 });
    expect(codes(await verifyCredential(target.credential, { store: target.store, now: NOW }))).toEqual(['REVOKED']);
    expect((await target.store.getDidDocument(target.registrar.did))?.blockNumber).toBe(150);
  });

  it('an operator key pinned at init (bundleKeyDid) signs bundles this checkpoint trusts; another key is refused', async () => {
    const operator = makeDidKey(702);
    const w = await world({ config: { ledger: LEDGER } });
    const target = emptyCheckpoint({ config: { maxStatusAge: DAY, ledger: LEDGER, bundleKeyDid: operator.did } });
    const report = await importBundle(target, await exportBundle(w.store, { now: NOW, signer: { did: operator.did, kid: operator.kid, sign: operator.sign } }), { now: NOW });
    expect(report).toMatchObject({ signed: true, signedBy: operator.did, trustedIssuers: [w.registrar.did], unconfirmedStatusLists: 0 });
    expect((await verifyCredential(w.credential, { store: target, now: NOW })).outcome).toBe('valid');
    const other = makeDidKey(703);
    await expect(importBundle(emptyCheckpoint({ config: { maxStatusAge: DAY, ledger: LEDGER, bundleKeyDid: operator.did } }), await exportBundle(w.store, { now: NOW, signer: { did: other.did, kid: other.kid, sign: other.sign } }), { now: NOW })).rejects.toThrow(/not by this checkpoint's governance authority or bundle key/);
    await expect(importBundle(emptyCheckpoint({ config: { maxStatusAge: DAY, ledger: LEDGER, bundleKeyDid: operator.did } }), await exportBundle(w.store, { now: NOW }), { now: NOW })).rejects.toThrow(/only accepts bundles signed/);
  });
});
