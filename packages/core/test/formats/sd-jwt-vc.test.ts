// SD-JWT VC: Cradle's builder and reader (core/src/formats/sd-jwt-vc.ts), one test per rule, with
// @sd-jwt/sd-jwt-vc (the OpenWallet Foundation implementation) as the independent party both ways.
import { createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from '../../src/base64url.js';
import { didKeyFromEd25519PublicKey } from '../../src/did-key.js';
import { signJws } from '../../src/jose.js';
import {
  SD_JWT_VC_DISCLOSABLE,
  TYP_DC_SD_JWT,
  VCT_BIRTH_REGISTRATION,
  VCT_GUARDIANSHIP,
  buildSdJwtVc,
  isSdJwt,
  presentSdJwtVc,
  readSdJwtVc,
} from '../../src/formats/sd-jwt-vc.js';
import type { BitstringStatusListEntry } from '../../src/formats/credential-types.js';
import { readableText } from '../helpers/readable-text.js';

const NOW = 1_795_000_000; // 2026-11-18
const ed25519 = (): { privateKey: KeyObject; publicKey: KeyObject; jwk: { kty: string; crv: string; x: string }; did: string } => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  return { privateKey, publicKey, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, did: didKeyFromEd25519PublicKey(base64UrlDecode(jwk.x)) };
};
const registrar = ed25519();
const child = ed25519();
const stranger = ed25519();
const ISSUER = 'did:ethr:0x7a69:0x7e5f4552091a69125d5dfcb7b8c2659029395bdf';
const KID = `${ISSUER}#delegate-1`;
const signWith = (key: KeyObject) => (data: Uint8Array): Uint8Array => new Uint8Array(nodeSign(null, data, key));

const STATUS: BitstringStatusListEntry[] = [
  { id: 'https://registrar.example/status/ab12#4711', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '4711', statusListCredential: 'https://registrar.example/status/ab12' },
];
const CLAIMS = {
  givenName: 'Amani',
  familyName: 'Okello',
  birthDate: '2024-03-14',
  sex: 'female',
  placeOfBirth: { locality: 'Gulu', country: 'UG', facility: 'Gulu Regional Referral Hospital' },
  registrationNumber: 'UG-GULU-2024-004711',
  registrationDate: '2024-03-20',
  registeringOffice: { name: 'Gulu District Registry', code: 'GULU-01' },
  parents: [{ role: 'mother', reference: 'urn:cradle:registry:person:UG-P-118842' }],
};

async function issueBirth(overrides: Partial<Parameters<typeof buildSdJwtVc>[0]> = {}): Promise<string> {
  return buildSdJwtVc({
    alg: 'EdDSA',
    kid: KID,
    issuer: ISSUER,
    vct: VCT_BIRTH_REGISTRATION,
    subject: child.did,
    issuedAt: NOW,
    notBefore: NOW,
    expiresAt: NOW + 86_400 * 365 * 18,
    holderKey: child.jwk,
    status: STATUS,
    claims: CLAIMS,
    disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'],
    sign: signWith(registrar.privateKey),
    ...overrides,
  });
}

const kbFor = (nonce = 'n-0001', audience = 'border-post-7.example', key = child.privateKey) => ({
  alg: 'EdDSA' as const,
  audience,
  nonce,
  issuedAt: NOW + 60,
  sign: signWith(key),
});

// The third party: @sd-jwt/sd-jwt-vc with node:crypto for signing, verifying and hashing.
const hasher = (data: string | ArrayBuffer, alg: string): Uint8Array => {
  expect(alg).toBe('sha-256');
  return new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest());
};
const b64 = (u: Uint8Array): string => base64UrlEncode(u);
function theirs(): SDJwtVcInstance {
  return new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    saltGenerator: () => b64(globalThis.crypto.getRandomValues(new Uint8Array(16))),
    signAlg: 'EdDSA',
    signer: (data: string) => b64(new Uint8Array(nodeSign(null, Buffer.from(data), registrar.privateKey))),
    verifier: (data: string, sig: string) => nodeVerify(null, Buffer.from(data), registrar.publicKey, base64UrlDecode(sig)),
    kbSignAlg: 'EdDSA',
    kbSigner: (data: string) => b64(new Uint8Array(nodeSign(null, Buffer.from(data), child.privateKey))),
    // RFC 7800: the key-binding JWT is checked with the key in the credential's cnf.jwk.
    kbVerifier: async (data: string, sig: string, payload: unknown) => {
      const jwk = (payload as { cnf?: { jwk?: { kty: string; crv: string; x: string } } }).cnf?.jwk;
      if (jwk === undefined) return false;
      const { createPublicKey } = await import('node:crypto');
      return nodeVerify(null, Buffer.from(data), createPublicKey({ key: jwk, format: 'jwk' }), base64UrlDecode(sig));
    },
  });
}

