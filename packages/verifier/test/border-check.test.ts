// The border check (Schengen Borders Code Annex VII.6): the verdict names the presenting adult and the
// identity document to compare, from the guardianship credential the registrar signed.
import { base58Decode, buildTravelConsent, decodeJws } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { Resolver } from 'did-resolver';
import type { ResolverRegistry } from 'did-resolver';
import { compactVerify, importJWK } from 'jose';
import { getResolver } from 'key-did-resolver';
import { describe, expect, it } from 'vitest';
import { presenterInstruction } from '../src/presenter.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { NOW, NOW_S, issue, makeDidKey, present, signRaw, world } from './helpers/fixtures.js';
import type { Signer } from './helpers/fixtures.js';

const CHALLENGE = { nonce: 'n-0123456789', domain: 'border-post-7.example' };
const GRACE_DOC = { type: 'passport', country: 'KE', number: 'AK1234567' } as const;

async function withRecordedGuardians(guardians: (w: Awaited<ReturnType<typeof world>>) => Record<string, unknown>[]) {
  const w = await world();
  const status = { revocation: { url: w.revocation.url, index: 77 }, suspension: { url: w.suspension.url, index: 78 } };
  const guardianship = issue({ issuer: w.registrar, subject: w.child.did, type: 'GuardianshipCredential', claims: { guardians: guardians(w) }, status });
  return { w, guardianship };
}

