// One module builds and reads each artefact (#13): the status-list credential and the governance trust
// list. Readers never throw on untrusted input and say what was wrong.
import { describe, expect, it } from 'vitest';
import { buildStatusListCredential, readStatusListCredential } from '../src/formats/status-list-credential.js';
import { buildTrustListPayload, readTrustListPayload } from '../src/formats/trust-list.js';

const URL = 'https://registrar.example/status/4f9c2a';
const DID = 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
const signed = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...buildStatusListCredential({ url: URL, issuer: DID, purpose: 'revocation', encodedList: 'uH4sIAAAAAAAAA', validFrom: 1_800_000_000 }),
  iss: DID,
  cradleListVersion: 3,
  ...extra,
});

describe('status-list credential: built and read by formats/status-list-credential.ts', () => {
  it('what the registrar builds, the checkpoint reads back (RFC 3339 validFrom, no milliseconds)', () => {
    const vc = signed();
    expect(vc.validFrom).toBe('2027-01-15T08:00:00Z');
    expect(readStatusListCredential(vc)).toEqual({ list: { url: URL, issuer: DID, iss: DID, purpose: 'revocation', statusSize: 1, encodedList: 'uH4sIAAAAAAAAA', version: 3 } });
  });

  it('an issuer given as { id } is read as that DID', () => {
    expect(readStatusListCredential(signed({ issuer: { id: DID } }))).toMatchObject({ list: { issuer: DID } });
  });

  it.each([
    ['not a status list credential', { type: ['VerifiableCredential'] }, /not a BitstringStatusListCredential/],
    ['no iss', { iss: undefined }, /names no issuer/],
    ['a purpose other than revocation, suspension or alert', { credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'refresh', encodedList: 'u' } }, /revocation, suspension or alert/],
    ['statusSize 0', { credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: 'u', statusSize: 0 } }, /statusSize/],
    ['no encodedList', { credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' } }, /encodedList/],
    ['validUntil that is not a real date', { validUntil: '2026-02-31T00:00:00Z' }, /validUntil/],
  ])('refuses %s (MALFORMED, with the reason)', (_what, change, reason) => {
    const r = readStatusListCredential(signed(change));
    expect(r).toMatchObject({ problem: { code: 'MALFORMED', reason: expect.stringMatching(reason) } });
  });

  it('never throws on junk', () => {
    for (const junk of [null, 7, 'x', [], { type: 'BitstringStatusListCredential' }, { credentialSubject: [] }]) expect(() => readStatusListCredential(junk)).not.toThrow();
  });
});

describe('trust list: built and read by formats/trust-list.ts', () => {
  const registrars = [
    { did: DID, status: 'accredited' as const, name: 'Kisumu Civil Registration Office', country: 'KE' },
    { did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', status: 'revoked' as const },
  ];
  const payload = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...buildTrustListPayload({ issuer: 'did:key:z6Mkgov', version: 2, iat: 1, registrars }), ...extra });

  it('what the governance authority builds, the checkpoint reads back', () => {
    expect(readTrustListPayload(payload())).toEqual({ list: { iss: 'did:key:z6Mkgov', version: 2, registrars } });
  });

  it('a payload that is not a CradleTrustList is ISSUER_MISMATCH (not the governance list)', () => {
    expect(readTrustListPayload(payload({ type: 'Other' }))).toMatchObject({ problem: { code: 'ISSUER_MISMATCH' } });
  });

  it.each([
    ['version 0', { version: 0 }, /version/],
    ['a registrar that is not a DID', { registrars: [{ did: 'did:x:', status: 'accredited' }] }, /registrar entry/],
    ['an unknown status', { registrars: [{ did: DID, status: 'maybe' }] }, /bad status/],
    ['a country that is not ISO 3166-1 alpha-2', { registrars: [{ did: DID, status: 'accredited', country: 'Kenya' }] }, /country/],
    ['more than 5000 registrars', { registrars: Array.from({ length: 5001 }, () => ({ did: DID, status: 'accredited' })) }, /registrars list/],
  ])('refuses %s (MALFORMED, with the reason)', (_what, change, reason) => {
    expect(readTrustListPayload(payload(change))).toMatchObject({ problem: { code: 'MALFORMED', reason: expect.stringMatching(reason) } });
  });

  it('never throws on junk, and cuts long names', () => {
    for (const junk of [null, 'x', [], { iss: 1 }]) expect(() => readTrustListPayload(junk)).not.toThrow();
    const long = readTrustListPayload(payload({ registrars: [{ did: DID, status: 'accredited', name: 'n'.repeat(500) }] }));
    expect('list' in long && long.list.registrars[0]!.name).toHaveLength(200);
  });
});
