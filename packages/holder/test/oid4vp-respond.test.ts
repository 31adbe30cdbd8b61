// A verifier that is not ours (the OpenWallet Foundation's `@openid4vc/openid4vp` verifier side, checking
// signatures with `jose`) asks the Cradle wallet for a presentation over OpenID4VP 1.0 and checks it.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64UrlEncode, ed25519PublicKeyOfDidKey } from '@cradle/core';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createWallet } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { fixedNow, issue, tempDir } from './fixtures.js';

const SECRET = 'wallet-oid4vp-secret';
const refuse = () => {
  throw new Error('unused');
};
const verifier = new Openid4vpVerifier({ callbacks: { hash: refuse, signJwt: refuse, verifyJwt: refuse, encryptJwe: refuse, decryptJwe: refuse } });

let server: Server;
let responseUri: string;
let dir: string;
let wallet: Wallet;
let child: string;
let guardian: string;
/** What the test verifier received and concluded, per nonce. */
const received = new Map<string, { presentations: Record<string, unknown[]>; payload?: Record<string, unknown>; error?: string }>();
/** Open requests by nonce. */
const requests = new Map<string, Record<string, unknown>>();

const dcqlQuery = {
  credentials: [
    { id: 'birth', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'BirthRegistrationCredential']] }, claims: [{ path: ['credentialSubject', 'birthDate'] }] },
    { id: 'guardianship', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'GuardianshipCredential']] }, claims: [{ path: ['credentialSubject', 'guardians'] }] },
  ],
};

async function formBody(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return Object.fromEntries(new URLSearchParams(text));
}

/** The test verifier's response endpoint: parse with the library, check the presentation with jose. */
async function onResponse(req: IncomingMessage): Promise<number> {
  const body = await formBody(req);
  for (const [nonce, request] of requests) {
    try {
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({ authorizationResponse: body, authorizationRequestPayload: request as never, callbacks: {} as never });
      if (parsed.type !== 'dcql') continue;
      const presentations = parsed.dcql.presentations as Record<string, unknown[]>;
      const vp = presentations.birth?.[0];
      if (typeof vp !== 'string') continue;
      const { kid } = decodeProtectedHeader(vp);
      const did = String(kid).split('#')[0]!;
      const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519PublicKeyOfDidKey(did)!) }, 'EdDSA');
      const { payload } = await jwtVerify(vp, key, { audience: String(request.client_id), algorithms: ['EdDSA'], currentDate: fixedNow() });
      if (payload.nonce !== nonce) continue;
      received.set(nonce, { presentations, payload: payload as Record<string, unknown> });
      return 200;
    } catch (e) {
      received.set(nonce, { presentations: {}, error: (e as Error).message });
    }
  }
  return 400;
}

async function request(nonce: string, query: unknown = dcqlQuery): Promise<string> {
  const payload = { response_type: 'vp_token', client_id: `redirect_uri:${responseUri}`, response_uri: responseUri, response_mode: 'direct_post', nonce, dcql_query: query, client_metadata: {} };
  const created = await verifier.createOpenId4vpAuthorizationRequest({ authorizationRequestPayload: payload as never });
  requests.set(nonce, created.authorizationRequestPayload as Record<string, unknown>);
  return created.authorizationRequest;
}

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true });
  server = createServer((req, res) => {
    void onResponse(req).then((status) => res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"error":"invalid_request","error_description":"presentation rejected"}'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  responseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
  dir = await tempDir('cradle-wallet-oid4vp-');
  wallet = await createWallet({ home: dir, secret: SECRET, now: fixedNow });
  guardian = (await wallet.createDid({ label: 'Mother' })).did;
  child = (await wallet.createDid({ label: 'Amina' })).did;
  await wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child }));
  await wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: guardian, role: 'mother' }] }));
});

afterAll(async () => {
  await wallet?.close();
  await new Promise((done) => server?.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe('wallet.respond to an OpenID4VP verifier that is not ours', () => {
  it("sends one presentation, signed by the guardian, bound to the verifier's nonce and client id, answering both DCQL queries", async () => {
    const nonce = 'nonce-0123456789abcdef';
    const result = await wallet.respond(await request(nonce), { allowHttp: true });
    expect(result).toMatchObject({ verifier: `redirect_uri:${responseUri}`, answered: ['birth', 'guardianship'] });
    const got = received.get(nonce)!;
    expect(got.error).toBeUndefined();
    expect(got.presentations.birth).toEqual(got.presentations.guardianship);
    expect(got.payload).toMatchObject({ iss: guardian, holder: guardian, nonce, aud: `redirect_uri:${responseUri}` });
    expect((got.payload!.verifiableCredential as unknown[]).length).toBe(2);
  });

  it('refuses, before signing anything, a query for credentials the wallet cannot give', async () => {
    const nonce = 'nonce-pid-0123456789ab';
    const pid = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] } }] };
    await expect(wallet.respond(await request(nonce, pid), { allowHttp: true })).rejects.toMatchObject({ code: 'CREDENTIAL_TYPE_UNSUPPORTED' });
    expect(received.has(nonce)).toBe(false);
  });

  it('a verifier that refuses the answer is VERIFIER_REFUSED with its error', async () => {
    const uri = await request('nonce-forgotten-0123456');
    requests.clear(); // the verifier lost the session: it rejects whatever comes
    await expect(wallet.respond(uri, { allowHttp: true })).rejects.toMatchObject({ code: 'VERIFIER_REFUSED', details: { error: 'invalid_request', status: 400 } });
  });

  it('not a request is INVALID_ARGUMENT', async () => {
    for (const bad of ['', 'openid4vp://?client_id=x', `openid4vp://?${'a'.repeat(20_000)}`]) {
      await expect(wallet.respond(bad, { allowHttp: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
