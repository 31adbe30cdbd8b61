import { encodeQrPayload } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/verify-certificate.js';
import { NOW, issue, issueGuardianship, makeDidKey, world } from './helpers/fixtures.js';

// The seals of a printed certificate, as read from a photo: CRADLE2: payloads of bare credentials.
const seal = (jwt: string): string => encodeQrPayload(jwt);

describe('verifyCertificate: a paper certificate is a bearer check of its seals together', () => {
  it('a birth seal and a guardianship seal for the same child: valid, bearer, with the adults who may accompany the child', async () => {
    const w = await world();
    const r = await verifyCertificate([seal(w.credential), seal(w.guardianship)], { store: w.store, now: NOW });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', verified: true, kind: 'certificate', bearer: true, facts: { child: { givenName: 'Amina Wanjiru' }, childDid: w.child.did } });
    expect(r.seals.map((s) => [s.where, s.kind, s.outcome])).toEqual([
      ['seal 1', 'birth-registration', 'valid'],
      ['seal 2', 'guardianship', 'valid'],
    ]);
    expect(r.accompanying).toEqual([{ did: w.guardian.did, role: 'mother' }]);
  });

  it('a revoked guardianship seal makes the whole paper invalid and names no adult', async () => {
    const w = await world({ revoked: [94_567] });
    const birthOnlyValid = await world();
    const r = await verifyCertificate([seal(birthOnlyValid.credential), seal(w.guardianship)], { store: w.store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => [e.code, e.where])).toContainEqual(['REVOKED', 'seal 2']);
    expect(r.accompanying).toEqual([]);
  });

  it('a guardianship seal for another child is a tampered paper (SUBJECT_MISMATCH) and names no adult', async () => {
    const w = await world();
    const other = issueGuardianship({ issuer: w.registrar, subject: makeDidKey(9).did, guardians: [makeDidKey(10).did] });
    const r = await verifyCertificate([seal(w.credential), seal(other)], { store: w.store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toContain('SUBJECT_MISMATCH');
    expect(r.accompanying).toEqual([]);
  });

  it('a birth seal whose signature fails names no adult, even beside a genuine guardianship seal', async () => {
    const w = await world();
    const [h, p, sig] = w.credential.split('.') as [string, string, string];
    const forgedBirth = `${h}.${p}.${sig.slice(0, -6)}${sig.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    const r = await verifyCertificate([seal(forgedBirth), seal(w.guardianship)], { store: w.store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.seals.map((x) => [x.kind, x.outcome])).toContainEqual(['guardianship', 'valid']);
    expect(r.accompanying).toEqual([]);
  });

  it('no birth seal, or two, is refused with what to do', async () => {
    const w = await world();
    const none = await verifyCertificate([seal(w.guardianship)], { store: w.store, now: NOW });
    expect(none.errors).toContainEqual(expect.objectContaining({ code: 'MALFORMED', message: expect.stringContaining('No birth registration seal') }));
    const second = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, validFrom: NOW / 1000 - 3600 });
    const two = await verifyCertificate([seal(w.credential), seal(second)], { store: w.store, now: NOW });
    expect(two.errors).toContainEqual(expect.objectContaining({ code: 'MALFORMED', message: expect.stringContaining('more than one') }));
  });

  it('an unreadable or forged seal never throws: it is reported against its seal', async () => {
    const w = await world();
    const [h, p, s] = w.credential.split('.') as [string, string, string];
    const forged = `${h}.${p.slice(0, -4)}AAAA.${s}`;
    const r = await verifyCertificate(['CRADLE2:not base45 at all', seal(forged)], { store: w.store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.seals.map((x) => x.where)).toEqual(['seal 1', 'seal 2']);
    expect(r.errors.every((e) => e.where !== undefined)).toBe(true);
  });
});
