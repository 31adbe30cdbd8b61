// OpenID4VCI and OpenID4VP end to end: a real `cradle registrar serve` process on the local EDR chain,
// offers made with `cradle registrar offer`, a holder that is not ours (the `@openid4vc/openid4vci` client
// with its own did:key) and `cradle wallet receive` receiving credentials, a Cradle checkpoint verifying
// one offline, and `cradle wallet respond` answering an OpenID4VP request checked on the synced state.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519';
import { base64UrlEncode, didKeyFromEd25519PublicKey, didKeyVerificationMethodId, readSdJwtVc } from '@cradle/core';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { HashAlgorithm, clientAuthenticationNone, setGlobalConfig } from '@openid4vc/oauth2';
import type { JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { FileVerifierStore } from '@cradle/verifier/node';
import { SignJWT, importJWK } from 'jose';
import { createPresentationRequest, verifyPresentationResponse } from '@cradle/verifier/openid4vp';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/free-port.js';
import { BIN, REPO, runCradle } from './helpers/run-cradle.js';

const SECRET = 'oid4vci-e2e-secret-0123456789abcdef';

async function ok(args: string[]): Promise<Record<string, unknown>> {
  const run = await runCradle([...args, '--json'], { env: { CRADLE_SECRET: SECRET } });
  expect(run.code, `cradle ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

let chain: DevChain | undefined;
let server: ChildProcess | undefined;
let verifierServer: Server | undefined;
afterAll(async () => {
  server?.kill('SIGTERM');
  verifierServer?.close();
  await chain?.stop();
});

describe('OpenID4VCI/VP: registrar serve -> wallets -> Cradle checkpoint', () => {
  it('the credential received through a pre-authorized offer with a transaction code verifies offline; the Cradle wallet receives and answers an OpenID4VP request', { timeout: 600_000 }, async () => {
    setGlobalConfig({ allowInsecureUrls: true }); // the registrar listens on plain http://127.0.0.1
    const dir = await mkdtemp(join(tmpdir(), 'cradle-oid4vci-e2e-'));
    chain = await startDevChain();
    const ledgerFile = join(dir, 'ledger.json');
    await writeFile(ledgerFile, serializeLedgerConfig(chain.config));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const reg = join(dir, 'registrar');
    const cp = join(dir, 'checkpoint');

    // The wallet's key for the child: any did:key wallet can hold it.
    const secretKey = ed25519.utils.randomPrivateKey();
    const child = didKeyFromEd25519PublicKey(ed25519.getPublicKey(secretKey));

    const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', baseUrl])) as { did: string };
    const claims = join(REPO, 'examples/data/birth-registration.json');
    const birth = (await ok(['registrar', 'issue', '--home', reg, '--subject', child, '--claims', claims])) as { id: string; jwt: string };
    // A Cradle wallet's child and guardian, and their credentials (received over OpenID4VCI below).
    const wallet = join(dir, 'wallet');
    await ok(['wallet', 'init', '--home', wallet]);
    const { did: walletChild } = (await ok(['wallet', 'create-did', '--home', wallet, '--label', 'Child'])) as { did: string };
    const { did: mother } = (await ok(['wallet', 'create-did', '--home', wallet, '--label', 'Mother'])) as { did: string };
    const second = (await ok(['registrar', 'issue', '--home', reg, '--subject', walletChild, '--claims', claims])) as { id: string };
    const guardianship = (await ok(['registrar', 'guardianship', '--home', reg, '--subject', walletChild, '--guardian', mother])) as { id: string };
    // The same birth record as SD-JWT VCs (dc+sd-jwt), for the other wallet and for the Cradle wallet.
    const sdBirth = (await ok(['registrar', 'issue', '--home', reg, '--subject', child, '--claims', claims, '--format', 'sd-jwt-vc'])) as { id: string; jwt: string };
    const sdSecond = (await ok(['registrar', 'issue', '--home', reg, '--subject', walletChild, '--claims', claims, '--format', 'sd-jwt-vc'])) as { id: string };
    await ok(['registrar', 'publish', '--home', reg]);
    const png = join(dir, 'offer.png');
    const offer = (await ok(['registrar', 'offer', birth.id, '--home', reg, '--png', png])) as { uri: string; txCode: string };
    expect(offer.txCode).toMatch(/^\d{6}$/);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');

    server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, 'registrar', 'serve', '--home', reg, '--port', String(port), '--anchor-interval', '0'], {
      cwd: REPO,
      env: { ...process.env, CRADLE_SECRET: SECRET },
      stdio: 'ignore',
    });
    for (let i = 0; i < 150; i++) {
      if (await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // The holder: @openid4vc/openid4vci's client with callbacks written here, signing with `signingKey`.
    let signingKey = secretKey;
    const client = new Openid4vciClient({
      callbacks: {
        hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : 'sha512').update(data).digest()),
        generateRandom: (n) => new Uint8Array(randomBytes(n)),
        signJwt: (_signer, { header, payload }) => {
          const input = `${base64UrlEncode(Buffer.from(JSON.stringify(header)))}.${base64UrlEncode(Buffer.from(JSON.stringify(payload)))}`;
          return { jwt: `${input}.${base64UrlEncode(ed25519.sign(Buffer.from(input), signingKey))}`, signerJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(signingKey)) } };
        },
        fetch,
        clientAuthentication: clientAuthenticationNone({ clientId: 'e2e-wallet' }),
      },
    });
    const libraryReceive = async (o: { uri: string; txCode: string }, signer: JwtSigner): Promise<{ configuration: string; credential: string }> => {
      const credentialOffer = await client.resolveCredentialOffer(o.uri);
      const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
      const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: o.txCode });
      const { c_nonce } = await client.requestNonce({ issuerMetadata });
      const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
      const { jwt: proof } = await client.createCredentialRequestJwtProof({ issuerMetadata, signer, nonce: c_nonce, credentialConfigurationId });
      const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [proof] } });
      return { configuration: credentialConfigurationId, credential: (credentialResponse.credentials as { credential: string }[])[0]!.credential };
    };
    const received = (await libraryReceive(offer, { method: 'did', didUrl: didKeyVerificationMethodId(child), alg: 'EdDSA' })).credential;
    expect(received).toBe(birth.jwt);
    // dc+sd-jwt: the wallet proves a fresh key of its own, named as a JWK; the SD-JWT VC delivered is bound (cnf) to it.
    const walletKey = ed25519.utils.randomPrivateKey();
    const walletJwk = { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(walletKey)) };
    signingKey = walletKey;
    const sdOffer = (await ok(['registrar', 'offer', sdBirth.id, '--home', reg, '--no-qr'])) as { uri: string; txCode: string };
    const sdReceived = await libraryReceive(sdOffer, { method: 'jwk', publicJwk: walletJwk, alg: 'EdDSA' });
    expect(sdReceived.configuration).toBe('BirthRegistrationCredential_dc_sd_jwt');
    expect(readSdJwtVc(sdReceived.credential)).toMatchObject({ holderKey: walletJwk, credential: { id: sdBirth.id, subjectId: child } });

    // The Cradle wallet receives through the same service: `cradle wallet receive OFFER_URI --tx-code CODE`.
    const secondOffer = (await ok(['registrar', 'offer', second.id, '--home', reg, '--no-qr'])) as { uri: string; txCode: string };
    const wrong = await runCradle(['wallet', 'receive', secondOffer.uri, '--tx-code', secondOffer.txCode === '000000' ? '111111' : '000000', '--home', wallet, '--allow-http', '--child', 'Child', '--json'], { env: { CRADLE_SECRET: SECRET } });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'ISSUER_REFUSED', details: { error: 'invalid_grant' } } });
    const got = (await ok(['wallet', 'receive', secondOffer.uri, '--tx-code', secondOffer.txCode, '--home', wallet, '--allow-http', '--child', 'Child'])) as { imported: { id: string; subject: string; created: boolean }[] };
    expect(got.imported).toEqual([expect.objectContaining({ id: second.id, subject: walletChild, created: true })]);
    const guardianshipOffer = (await ok(['registrar', 'offer', guardianship.id, '--home', reg, '--no-qr'])) as { uri: string; txCode: string };
    await ok(['wallet', 'receive', guardianshipOffer.uri, '--tx-code', guardianshipOffer.txCode, '--home', wallet, '--allow-http', '--child', 'Child']);
    const sdSecondOffer = (await ok(['registrar', 'offer', sdSecond.id, '--home', reg, '--no-qr'])) as { uri: string; txCode: string };
    const gotSd = (await ok(['wallet', 'receive', sdSecondOffer.uri, '--tx-code', sdSecondOffer.txCode, '--home', wallet, '--allow-http', '--child', 'Child'])) as { credentialConfigurationId: string; imported: { id: string; format: string }[] };
    expect(gotSd).toMatchObject({ credentialConfigurationId: 'BirthRegistrationCredential_dc_sd_jwt', imported: [{ id: sdSecond.id, format: 'sd-jwt-vc' }] });

    // A Cradle checkpoint: init, trust the registrar, sync (online), then verify with the chain and server gone.
    await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d']);
    await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
    expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);
    server.kill('SIGTERM');
    server = undefined;

    // OpenID4VP: an online verifier (here, in this process, on the checkpoint's synced state) asks the
    // wallet with a DCQL query; `cradle wallet respond` answers; the answer verifies with the offline rules.
    const store = await FileVerifierStore.open(cp);
    let verdict: Awaited<ReturnType<typeof verifyPresentationResponse>> | undefined;
    let posted: Record<string, string> = {};
    const vpPort = await freePort();
    const responseUri = `http://127.0.0.1:${vpPort}/oid4vp/response`;
    const first = await createPresentationRequest({ responseUri });
    const vpUri = first.uri;
    let pending = first.request;
    verifierServer = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        posted = Object.fromEntries(new URLSearchParams(text));
        void verifyPresentationResponse(posted, { request: pending, store }).then((r) => {
          verdict = r;
          res.writeHead(r.outcome === 'valid' ? 200 : 400, { 'content-type': 'application/json' }).end(r.outcome === 'valid' ? '{}' : '{"error":"invalid_request"}');
        });
      });
    });
    await new Promise<void>((done) => verifierServer!.listen(vpPort, '127.0.0.1', done));
    const responded = (await ok(['wallet', 'respond', vpUri, '--home', wallet, '--allow-http'])) as { answered: string[] };
    expect(responded.answered).toEqual(['birth', 'guardianship']);
    expect(verdict?.errors).toEqual([]);
    expect(verdict).toMatchObject({ outcome: 'valid', facts: { guardian: { did: mother, isListedGuardian: true } } });
    // Asked as dc+sd-jwt: the wallet answers with the birth SD-JWT VC (only the asked claims, key-bound) beside the guardian's presentation.
    const sdRequest = await createPresentationRequest({ responseUri, format: 'dc+sd-jwt', claims: ['givenName', 'birthDate'] });
    pending = sdRequest.request;
    verdict = undefined as typeof verdict; // (not narrowed: the server callback sets it)
    await ok(['wallet', 'respond', sdRequest.uri, '--home', wallet, '--allow-http']);
    expect(verdict?.errors).toEqual([]);
    expect(verdict).toMatchObject({ outcome: 'valid', facts: { guardian: { did: mother, isListedGuardian: true }, childDid: walletChild } });
    const birthAnswer = (JSON.parse(posted.vp_token!) as { birth: string[] }).birth[0]!;
    const shown = readSdJwtVc(birthAnswer);
    expect(shown.problems).toEqual([]);
    expect([...shown.disclosed].sort()).toEqual(['birthDate', 'givenName']);
    expect(shown.keyBinding).toMatchObject({ nonce: sdRequest.request.nonce, audience: sdRequest.request.client_id });

    // The credential the other wallet received, at a checkpoint with no network at all.
    await chain.stop();
    chain = undefined;
    const verified = await runCradle(['checkpoint', 'verify', received, '--home', cp, '--json'], { env: { CRADLE_SECRET: SECRET } });
    const result = JSON.parse(verified.stdout.trim()) as { outcome: string; errors: unknown[] };
    expect(result.errors).toEqual([]);
    expect(result.outcome).toBe('valid');
    expect(verified.code).toBe(0);
    const sdVerified = await runCradle(['checkpoint', 'verify', sdReceived.credential, '--home', cp, '--json'], { env: { CRADLE_SECRET: SECRET } });
    const sdResult = JSON.parse(sdVerified.stdout.trim()) as { outcome: string; errors: unknown[]; bearer: boolean };
    expect(sdResult.errors).toEqual([]);
    expect(sdResult).toMatchObject({ outcome: 'valid', bearer: true });
    expect(sdVerified.code).toBe(0);
    // With a key-binding JWT (made here with jose): by the wallet's key it verifies; by the child's key, which
    // the copy is not bound to, it does not.
    const withKeyBinding = async (key: Uint8Array): Promise<string> => {
      const presented = sdReceived.credential;
      const sdHash = createHash('sha256').update(presented).digest('base64url');
      const jwk = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519.getPublicKey(key)), d: base64UrlEncode(key) }, 'EdDSA');
      const kb = await new SignJWT({ nonce: 'e2e-nonce-0123456789', sd_hash: sdHash }).setProtectedHeader({ alg: 'EdDSA', typ: 'kb+jwt' }).setIssuedAt().setAudience('school.example').sign(jwk);
      return `${presented}${kb}`;
    };
    const bound = await runCradle(['checkpoint', 'verify', await withKeyBinding(walletKey), '--home', cp, '--json'], { env: { CRADLE_SECRET: SECRET } });
    expect(JSON.parse(bound.stdout.trim())).toMatchObject({ outcome: 'valid', errors: [] });
    const misbound = await runCradle(['checkpoint', 'verify', await withKeyBinding(secretKey), '--home', cp, '--json'], { env: { CRADLE_SECRET: SECRET } });
    expect(JSON.parse(misbound.stdout.trim())).toMatchObject({ outcome: 'invalid', errors: [{ code: 'KEY_BINDING_INVALID' }] });
  });
});
