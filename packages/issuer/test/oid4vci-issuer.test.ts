// OpenID4VCI 1.0 issuance from the registrar's HTTP service, driven by a holder that is not ours: the
// OpenWallet Foundation's `@openid4vc/openid4vci` client, over real HTTP, with its own Ed25519 key.
import { ed25519 } from '@noble/curves/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { VCT_BIRTH_REGISTRATION, base64UrlEncode, didKeyFromEd25519PublicKey, didKeyVerificationMethodId, readSdJwtVc } from '@cradle/core';
import type { DevChain } from '@cradle/ledger/devchain';
import { HashAlgorithm, Oauth2ClientErrorResponseError, clientAuthenticationNone, setGlobalConfig } from '@openid4vc/oauth2';
import type { JwtSigner, SignJwtCallback } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci';
import { createHash, randomBytes } from 'node:crypto';
import { MAX_FAILED_TX_CODES, createIssuerServer, createOfferUri, createRegistrar } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { SECRET, TestClock, chain, databaseFor, decodeJwt, initRegistrar, sampleClaims, tempHome } from './helpers.js';
// The repository's one freePort helper (test-only import across packages).
import { freePort } from '../../cli/test/helpers/free-port.js';

const TOKEN = 'test-token-0123456789abcdef';
const clock = new TestClock();
let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let cleanup: () => void;
let home: string;
let baseUrl: string;

/** A wallet key (Ed25519) and its did:key, as any did:key wallet holds for the child. */
function walletKey(): { secretKey: Uint8Array; did: string; kid: string } {
  const secretKey = ed25519.utils.randomPrivateKey();
  const did = didKeyFromEd25519PublicKey(ed25519.getPublicKey(secretKey));
  return { secretKey, did, kid: didKeyVerificationMethodId(did) };
}

/** The holder's signJwt callback, written here against the library's contract (not Cradle's wallet). */
function signWith(key: { secretKey: Uint8Array }): SignJwtCallback {
  return (_signer, { header, payload }) => {
    const input = `${base64UrlEncode(Buffer.from(JSON.stringify(header)))}.${base64UrlEncode(Buffer.from(JSON.stringify(payload)))}`;
    const jwt = `${input}.${base64UrlEncode(ed25519.sign(Buffer.from(input), key.secretKey))}`;
    return { jwt, signerJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(key.secretKey)) } };
  };
}

function holder(key: { secretKey: Uint8Array }): Openid4vciClient {
  return new Openid4vciClient({
    callbacks: {
      hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha512').update(data).digest()),
      generateRandom: (n) => new Uint8Array(randomBytes(n)),
      signJwt: signWith(key),
      fetch,
      clientAuthentication: clientAuthenticationNone({ clientId: 'test-wallet' }),
    },
  });
}

/** Issue a birth credential to `did` and offer it. */
async function offerFor(did: string, expiresInSeconds?: number) {
  const issued = await registrar.issueBirthRegistration({ subject: did, claims: sampleClaims() });
  return { issued, offer: await createOfferUri(registrar, issued.id, expiresInSeconds) };
}

/** The proof names the key as a JWK (how SD-JWT VC wallets bind: cnf.jwk), not as a did:key. */
function jwkSigner(key: { secretKey: Uint8Array }): JwtSigner {
  return { method: 'jwk', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(key.secretKey)) }, alg: 'EdDSA' };
}

/** The whole holder side: offer -> metadata -> token (tx_code) -> nonce -> proof -> credential. */
async function receive(uri: string, txCode: string | undefined, key: { secretKey: Uint8Array; kid: string }, proofKey = key, signer: JwtSigner = { method: 'did', didUrl: key.kid, alg: 'EdDSA' }) {
  const client = holder(proofKey);
  const credentialOffer = await client.resolveCredentialOffer(uri);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, ...(txCode === undefined ? {} : { txCode }) });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
  const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, signer, nonce: c_nonce, credentialConfigurationId });
  const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [jwt] } });
  return credentialResponse;
}

