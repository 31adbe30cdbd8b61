// Cradle's OpenID4VP verifier accepts a presentation produced by a wallet that is not ours: the
// OpenWallet Foundation's `@openid4vc/openid4vp` client resolves Cradle's request and builds and submits
// the response; the presentation JWT is signed with `jose`. The answer goes over real HTTP.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64UrlEncode } from '@cradle/core';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { SignJWT, importJWK } from 'jose';
import { createPresentationRequest, verifyPresentationResponse } from '../src/openid4vp/index.js';
import type { Openid4vpAuthorizationRequest } from '../src/openid4vp/index.js';
import type { VerificationResult } from '../src/result.js';
import { NOW, NOW_S, makeDidKey, world } from './helpers/fixtures.js';
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

async function exchange(w: Awaited<ReturnType<typeof world>>, vpFor: (request: Openid4vpAuthorizationRequest) => (nonce: string, aud: string) => Promise<Record<string, string[]>>): Promise<VerificationResult> {
  const { uri, request } = await createPresentationRequest({ responseUri });
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