describe('the presenter is named with the identity document to check', () => {
  it("facts carry the presenter's recorded role, name and document", async () => {
    const { w, guardianship } = await withRecordedGuardians((w) => [{ id: w.guardian.did, role: 'mother', name: 'Grace Akinyi Otieno', document: GRACE_DOC }]);
    const r = await verifyPresentation(present({ holder: w.guardian, credentials: [w.credential, guardianship] }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r.facts?.guardian).toEqual({ did: w.guardian.did, isListedGuardian: true, role: 'mother', name: 'Grace Akinyi Otieno', document: GRACE_DOC });
    expect(presenterInstruction(r.facts?.guardian)).toBe("Check the adult's passport (KE): number AK1234567, name Grace Akinyi Otieno");
  });

  it('names the presenting guardian, not another one listed in the same credential', async () => {
    const father = makeDidKey(9);
    const { w, guardianship } = await withRecordedGuardians((w) => [
      { id: w.guardian.did, role: 'mother', name: 'Grace Akinyi Otieno', document: GRACE_DOC },
      { id: father.did, role: 'father', name: 'Peter Otieno', document: { type: 'national-id', country: 'UG', number: 'CM900123' } },
    ]);
    const r = await verifyPresentation(present({ holder: father, credentials: [w.credential, guardianship] }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('valid');
    expect(presenterInstruction(r.facts?.guardian)).toBe("Check the adult's national ID card (UG): number CM900123, name Peter Otieno");
  });

  it('a guardianship credential without recorded documents gives no instruction (nothing invented)', async () => {
    const w = await world();
    const r = await verifyPresentation(present({ holder: w.guardian, credentials: [w.credential, w.guardianship] }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.facts?.guardian).toEqual({ did: w.guardian.did, isListedGuardian: true, role: 'mother' });
    expect(presenterInstruction(r.facts?.guardian)).toBeUndefined();
  });

  it('a tampered guardianship credential (document number changed) is rejected and vouches for nothing', async () => {
    const { w, guardianship } = await withRecordedGuardians((w) => [{ id: w.guardian.did, role: 'mother', name: 'Grace Akinyi Otieno', document: GRACE_DOC }]);
    const [h, p, s] = guardianship.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { credentialSubject: { guardians: { document: { number: string } }[] } };
    payload.credentialSubject.guardians[0]!.document.number = 'ZZ0000001';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const r = await verifyPresentation(present({ holder: w.guardian, credentials: [w.credential, forged] }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toContain('SIGNATURE_INVALID');
    expect(r.facts?.guardian?.document).toBeUndefined();
    expect(r.facts?.guardian?.isListedGuardian).toBe(false);
  });

  it('the instruction strips characters that could hide or reorder what the officer reads', () => {
    const line = presenterInstruction({
      did: 'did:key:z6Mk',
      isListedGuardian: true,
      name: 'Grace\u202e Otieno\u001b[2J\u0007',
      document: { type: 'passport', country: 'KE', number: 'AK1\u200b234' },
    });
    expect(line).toBe("Check the adult's passport (KE): number AK1234, name Grace Otieno");
  });
});

describe('travel consent: one parent travels with the child', () => {
  const DAY_S = 86_400;
  async function family() {
    const father = makeDidKey(9);
    const stranger = makeDidKey(10);
    const built = await withRecordedGuardians((w) => [
      { id: w.guardian.did, role: 'mother', name: 'Grace Akinyi Otieno', document: GRACE_DOC },
      { id: father.did, role: 'father', name: 'Peter Ochieng Otieno', document: { type: 'national-id', country: 'KE', number: 'KE30556172' } },
    ]);
    return { ...built, father, stranger, mother: built.w.guardian };
  }
  type Fam = Awaited<ReturnType<typeof family>>;
  function consent(f: Fam, opts: { signer?: Signer; child?: string; traveller?: string; countries?: string[]; from?: number; until?: number } = {}): string {
    const signer = opts.signer ?? f.mother;
    const { header, payload } = buildTravelConsent({
      by: signer.did,
      child: opts.child ?? f.w.child.did,
      traveller: opts.traveller ?? f.father.did,
      countries: opts.countries ?? ['UG', 'TZ'],
      validFrom: new Date((opts.from ?? NOW_S - DAY_S) * 1000),
      validUntil: new Date((opts.until ?? NOW_S + 10 * DAY_S) * 1000),
    });
    return signRaw(header, payload, signer.sign);
  }
  const check = (f: Fam, consents: string[], extra: { requireTravelConsent?: boolean; destination?: string } = {}) =>
    verifyPresentation(present({ holder: f.father, credentials: [f.w.credential, f.guardianship, ...consents] }), { store: f.w.store, now: NOW, ...CHALLENGE, ...extra });

  it('policy on, one parent presents with no consent from the other: invalid, TRAVEL_CONSENT_MISSING naming who must consent', async () => {
    const f = await family();
    const r = await check(f, [], { requireTravelConsent: true, destination: 'UG' });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
    expect(r.errors[0]!.message).toMatch(/no valid consent from the mother \(Grace Akinyi Otieno\) \(none was shown\)/);
    expect(r.facts?.travelConsent).toEqual({ required: true, destination: 'UG', from: [{ did: f.mother.did, role: 'mother', name: 'Grace Akinyi Otieno', given: false }] });
  });

  it('policy on, a matching consent from the other parent: valid, and the facts say it counts', async () => {
    const f = await family();
    const r = await check(f, [consent(f)], { requireTravelConsent: true, destination: 'ug' });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('valid');
    expect(r.facts?.consents).toEqual([
      expect.objectContaining({ by: f.mother.did, byRole: 'mother', byName: 'Grace Akinyi Otieno', traveller: f.father.did, countries: ['UG', 'TZ'], counts: true }),
    ]);
    expect(r.facts?.travelConsent?.from).toEqual([expect.objectContaining({ did: f.mother.did, given: true })]);
  });

  it.each([
    ['for other countries', (f: Fam) => consent(f, { countries: ['RW'] }), 'CONSENT_DESTINATION_MISMATCH'],
    ['expired', (f: Fam) => consent(f, { from: NOW_S - 30 * DAY_S, until: NOW_S - DAY_S }), 'EXPIRED'],
    ['not yet valid', (f: Fam) => consent(f, { from: NOW_S + DAY_S, until: NOW_S + 3 * DAY_S }), 'NOT_YET_VALID'],
    ['signed by someone not listed as a guardian', (f: Fam) => consent(f, { signer: f.stranger }), 'CONSENT_NOT_FROM_GUARDIAN'],
    ['naming another traveller', (f: Fam) => consent(f, { traveller: f.stranger.did }), 'CONSENT_TRAVELLER_MISMATCH'],
    ['for another child', (f: Fam) => consent(f, { child: f.stranger.did }), 'SUBJECT_MISMATCH'],
  ])('a consent %s does not count: policy on -> TRAVEL_CONSENT_MISSING', async (_name, make, reason) => {
    const f = await family();
    const r = await check(f, [make(f)], { requireTravelConsent: true, destination: 'UG' });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
    expect(r.facts?.consents?.[0]).toMatchObject({ counts: false, reason: { code: reason } });
    // Without the policy the same presentation is valid, and the facts still say which consent was shown and why it does not count.
    const off = await check(f, [make(f)], { destination: 'UG' });
    expect(off.outcome).toBe('valid');
    expect(off.facts?.consents?.[0]).toMatchObject({ counts: false, reason: { code: reason } });
  });

  it("the travelling parent's consent to their own trip does not count", async () => {
    const f = await family();
    const { header, payload } = buildTravelConsent({ by: f.mother.did, child: f.w.child.did, traveller: f.stranger.did, countries: ['UG'], validFrom: new Date(NOW - 1000), validUntil: new Date(NOW + 86_400_000) });
    // Built by hand (buildTravelConsent refuses it): the father signs "consent" for himself.
    const own = { ...payload, issuer: f.father.did, iss: f.father.did, credentialSubject: { ...payload.credentialSubject, traveller: f.father.did } };
    const r = await check(f, [signRaw({ ...header, kid: f.father.kid }, own, f.father.sign)], { requireTravelConsent: true });
    expect(r.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
    expect(r.facts?.consents?.[0]).toMatchObject({ by: f.father.did, counts: false, reason: { code: 'CONSENT_TRAVELLER_MISMATCH' } });
  });

  it('a consent from a guardian whose guardianship credential is revoked does not count', async () => {
    const f = await family();
    const revoked = await world({ revoked: [77] });
    // Same registrar and lists (deterministic fixtures): index 77 of the guardianship above is now revoked.
    const r = await verifyPresentation(present({ holder: f.father, credentials: [f.w.credential, f.guardianship, consent(f)] }), { store: revoked.store, now: NOW, ...CHALLENGE, requireTravelConsent: true });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toContain('REVOKED');
    expect(r.facts?.consents?.[0]).toMatchObject({ counts: false, reason: { code: 'CONSENT_NOT_FROM_GUARDIAN' } });
  });

  // Headers core's JOSE parser lets through and the verifier's header policy refuses for every token.
  it.each(['zip', 'enc', 'x5t'])('a consent signed by the guardian but carrying a "%s" header is refused like any token (MALFORMED)', async (h) => {
    const f = await family();
    const { header, payload } = buildTravelConsent({ by: f.mother.did, child: f.w.child.did, traveller: f.father.did, countries: ['UG'], validFrom: new Date(NOW - 1000), validUntil: new Date(NOW + 86_400_000) });
    const smuggled = signRaw({ ...header, [h]: h === 'zip' ? 'DEF' : h === 'enc' ? 'A256GCM' : 'AAAA' }, payload, f.mother.sign);
    const r = await check(f, [smuggled], { requireTravelConsent: true, destination: 'UG' });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['MALFORMED', 'TRAVEL_CONSENT_MISSING']);
    expect(r.facts?.consents ?? []).toEqual([]);
  });

  it('a forged consent (altered after signing) makes the presentation invalid', async () => {
    const f = await family();
    const [h, p, s] = consent(f, { countries: ['RW'] }).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { credentialSubject: { countries: string[] } };
    payload.credentialSubject.countries = ['UG'];
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const r = await check(f, [forged], { requireTravelConsent: true, destination: 'UG' });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID', 'TRAVEL_CONSENT_MISSING']);
  });

  it('the policy comes from the checkpoint config unless the call overrides it', async () => {
    const f = await family();
    await f.w.store.write({ config: { maxStatusAge: DAY_S, requireTravelConsent: true } });
    expect((await check(f, [])).errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
    expect((await check(f, [], { requireTravelConsent: false })).outcome).toBe('valid');
  });

  it('a sole listed guardian needs no consent; a custodial organisation is not a parent whose consent is needed', async () => {
    const ngo = makeDidKey(11);
    const { w, guardianship } = await withRecordedGuardians((w) => [
      { id: w.guardian.did, role: 'mother' },
      { id: ngo.did, role: 'custodial-organisation' },
    ]);
    const r = await verifyPresentation(present({ holder: w.guardian, credentials: [w.credential, guardianship] }), { store: w.store, now: NOW, ...CHALLENGE, requireTravelConsent: true });
    expect(r.errors).toEqual([]);
    expect(r.facts?.travelConsent).toEqual({ required: true, from: [] });
  });

  it('a bad destination is a caller mistake', async () => {
    const f = await family();
    await expect(check(f, [], { destination: 'Uganda' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('interop: a travel consent checks out with libraries we did not write', () => {
  it("key-did-resolver resolves the consent's kid to the key whose signature noble and jose verify", async () => {
    const mother = makeDidKey(21);
    const { header, payload } = buildTravelConsent({
      by: mother.did,
      child: makeDidKey(22).did,
      traveller: makeDidKey(23).did,
      countries: ['UG'],
      validFrom: new Date(NOW),
      validUntil: new Date(NOW + 86_400_000),
    });
    const jwt = signRaw(header, payload, mother.sign);
    const resolved = await new Resolver(getResolver() as ResolverRegistry).resolve(mother.did);
    const methods = (resolved.didDocument?.verificationMethod ?? []) as { id: string; publicKeyBase58?: string }[];
    const method = methods.find((m) => m.id === header.kid);
    expect(method, `kid ${String(header.kid)} among ${methods.map((m) => m.id).join(', ')}`).toBeDefined();
    expect(resolved.didDocument?.assertionMethod).toContain(header.kid);
    const d = decodeJws(jwt, { expectedTyp: 'vc+jwt' });
    const publicKey = base58Decode(method!.publicKeyBase58!)!;
    expect(ed25519.verify(d.signature, d.signingInput, publicKey)).toBe(true);
    // And panva/jose verifies the compact JWS with that key, reading the same header and payload.
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, 'EdDSA');
    const verified = await compactVerify(jwt, key);
    expect(verified.protectedHeader).toEqual(header);
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
  });
});