async function oauthError(p: Promise<unknown>): Promise<{ error: string; error_description?: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof Oauth2ClientErrorResponseError) return e.errorResponse as never;
  if (e instanceof Openid4vciRetrieveCredentialsError) return e.response.credentialErrorResponseResult?.data as never;
  throw new Error(`expected an OAuth error response, got ${String(e)}`);
}

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true }); // the test server is plain http on 127.0.0.1
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  home = t.home;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  registrar = await initRegistrar(devChain, t.home, { now: clock.now, baseUrl });
  app = await createIssuerServer(registrar, { token: TOKEN });
  await app.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('OpenID4VCI pre-authorized issuance to a client that is not ours', () => {
  it('delivers the birth credential to the holder of the subject key, with the transaction code', async () => {
    const key = walletKey();
    const { issued, offer } = await offerFor(key.did);
    expect(offer.uri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    expect(offer.uri).not.toContain(offer.txCode); // the transaction code travels separately
    const response = await receive(offer.uri, offer.txCode, key);
    expect(response.credentials).toEqual([{ credential: issued.jwt }]);
    expect(decodeJwt(issued.jwt).payload.credentialSubject).toMatchObject({ id: key.did });
  });

  it('publishes 1.0 metadata: jwt_vc_json bound to did:key, EdDSA proofs, nonce endpoint, pre-authorized grant', async () => {
    const client = holder(walletKey());
    const metadata = await client.resolveIssuerMetadata(baseUrl);
    expect(metadata.originalDraftVersion).toBe('V1');
    expect(metadata.credentialIssuer.nonce_endpoint).toBe(`${baseUrl}/oid4vci/nonce`);
    expect(metadata.credentialIssuer.credential_configurations_supported.BirthRegistrationCredential_jwt_vc_json).toMatchObject({
      format: 'jwt_vc_json',
      cryptographic_binding_methods_supported: ['did:key'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
    });
    expect(metadata.authorizationServers[0]).toMatchObject({ issuer: baseUrl, 'pre-authorized_grant_anonymous_access_supported': true });
  });

  it('an offer can be created over HTTP (bearer token), for an issued credential only', async () => {
    const key = walletKey();
    const issued = await registrar.issueBirthRegistration({ subject: key.did, claims: sampleClaims() });
    const res = await app.inject({ method: 'POST', url: '/oid4vci/offers', headers: { authorization: `Bearer ${TOKEN}` }, payload: { credentialId: issued.id } });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ uri: string; txCode: string }>();
    expect(body.txCode).toMatch(/^\d{6}$/);
    expect((await receive(body.uri, body.txCode, key)).credentials).toEqual([{ credential: issued.jwt }]);
    expect((await app.inject({ method: 'POST', url: '/oid4vci/offers', payload: { credentialId: issued.id } })).statusCode).toBe(401);
    const unknown = await app.inject({ method: 'POST', url: '/oid4vci/offers', headers: { authorization: `Bearer ${TOKEN}` }, payload: { credentialId: 'no-such-id' } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('refusals with the spec error codes', () => {
  it('a replayed offer (pre-authorized code used once) is invalid_grant', async () => {
    const key = walletKey();
    const { offer } = await offerFor(key.did);
    await receive(offer.uri, offer.txCode, key);
    expect(await oauthError(receive(offer.uri, offer.txCode, key))).toMatchObject({ error: 'invalid_grant' });
  });

  it('an expired offer is invalid_grant', async () => {
    const key = walletKey();
    const { offer } = await offerFor(key.did, 600);
    clock.advance(601_000);
    expect(await oauthError(receive(offer.uri, offer.txCode, key))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
  });

  it('a wrong transaction code is invalid_grant, a missing one invalid_request; after the last allowed try the offer is dead', async () => {
    const key = walletKey();
    const { offer } = await offerFor(key.did);
    const wrong = offer.txCode === '000000' ? '000001' : '000000';
    const client = holder(key);
    const credentialOffer = await client.resolveCredentialOffer(offer.uri);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    // The library refuses to send no tx_code when the offer asks for one; a raw request shows the server's answer.
    const missing = await fetch(`${baseUrl}/oid4vci/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': credentialOffer.grants!['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'] }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    for (let i = 0; i < MAX_FAILED_TX_CODES; i++) {
      expect(await oauthError(client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: wrong }))).toMatchObject({ error: 'invalid_grant' });
    }
    // Guessing is bounded: the right code no longer works either.
    expect(await oauthError(receive(offer.uri, offer.txCode, key))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('Too many') });
  });

  it('a proof of possession by another key than the credential subject is invalid_proof, and the offer is not spent by it', async () => {
    const key = walletKey();
    const intruder = walletKey();
    const { offer } = await offerFor(key.did);
    const client = holder(intruder);
    const credentialOffer = await client.resolveCredentialOffer(offer.uri);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode });
    const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
    const request = async (signer: JwtSigner, sign: Openid4vciClient) => {
      const { c_nonce } = await sign.requestNonce({ issuerMetadata });
      const { jwt } = await sign.createCredentialRequestJwtProof({ issuerMetadata, signer, nonce: c_nonce, credentialConfigurationId });
      return sign.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [jwt] } });
    };
    // Signed by the intruder's own key, naming itself.
    expect(await oauthError(request({ method: 'did', didUrl: intruder.kid, alg: 'EdDSA' }, client))).toMatchObject({ error: 'invalid_proof' });
    // Naming the child's key but signed by the intruder: the signature does not verify.
    expect(await oauthError(request({ method: 'did', didUrl: key.kid, alg: 'EdDSA' }, client))).toMatchObject({ error: 'invalid_proof' });
    // A nonce that this issuer did not make.
    const forged = await client.createCredentialRequestJwtProof({ issuerMetadata, signer: { method: 'did', didUrl: key.kid, alg: 'EdDSA' }, nonce: 'made-up-nonce', credentialConfigurationId });
    expect(await oauthError(holder(key).retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [forged.jwt] } }))).toMatchObject({ error: 'invalid_nonce' });
    // The rightful key still gets it with the same access token, once.
    const ok = await request({ method: 'did', didUrl: key.kid, alg: 'EdDSA' }, holder(key));
    expect(ok.credentialResponse.credentials).toHaveLength(1);
    expect(await oauthError(request({ method: 'did', didUrl: key.kid, alg: 'EdDSA' }, holder(key)))).toMatchObject({ error: 'invalid_token' });
  });

  it('a c_nonce is single-use on every replica: the same proof again is invalid_nonce, here and at a second service on the same database', async () => {
    const key = walletKey();
    const client = holder(key);
    // Two offers, so that the replayed proof is refused for its nonce and not because its offer was delivered.
    const tokenFor = async (o: { uri: string; txCode: string }) => {
      const credentialOffer = await client.resolveCredentialOffer(o.uri);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: o.txCode });
      return { issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: credentialOffer.credential_configuration_ids[0]! };
    };
    const first = await tokenFor((await offerFor(key.did)).offer);
    const second = await tokenFor((await offerFor(key.did)).offer);
    const proofWith = async (nonce: string) =>
      (await client.createCredentialRequestJwtProof({ issuerMetadata: first.issuerMetadata, signer: { method: 'did', didUrl: key.kid, alg: 'EdDSA' }, nonce, credentialConfigurationId: first.credentialConfigurationId })).jwt;
    const send = (t: typeof first, proof: string) => client.retrieveCredentials({ issuerMetadata: t.issuerMetadata, accessToken: t.accessToken, credentialConfigurationId: t.credentialConfigurationId, proofs: { jwt: [proof] } });
    const proof = await proofWith((await client.requestNonce({ issuerMetadata: first.issuerMetadata })).c_nonce);
    expect((await send(first, proof)).credentialResponse.credentials).toHaveLength(1);
    expect(await oauthError(send(second, proof))).toMatchObject({ error: 'invalid_nonce', error_description: expect.stringContaining('already used') });
    // A second replica (its own process in production: here its own registrar and service on the same database and secret).
    const replica = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl, now: clock.now });
    const replicaApp = await createIssuerServer(replica, { token: TOKEN });
    try {
      const atReplica = (p: string) =>
        replicaApp.inject({ method: 'POST', url: '/oid4vci/credential', headers: { authorization: `Bearer ${second.accessToken}`, 'content-type': 'application/json' }, payload: { credential_configuration_id: second.credentialConfigurationId, proofs: { jwt: [p] } } });
      const replayed = await atReplica(proof);
      expect(replayed.statusCode).toBe(400);
      expect(replayed.json()).toMatchObject({ error: 'invalid_nonce' });
      const fresh = await atReplica(await proofWith((await client.requestNonce({ issuerMetadata: first.issuerMetadata })).c_nonce));
      expect(fresh.statusCode, fresh.body).toBe(200);
    } finally {
      await replicaApp.close();
      await replica.close();
    }
  });

  it('a credential request without a valid access token is invalid_token (401 with WWW-Authenticate)', async () => {
    const res = await fetch(`${baseUrl}/oid4vci/credential`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('a revoked credential cannot be offered (409), and an offer made before revocation is credential_request_denied', async () => {
    const key = walletKey();
    const { issued, offer } = await offerFor(key.did);
    await registrar.revoke(issued.id);
    await expect(createOfferUri(registrar, issued.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await oauthError(receive(offer.uri, offer.txCode, key))).toMatchObject({ error: 'credential_request_denied' });
  });
});

describe('SD-JWT VC (dc+sd-jwt) over OpenID4VCI', () => {
  it('publishes a dc+sd-jwt configuration per credential type: vct, cnf.jwk binding, EdDSA, the selectively disclosable claims', async () => {
    const metadata = await holder(walletKey()).resolveIssuerMetadata(baseUrl);
    const birth = metadata.credentialIssuer.credential_configurations_supported.BirthRegistrationCredential_dc_sd_jwt;
    expect(birth).toMatchObject({
      format: 'dc+sd-jwt',
      vct: VCT_BIRTH_REGISTRATION,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['EdDSA'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
    });
    expect((birth as unknown as { credential_metadata: { claims: { path: string[] }[] } }).credential_metadata.claims).toContainEqual({ path: ['birthDate'] });
    expect(metadata.credentialIssuer.credential_configurations_supported.GuardianshipCredential_dc_sd_jwt).toMatchObject({ format: 'dc+sd-jwt' });
  });

  it('offers an sd-jwt-vc credential as dc+sd-jwt and delivers it, key-bound (cnf) to the key the wallet proves as a JWK', async () => {
    const key = walletKey();
    const issued = await registrar.issueBirthRegistration({ subject: key.did, claims: sampleClaims(), format: 'sd-jwt-vc' });
    const offer = await createOfferUri(registrar, issued.id);
    const offered = JSON.parse(new URL(offer.uri).searchParams.get('credential_offer')!) as { credential_configuration_ids: string[] };
    expect(offered.credential_configuration_ids).toEqual(['BirthRegistrationCredential_dc_sd_jwt']);
    const response = await receive(offer.uri, offer.txCode, key, key, jwkSigner(key));
    const delivered = (response.credentials as { credential: string }[])[0]!.credential;
    const read = readSdJwtVc(delivered);
    expect(read.problems).toEqual([]);
    expect(read.credential).toMatchObject({ format: 'sd-jwt-vc', kind: 'birth-registration', subjectId: key.did });
    expect(read.holderKey).toEqual({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(key.secretKey)) });
  });

  it("a wallet proving a fresh key of its own receives a copy bound (cnf) to that key: same id, subject, claims and status entries", async () => {
    const child = walletKey();
    const fresh = walletKey(); // generated by the wallet; never the child's did:key
    const issued = await registrar.issueBirthRegistration({ subject: child.did, claims: sampleClaims(), format: 'sd-jwt-vc' });
    const offer = await createOfferUri(registrar, issued.id);
    const response = await receive(offer.uri, offer.txCode, fresh, fresh, jwkSigner(fresh));
    const copy = readSdJwtVc((response.credentials as { credential: string }[])[0]!.credential);
    const original = readSdJwtVc(issued.jwt);
    expect(copy.problems).toEqual([]);
    expect(copy.holderKey).toEqual({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(fresh.secretKey)) });
    expect(copy.credential).toMatchObject({ id: issued.id, subjectId: child.did, issuer: original.credential!.issuer, types: original.credential!.types });
    expect(copy.credential!.credentialStatus).toEqual(original.credential!.credentialStatus);
    expect(copy.claims).toMatchObject({ givenName: original.claims!.givenName, birthDate: original.claims!.birthDate, registrationNumber: original.claims!.registrationNumber });
    expect([...copy.disclosed].sort()).toEqual([...original.disclosed].sort());
    // Revoking the record revokes the copy: they share the status entries (checked above); the offer is spent.
    expect(await oauthError(receive(offer.uri, offer.txCode, fresh, fresh, jwkSigner(fresh)))).toMatchObject({ error: 'invalid_grant' });
  });

  it('a jwt_vc_json credential stays bound to its subject: a fresh key is invalid_proof, pointing to dc+sd-jwt', async () => {
    const child = walletKey();
    const fresh = walletKey();
    const { offer } = await offerFor(child.did);
    expect(await oauthError(receive(offer.uri, offer.txCode, fresh, fresh, jwkSigner(fresh)))).toMatchObject({ error: 'invalid_proof', error_description: expect.stringContaining('dc+sd-jwt') });
  });

  it('a request for the jwt_vc_json configuration of a dc+sd-jwt offer is unknown_credential_configuration', async () => {
    const key = walletKey();
    const issued = await registrar.issueBirthRegistration({ subject: key.did, claims: sampleClaims(), format: 'sd-jwt-vc' });
    const offer = await createOfferUri(registrar, issued.id);
    const client = holder(key);
    const credentialOffer = await client.resolveCredentialOffer(offer.uri);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const credentialConfigurationId = 'BirthRegistrationCredential_jwt_vc_json';
    const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, signer: jwkSigner(key), nonce: c_nonce, credentialConfigurationId });
    expect(await oauthError(client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [jwt] } }))).toMatchObject({ error: 'unknown_credential_configuration' });
  });
});
