import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readSdJwtVc } from '@cradle/core';
import type { DevChain } from '@cradle/ledger/devchain';
import { createIssuerServer, digestOf } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { CHILD, GUARDIAN, TestClock, chain, decodeJwt, initRegistrar, sampleClaims, tempHome } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let cleanup: () => void;
const clock = new TestClock();
const auth = { authorization: `Bearer ${TOKEN}` };

function issueBody(claims: Record<string, unknown> = sampleClaims(), options?: Record<string, unknown>): Record<string, unknown> {
  return { credential: { credentialSubject: { id: CHILD, ...claims } }, ...(options ? { options } : {}) };
}

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  registrar = await initRegistrar(devChain, t.home, { now: clock.now });
  app = await createIssuerServer(registrar, { token: TOKEN });
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('authentication', () => {
  it('every write needs the bearer token: 401 without it or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcd' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      for (const url of ['/credentials/issue', '/credentials/status', '/status-lists/publish']) {
        const res = await app.inject({ method: 'POST', url, headers, payload: issueBody() });
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
      }
    }
    expect(await registrar.list()).toEqual([]);
  });

  it('a short token is refused at startup', async () => {
    await expect(createIssuerServer(registrar, { token: 'short' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('POST /credentials/issue', () => {
  it('issues a vc+jwt birth-registration credential (201)', async () => {
    const res = await app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: issueBody() });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; jwt: string; verifiableCredential: unknown; credentialStatus: unknown[] }>();
    // VC-API: a JOSE-secured credential comes back enveloped (VCDM 2.0 §4.13).
    expect(body.verifiableCredential).toEqual({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${body.jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
    expect(decodeJwt(body.jwt).header.typ).toBe('vc+jwt');
    expect(body.credentialStatus).toHaveLength(2);
    expect((await registrar.get(body.id))?.subject).toBe(CHILD);
  });

  it('issues jwt-vc on request, and guardianship credentials by type', async () => {
    const jwtVc = await app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: issueBody(sampleClaims(), { format: 'jwt-vc' }) });
    expect(decodeJwt(jwtVc.json<{ jwt: string }>().jwt).header.typ).toBe('JWT');
    const g = await app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: auth,
      payload: { credential: { type: ['VerifiableCredential', 'GuardianshipCredential'], credentialSubject: { id: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] } } },
    });
    expect(g.statusCode).toBe(201);
    expect(decodeJwt(g.json<{ jwt: string }>().jwt).payload.type).toEqual(['VerifiableCredential', 'GuardianshipCredential']);
  });

  it('issues sd-jwt-vc on request: enveloped as data:application/dc+sd-jwt, every claim a disclosure, bound to the child', async () => {
    const res = await app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: issueBody(sampleClaims(), { format: 'sd-jwt-vc' }) });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; jwt: string; verifiableCredential: unknown }>();
    expect(body.verifiableCredential).toEqual({ '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/dc+sd-jwt,${body.jwt}`, type: 'EnvelopedVerifiableCredential' });
    const read = readSdJwtVc(body.jwt);
    expect(read.problems).toEqual([]);
    expect(read.jws?.header.typ).toBe('dc+sd-jwt');
    expect(read.credential).toMatchObject({ id: body.id, kind: 'birth-registration', issuer: registrar.identity()?.did, subjectId: CHILD, subject: { ...sampleClaims(), id: CHILD } });
    expect(read.disclosed.slice().sort()).toEqual(Object.keys(sampleClaims()).sort());
    expect(read.holderKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(read.credential?.credentialStatus).toHaveLength(2);
  });

  it('malformed requests are a 400 with { code, message }; invalid claims a 422 naming the field', async () => {
    const before = (await registrar.list({ limit: 1000 })).length;
    const bad = [
      { payload: {}, status: 400 },
      { payload: { credential: {} }, status: 400 },
      { payload: { credential: { credentialSubject: { givenName: 'x' } } }, status: 400 },
      { payload: issueBody(sampleClaims(), { format: 'ldp' }), status: 400 },
      { payload: '{not json', status: 400, headers: { 'content-type': 'application/json' } },
      { payload: issueBody({ ...sampleClaims(), sex: 'F' }), status: 422, field: 'sex' },
      { payload: { credential: { credentialSubject: { ...sampleClaims(), id: 'nope' } } }, status: 422, field: 'subject' },
    ];
    for (const b of bad) {
      const res = await app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...auth, ...(b.headers ?? {}) }, payload: b.payload as never });
      expect(res.statusCode, JSON.stringify(b.payload)).toBe(b.status);
      const body = res.json<{ code: string; message: string; details?: { field?: string } }>();
      expect(typeof body.code).toBe('string');
      expect(body.message.length).toBeGreaterThan(0);
      if (b.field !== undefined) {
        expect(body.code).toBe('INVALID_CLAIMS');
        expect(body.details?.field).toBe(b.field);
      }
    }
    expect((await registrar.list({ limit: 1000 })).length).toBe(before);
  });

  it('1,000 concurrent issue requests all succeed with distinct indices', async () => {
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => app.inject({ method: 'POST', url: '/credentials/issue', headers: auth, payload: issueBody() })),
    );
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    const bodies = responses.map((r) => r.json<{ id: string; credentialStatus: { statusPurpose: string; statusListIndex: string; statusListCredential: string }[] }>());
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1000);
    for (const purpose of ['revocation', 'suspension']) {
      const slots = bodies.map((b) => b.credentialStatus.find((s) => s.statusPurpose === purpose)!).map((s) => `${s.statusListCredential}#${s.statusListIndex}`);
      expect(new Set(slots).size).toBe(1000);
    }
  });
});

