// OpenID4VP on the verifier service (`cradle checkpoint serve --public-url`): a back office creates a
// request over HTTP, a wallet that is not ours (`@openid4vc/openid4vp`'s client, presentation signed with
// `jose`) answers it at the service's response URI over real HTTP, and the back office reads the verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { createVerifierServer } from '../../src/node/http-server.js';
import { NOW, NOW_S, present, world } from '../helpers/fixtures.js';
import type { Signer, World } from '../helpers/fixtures.js';
// The repository's one freePort helper (test-only import across packages).
import { freePort } from '../../../cli/test/helpers/free-port.js';

const TOKEN = 'verifier-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let w: World;
let app: FastifyInstance;
let publicUrl: string;

const refuse = () => {
  throw new Error('unused');
};
const wallet = new Openid4vpClient({ callbacks: { hash: refuse, fetch, signJwt: refuse, verifyJwt: refuse, encryptJwe: refuse, decryptJwe: refuse } });

/** The other wallet: resolve the request, answer both DCQL queries with a presentation by `holder`, POST it. */
async function answer(uri: string, holder: Signer, opts: { nonce?: string } = {}): Promise<{ status: number; body: unknown }> {
  const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
  const payload = resolved.authorizationRequestPayload as { nonce: string; client_id: string; response_uri: string };
  const vp = present({ holder, credentials: [w.credential, w.guardianship], nonce: opts.nonce ?? payload.nonce, aud: payload.client_id, iat: NOW_S - 5 });
  const { authorizationResponsePayload } = await wallet.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload as never,
    authorizationResponsePayload: { vp_token: { birth: [vp], guardianship: [vp] } } as never,
  });
  const { response } = await wallet.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: { response_uri: payload.response_uri }, authorizationResponsePayload });
  return { status: response.status, body: await response.json() };
}

async function createRequest(payload: Record<string, unknown> = {}): Promise<{ id: string; uri: string; expiresAt: string }> {
  const res = await app.inject({ method: 'POST', url: '/oid4vp/requests', headers: auth, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function stateOf(id: string): Promise<{ status: string; result?: { outcome: string; errors: { code: string }[]; facts?: { guardian?: { did: string } } } }> {
  const res = await app.inject({ method: 'GET', url: `/oid4vp/requests/${id}`, headers: auth });
  expect(res.statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true }); // the service listens on plain http://127.0.0.1
  w = await world();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  app = await createVerifierServer({ store: w.store, token: TOKEN, now: () => NOW, openid4vp: { publicUrl } });
  await app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await app?.close();
});

describe('OpenID4VP on the verifier service', () => {
  it('a back office creates a request; the wallet answers at the response URI; the verdict is the offline one', async () => {
    const created = await createRequest({ claims: ['givenName', 'birthDate'] });
    expect(created.uri.startsWith('openid4vp://?')).toBe(true);
    expect(decodeURIComponent(created.uri)).toContain(`redirect_uri:${publicUrl}/oid4vp/response`);
    expect((await stateOf(created.id)).status).toBe('pending');
    const answered = await answer(created.uri, w.guardian);
    expect(answered).toEqual({ status: 200, body: {} });
    const state = await stateOf(created.id);
    expect(state.result?.errors).toEqual([]);
    expect(state).toMatchObject({ status: 'answered', result: { outcome: 'valid', facts: { guardian: { did: w.guardian.did } } } });
  });

  it('a second answer to the same request is refused (one answer per request), and the first verdict stays', async () => {
    const created = await createRequest();
    expect((await answer(created.uri, w.guardian)).status).toBe(200);
    expect(await answer(created.uri, w.guardian)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await stateOf(created.id)).toMatchObject({ status: 'answered', result: { outcome: 'valid' } });
  });

  it('a presentation for another nonce is refused to the wallet without the reason; the back office sees CHALLENGE_MISMATCH', async () => {
    const created = await createRequest();
    const refused = await answer(created.uri, w.guardian, { nonce: 'an-old-nonce-0123456789' });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(JSON.stringify(refused.body)).not.toContain('CHALLENGE');
    const state = await stateOf(created.id);
    expect(state.result?.errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);
  });

  it('creating a request and reading a verdict need the bearer token; the wallet route does not, and refuses an unknown state', async () => {
    expect((await app.inject({ method: 'POST', url: '/oid4vp/requests', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/oid4vp/requests/abc' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/oid4vp/requests/abc', headers: auth })).statusCode).toBe(404);
    const unknown = await app.inject({ method: 'POST', url: '/oid4vp/response', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'vp_token=%7B%7D&state=nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await app.inject({ method: 'POST', url: '/oid4vp/response', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'state=a&state=b' });
    expect(repeated.statusCode).toBe(400);
  });

  it('a request for claims that do not exist, or another format, is a 400 naming the field', async () => {
    for (const payload of [{ claims: ['passportNumber'] }, { format: 'mso_mdoc' }, { extra: true }]) {
      const res = await app.inject({ method: 'POST', url: '/oid4vp/requests', headers: auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
