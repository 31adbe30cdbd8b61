// The Cradle wallet receives over OpenID4VCI 1.0 from an issuer that is not Cradle's registrar: a small
// issuer built here from the OpenWallet Foundation's `@openid4vc/openid4vci` issuer and `@openid4vc/oauth2`
// authorization-server classes, on a real HTTP port.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SD_JWT_VC_DISCLOSABLE, VCT_BIRTH_REGISTRATION, base64UrlDecode, base64UrlEncode, buildSdJwtVc, didKeyFromEd25519PublicKey, ed25519PublicKeyOfDidKey } from '@cradle/core';
import { HashAlgorithm, Oauth2AuthorizationServer, Oauth2ErrorCodes, Oauth2ServerErrorResponseError, preAuthorizedCodeGrantIdentifier, setGlobalConfig } from '@openid4vc/oauth2';
import type { CallbackContext, JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciIssuer, Openid4vciVersion } from '@openid4vc/openid4vci';
import { createWallet } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { NOW, REGISTRAR, fixedNow, issue } from './fixtures.js';

const SECRET = 'wallet-oid4vci-secret';
const TX_CODE = '271828';
const asKey = ed25519.utils.randomPrivateKey();
const asJwk = { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(asKey)), kid: 'as-1' };

let server: Server;
let baseUrl: string;
let dir: string;
let wallet: Wallet;
/** Pre-authorized codes the test issuer handed out -> whether used. */
const codes = new Map<string, boolean>();
/** Access tokens -> the DID the proof must be from (none yet). */
const tokens = new Set<string>();
const nonces = new Set<string>();

const callbacks: Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> & Pick<CallbackContext, 'decryptJwe' | 'encryptJwe'> = {
  hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : 'sha512').update(data).digest()),
  generateRandom: (n) => new Uint8Array(randomBytes(n)),
  signJwt: (_signer, { header, payload }) => {
    const input = `${base64UrlEncode(Buffer.from(JSON.stringify({ ...header, kid: asJwk.kid })))}.${base64UrlEncode(Buffer.from(JSON.stringify(payload)))}`;
    return { jwt: `${input}.${base64UrlEncode(ed25519.sign(Buffer.from(input), asKey))}`, signerJwk: asJwk };
  },
  // The test issuer's own check of a wallet proof: did:key or JWK, Ed25519, EdDSA.
  verifyJwt: (signer: JwtSigner, { compact }) => {
    if ((signer.method !== 'did' && signer.method !== 'jwk') || signer.alg !== 'EdDSA') return { verified: false };
    const publicKey = signer.method === 'did' ? ed25519PublicKeyOfDidKey(signer.didUrl.split('#')[0]!) : base64UrlDecode(String((signer.publicJwk as { x?: unknown }).x));
    if (publicKey === undefined || publicKey.length !== 32) return { verified: false };
    const dot = compact.lastIndexOf('.');
    const ok = ed25519.verify(base64UrlDecode(compact.slice(dot + 1)), Buffer.from(compact.slice(0, dot)), publicKey);
    return ok ? { verified: true, signerJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) } } : { verified: false };
  },
  clientAuthentication: () => undefined,
  encryptJwe: () => {
    throw new Error('no');
  },
  decryptJwe: () => {
    throw new Error('no');
  },
};
const issuer = new Openid4vciIssuer({ callbacks });
const as = new Oauth2AuthorizationServer({ callbacks });

