// The registrar's side of formats/credential.ts: buildCredential + buildCredentialJws give, for each JWT
// format, the token that the same module reads back without a problem, and that `jose` (a library we did
// not write) verifies with the issuer's key and the format's `typ`.
import { ed25519 } from '@noble/curves/ed25519';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  CradleError,
  StatusList,
  TYP_JWT,
  TYP_VC_JWT,
  base64UrlEncode,
  buildCredential,
  buildCredentialJws,
  buildStatusListCredential,
  decodeJws,
  readCredential,
  readStatusListCredential,
  signJws,
} from '../../src/index.js';
import type { BitstringStatusListEntry, CredentialInput } from '../../src/index.js';

const ISSUER = 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const KID = `${ISSUER}#delegate-1`;
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const ISSUED_AT = Date.parse('2026-11-23T10:00:00Z') / 1000;
const LIST = 'https://registrar.example/status/00112233445566778899aabbccddeeff';

function entry(purpose: 'revocation' | 'suspension', index: number): BitstringStatusListEntry {
  return { id: `${LIST}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: LIST };
}

function input(over: Partial<CredentialInput> = {}): CredentialInput {
  return {
    id: 'urn:uuid:6f1c1f0e-2c1a-4e0b-9d5e-0d6f7a8b9c0d',
    type: 'BirthRegistrationCredential',
    issuer: ISSUER,
    subject: CHILD,
    claims: { givenName: 'Amina', familyName: 'Wanjiru' },
    credentialStatus: [entry('revocation', 7), entry('suspension', 9)],
    issuedAt: ISSUED_AT,
    ...over,
  };
}

// A fixed test key (the 32-byte seed 1, 2, …, 32): deterministic, so nothing here depends on chance.
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const PUBLIC_JWK = { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(SECRET)) };
const sign = (data: Uint8Array) => ed25519.sign(data, SECRET);

async function verifiedWithJose(jwt: string, typ: string): Promise<Record<string, unknown>> {
  const { payload, protectedHeader } = await compactVerify(jwt, await importJWK(PUBLIC_JWK, 'EdDSA'), { algorithms: ['EdDSA'] });
  expect(protectedHeader.typ).toBe(typ);
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

describe('buildCredential: the unsigned credential in the shape of its format', () => {
  it('vc+jwt is VCDM 2.0: validFrom without fractions, issuer as a string, status entries as an array', () => {
    expect(buildCredential(input({ issuedAt: ISSUED_AT }), 'vc+jwt')).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
      id: 'urn:uuid:6f1c1f0e-2c1a-4e0b-9d5e-0d6f7a8b9c0d',
      type: ['VerifiableCredential', 'BirthRegistrationCredential'],
      issuer: ISSUER,
      validFrom: '2026-11-23T10:00:00Z',
      credentialSubject: { id: CHILD, givenName: 'Amina', familyName: 'Wanjiru' },
      credentialStatus: [entry('revocation', 7), entry('suspension', 9)],
    });
  });

  it('jwt-vc is VCDM 1.1 with the status context; a single status entry is an object', () => {
    const vc = buildCredential(input({ credentialStatus: [entry('revocation', 7)] }), 'jwt-vc');
    expect(vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1', 'https://w3id.org/cradle/v1']);
    expect(vc.issuer).toEqual({ id: ISSUER });
    expect(vc.issuanceDate).toBe('2026-11-23T10:00:00Z');
    expect(vc.credentialStatus).toEqual(entry('revocation', 7));
  });

  it('an issuance time that is not whole unix seconds (milliseconds, negative, fractional) is a caller error', () => {
    for (const issuedAt of [Date.parse('2026-11-23T10:00:00Z'), -1, 1.5, Number.NaN]) {
      expect(() => buildCredential(input({ issuedAt }), 'vc+jwt')).toThrow(/unix seconds/);
    }
  });
});

describe('buildCredentialJws: vc+jwt (VC-JOSE-COSE)', () => {
  it('the JWT claims restate the credential: iss = issuer, sub = subject id, jti = id, nbf = validFrom, iat = issuance', () => {
    const { header, payload } = buildCredentialJws(buildCredential(input(), 'vc+jwt'), 'vc+jwt', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT });
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: KID });
    expect(payload).toMatchObject({ iss: ISSUER, sub: CHILD, jti: input().id, iat: ISSUED_AT, nbf: ISSUED_AT });
    expect(payload).not.toHaveProperty('exp');
    expect(payload).not.toHaveProperty('issuanceDate');
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1']);
  });

  it('validUntil becomes exp', () => {
    const vc = { ...buildCredential(input(), 'vc+jwt'), validUntil: '2036-11-23T10:00:00Z' };
    expect(buildCredentialJws(vc, 'vc+jwt', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT }).payload.exp).toBe(Date.parse('2036-11-23T10:00:00Z') / 1000);
  });

  it('signed, jose verifies it, and the one reader reads it back with no problem', async () => {
    const { header, payload } = buildCredentialJws(buildCredential(input(), 'vc+jwt'), 'vc+jwt', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT });
    const jwt = await signJws(header, payload, sign);
    expect(await verifiedWithJose(jwt, TYP_VC_JWT)).toEqual(payload);
    const read = readCredential(decodeJws(jwt, { expectedTyp: TYP_VC_JWT }).payload, 'vc+jwt');
    expect(read.problems).toEqual([]);
    expect(read.credential).toMatchObject({ issuer: ISSUER, subjectId: CHILD, id: input().id, kind: 'birth-registration', notBefore: ISSUED_AT });
  });

  it('a status list: sub is the list subject, jti the list URL, and the extra claim cradleListVersion is carried', async () => {
    const list = buildStatusListCredential({ url: LIST, issuer: ISSUER, purpose: 'revocation', encodedList: StatusList.create().encodeSync(), validFrom: ISSUED_AT });
    const { header, payload } = buildCredentialJws(list, 'vc+jwt', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT, claims: { cradleListVersion: 3 } });
    expect(payload).toMatchObject({ iss: ISSUER, sub: `${LIST}#list`, jti: LIST, iat: ISSUED_AT, nbf: ISSUED_AT, cradleListVersion: 3 });
    const read = readStatusListCredential(await verifiedWithJose(await signJws(header, payload, sign), TYP_VC_JWT));
    expect(read).toMatchObject({ list: { url: LIST, issuer: ISSUER, iss: ISSUER, purpose: 'revocation', version: 3 } });
  });
});

