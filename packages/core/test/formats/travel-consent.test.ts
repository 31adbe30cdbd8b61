import { createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode } from '../../src/base64url.js';
import { didKeyFromEd25519PublicKey } from '../../src/did-key.js';
import { buildTravelConsent, readTravelConsent, travelCountries } from '../../src/formats/travel-consent.js';
import { decodeJws, signJws } from '../../src/jose.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const MOTHER = didKeyFromEd25519PublicKey(base64UrlDecode(createPublicKey(privateKey).export({ format: 'jwk' }).x!));
const FATHER = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const FROM = new Date('2026-11-23T10:00:00Z');
const UNTIL = new Date('2026-12-31T23:59:59Z');
const input = { by: MOTHER, child: CHILD, traveller: FATHER, countries: ['ug', 'TZ'], validFrom: FROM, validUntil: UNTIL };

describe('TravelConsentCredential: built and read by one module', () => {
  it('builds a self-issued vc+jwt that the consenting guardian signs, and reads it back', async () => {
    const { header, payload } = buildTravelConsent(input);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${MOTHER}#${MOTHER.slice('did:key:'.length)}` });
    expect(payload).toMatchObject({
      type: ['VerifiableCredential', 'TravelConsentCredential'],
      issuer: MOTHER,
      iss: MOTHER,
      validFrom: '2026-11-23T10:00:00Z',
      validUntil: '2026-12-31T23:59:59Z',
      credentialSubject: { id: CHILD, traveller: FATHER, countries: ['UG', 'TZ'] },
    });
    const jwt = await signJws(header, payload, (d) => new Uint8Array(nodeSign(null, d, privateKey)));
    const decoded = decodeJws(jwt, { expectedTyp: 'vc+jwt' });
    // Verified by OpenSSL (node:crypto) against the public key the did:key encodes.
    expect(nodeVerify(null, decoded.signingInput, publicKey, decoded.signature)).toBe(true);
    const read = readTravelConsent(decoded.payload);
    expect(read).toEqual({
      ok: true,
      consent: { id: payload.id, by: MOTHER, child: CHILD, traveller: FATHER, countries: ['UG', 'TZ'], validFrom: FROM.getTime() / 1000, validUntil: UNTIL.getTime() / 1000 },
    });
  });

  it('refuses caller mistakes at build time with what to fix', () => {
    expect(() => buildTravelConsent({ ...input, countries: ['Uganda'] })).toThrow(/not a two-letter ISO 3166-1 country code/);
    expect(() => buildTravelConsent({ ...input, countries: [] })).toThrow(/at least one destination/);
    expect(() => buildTravelConsent({ ...input, validUntil: FROM })).toThrow(/before it starts/);
    expect(() => buildTravelConsent({ ...input, validUntil: new Date('2028-01-01T00:00:00Z') })).toThrow(/a year and a day/);
    expect(() => buildTravelConsent({ ...input, traveller: MOTHER })).toThrow(/own trip/);
    expect(() => buildTravelConsent({ ...input, by: 'did:ethr:0x7a69:0xabc' })).toThrow(/Ed25519 did:key/);
    expect(travelCountries(['ug', 'UG', ' tz '])).toEqual(['UG', 'TZ']);
  });

  const good = () => JSON.parse(JSON.stringify(buildTravelConsent(input).payload)) as Record<string, unknown> & { credentialSubject: Record<string, unknown> };
  const reject = (mutate: (p: ReturnType<typeof good>) => void) => {
    const p = good();
    mutate(p);
    const r = readTravelConsent(p);
    return r.ok ? 'accepted' : r.code;
  };

  it('reading never throws on hostile input and answers with a stable code', () => {
    for (const v of [null, 42, 'x', [], {}, { type: 'TravelConsentCredential' }]) expect(readTravelConsent(v).ok).toBe(false);
    expect(reject((p) => (p.iss = FATHER))).toBe('ISSUER_MISMATCH');
    expect(reject((p) => (p.sub = FATHER))).toBe('SUBJECT_MISMATCH');
    expect(reject((p) => (p.type = ['VerifiableCredential', 'TravelConsentCredential', 'GuardianshipCredential']))).toBe('MALFORMED');
    expect(reject((p) => (p.credentialSubject.countries = ['UG', 'UG']))).toBe('MALFORMED');
    expect(reject((p) => (p.credentialSubject.countries = ['XX']))).toBe('MALFORMED');
    expect(reject((p) => (p.credentialSubject.traveller = 'Peter'))).toBe('MALFORMED');
    expect(reject((p) => (p.credentialSubject.extra = 1))).toBe('MALFORMED');
    expect(reject((p) => (p.validUntil = '2026-12-31'))).toBe('MALFORMED');
    expect(reject((p) => (p.validUntil = '2030-12-31T00:00:00Z'))).toBe('MALFORMED');
    expect(reject((p) => (p.jti = 'urn:uuid:00000000-0000-4000-8000-000000000000'))).toBe('MALFORMED');
    expect(reject((p) => (p.exp = 1.5))).toBe('MALFORMED');
  });

  it('an optional JWT exp narrows the window (the stricter bound wins)', () => {
    const p = good();
    p.exp = FROM.getTime() / 1000 + 3600;
    const r = readTravelConsent(p);
    expect(r.ok && r.consent.validUntil).toBe(FROM.getTime() / 1000 + 3600);
  });
});