function metadata() {
  return {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer: issuer.createCredentialIssuerMetadata({
      credential_issuer: baseUrl,
      credential_endpoint: `${baseUrl}/credential`,
      nonce_endpoint: `${baseUrl}/nonce`,
      credential_configurations_supported: {
        birth: {
          format: 'jwt_vc_json',
          credential_definition: { type: ['VerifiableCredential', 'BirthRegistrationCredential'] },
          cryptographic_binding_methods_supported: ['did:key'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
          credential_metadata: { display: [{ name: 'Birth registration' }] },
        },
        birth_sd: {
          format: 'dc+sd-jwt',
          vct: VCT_BIRTH_REGISTRATION,
          cryptographic_binding_methods_supported: ['jwk'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
          credential_metadata: { display: [{ name: 'Birth registration' }] },
        },
      },
    }),
    authorizationServers: [as.createAuthorizationServerMetadata({ issuer: baseUrl, token_endpoint: `${baseUrl}/token`, 'pre-authorized_grant_anonymous_access_supported': true })],
    knownCredentialConfigurations: {},
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

async function handle(req: IncomingMessage): Promise<{ status: number; json: unknown }> {
  const md = metadata();
  const url = req.url ?? '';
  try {
    if (url === '/.well-known/openid-credential-issuer') return { status: 200, json: md.credentialIssuer };
    if (url === '/.well-known/oauth-authorization-server') return { status: 200, json: md.authorizationServers[0] };
    if (url === '/token') {
      const form = Object.fromEntries(new URLSearchParams(await body(req)));
      const { grant } = as.parseAccessTokenRequest({ accessTokenRequest: form, request: { method: 'POST', url: `${baseUrl}/token`, headers: new Headers(req.headers as Record<string, string>) } } as never);
      const code = grant.grantType === preAuthorizedCodeGrantIdentifier ? grant.preAuthorizedCode : '';
      if (!codes.has(code) || codes.get(code) === true) throw new Oauth2ServerErrorResponseError({ error: Oauth2ErrorCodes.InvalidGrant });
      await as.verifyPreAuthorizedCodeAccessTokenRequest({
        grant: grant as never,
        accessTokenRequest: form as never,
        request: { method: 'POST', url: `${baseUrl}/token`, headers: new Headers() },
        expectedPreAuthorizedCode: code,
        expectedTxCode: TX_CODE,
        authorizationServerMetadata: md.authorizationServers[0]!,
      });
      codes.set(code, true);
      const response = await as.createAccessTokenResponse({ authorizationServer: baseUrl, audience: baseUrl, subject: code, expiresInSeconds: 300, signer: { method: 'jwk', alg: 'EdDSA', publicJwk: asJwk } });
      tokens.add(response.access_token);
      return { status: 200, json: response };
    }
    if (url === '/nonce') {
      const nonce = randomBytes(16).toString('base64url');
      nonces.add(nonce);
      return { status: 200, json: issuer.createNonceResponse({ cNonce: nonce }) };
    }
    if (url === '/credential') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined || !tokens.delete(token)) return { status: 401, json: { error: 'invalid_token' } };
      const parsed = issuer.parseCredentialRequest({ issuerMetadata: md, credentialRequest: JSON.parse(await body(req)) as Record<string, unknown> });
      const proof = parsed.proofs?.jwt?.[0] ?? '';
      const nonce = JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString() || '{}') as { nonce?: string };
      if (nonce.nonce === undefined || !nonces.delete(nonce.nonce)) throw new Oauth2ServerErrorResponseError({ error: Oauth2ErrorCodes.InvalidNonce });
      const { signer } = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: md, jwt: proof, expectedNonce: nonce.nonce });
      if (parsed.credentialConfigurationId === 'birth_sd') {
        // An SD-JWT VC bound (cnf) to the JWK the wallet proved, or, to test the wallet, to another key.
        const proved = signer.method === 'jwk' ? (signer.publicJwk as { x: string }).x : '';
        const cnfKey = bindToAnotherKey ? base64UrlEncode(ed25519.getPublicKey(ed25519.utils.randomPrivateKey())) : proved;
        const credential = await buildSdJwtVc({
          alg: 'EdDSA', kid: REGISTRAR.kid, issuer: REGISTRAR.did, id: `urn:uuid:${randomUUID()}`,
          vct: VCT_BIRTH_REGISTRATION, subject: didKeyFromEd25519PublicKey(base64UrlDecode(proved)), issuedAt: Math.floor(NOW.getTime() / 1000) - 86_400,
          holderKey: { kty: 'OKP', crv: 'Ed25519', x: cnfKey }, claims: { givenName: 'Amina', familyName: 'Example', birthDate: '2026-10-30' },
          disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'], sign: (data) => ed25519.sign(data, REGISTRAR.privateKey),
        });
        return { status: 200, json: issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }) };
      }
      const holderDid = signer.method === 'did' ? signer.didUrl.split('#')[0]! : '';
      const credential = await issue({ type: 'BirthRegistrationCredential', subject: holderDid });
      return { status: 200, json: issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }) };
    }
    return { status: 404, json: { error: 'not_found' } };
  } catch (e) {
    if (e instanceof Oauth2ServerErrorResponseError) return { status: 400, json: e.errorResponse };
    return { status: 500, json: { error: 'server_error', error_description: (e as Error).message } };
  }
}