describe('SD-JWT VC: what Cradle issues', () => {
  it('is a dc+sd-jwt whose issuer JWT carries iss, sub, vct, dates, cnf and status in the clear, and every registration claim as a disclosure', async () => {
    const sdJwt = await issueBirth();
    expect(sdJwt.endsWith('~')).toBe(true);
    const read = readSdJwtVc(sdJwt);
    expect(read.problems).toEqual([]);
    expect(read.jws!.header).toEqual({ alg: 'EdDSA', typ: TYP_DC_SD_JWT, kid: KID });
    const payload = read.jws!.payload;
    expect(payload).toMatchObject({ iss: ISSUER, sub: child.did, vct: VCT_BIRTH_REGISTRATION, iat: NOW, nbf: NOW, cnf: { jwk: child.jwk }, status: { bitstring_status_list: STATUS }, _sd_alg: 'sha-256' });
    for (const name of Object.keys(CLAIMS)) expect(payload).not.toHaveProperty(name);
    expect(payload._sd).toHaveLength(Object.keys(CLAIMS).length);
    expect(nodeVerify(null, read.jws!.signingInput, registrar.publicKey, read.jws!.signature)).toBe(true);
    expect(read.disclosed.slice().sort()).toEqual(Object.keys(CLAIMS).sort());
    expect(read.credential).toMatchObject({
      format: 'sd-jwt-vc',
      kind: 'birth-registration',
      issuer: ISSUER,
      subjectId: child.did,
      notBefore: NOW,
      credentialStatus: STATUS,
      subject: { ...CLAIMS, id: child.did },
    });
    expect(read.holderKey).toEqual(child.jwk);
  });

  it('a guardianship discloses its guardians as one claim (the border check needs the whole list)', async () => {
    const guardians = [{ id: stranger.did, role: 'mother', name: 'Grace Okello', document: { type: 'passport', country: 'UG', number: 'B1234567' } }];
    const sdJwt = await buildSdJwtVc({ alg: 'EdDSA', kid: KID, issuer: ISSUER, vct: VCT_GUARDIANSHIP, subject: child.did, issuedAt: NOW, holderKey: child.jwk, claims: { guardians, basis: 'birth-registration' }, disclosable: SD_JWT_VC_DISCLOSABLE.guardianship, sign: signWith(registrar.privateKey) });
    const read = readSdJwtVc(sdJwt);
    expect(read.problems).toEqual([]);
    expect(read.credential).toMatchObject({ kind: 'guardianship', subject: { guardians, basis: 'birth-registration', id: child.did } });
    expect(read.jws!.payload._sd).toHaveLength(2);
  });

  it('refuses caller mistakes at build time: a registered claim among the claims, a claim that must stay in the clear', async () => {
    await expect(issueBirth({ claims: { ...CLAIMS, iss: 'did:example:x' } })).rejects.toThrow(/"iss" is set by buildSdJwtVc/);
    await expect(issueBirth({ disclosable: ['givenName', 'cnf'] })).rejects.toThrow(/"cnf" must stay in the clear/);
    await expect(issueBirth({ claims: { ...CLAIMS, status: 1 } as never })).rejects.toThrow(/"status"/);
  });
});

