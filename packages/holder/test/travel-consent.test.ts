import { afterEach, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import { decodeJws, readTravelConsent } from '@cradle/core';
import { createWallet, ed25519PublicKeyFromDidKey } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { NOW, SECRET, fixedNow, issue, tempDir } from './fixtures.js';

const open: Wallet[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

async function wallet(): Promise<Wallet> {
  const w = await createWallet({ home: await tempDir(), secret: SECRET, now: fixedNow });
  open.push(w);
  return w;
}

const UNTIL = new Date('2026-12-31T23:59:59Z');

describe('travel consent in the wallet', () => {
  it("the staying parent signs with her own key; the travelling parent's wallet imports it and presents it", async () => {
    const mothers = await wallet();
    const { did: mother } = await mothers.createDid({ label: 'Grace' });
    const family = await wallet();
    const { did: child } = await family.createDid({ label: 'Amina' });
    const { did: father } = await family.createDid({ label: 'Peter' });
    await family.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child }));
    await family.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: mother, role: 'mother' }, { id: father, role: 'father' }] }));

    const consent = await mothers.consent({ child, by: 'Grace', traveller: father, countries: ['ug', 'TZ'], until: UNTIL });
    expect(consent).toMatchObject({ child, by: mother, traveller: father, countries: ['UG', 'TZ'], validFrom: '2026-11-23T10:00:00Z', validUntil: '2026-12-31T23:59:59Z' });
    const decoded = decodeJws(consent.jwt, { expectedTyp: 'vc+jwt' });
    expect(ed25519.verify(decoded.signature, decoded.signingInput, ed25519PublicKeyFromDidKey(mother))).toBe(true);
    expect(readTravelConsent(decoded.payload).ok).toBe(true);

    const imported = await family.importCredential(consent.jwt);
    expect(imported.credential).toMatchObject({ type: 'TravelConsentCredential', subject: child, issuer: mother, travelConsent: { by: mother, traveller: father, countries: ['UG', 'TZ'] } });

    const p = await family.present({ child, guardian: father, nonce: 'n-1', domain: 'border.example' });
    expect(p.consentIds).toEqual([consent.id]);
    const carried = (decodeJws(p.jwt, { expectedTyp: 'vp+jwt' }).payload.verifiableCredential as { id: string }[]).map((e) => e.id);
    expect(carried).toHaveLength(3);
    expect(carried[2]).toBe(`data:application/vc+jwt,${consent.jwt}`);
  });

  it('a consent naming another traveller is not carried by this presenter', async () => {
    const family = await wallet();
    const { did: child } = await family.createDid();
    const { did: mother } = await family.createDid();
    const { did: father } = await family.createDid();
    await family.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child }));
    await family.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: mother, role: 'mother' }, { id: father, role: 'father' }] }));
    await family.importCredential((await family.consent({ child, by: mother, traveller: father, countries: ['UG'], until: UNTIL })).jwt);
    expect((await family.present({ child, guardian: mother, nonce: 'n-1', domain: 'border.example' })).consentIds).toEqual([]);
    expect((await family.present({ child, guardian: father, nonce: 'n-1', domain: 'border.example' })).consentIds).toHaveLength(1);
  });

  it('refuses to sign for a guardian whose key is not in this wallet, and bad input, with what to fix', async () => {
    const w = await wallet();
    const { did: child } = await w.createDid();
    const { did: me } = await w.createDid();
    const other = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';
    await expect(w.consent({ child, by: other, traveller: me, countries: ['UG'], until: UNTIL })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(w.consent({ child, by: me, traveller: other, countries: ['Uganda'], until: UNTIL })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(w.consent({ child, by: me, traveller: other, countries: ['UG'], until: new Date(NOW.getTime() - 1000) })).rejects.toThrow(/before it starts/);
  });

  it('a consent addressed to nobody in this wallet is refused at import', async () => {
    const mothers = await wallet();
    const { did: mother } = await mothers.createDid();
    const { did: child } = await mothers.createDid();
    const c = await mothers.consent({ child, by: mother, traveller: 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH', countries: ['UG'], until: UNTIL });
    const stranger = await wallet();
    await stranger.createDid();
    await expect(stranger.importCredential(c.jwt)).rejects.toMatchObject({ code: 'SUBJECT_NOT_IN_WALLET' });
  });
});
