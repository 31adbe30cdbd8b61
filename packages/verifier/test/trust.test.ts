import { isCradleError } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { addTrustedIssuer, removeTrustedIssuer, trustDecision, trustedIssuers } from '../src/trust.js';
import { importTrustList, signTrustList } from '../src/trust-list.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { verifyCredential } from '../src/verify-credential.js';
import { NOW, makeDidKey, makeRegistrar, world } from './helpers/fixtures.js';

const governance = makeDidKey(500);

async function trustList(version: number, registrars: { did: string; status: 'accredited' | 'revoked'; name?: string; country?: string }[], signer = governance): Promise<string> {
  return signTrustList({ issuer: governance.did, kid: `${governance.did}#${governance.did.slice(8)}`, version, registrars, sign: signer.sign, now: NOW });
}

describe('operator trust store', () => {
  it('adds and removes registrars; did:ethr DIDs are compared in canonical lowercase form', async () => {
    const store = new MemoryVerifierStore();
    const did = makeRegistrar(1).did;
    const mixed = did.replace(/0x([0-9a-f]{40})$/, (_, a: string) => `0x${a.toUpperCase()}`);
    expect(await addTrustedIssuer(store, mixed, { now: NOW })).toBe(true);
    expect(await addTrustedIssuer(store, did, { now: NOW })).toBe(false);
    expect(trustedIssuers(await store.getTrust())).toEqual([did]);
    expect(await removeTrustedIssuer(store, did)).toBe(true);
    expect(trustedIssuers(await store.getTrust())).toEqual([]);
  });

  it('refuses something that is not a DID (caller mistake)', async () => {
    await expect(addTrustedIssuer(new MemoryVerifierStore(), 'registrar.example')).rejects.toThrow(/not a DID/);
  });
});

describe('governance trust list (signed file)', () => {
  it('a de-accredited registrar is rejected everywhere, even where the operator trusts it', async () => {
    const w = await world({ config: { governanceDid: governance.did } });
    await importTrustList(w.store, await trustList(1, [{ did: w.registrar.did, status: 'revoked' }]), { now: NOW });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(r.errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED']);
  });

  it('an accredited registrar is trusted without an operator entry', async () => {
    const w = await world({ config: { governanceDid: governance.did }, trust: { operator: [], removed: [] } });
    await importTrustList(w.store, await trustList(1, [{ did: w.registrar.did, status: 'accredited' }]), { now: NOW });
    expect((await verifyCredential(w.credential, { store: w.store, now: NOW })).outcome).toBe('valid');
    // ... and an operator can still opt out locally.
    await removeTrustedIssuer(w.store, w.registrar.did);
    expect(trustDecision(await w.store.getTrust(), w.registrar.did)).toEqual({ trusted: false, reason: 'removed' });
  });

  it('an entry carries the registrar\'s display name and country, for officers', async () => {
    const w = await world({ config: { governanceDid: governance.did } });
    const list = await importTrustList(w.store, await trustList(1, [{ did: w.registrar.did, status: 'accredited', name: 'Kisumu Civil Registration Office', country: 'KE' }]), { now: NOW });
    expect(list.registrars).toEqual([{ did: w.registrar.did, status: 'accredited', name: 'Kisumu Civil Registration Office', country: 'KE' }]);
  });

  it('a country that is not an ISO 3166-1 alpha-2 code is refused, and nothing changes', async () => {
    const w = await world({ config: { governanceDid: governance.did } });
    const before = await w.store.getTrust();
    for (const country of ['Kenya', 'ke', 'KEN']) {
      await expect(importTrustList(w.store, await trustList(1, [{ did: w.registrar.did, status: 'accredited', country }]), { now: NOW })).rejects.toThrow(/bad country/);
    }
    expect(await w.store.getTrust()).toBe(before);
  });

  it('an older list than the one in use is refused (rollback)', async () => {
    const w = await world({ config: { governanceDid: governance.did } });
    await importTrustList(w.store, await trustList(3, []), { now: NOW });
    await expect(importTrustList(w.store, await trustList(2, []), { now: NOW })).rejects.toThrow(/older/);
  });

  it('a list not signed by the governance authority is refused, and nothing changes', async () => {
    const w = await world({ config: { governanceDid: governance.did } });
    const before = await w.store.getTrust();
    const forged = await trustList(9, [{ did: w.registrar.did, status: 'revoked' }], makeDidKey(501));
    await expect(importTrustList(w.store, forged, { now: NOW })).rejects.toSatisfy((e: unknown) => isCradleError(e, 'INVALID_ARGUMENT'));
    expect(await w.store.getTrust()).toBe(before);
  });

  it('without a configured governance authority, importing is a configuration error', async () => {
    const w = await world();
    await expect(importTrustList(w.store, await trustList(1, []), { now: NOW })).rejects.toSatisfy((e: unknown) => isCradleError(e, 'CONFIG_INVALID'));
  });
});