describe('POST /credentials/issue refuses what it cannot honour (400 naming the field), never replaces it', () => {
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/credentials/issue', headers: { ...auth, ...headers }, payload: payload as never });
  const credential = (extra: Record<string, unknown>) => ({ credential: { ...extra, credentialSubject: { id: CHILD, ...sampleClaims() } } });

  it('each member the registrar sets itself is refused, naming it', async () => {
    const before = (await registrar.list({ limit: 2000 })).length;
    const cases: [string, unknown][] = [
      ['id', 'urn:uuid:00000000-0000-4000-8000-000000000000'],
      ['credentialStatus', [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: 'https://evil.example/s' }]],
      ['validFrom', '2020-01-01T00:00:00Z'],
      ['validUntil', '2030-01-01T00:00:00Z'],
      ['issuanceDate', '2020-01-01T00:00:00Z'],
      ['expirationDate', '2030-01-01T00:00:00Z'],
      ['proof', { type: 'DataIntegrityProof' }],
      ['@context', ['https://www.w3.org/ns/credentials/v2']],
      ['@context', ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1', 'https://evil.example/ctx']],
      ['type', ['VerifiableCredential']],
      ['type', ['VerifiableCredential', 'BirthRegistrationCredential', 'GuardianshipCredential']],
      ['type', 'BirthRegistrationCredential'],
      ['issuer', 'did:web:someone-else.example'],
      ['issuer', { id: registrar.identity()!.did, name: 'Not our name' }],
      ['name', 'A name the registrar would drop'],
      ['evidence', [{ type: 'DocumentVerification' }]],
    ];
    for (const [field, value] of cases) {
      const res = await post(credential({ [field]: value }));
      expect({ field, status: res.statusCode }).toEqual({ field, status: 400 });
      const body = res.json<{ code: string; message: string; details?: { field?: string } }>();
      expect(body.code).toBe('INVALID_ARGUMENT');
      expect(body.details?.field).toBe(`credential.${field}`);
      expect(body.message).toContain(`credential.${field}`);
    }
    expect((await registrar.list({ limit: 2000 })).length).toBe(before);
  });

  it('the same values the registrar would emit are accepted (@context, type, issuer as string or { id })', async () => {
    const did = registrar.identity()!.did;
    for (const extra of [
      { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'], type: ['BirthRegistrationCredential', 'VerifiableCredential'], issuer: did },
      { issuer: { id: did } },
    ]) {
      const res = await post(credential(extra));
      expect(res.statusCode).toBe(201);
      const payload = decodeJwt(res.json<{ jwt: string }>().jwt).payload;
      expect(payload.issuer).toBe(did);
      expect(payload.type).toEqual(['VerifiableCredential', 'BirthRegistrationCredential']);
    }
    const v1 = await post({ ...credential({ '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1', 'https://w3id.org/cradle/v1'] }), options: { format: 'jwt-vc' } });
    expect(v1.statusCode).toBe(201);
    expect(typeof v1.json<{ verifiableCredential: unknown }>().verifiableCredential).toBe('string'); // VCDM 1.1 has no envelope
  });

  it('a body with a duplicate JSON member is refused at any depth (JSON.parse would keep the last one)', async () => {
    const before = (await registrar.list({ limit: 2000 })).length;
    const claims = JSON.stringify(sampleClaims()).slice(1, -1);
    for (const raw of [
      `{"credential":{"credentialSubject":{"id":"${CHILD}",${claims}}},"credential":{"credentialSubject":{"id":"${CHILD}",${claims}}}}`,
      `{"credential":{"credentialSubject":{"id":"did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH","id":"${CHILD}",${claims}}}}`,
      `{"credential":{"credentialSubject":{"id":"${CHILD}",${claims},"givenName":"Someone Else"}}}`,
    ]) {
      const res = await post(raw, { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(/duplicate member name/);
    }
    const status = await app.inject({ method: 'POST', url: '/credentials/status', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"credentialId":"a","credentialId":"b","action":"revoke"}' });
    expect(status.statusCode).toBe(400);
    expect((await registrar.list({ limit: 2000 })).length).toBe(before);
  });

  it('schema refusals name the member (options.credentialId, a missing credentialSubject)', async () => {
    const extra = await post({ ...credential({}), options: { format: 'vc+jwt', credentialId: 'x' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json<{ details?: { field?: string } }>().details?.field).toBe('options.credentialId');
    const missing = await post({ credential: {} });
    expect(missing.json<{ details?: { field?: string } }>().details?.field).toBe('credential.credentialSubject');
  });
});

describe('status updates and status lists', () => {
  it('POST /credentials/status revokes; 404 for an unknown id; 409 for unsuspending a revoked one', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const res = await app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: issued.id, action: 'revoke' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    const again = await app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: issued.id, action: 'unsuspend' } });
    expect(again.statusCode).toBe(409);
    const unknown = await app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: 'urn:uuid:none', action: 'revoke' } });
    expect(unknown.statusCode).toBe(404);
    const wrong = await app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: issued.id, action: 'unrevoke' } });
    expect(wrong.statusCode).toBe(400);
    const neither = await app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: issued.id } });
    expect(neither.statusCode).toBe(400);
  });

  it('POST /credentials/status also takes the VC-API form; setting a revocation back to 0 is refused', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const update = (statusPurpose: string, status: string) =>
      app.inject({ method: 'POST', url: '/credentials/status', headers: auth, payload: { credentialId: issued.id, credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose, status }] } });
    expect((await update('suspension', '1')).json<{ suspendedAt: string | null }>().suspendedAt).not.toBeNull();
    expect((await update('suspension', '0')).json<{ suspendedAt: string | null }>().suspendedAt).toBeNull();
    expect((await update('revocation', '1')).json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    expect((await update('revocation', '0')).statusCode).toBe(409);
  });

  it('GET /status/:name serves the signed list as application/vc+jwt with ETag = digest, and 304 on a match', async () => {
    const pub = await app.inject({ method: 'POST', url: '/status-lists/publish', headers: auth });
    expect(pub.statusCode).toBe(200);
    const { published } = pub.json<{ published: { name: string; digest: string }[] }>();
    expect(published.length).toBeGreaterThan(0);
    const list = published[0]!;
    const res = await app.inject({ method: 'GET', url: `/status/${list.name}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    expect(res.headers.etag).toBe(`"${list.digest}"`);
    expect(res.headers['cache-control']).toContain('max-age=');
    expect(digestOf(res.body)).toBe(list.digest);
    const cached = await app.inject({ method: 'GET', url: `/status/${list.name}`, headers: { 'if-none-match': `"${list.digest}"` } });
    expect(cached.statusCode).toBe(304);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const weak = await app.inject({ method: 'GET', url: `/status/${list.name}`, headers: { 'if-none-match': `"other", W/"${list.digest}"` } });
    expect(weak.statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/status/0123456789abcdef0123456789abcdef' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/status/..%2f..%2fetc' })).statusCode).toBe(400);
  });

  it('GET /health and GET /openapi.json', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', did: registrar.identity()!.did, pendingAnchors: 0 });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/credentials/issue', '/credentials/status', '/status/{name}', '/health']));
  });
});
