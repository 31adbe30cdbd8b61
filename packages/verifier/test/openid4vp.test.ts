// Cradle's OpenID4VP verifier accepts a presentation produced by a wallet that is not ours: the
// OpenWallet Foundation's `@openid4vc/openid4vp` client resolves Cradle's request and builds and submits
// the response; the presentation JWT is signed with `jose`. The answer goes over real HTTP.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SD_JWT_VC_DISCLOSABLE, VCT_BIRTH_REGISTRATION, base64UrlEncode, buildSdJwtVc, utf8Encode } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { SignJWT, importJWK } from 'jose';
import { createPresentationRequest, verifyPresentationResponse } from '../src/openid4vp/index.js';
import type { Openid4vpAuthorizationRequest } from '../src/openid4vp/index.js';
import type { VerificationResult } from '../src/result.js';
import { DAY, NOW, NOW_S, birthClaims, makeDidKey, world } from './helpers/fixtures.js';
import type { Signer } from './helpers/fixtures.js';

let server: Server;
let responseUri: string;
/** The last form body the response endpoint received. */
let lastBody: Record<string, string> | undefined;

const refuse = () => {
  throw new Error('unused');
};
const wallet = new Openid4vpClient({ callbacks: { hash: refuse, fetch, signJwt: refuse, verifyJwt: refuse, encryptJwe: refuse, decryptJwe: refuse } });

/** A VCDM 2.0 presentation JWT signed with jose by `holder`, carrying `credentials` as enveloped credentials. */
async function josePresentation(holder: Signer, credentials: string[], nonce: string, aud: string): Promise<string> {
  const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(holder.publicKey), d: base64UrlEncode(holder.secretKey) }, 'EdDSA');
  return new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: holder.did,
    verifiableCredential: credentials.map((jwt) => ({ '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` })),
    nonce,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vp+jwt', kid: holder.kid })
    .setIssuer(holder.did)
    .setAudience(aud)
    .setIssuedAt(NOW_S - 5)
    .setExpirationTime(NOW_S + 240)
    .sign(key);
}

/** The other wallet: resolve Cradle's request, answer every DCQL query with `vp`, POST it. */
async function answer(uri: string, vpFor: (nonce: string, aud: string) => Promise<Record<string, string[]>>): Promise<number> {
  const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
  const payload = resolved.authorizationRequestPayload as { nonce: string; client_id: string; response_uri: string };
  const { authorizationResponsePayload } = await wallet.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload as never,
    authorizationResponsePayload: { vp_token: await vpFor(payload.nonce, payload.client_id) } as never,
  });
  const { response } = await wallet.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: { response_uri: payload.response_uri }, authorizationResponsePayload });
  return response.status;
}

