import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlEncode, utf8Encode } from '../src/base64url.js';
import { TYP_JWT, TYP_VC_JWT, TYP_VP_JWT, decodeJws, encodeJwsSigningInput, signJws } from '../src/jose.js';
import type { JwsHeader } from '../src/jose.js';
import { codeOf } from './helpers/code-of.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const edSign = (data: Uint8Array): Uint8Array => new Uint8Array(nodeSign(null, data, privateKey));
const KID = 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266#delegate-1';
const PAYLOAD = { iss: 'did:ethr:0x7a69:0xf39f', sub: 'did:key:z6Mk', type: ['VerifiableCredential'], name: 'Ngozi Adébáyọ̀' };

/** A token with arbitrary (possibly hostile) header/payload text and a dummy 64-byte signature. */
function forge(header: string | object, payload: string | object = PAYLOAD, sig = new Uint8Array(64)): string {
  const enc = (v: string | object): string => base64UrlEncode(utf8Encode(typeof v === 'string' ? v : JSON.stringify(v)));
  return `${enc(header)}.${enc(payload)}.${base64UrlEncode(sig)}`;
}

const vcHeader: JwsHeader = { alg: 'EdDSA', typ: TYP_VC_JWT, kid: KID };

describe('signJws / decodeJws', () => {
  it('round-trips a signed vc+jwt and the signature verifies over signingInput', async () => {
    const token = await signJws(vcHeader, PAYLOAD, edSign);
    const d = decodeJws(token, { expectedTyp: TYP_VC_JWT });
    expect(d.header).toEqual(vcHeader);
    expect(d.payload).toEqual(PAYLOAD);
    expect(d.token).toBe(token);
    expect(new TextDecoder().decode(d.signingInput)).toBe(token.slice(0, token.lastIndexOf('.')));
    expect(nodeVerify(null, d.signingInput, publicKey, d.signature)).toBe(true);
  });
  it('encodeJwsSigningInput gives the same bytes signJws signs', async () => {
    const { signingInput, bytes } = encodeJwsSigningInput(vcHeader, PAYLOAD);
    expect(new TextDecoder().decode(bytes)).toBe(signingInput);
    const token = await signJws(vcHeader, PAYLOAD, edSign);
    expect(token.startsWith(signingInput + '.')).toBe(true);
  });
  it('signJws accepts async signers and rejects wrong-length (e.g. DER) signatures', async () => {
    await expect(signJws(vcHeader, PAYLOAD, async (d) => edSign(d))).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await expect(signJws(vcHeader, PAYLOAD, () => new Uint8Array(70))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
  it('signJws refuses algorithms outside the allow-list', async () => {
    await expect(signJws({ alg: 'none' }, PAYLOAD, edSign)).rejects.toMatchObject({ code: 'ALG_NOT_ALLOWED' });
    await expect(signJws({ alg: 'HS256' }, PAYLOAD, edSign)).rejects.toMatchObject({ code: 'ALG_NOT_ALLOWED' });
  });
});

describe('decodeJws: size is bounded before parsing', () => {
  it('rejects tokens over maxBytes with TOO_LARGE', () => {
    expect(codeOf(() => decodeJws('a'.repeat(70_000), { expectedTyp: TYP_VC_JWT }))).toBe('TOO_LARGE');
    const token = forge(vcHeader, { big: 'x'.repeat(2_000) });
    expect(codeOf(() => decodeJws(token, { expectedTyp: TYP_VC_JWT, maxBytes: 1_000 }))).toBe('TOO_LARGE');
  });
});

describe('decodeJws: structure', () => {
  const typ = { expectedTyp: TYP_VC_JWT };
  it('requires exactly three segments', () => {
    const t = forge(vcHeader);
    expect(codeOf(() => decodeJws(t.split('.').slice(0, 2).join('.'), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(t + '.x', typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws('a.b.c.d.e', typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws('', typ))).toBe('MALFORMED');
  });
  it('rejects bad base64url in any segment', () => {
    const [h, p, s] = forge(vcHeader).split('.') as [string, string, string];
    expect(codeOf(() => decodeJws(`${h}=.${p}.${s}`, typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(`${h}.${p}+.${s}`, typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(`${h}.${p}.${s} `, typ))).toBe('MALFORMED');
  });
  it('rejects invalid JSON and invalid UTF-8', () => {
    expect(codeOf(() => decodeJws(forge('{"alg":"EdDSA",'), typ))).toBe('MALFORMED');
    const badUtf8 = `${base64UrlEncode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${base64UrlEncode(utf8Encode('{}'))}.${base64UrlEncode(new Uint8Array(64))}`;
    expect(codeOf(() => decodeJws(badUtf8, typ))).toBe('MALFORMED');
  });
  it('rejects duplicate members in the header (alg smuggling)', () => {
    expect(codeOf(() => decodeJws(forge('{"alg":"EdDSA","typ":"vc+jwt","alg":"none"}'), typ))).toBe('MALFORMED');
  });
  it('rejects duplicate members in the payload (claim smuggling)', () => {
    expect(codeOf(() => decodeJws(forge(vcHeader, '{"iss":"did:a","iss":"did:b"}'), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge(vcHeader, '{"credentialSubject":{"id":"a","id":"b"}}'), typ))).toBe('MALFORMED');
  });
  it('requires the header and payload to be JSON objects', () => {
    expect(codeOf(() => decodeJws(forge('["EdDSA"]'), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge(vcHeader, '[1,2]'), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge(vcHeader, '"text"'), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge(vcHeader, 'null'), typ))).toBe('MALFORMED');
  });
  it('rejects crit', () => {
    expect(codeOf(() => decodeJws(forge({ ...vcHeader, crit: ['exp'] }), typ))).toBe('MALFORMED');
  });
  it('rejects b64 (unencoded payload)', () => {
    expect(codeOf(() => decodeJws(forge({ ...vcHeader, b64: false }), typ))).toBe('MALFORMED');
  });
  it('rejects nested tokens (cty JWT, any case or prefix)', () => {
    for (const cty of ['JWT', 'jwt', 'application/jwt']) {
      expect(codeOf(() => decodeJws(forge({ ...vcHeader, cty }), typ)), cty).toBe('MALFORMED');
    }
  });
  it('rejects an empty or wrong-length signature', () => {
    const t = forge(vcHeader);
    expect(codeOf(() => decodeJws(t.slice(0, t.lastIndexOf('.') + 1), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge(vcHeader, PAYLOAD, new Uint8Array(63)), typ))).toBe('MALFORMED');
  });
});

describe('decodeJws: algorithm allow-list', () => {
  const typ = { expectedTyp: TYP_VC_JWT };
  it('accepts EdDSA, ES256K and ES256', () => {
    for (const alg of ['EdDSA', 'ES256K', 'ES256']) {
      expect(decodeJws(forge({ alg, typ: TYP_VC_JWT }), typ).header.alg).toBe(alg);
    }
  });
  it('ES384 is allowed with its 96-byte signature; each algorithm only with its own signature length', () => {
    expect(decodeJws(forge({ alg: 'ES384', typ: TYP_VC_JWT }, PAYLOAD, new Uint8Array(96)), typ).header.alg).toBe('ES384');
    expect(codeOf(() => decodeJws(forge({ alg: 'ES384', typ: TYP_VC_JWT }), typ))).toBe('MALFORMED');
    expect(codeOf(() => decodeJws(forge({ alg: 'ES256', typ: TYP_VC_JWT }, PAYLOAD, new Uint8Array(96)), typ))).toBe('MALFORMED');
  });
  it('signJws refuses a signer whose signature length does not fit the algorithm', async () => {
    await expect(signJws({ alg: 'ES384', typ: TYP_VC_JWT }, PAYLOAD, () => new Uint8Array(64))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await signJws({ alg: 'ES384', typ: TYP_VC_JWT }, PAYLOAD, () => new Uint8Array(96))).split('.')).toHaveLength(3);
  });
  it('rejects alg none (with or without a signature)', () => {
    expect(codeOf(() => decodeJws(forge({ alg: 'none', typ: TYP_VC_JWT }), typ))).toBe('ALG_NOT_ALLOWED');
    const unsigned = forge({ alg: 'none', typ: TYP_VC_JWT });
    expect(codeOf(() => decodeJws(unsigned.slice(0, unsigned.lastIndexOf('.') + 1), typ))).toBe('ALG_NOT_ALLOWED');
  });
  it('rejects a missing alg and algorithms outside the list (HMAC confusion, RSA, case variants)', () => {
    for (const alg of [undefined, 'HS256', 'RS256', 'eddsa', 'es384', 'ES512', 42]) {
      expect(codeOf(() => decodeJws(forge({ alg, typ: TYP_VC_JWT }), typ)), String(alg)).toBe('ALG_NOT_ALLOWED');
    }
  });
  it('rejects embedded or remote keys (jwk, jku, x5u, x5c)', () => {
    for (const member of ['jwk', 'jku', 'x5u', 'x5c']) {
      expect(codeOf(() => decodeJws(forge({ ...vcHeader, [member]: 'x' }), typ)), member).toBe('ALG_NOT_ALLOWED');
    }
  });
});

describe('decodeJws: expected typ', () => {
  it('requires the expected typ', () => {
    expect(codeOf(() => decodeJws(forge({ ...vcHeader, typ: TYP_VP_JWT }), { expectedTyp: TYP_VC_JWT }))).toBe('TYP_UNEXPECTED');
    expect(codeOf(() => decodeJws(forge({ alg: 'EdDSA' }), { expectedTyp: TYP_VC_JWT }))).toBe('TYP_UNEXPECTED');
    expect(codeOf(() => decodeJws(forge({ ...vcHeader, typ: 7 }), { expectedTyp: TYP_VC_JWT }))).toBe('TYP_UNEXPECTED');
  });
  it('compares case-insensitively and accepts an application/ prefix (RFC 7515 §4.1.9)', () => {
    for (const t of ['vc+jwt', 'VC+JWT', 'application/vc+jwt', 'Application/Vc+Jwt']) {
      expect(decodeJws(forge({ ...vcHeader, typ: t }), { expectedTyp: TYP_VC_JWT }).header.typ).toBe(t);
    }
  });
  it('accepts any of several expected typs', () => {
    const opts = { expectedTyp: [TYP_VC_JWT, TYP_JWT] };
    expect(decodeJws(forge({ alg: 'ES256K', typ: 'JWT' }), opts).header.typ).toBe('JWT');
    expect(codeOf(() => decodeJws(forge({ alg: 'ES256K', typ: 'vp+jwt' }), opts))).toBe('TYP_UNEXPECTED');
  });
  it('does not treat a prefix-less substring as a match', () => {
    expect(codeOf(() => decodeJws(forge({ ...vcHeader, typ: 'x-vc+jwt' }), { expectedTyp: TYP_VC_JWT }))).toBe('TYP_UNEXPECTED');
  });
});