describe('SD-JWT VC: presenting with chosen disclosures and a key-binding JWT', () => {
  it('reveals only the chosen claims: the others appear nowhere in what the verifier receives', async () => {
    const presented = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName', 'familyName', 'birthDate'], keyBinding: kbFor() });
    const read = readSdJwtVc(presented);
    expect(read.problems).toEqual([]);
    expect(read.disclosed.slice().sort()).toEqual(['birthDate', 'familyName', 'givenName']);
    expect(read.credential!.subject).toEqual({ givenName: 'Amani', familyName: 'Okello', birthDate: '2024-03-14', id: child.did });
    const seen = readableText(presented);
    for (const secret of ['UG-GULU-2024-004711', 'Gulu', 'UG-P-118842', 'female', '2024-03-20', 'registrationNumber', 'parents']) expect(seen).not.toContain(secret);
    expect(read.keyBinding).toMatchObject({ audience: 'border-post-7.example', nonce: 'n-0001', issuedAt: NOW + 60 });
    expect(nodeVerify(null, read.keyBinding!.jws.signingInput, child.publicKey, read.keyBinding!.jws.signature)).toBe(true);
  });

  it('refuses to disclose a claim the credential does not have (a caller mistake)', async () => {
    await expect(presentSdJwtVc(await issueBirth(), { disclose: ['guardians'] })).rejects.toThrow(/no claim "guardians"/);
  });

  it('a key-binding JWT covers exactly the disclosures sent: moved onto other disclosures it no longer matches', async () => {
    const held = await issueBirth();
    const small = await presentSdJwtVc(held, { disclose: ['givenName'], keyBinding: kbFor() });
    const kb = small.slice(small.lastIndexOf('~') + 1);
    const bigger = (await presentSdJwtVc(held, { disclose: ['givenName', 'registrationNumber'] })) + kb;
    expect(readSdJwtVc(bigger).problems).toEqual([{ code: 'KEY_BINDING_INVALID', reason: expect.stringMatching(/sd_hash/) }]);
    expect(readSdJwtVc(small).problems).toEqual([]);
  });

  it('a key-binding JWT must be kb+jwt with iat, aud, nonce and sd_hash', async () => {
    const withoutKb = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName'] });
    const kb = await signJws({ alg: 'EdDSA', typ: 'JWT' }, { iat: NOW, aud: 'a', nonce: 'n' }, signWith(child.privateKey));
    expect(readSdJwtVc(withoutKb + kb).problems.map((p) => p.code)).toEqual(['KEY_BINDING_INVALID']);
    const noNonce = await signJws({ alg: 'EdDSA', typ: 'kb+jwt' }, { iat: NOW, aud: 'a', sd_hash: 'x' }, signWith(child.privateKey));
    expect(readSdJwtVc(withoutKb + noNonce).problems.map((p) => p.code)).toEqual(['KEY_BINDING_INVALID']);
  });
});