describe('buildCredentialJws: jwt-vc (VCDM 1.1, Veramo\'s encoding)', () => {
  it('the credential goes into vc; id, issuer, subject id and issuanceDate move to jti, iss, sub and nbf; no iat', () => {
    const { header, payload } = buildCredentialJws(buildCredential(input(), 'jwt-vc'), 'jwt-vc', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT });
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: KID });
    expect(payload).toEqual({
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1', 'https://w3id.org/cradle/v1'],
        type: ['VerifiableCredential', 'BirthRegistrationCredential'],
        credentialSubject: { givenName: 'Amina', familyName: 'Wanjiru' },
        credentialStatus: [entry('revocation', 7), entry('suspension', 9)],
      },
      sub: CHILD,
      jti: input().id,
      nbf: ISSUED_AT,
      iss: ISSUER,
    });
  });

  it('signed, jose verifies it, and the one reader reads it back with no problem', async () => {
    const { header, payload } = buildCredentialJws(buildCredential(input(), 'jwt-vc'), 'jwt-vc', { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT });
    const jwt = await signJws(header, payload, sign);
    expect(await verifiedWithJose(jwt, TYP_JWT)).toEqual(payload);
    const read = readCredential(decodeJws(jwt, { expectedTyp: TYP_JWT }).payload, 'jwt-vc');
    expect(read.problems).toEqual([]);
    expect(read.credential).toMatchObject({ format: 'jwt-vc', issuer: ISSUER, subjectId: CHILD, id: input().id, notBefore: ISSUED_AT });
  });
});

describe('buildCredentialJws: caller mistakes throw INVALID_ARGUMENT with what to fix', () => {
  const vc = () => buildCredential(input(), 'vc+jwt');
  const opts = { alg: 'EdDSA', kid: KID, issuedAt: ISSUED_AT } as const;
  const cases: [string, () => unknown, RegExp][] = [
    ['an issuer that is not a DID', () => buildCredentialJws({ ...vc(), issuer: 'registrar' }, 'vc+jwt', opts), /issuer/],
    ['no subject object', () => buildCredentialJws({ ...vc(), credentialSubject: [CHILD] }, 'vc+jwt', opts), /credentialSubject/],
    ['an unreadable validFrom', () => buildCredentialJws({ ...vc(), validFrom: '2026-02-31T00:00:00Z' }, 'vc+jwt', opts), /validFrom/],
    ['a jwt-vc without issuanceDate', () => buildCredentialJws(vc(), 'jwt-vc', opts), /issuanceDate/],
    ['no kid', () => buildCredentialJws(vc(), 'vc+jwt', { ...opts, kid: '' }), /kid/],
    ['an extra claim restating a registered claim', () => buildCredentialJws(vc(), 'vc+jwt', { ...opts, claims: { iss: 'did:example:other' } }), /"iss"/],
    ['an extra claim restating a credential member', () => buildCredentialJws(vc(), 'vc+jwt', { ...opts, claims: { credentialSubject: {} } }), /"credentialSubject"/],
    ['an issuance time in milliseconds', () => buildCredentialJws(vc(), 'vc+jwt', { ...opts, issuedAt: Date.parse('2026-11-23T10:00:00Z') }), /unix seconds/],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => {
      const e = (() => {
        try {
          run();
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(CradleError);
      expect((e as CradleError).code).toBe('INVALID_ARGUMENT');
      expect((e as Error).message).toMatch(message);
    });
  }
});