/** Make the test issuer bind SD-JWT VCs to a key other than the one proved (a faulty or hostile issuer). */
let bindToAnotherKey = false;

/** An offer of the test issuer, with a fresh pre-authorized code. */
function offer(configuration: 'birth' | 'birth_sd' = 'birth'): string {
  const code = randomBytes(16).toString('base64url');
  codes.set(code, false);
  const value = {
    credential_issuer: baseUrl,
    credential_configuration_ids: [configuration],
    grants: { [preAuthorizedCodeGrantIdentifier]: { 'pre-authorized_code': code, tx_code: { input_mode: 'numeric', length: 6 } } },
  };
  return `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(value))}`;
}

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true });
  server = createServer((req, res) => {
    void handle(req).then(({ status, json }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'cradle-wallet-oid4vci-'));
  wallet = await createWallet({ home: dir, secret: SECRET, now: fixedNow });
});

afterAll(async () => {
  await wallet?.close();
  await new Promise((done) => server?.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe('wallet.receive against an OpenID4VCI issuer that is not ours', () => {
  it("receives a credential bound to the child's did:key and stores it", async () => {
    const { did: child } = await wallet.createDid({ label: 'Amina' });
    const received = await wallet.receive(offer(), { txCode: TX_CODE, allowHttp: true });
    expect(received.issuer).toBe(baseUrl);
    expect(received.imported).toHaveLength(1);
    expect(received.imported[0]!.credential).toMatchObject({ type: 'BirthRegistrationCredential', subject: child });
    expect((await wallet.listCredentials({ subject: child })).map((c) => c.id)).toEqual([received.imported[0]!.credential.id]);
  });

  it('receives a dc+sd-jwt credential, proving the child key as a JWK, and stores it as an SD-JWT VC', async () => {
    const child = await wallet.resolveDid('Amina');
    const received = await wallet.receive(offer('birth_sd'), { txCode: TX_CODE, child: 'Amina', allowHttp: true });
    expect(received.credentialConfigurationId).toBe('birth_sd');
    expect(received.imported).toEqual([expect.objectContaining({ created: true, credential: expect.objectContaining({ format: 'sd-jwt-vc', type: 'BirthRegistrationCredential', subject: child }) })]);
  });

  it('refuses an SD-JWT VC bound (cnf) to another key than the one that proved possession, and stores nothing', async () => {
    const before = (await wallet.listCredentials()).length;
    bindToAnotherKey = true;
    try {
      await expect(wallet.receive(offer('birth_sd'), { txCode: TX_CODE, child: 'Amina', allowHttp: true })).rejects.toMatchObject({ code: 'SUBJECT_NOT_IN_WALLET' });
    } finally {
      bindToAnotherKey = false;
    }
    expect(await wallet.listCredentials()).toHaveLength(before);
  });

  it('asks for the transaction code before contacting the token endpoint, and relays a refusal with its OAuth error', async () => {
    const uri = offer();
    await expect(wallet.receive(uri, { child: 'Amina', allowHttp: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'txCode' } });
    await expect(wallet.receive(uri, { child: 'Amina', txCode: '000000', allowHttp: true })).rejects.toMatchObject({ code: 'ISSUER_REFUSED', details: { error: 'invalid_grant' } });
  });

  it('needs --child when the wallet holds several DIDs', async () => {
    await wallet.createDid({ label: 'Mother' });
    await expect(wallet.receive(offer(), { txCode: TX_CODE, allowHttp: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('--child') });
  });

  it('refuses a plain-http issuer unless allowed', async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    try {
      await expect(wallet.receive(offer(), { txCode: TX_CODE, child: 'Amina' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    } finally {
      setGlobalConfig({ allowInsecureUrls: true });
    }
  });

  it('an offer that is not an offer is INVALID_ARGUMENT, never a crash', async () => {
    for (const bad of ['', 'hello', 'openid-credential-offer://?credential_offer=%7Bnot-json', `openid-credential-offer://?credential_offer=${'x'.repeat(20_000)}`]) {
      await expect(wallet.receive(bad, { txCode: TX_CODE, child: 'Amina', allowHttp: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