async function exchange(
  w: Awaited<ReturnType<typeof world>>,
  vpFor: (request: Openid4vpAuthorizationRequest) => (nonce: string, aud: string) => Promise<Record<string, string[]>>,
  format?: 'dc+sd-jwt',
): Promise<VerificationResult> {
  const { uri, request } = await createPresentationRequest({ responseUri, ...(format === undefined ? {} : { format }) });
  expect(await answer(uri, vpFor(request))).toBe(200);
  return verifyPresentationResponse(lastBody!, { request, store: w.store, now: NOW });
}

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true });
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      lastBody = Object.fromEntries(new URLSearchParams(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  responseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oid4vp/response`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
});

describe('createPresentationRequest', () => {
  it('asks with DCQL for the birth and guardianship credentials and only the claims named', async () => {
    const { uri, request } = await createPresentationRequest({ responseUri, claims: ['givenName', 'birthDate'] });
    expect(uri.startsWith('openid4vp://?')).toBe(true);
    expect(request).toMatchObject({ client_id: `redirect_uri:${responseUri}`, response_mode: 'direct_post', response_uri: responseUri });
    expect(request.nonce).toMatch(/^[0-9a-f]{32}$/);
    const query = request.dcql_query as { credentials: { id: string; claims: { path: string[] }[] }[] };
    expect(query.credentials.map((c) => c.id)).toEqual(['birth', 'guardianship']);
    expect(query.credentials[0]!.claims).toEqual([{ path: ['credentialSubject', 'givenName'] }, { path: ['credentialSubject', 'birthDate'] }]);
    await expect(createPresentationRequest({ responseUri, claims: ['passportNumber' as never] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('verifyPresentationResponse: a presentation from a wallet that is not ours', () => {
  it('is valid when the guardian presents with the nonce and the client id as audience', async () => {
    const w = await world();
    const r = await exchange(w, () => async (nonce, aud) => {
      const vp = await josePresentation(w.guardian, [w.credential, w.guardianship], nonce, aud);
      return { birth: [vp], guardianship: [vp] };
    });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', kind: 'presentation', facts: { guardian: { did: w.guardian.did, isListedGuardian: true } } });
  });

  it('a presentation for another nonce is CHALLENGE_MISMATCH (replay)', async () => {
    const w = await world();
    const r = await exchange(w, () => async (_nonce, aud) => {
      const vp = await josePresentation(w.guardian, [w.credential, w.guardianship], 'an-old-nonce-0123456789', aud);
      return { birth: [vp], guardianship: [vp] };
    });
    expect(r.errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);
  });

  it('a presentation for another verifier is DOMAIN_MISMATCH', async () => {
    const w = await world();
    const r = await exchange(w, () => async (nonce) => {
      const vp = await josePresentation(w.guardian, [w.credential, w.guardianship], nonce, 'redirect_uri:https://other-verifier.example/response');
      return { birth: [vp], guardianship: [vp] };
    });
    expect(r.errors.map((e) => e.code)).toEqual(['DOMAIN_MISMATCH']);
  });

  it('a presenter who is not a listed guardian is HOLDER_NOT_GUARDIAN', async () => {
    const w = await world();
    const stranger = makeDidKey(99);
    const r = await exchange(w, () => async (nonce, aud) => {
      const vp = await josePresentation(stranger, [w.credential, w.guardianship], nonce, aud);
      return { birth: [vp], guardianship: [vp] };
    });
    expect(r.errors.map((e) => e.code)).toEqual(['HOLDER_NOT_GUARDIAN']);
  });

  it('an answer that leaves out a credential query, or splits it in two presentations, is MALFORMED', async () => {
    const w = await world();
    const missing = await exchange(w, () => async (nonce, aud) => ({ birth: [await josePresentation(w.guardian, [w.credential, w.guardianship], nonce, aud)] }));
    expect(missing.errors.map((e) => e.code)).toEqual(['MALFORMED']);
    const split = await exchange(w, () => async (nonce, aud) => ({
      birth: [await josePresentation(w.guardian, [w.credential], nonce, aud)],
      guardianship: [await josePresentation(w.guardian, [w.guardianship], nonce, aud)],
    }));
    expect(split.errors.map((e) => e.code)).toEqual(['MALFORMED']);
  });

  it('never throws on a hostile body', async () => {
    const w = await world();
    const { request } = await createPresentationRequest({ responseUri });
    for (const body of [{}, { vp_token: 'not json' }, { vp_token: '{"birth":[1]}' }, { vp_token: 'x'.repeat(300_000) }, { vp_token: '[]', state: 'x' }]) {
      const r = await verifyPresentationResponse(body, { request, store: w.store, now: NOW });
      expect(r.outcome, JSON.stringify(body).slice(0, 60)).toBe('invalid');
    }
  });
});

describe('a dc+sd-jwt request: the birth registration as an SD-JWT VC, from a wallet that is not ours', () => {
  type W = Awaited<ReturnType<typeof world>>;
  /** The registrar's SD-JWT VC of the child's birth, bound (cnf) to the child's key. */
  async function sdBirth(w: W): Promise<string> {
    const r = w.registrar;
    return buildSdJwtVc({
      alg: 'EdDSA', kid: r.kid, issuer: r.did, id: 'urn:uuid:5b0c8d2e-3f4a-4b6c-9d8e-7f6a5b4c3d2e', vct: VCT_BIRTH_REGISTRATION, subject: w.child.did,
      issuedAt: NOW_S - 30 * DAY, notBefore: NOW_S - 30 * DAY, holderKey: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(w.child.publicKey) },
      status: [
        { id: `${w.revocation.url}#${w.revIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(w.revIndex), statusListCredential: w.revocation.url },
      ],
      claims: birthClaims(), disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'], sign: r.sign,
    });
  }
  /** The wallet side of SD-JWT (@sd-jwt/sd-jwt-vc): keep `disclose`, add a key binding signed by `key`. */
  async function presented(sdJwt: string, disclose: string[], nonce: string, aud: string, key: Signer): Promise<string> {
    const sd = new SDJwtVcInstance({
      hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest()),
      hashAlg: 'sha-256',
      kbSignAlg: 'EdDSA',
      kbSigner: (data: string) => base64UrlEncode(ed25519.sign(utf8Encode(data), key.secretKey)),
    });
    return sd.present(sdJwt, Object.fromEntries(disclose.map((c) => [c, true])) as never, { kb: { payload: { iat: NOW_S - 5, aud, nonce } } });
  }
  /** The DCQL query's birth claims, as a wallet reads them. */
  const askedClaims = (request: Openid4vpAuthorizationRequest): string[] =>
    ((request.dcql_query as { credentials: { id: string; claims: { path: string[] }[] }[] }).credentials[0]!.claims).map((c) => c.path[0]!);

  it('asks for the birth credential by vct with top-level claim paths, and the guardianship inside the guardian-signed presentation', async () => {
    const { request } = await createPresentationRequest({ responseUri, format: 'dc+sd-jwt', claims: ['givenName', 'birthDate'] });
    const query = request.dcql_query as { credentials: { id: string; format: string; meta: Record<string, unknown>; claims: { path: string[] }[] }[] };
    expect(query.credentials[0]).toEqual({ id: 'birth', format: 'dc+sd-jwt', meta: { vct_values: [VCT_BIRTH_REGISTRATION] }, claims: [{ path: ['givenName'] }, { path: ['birthDate'] }] });
    expect(query.credentials[1]).toMatchObject({ id: 'guardianship', format: 'jwt_vc_json' });
    await expect(createPresentationRequest({ responseUri, format: 'mso_mdoc' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('is valid with only the asked claims disclosed, key-bound to the nonce and client id, beside the guardian\'s presentation', async () => {
    const w = await world();
    const held = await sdBirth(w);
    let sent: string | undefined;
    const r = await exchange(
      w,
      (request) => async (nonce, aud) => {
        sent = await presented(held, askedClaims(request), nonce, aud, w.child);
        return { birth: [sent], guardianship: [await josePresentation(w.guardian, [w.guardianship], nonce, aud)] };
      },
      'dc+sd-jwt',
    );
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', facts: { guardian: { did: w.guardian.did, isListedGuardian: true }, childDid: w.child.did } });
    // The verdict was reached on what was asked: the disclosures sent are exactly the default claims.
    const names = sent!.split('~').slice(1, -1).map((d) => (JSON.parse(Buffer.from(d, 'base64url').toString()) as unknown[])[1]);
    expect(names.sort()).toEqual(['birthDate', 'familyName', 'givenName']);
    expect(r.facts?.child).toMatchObject({ givenName: birthClaims().givenName });
  });

  it('a key binding for another nonce is CHALLENGE_MISMATCH, by another key KEY_BINDING_INVALID, and a missing one KEY_BINDING_INVALID', async () => {
    const w = await world();
    const held = await sdBirth(w);
    const answer = (birth: (nonce: string, aud: string) => Promise<string>) =>
      exchange(w, () => async (nonce, aud) => ({ birth: [await birth(nonce, aud)], guardianship: [await josePresentation(w.guardian, [w.guardianship], nonce, aud)] }), 'dc+sd-jwt');
    expect((await answer((_n, aud) => presented(held, ['givenName'], 'an-old-nonce-0123456789', aud, w.child))).errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);
    expect((await answer((n, aud) => presented(held, ['givenName'], n, aud, w.guardian))).errors.map((e) => e.code)).toEqual(['KEY_BINDING_INVALID']);
    expect((await answer(async () => held)).errors.map((e) => e.code)).toEqual(['KEY_BINDING_INVALID']);
  });

  it('a birth answer that is not an SD-JWT VC, or two of them, is MALFORMED', async () => {
    const w = await world();
    const held = await sdBirth(w);
    const jwt = await exchange(w, () => async (nonce, aud) => ({ birth: [w.credential], guardianship: [await josePresentation(w.guardian, [w.guardianship], nonce, aud)] }), 'dc+sd-jwt');
    expect(jwt.errors.map((e) => e.code)).toEqual(['MALFORMED']);
    const two = await exchange(
      w,
      () => async (nonce, aud) => {
        const b = await presented(held, ['givenName'], nonce, aud, w.child);
        return { birth: [b, b], guardianship: [await josePresentation(w.guardian, [w.guardianship], nonce, aud)] };
      },
      'dc+sd-jwt',
    );
    expect(two.errors.map((e) => e.code)).toEqual(['MALFORMED']);
  });
});
