import { describe, expect, it } from 'vitest';
import { credentialFormatOfTyp, isDid, parseDateTime, readCredential } from '../src/index.js';

const ISSUER = 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

function v2(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:1',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: ISSUER,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: CHILD, givenName: 'A' },
    iss: ISSUER,
    sub: CHILD,
    jti: 'urn:uuid:1',
    ...over,
  };
}

function v11(vcOver: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'GuardianshipCredential'],
      credentialSubject: { guardians: [{ id: CHILD }] },
      ...vcOver,
    },
    iss: ISSUER,
    sub: CHILD,
    jti: 'urn:uuid:2',
    nbf: 1_767_225_600,
    ...top,
  };
}

const codes = (r: ReturnType<typeof readCredential>) => r.problems.map((p) => p.code);

describe('credential format (one reader for wallet and verifier)', () => {
  it('reads a VCDM 2.0 vc+jwt credential: kind, issuer, subject, id, validity', () => {
    const r = readCredential(v2(), 'vc+jwt');
    expect(r.problems).toEqual([]);
    expect(r.credential).toMatchObject({ format: 'vc+jwt', kind: 'birth-registration', issuer: ISSUER, subjectId: CHILD, id: 'urn:uuid:1', notBefore: 1_767_225_600 });
  });

  it('reads a VCDM 1.1 JWT-VC: issuer, subject and id from iss, sub and jti', () => {
    const r = readCredential(v11(), 'jwt-vc');
    expect(r.problems).toEqual([]);
    expect(r.credential).toMatchObject({ format: 'jwt-vc', kind: 'guardianship', issuer: ISSUER, subjectId: CHILD, id: 'urn:uuid:2', notBefore: 1_767_225_600 });
  });

  it('a credential typed both as a birth registration and a guardianship is refused (ambiguous type)', () => {
    const r = readCredential(v2({ type: ['VerifiableCredential', 'BirthRegistrationCredential', 'GuardianshipCredential'] }), 'vc+jwt');
    expect(r.credential).toBeUndefined();
    expect(r.problems[0]?.reason).toMatch(/ambiguous/);
  });

  it('every date is parsed strictly: 2026-02-31 and dates without an offset are refused', () => {
    for (const bad of ['2026-02-31T00:00:00Z', '2026-02-28', '2026-02-28T10:00:00', '2026-13-01T00:00:00Z', '2026-02-28T24:00:00Z', '2026-02-28T10:00:60Z', ' 2026-02-28T10:00:00Z']) {
      const r = readCredential(v2({ validFrom: bad }), 'vc+jwt');
      expect(r.credential, bad).toBeUndefined();
      expect(r.problems[0]?.reason, bad).toMatch(/unreadable date \(validFrom\)/);
    }
    expect(parseDateTime('2028-02-29T00:00:00Z')).not.toBeNull(); // a real leap day
    expect(parseDateTime('2027-02-29T00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-02-28T10:00:00.123+02:00')).toBe(Math.floor(Date.parse('2026-02-28T08:00:00.123Z') / 1000));
  });

  it('date-times are read as the same instant Date.parse gives, across eras, leap years, offsets and fractions', () => {
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    let checked = 0;
    for (const year of [0, 1, 99, 100, 400, 1600, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2026, 2100, 2400, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 15, 28, 29, 30, 31]) {
          for (const [time, zone] of [['00:00:00', 'Z'], ['23:59:59.999', '+14:00'], ['12:30:05', '-09:30'], ['06:07:08.5', '+00:00']] as const) {
            const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${time}${zone}`;
            const reference = Date.parse(text);
            const valid = day <= new Date(Date.UTC(2000, month, 0)).getUTCDate() && !(month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)));
            expect(parseDateTime(text), text).toBe(valid ? Math.floor(reference / 1000) : null);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('JWT NumericDates must be integers (nbf, exp, iat)', () => {
    for (const claim of ['nbf', 'exp', 'iat']) {
      const r = readCredential(v11({}, { [claim]: 1.5 }), 'jwt-vc');
      expect(r.credential, claim).toBeUndefined();
      expect(r.problems[0]?.reason).toContain(claim);
    }
  });

  it('a JWT-VC whose top-level claims restate vc members (credentialSubject, issuer, dates) is refused', () => {
    for (const member of ['credentialSubject', 'issuer', 'validFrom', 'type', '@context', 'credentialStatus']) {
      const r = readCredential(v11({}, { [member]: member === 'credentialSubject' ? { id: 'did:key:z6MkOther' } : 'x' }), 'jwt-vc');
      expect(r.credential, member).toBeUndefined();
      expect(r.problems[0]?.reason, member).toContain(member);
    }
  });

  it('a vc+jwt credential that also carries vc or vp is refused (two formats in one token)', () => {
    expect(readCredential(v2({ vc: {} }), 'vc+jwt').credential).toBeUndefined();
    expect(readCredential(v2({ vp: {} }), 'vc+jwt').credential).toBeUndefined();
  });

  it('the context must match the format', () => {
    expect(readCredential(v2({ '@context': ['https://www.w3.org/2018/credentials/v1'] }), 'vc+jwt').credential).toBeUndefined();
    expect(readCredential(v11({ '@context': undefined }), 'jwt-vc').credential).toBeUndefined();
  });

  it('iss, sub and jti must agree with the credential (reported, reading continues)', () => {
    expect(codes(readCredential(v2({ iss: 'did:key:z6MkOther' }), 'vc+jwt'))).toEqual(['ISSUER_MISMATCH']);
    expect(codes(readCredential(v2({ sub: 'did:key:z6MkOther' }), 'vc+jwt'))).toEqual(['SUBJECT_MISMATCH']);
    expect(codes(readCredential(v2({ jti: 'urn:uuid:other' }), 'vc+jwt'))).toEqual(['MALFORMED']);
    expect(codes(readCredential(v2({ sub: undefined, jti: undefined }), 'vc+jwt'))).toEqual([]); // both optional in VC-JOSE-COSE
  });

  it('the issuer must be a DID', () => {
    expect(readCredential(v2({ issuer: 'https://registrar.example', iss: 'https://registrar.example' }), 'vc+jwt').problems[0]?.reason).toMatch(/not a DID/);
  });

  it('never throws on hostile input', () => {
    for (const hostile of [null, 42, 'x', [], { vc: [] }, { '@context': 'x' }, v2({ type: 'x'.repeat(10) }), v2({ credentialSubject: [] }), v2({ id: 7 })]) {
      expect(() => readCredential(hostile, 'vc+jwt')).not.toThrow();
      expect(() => readCredential(hostile, 'jwt-vc')).not.toThrow();
    }
  });

  it('typ selects the format the RFC 7515 way (case-insensitive, optional application/)', () => {
    expect([credentialFormatOfTyp('vc+jwt'), credentialFormatOfTyp('application/VC+JWT'), credentialFormatOfTyp('JWT'), credentialFormatOfTyp('vp+jwt')]).toEqual([
      'vc+jwt',
      'vc+jwt',
      'jwt-vc',
      undefined,
    ]);
  });

  it('one DID syntax (W3C DID Core): no trailing colon, percent-encoding complete, bounded', () => {
    expect(isDid(CHILD)).toBe(true);
    expect(isDid(ISSUER)).toBe(true);
    expect(isDid('did:web:example.com%3A8443:user:alice')).toBe(true);
    for (const bad of ['did:ethr:0x7a69:', 'did:Key:z6Mk', 'did:key:', 'did:key:z6%4', 'did:key:a b', `did:key:${'a'.repeat(600)}`]) expect(isDid(bad), bad).toBe(false);
  });
});
