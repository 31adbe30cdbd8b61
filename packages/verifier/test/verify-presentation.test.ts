import { encodeQrPayload } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import type { VerificationResult } from '../src/result.js';
import { verify } from '../src/verify.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { NOW, NOW_S, issue, issueGuardianship, makeDidKey, present, world } from './helpers/fixtures.js';

const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);
const CHALLENGE = { nonce: 'n-0123456789', domain: 'border-post-7.example' };

describe('verifyPresentation: a guardian presents the child at a checkpoint', () => {
  it('a fresh presentation by a listed guardian, with the checkpoint nonce and domain, is valid', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', verified: true, kind: 'presentation', bearer: false });
    expect(r.facts?.guardian).toEqual({ did: w.guardian.did, isListedGuardian: true, role: 'mother' });
    expect(r.facts?.child?.givenName).toBe('Amina Wanjiru');
    expect(r.statusAge?.seconds).toBe(3600);
  });

  it('verify() recognises a presentation (also from its QR payload) and a bare credential', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship] });
    const r = await verify(encodeQrPayload(vp), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r).toMatchObject({ kind: 'presentation', outcome: 'valid' });
    const c = await verify(w.credential, { store: w.store, now: NOW });
    expect(c).toMatchObject({ kind: 'credential', bearer: true, outcome: 'valid' });
  });
});

describe('verifyPresentation: replay protection', () => {
  it('a wrong nonce is refused (CHALLENGE_MISMATCH)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], nonce: 'old-nonce' });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['CHALLENGE_MISMATCH']);
  });

  it('checking without the checkpoint nonce is refused (CHALLENGE_MISMATCH)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship] });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, domain: CHALLENGE.domain }))).toEqual(['CHALLENGE_MISMATCH']);
  });

  it('a presentation made for another checkpoint is refused (DOMAIN_MISMATCH)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], aud: 'bus-station-2.example' });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['DOMAIN_MISMATCH']);
  });

  it('an expired presentation is refused (PRESENTATION_EXPIRED)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], iat: NOW_S - 3600, exp: NOW_S - 3300 });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['PRESENTATION_EXPIRED']);
  });

  it('a presentation with a far-off expiry but an old iat is refused (PRESENTATION_EXPIRED)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], iat: NOW_S - 7200, exp: NOW_S + 86_400 });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['PRESENTATION_EXPIRED']);
  });

  it('a presentation dated in the future is refused (PRESENTATION_EXPIRED)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], iat: NOW_S + 3600 });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['PRESENTATION_EXPIRED']);
  });
});

describe('verifyPresentation: holder binding', () => {
  it('a presenter who is not a listed guardian of the child is refused (HOLDER_NOT_GUARDIAN)', async () => {
    const w = await world();
    const stranger = makeDidKey(77);
    const vp = present({ holder: stranger, credentials: [w.credential, w.guardianship] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['HOLDER_NOT_GUARDIAN']);
    expect(r.facts?.guardian).toEqual({ did: stranger.did, isListedGuardian: false });
  });

  it('without a guardianship credential the presenter cannot be confirmed (GUARDIANSHIP_MISSING)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential] });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['GUARDIANSHIP_MISSING']);
  });

  it('a guardianship credential for another child does not count (GUARDIANSHIP_MISSING)', async () => {
    const w = await world();
    const other = issueGuardianship({ issuer: w.registrar, subject: makeDidKey(8).did, guardians: [w.guardian.did], status: w.status });
    const vp = present({ holder: w.guardian, credentials: [w.credential, other] });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['GUARDIANSHIP_MISSING']);
  });

  it('a guardianship credential from an untrusted issuer does not vouch (ISSUER_NOT_TRUSTED, not listed)', async () => {
    const w = await world();
    const rogue = makeDidKey(99);
    const fake = issueGuardianship({ issuer: rogue, subject: w.child.did, guardians: [w.guardian.did] });
    const vp = present({ holder: w.guardian, credentials: [w.credential, fake] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toContain('ISSUER_NOT_TRUSTED');
    expect(r.outcome).toBe('invalid');
    expect(r.facts?.guardian?.isListedGuardian).toBe(false);
  });

  it('a revoked guardianship credential is reported where it is (REVOKED in credential[1])', async () => {
    const w = await world({ revoked: [94_567] });
    const birth = issue({ issuer: w.registrar, subject: w.child.did, status: { revocation: { url: w.revocation.url, index: 5 } } });
    const vp = present({ holder: w.guardian, credentials: [birth, w.guardianship] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.errors.map((e) => [e.code, e.where])).toEqual([['REVOKED', 'credential[1]']]);
  });

  it('a presentation signed by someone else than the holder fails (SIGNATURE_INVALID)', async () => {
    const w = await world();
    const thief = makeDidKey(13);
    const vp = present({ holder: { ...thief, did: w.guardian.did, kid: w.guardian.kid }, credentials: [w.credential, w.guardianship] });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['SIGNATURE_INVALID']);
  });

  it('iss different from holder is refused (ISSUER_MISMATCH)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], mutate: (p) => (p.iss = makeDidKey(5).did) });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['ISSUER_MISMATCH']);
  });

  it('a kid of another DID is refused (KEY_NOT_ISSUERS)', async () => {
    const w = await world();
    const other = makeDidKey(5);
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], header: { kid: other.kid } });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['KEY_NOT_ISSUERS']);
  });

  it('a credential typ on a presentation is refused (TYP_UNEXPECTED)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship], header: { typ: 'vc+jwt' } });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['TYP_UNEXPECTED']);
  });

  it('a tampered enclosed credential fails where it is (SIGNATURE_INVALID in credential[0])', async () => {
    const w = await world();
    const [h, , s] = w.credential.split('.') as [string, string, string];
    const other = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, claims: { givenName: 'X' } }).split('.')[1];
    const vp = present({ holder: w.guardian, credentials: [`${h}.${other}.${s}`, w.guardianship] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.errors.map((e) => [e.code, e.where])).toContainEqual(['SIGNATURE_INVALID', 'credential[0]']);
    expect(r.facts).toBeUndefined();
  });

  it('too many enclosed credentials are refused (MALFORMED)', async () => {
    const w = await world();
    const vp = present({ holder: w.guardian, credentials: Array.from({ length: 9 }, () => w.credential) });
    expect(codes(await verifyPresentation(vp, { store: w.store, now: NOW, ...CHALLENGE }))).toEqual(['MALFORMED']);
  });
});
