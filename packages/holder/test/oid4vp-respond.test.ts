// A verifier that is not ours (the OpenWallet Foundation's `@openid4vc/openid4vp` verifier side, checking
// signatures with `jose`) asks the Cradle wallet for a presentation over OpenID4VP 1.0 and checks it.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SD_JWT_VC_DISCLOSABLE, VCT_BIRTH_REGISTRATION, base64UrlEncode, buildSdJwtVc, ed25519PublicKeyOfDidKey } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createWallet } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { NOW, REGISTRAR, fixedNow, issue, tempDir } from './fixtures.js';

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
const received = new Map<string, { presentations: Record<string, unknown[]>; payload?: Record<string, unknown>; keyBinding?: Record<string, unknown>; error?: string }>();
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
      const vp = presentations.guardianship?.[0];
      if (typeof vp !== 'string') continue;
      const { kid } = decodeProtectedHeader(vp);
      const did = String(kid).split('#')[0]!;
      const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519PublicKeyOfDidKey(did)!) }, 'EdDSA');
      const { payload } = await jwtVerify(vp, key, { audience: String(request.client_id), algorithms: ['EdDSA'], currentDate: fixedNow() });
      if (payload.nonce !== nonce) continue;
      // A birth registration asked as dc+sd-jwt comes as the SD-JWT VC: its key binding is checked with the
      // key the credential names (cnf.jwk) for this nonce and client id.
      let keyBinding: Record<string, unknown> | undefined;
      const birth = presentations.birth?.[0];
      if (typeof birth === 'string' && birth !== vp) {
        const [issuerJwt = ''] = birth.split('~');
        const cnf = (JSON.parse(Buffer.from(issuerJwt.split('.')[1] ?? '', 'base64url').toString()) as { cnf: { jwk: Record<string, string> } }).cnf.jwk;
        const kb = await jwtVerify(birth.slice(birth.lastIndexOf('~') + 1), await importJWK(cnf, 'EdDSA'), { audience: String(request.client_id), typ: 'kb+jwt', currentDate: fixedNow() });
        if (kb.payload.nonce !== nonce) continue;
        keyBinding = kb.payload as Record<string, unknown>;
      }
      received.set(nonce, { presentations, payload: payload as Record<string, unknown>, ...(keyBinding === undefined ? {} : { keyBinding }) });
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

  it('answers a dc+sd-jwt birth query (vct_values) with the SD-JWT VC: only the asked claims, key-bound to the nonce and client id', async () => {
    const nonce = 'nonce-sd-jwt-0123456789';
    const sdQuery = {
      credentials: [
        { id: 'birth', format: 'dc+sd-jwt', meta: { vct_values: [VCT_BIRTH_REGISTRATION] }, claims: [{ path: ['birthDate'] }] },
        dcqlQuery.credentials[1],
      ],
    };
    // Without an SD-JWT VC birth registration the wallet cannot answer: nothing is sent.
    await expect(wallet.respond(await request('nonce-sd-jwt-none-012345', sdQuery), { allowHttp: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const seconds = Math.floor(NOW.getTime() / 1000);
    await wallet.importCredential(
      await buildSdJwtVc({
        alg: 'EdDSA', kid: REGISTRAR.kid, issuer: REGISTRAR.did, id: 'urn:uuid:6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', vct: VCT_BIRTH_REGISTRATION, subject: child,
        issuedAt: seconds - 86_400, holderKey: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519PublicKeyOfDidKey(child)!) },
        claims: { givenName: 'Amina', familyName: 'Example', birthDate: '2026-10-30', registrationNumber: 'REG-2026-000123' },
        disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'], sign: (data) => ed25519.sign(data, REGISTRAR.privateKey),
      }),
    );
    const result = await wallet.respond(await request(nonce, sdQuery), { allowHttp: true });
    expect(result.answered).toEqual(['birth', 'guardianship']);
    const got = received.get(nonce)!;
    expect(got.error).toBeUndefined();
    expect(got.keyBinding).toMatchObject({ nonce, aud: `redirect_uri:${responseUri}` });
    const birth = got.presentations.birth![0] as string;
    const disclosed = birth.split('~').slice(1, -1).map((d) => (JSON.parse(Buffer.from(d, 'base64url').toString()) as unknown[])[1]);
    expect(disclosed).toEqual(['birthDate']);
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