describe('SD-JWT VC: tampering and hostile input are refused with stable codes, never thrown', () => {
  it('an altered disclosure (same salt and name, another value) is DISCLOSURE_INVALID', async () => {
    const sdJwt = await issueBirth();
    const parts = sdJwt.split('~');
    const i = parts.findIndex((p, n) => n > 0 && p !== '' && utf8Decode(base64UrlDecode(p)).includes('"birthDate"'));
    const [salt] = JSON.parse(utf8Decode(base64UrlDecode(parts[i]!))) as [string];
    parts[i] = base64UrlEncode(utf8Encode(JSON.stringify([salt, 'birthDate', '2010-03-14'])));
    const tampered = parts.join('~');
    expect(readSdJwtVc(tampered).problems.map((p) => p.code)).toEqual(['DISCLOSURE_INVALID']);
    // @sd-jwt 0.19 drops an unreferenced disclosure instead of rejecting the SD-JWT (RFC 9901 §7.1 step 5
    // says reject); it never shows the altered value either.
    const theirView = await theirs().verify(tampered, { currentDate: NOW + 60 });
    expect(theirView.payload).not.toHaveProperty('birthDate');
  });

  it('a disclosure taken from another credential, or sent twice, is DISCLOSURE_INVALID', async () => {
    const mine = await issueBirth();
    const other = await issueBirth({ claims: { ...CLAIMS, givenName: 'Someone' } });
    const foreign = other.split('~')[1]!;
    expect(readSdJwtVc(`${mine}${foreign}~`).problems.map((p) => p.code)).toEqual(['DISCLOSURE_INVALID']);
    const first = mine.split('~')[1]!;
    expect(readSdJwtVc(`${mine}${first}~`).problems.map((p) => p.code)).toEqual(['DISCLOSURE_INVALID']);
  });

  it('a digest listed twice is refused, disclosed or not (RFC 9901 §7.1)', async () => {
    const digest = base64UrlEncode(new Uint8Array(createHash('sha256').update('not a disclosure anyone sent').digest()));
    const jwt = await signJws({ alg: 'EdDSA', typ: 'dc+sd-jwt', kid: KID }, { iss: ISSUER, vct: VCT_BIRTH_REGISTRATION, iat: NOW, _sd: [digest], placeOfBirth: { _sd: [digest] }, _sd_alg: 'sha-256' }, signWith(registrar.privateKey));
    expect(readSdJwtVc(`${jwt}~`).problems.map((p) => p.code)).toEqual(['DISCLOSURE_INVALID']);
  });

  it('a disclosure may not overwrite a claim in the clear, nor disclose one SD-JWT VC keeps in the clear', async () => {
    const d = (name: string, value: unknown): string => base64UrlEncode(utf8Encode(JSON.stringify(['c2FsdHNhbHRzYWx0', name, value])));
    const digest = (s: string): string => base64UrlEncode(new Uint8Array(createHash('sha256').update(s).digest()));
    for (const [name, clear] of [['givenName', { givenName: 'Amani' }], ['iss', {}], ['status', {}]] as const) {
      const disclosure = d(name, name === 'iss' ? 'did:example:evil' : 'x');
      const jwt = await signJws({ alg: 'EdDSA', typ: 'dc+sd-jwt', kid: KID }, { iss: ISSUER, vct: VCT_BIRTH_REGISTRATION, iat: NOW, ...clear, _sd: [digest(disclosure)], _sd_alg: 'sha-256' }, signWith(registrar.privateKey));
      expect(readSdJwtVc(`${jwt}~${disclosure}~`).problems.map((p) => p.code), name).toEqual(['DISCLOSURE_INVALID']);
    }
  });

  it('only sha-256 digests, only dc+sd-jwt / vc+sd-jwt, only allowed algorithms, bounded size', async () => {
    const body = { iss: ISSUER, vct: VCT_BIRTH_REGISTRATION, iat: NOW };
    const sha512 = await signJws({ alg: 'EdDSA', typ: 'dc+sd-jwt' }, { ...body, _sd: [], _sd_alg: 'sha-512' }, signWith(registrar.privateKey));
    expect(readSdJwtVc(`${sha512}~`).problems.map((p) => p.code)).toEqual(['MALFORMED']);
    const vcJwt = await signJws({ alg: 'EdDSA', typ: 'vc+jwt' }, body, signWith(registrar.privateKey));
    expect(readSdJwtVc(`${vcJwt}~`).problems.map((p) => p.code)).toEqual(['TYP_UNEXPECTED']);
    const legacy = await signJws({ alg: 'EdDSA', typ: 'vc+sd-jwt' }, body, signWith(registrar.privateKey));
    expect(readSdJwtVc(`${legacy}~`).problems).toEqual([]);
    const none = `${base64UrlEncode(utf8Encode(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt' })))}.${base64UrlEncode(utf8Encode(JSON.stringify(body)))}.`;
    expect(readSdJwtVc(`${none}~`).problems.map((p) => p.code)).toEqual(['ALG_NOT_ALLOWED']);
    expect(readSdJwtVc(`${'a'.repeat(40_000)}~`).problems.map((p) => p.code)).toEqual(['TOO_LARGE']);
  });

  it('never throws on garbage, truncations or wrong types', async () => {
    const sdJwt = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName'], keyBinding: kbFor() });
    const inputs: unknown[] = [undefined, null, 42, {}, '', '~', '~~~', 'a.b.c~', 'eyJ~WyJ~', `${sdJwt}~`, `${sdJwt}x`];
    for (let n = 0; n < sdJwt.length; n += 37) inputs.push(sdJwt.slice(0, n));
    for (const input of inputs) {
      const read = readSdJwtVc(input);
      expect(Array.isArray(read.problems)).toBe(true);
    }
    expect(isSdJwt(sdJwt)).toBe(true);
    expect(isSdJwt('eyJhbGciOiJFZERTQSJ9.e30.AAAA')).toBe(false);
  });
});

describe('SD-JWT VC interop with @sd-jwt/sd-jwt-vc (OpenWallet Foundation)', () => {
  it('their verifier accepts what Cradle issues and presents: signature, disclosures, key binding with the nonce', async () => {
    const presented = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName', 'familyName', 'birthDate'], keyBinding: kbFor('n-42') });
    const result = await theirs().verify(presented, { keyBindingNonce: 'n-42', currentDate: NOW + 120 });
    expect(result.header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'EdDSA' });
    expect(result.payload).toMatchObject({ iss: ISSUER, vct: VCT_BIRTH_REGISTRATION, sub: child.did, givenName: 'Amani', familyName: 'Okello', birthDate: '2024-03-14' });
    expect(result.payload).not.toHaveProperty('registrationNumber');
    expect(result.kb?.payload).toMatchObject({ aud: 'border-post-7.example', nonce: 'n-42' });
    // …and refuses it for another nonce, or without the key binding it asks for.
    await expect(theirs().verify(presented, { keyBindingNonce: 'n-43', currentDate: NOW + 120 })).rejects.toThrow(/Nonce/);
    const unbound = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName'] });
    await expect(theirs().verify(unbound, { keyBindingNonce: 'n-42', currentDate: NOW + 120 })).rejects.toThrow(/Key Binding JWT not exist/);
  });

  it('a key binding signed by another key than cnf.jwk is refused by their verifier too', async () => {
    const presented = await presentSdJwtVc(await issueBirth(), { disclose: ['givenName'], keyBinding: kbFor('n-42', 'border-post-7.example', stranger.privateKey) });
    expect(readSdJwtVc(presented).problems).toEqual([]); // structure is fine: the signature is the verifier's check
    await expect(theirs().verify(presented, { keyBindingNonce: 'n-42', currentDate: NOW + 120 })).rejects.toThrow(/Signature/i);
  });

  it('Cradle reads what they issue and present: claims, disclosures, cnf and key binding', async () => {
    const sd = theirs();
    const issued = await sd.issue(
      { iss: ISSUER, sub: child.did, vct: VCT_BIRTH_REGISTRATION, iat: NOW, cnf: { jwk: child.jwk }, ...CLAIMS },
      { _sd: ['givenName', 'familyName', 'birthDate', 'sex', 'placeOfBirth', 'registrationNumber', 'registrationDate', 'registeringOffice', 'parents'] },
      { header: { kid: KID } },
    );
    const all = readSdJwtVc(issued);
    expect(all.problems).toEqual([]);
    expect(all.credential).toMatchObject({ kind: 'birth-registration', issuer: ISSUER, subjectId: child.did, subject: { ...CLAIMS, id: child.did } });
    expect(nodeVerify(null, all.jws!.signingInput, registrar.publicKey, all.jws!.signature)).toBe(true);

    const presented = await sd.present(issued, { givenName: true, birthDate: true }, { kb: { payload: { iat: NOW + 60, aud: 'border-post-7.example', nonce: 'n-7' } } });
    const read = readSdJwtVc(presented);
    expect(read.problems).toEqual([]);
    expect(read.disclosed.slice().sort()).toEqual(['birthDate', 'givenName']);
    expect(read.keyBinding).toMatchObject({ audience: 'border-post-7.example', nonce: 'n-7', issuedAt: NOW + 60 });
    expect(nodeVerify(null, read.keyBinding!.jws.signingInput, child.publicKey, read.keyBinding!.jws.signature)).toBe(true);
    // A Cradle wallet can re-present their credential with fewer disclosures.
    const fewer = readSdJwtVc(await presentSdJwtVc(issued, { disclose: ['givenName'] }));
    expect(fewer.credential!.subject).toEqual({ givenName: 'Amani', id: child.did });
  });

  it('Cradle reads nested and array-element disclosures from their issuer, and refuses them tampered', async () => {
    const sd = theirs();
    const issued = await sd.issue(
      { iss: ISSUER, vct: VCT_BIRTH_REGISTRATION, iat: NOW, placeOfBirth: { locality: 'Gulu', country: 'UG' }, parents: [{ role: 'mother', reference: 'urn:x:1' }, { role: 'father', reference: 'urn:x:2' }] },
      { placeOfBirth: { _sd: ['locality'] }, parents: { _sd: [0, 1] } },
    );
    const read = readSdJwtVc(issued);
    expect(read.problems).toEqual([]);
    expect(read.credential!.subject).toEqual({ placeOfBirth: { locality: 'Gulu', country: 'UG' }, parents: [{ role: 'mother', reference: 'urn:x:1' }, { role: 'father', reference: 'urn:x:2' }] });
    const oneParent = await sd.present(issued, { parents: { 0: true } });
    expect(readSdJwtVc(oneParent).credential!.subject).toEqual({ placeOfBirth: { country: 'UG' }, parents: [{ role: 'mother', reference: 'urn:x:1' }] });
    const parts = issued.split('~');
    parts[1] = base64UrlEncode(utf8Encode(JSON.stringify(['AAAAAAAAAAAAAAAAAAAAAA', { role: 'father', reference: 'urn:x:evil' }])));
    expect(readSdJwtVc(parts.join('~')).problems.map((p) => p.code)).toEqual(['DISCLOSURE_INVALID']);
  });
});
