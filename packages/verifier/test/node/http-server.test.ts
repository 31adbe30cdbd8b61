// The VC-API verifier service (`cradle checkpoint serve`) over the offline verifier: real Fastify, real tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { encodeQrPayload, envelopeCredential } from '@cradle/core';
import { createVerifierServer } from '../../src/node/http-server.js';
import type { World } from '../helpers/fixtures.js';
import { NOW, issue, present, world } from '../helpers/fixtures.js';

const TOKEN = 'verifier-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const OPTIONS = { challenge: 'n-0123456789', domain: 'border-post-7.example' };
let w: World;
let revokedWorld: World;
let app: FastifyInstance;
let revokedApp: FastifyInstance;

beforeAll(async () => {
  w = await world();
  revokedWorld = await world({ revoked: [94_567] });
  app = await createVerifierServer({ store: w.store, token: TOKEN, now: () => NOW });
  revokedApp = await createVerifierServer({ store: () => revokedWorld.store, token: TOKEN, now: () => NOW });
});
afterAll(async () => {
  await Promise.all([app?.close(), revokedApp?.close()]);
});

type Result = { verified: boolean; outcome: string; checks: string[]; warnings: { code: string }[]; errors: { code: string }[]; facts?: { child?: { givenName?: string } } };

describe('POST /credentials/verify', () => {
  it('an enveloped credential (VC-API shape) that verifies is a 200 with checks and the facts', async () => {
    const res = await app.inject({ method: 'POST', url: '/credentials/verify', headers: auth, payload: { verifiableCredential: envelopeCredential(w.credential) } });
    expect(res.statusCode).toBe(200);
    const body = res.json<Result>();
    expect(body).toMatchObject({ verified: true, outcome: 'valid', errors: [], checks: expect.arrayContaining(['proof', 'status']) });
    expect(body.warnings.map((x) => x.code)).toEqual(['BEARER']);
    expect(body.facts?.child?.givenName).toBe('Amina Wanjiru');
  });

  it('the compact token and the CRADLE QR text are accepted too', async () => {
    for (const verifiableCredential of [w.credential, encodeQrPayload(w.credential)]) {
      const res = await app.inject({ method: 'POST', url: '/credentials/verify', headers: auth, payload: { verifiableCredential } });
      expect(res.statusCode).toBe(200);
    }
  });

  it('a revoked credential is a 400 with outcome invalid and the code', async () => {
    const res = await revokedApp.inject({ method: 'POST', url: '/credentials/verify', headers: auth, payload: { verifiableCredential: envelopeCredential(revokedWorld.credential) } });
    expect(res.statusCode).toBe(400);
    expect(res.json<Result>()).toMatchObject({ verified: false, outcome: 'invalid', errors: [{ code: 'REVOKED' }] });
  });

  it('a tampered credential is a 400 SIGNATURE_INVALID', async () => {
    const forged = issue({ issuer: { ...w.registrar, sign: w.child.sign }, subject: w.child.did });
    const res = await app.inject({ method: 'POST', url: '/credentials/verify', headers: auth, payload: { verifiableCredential: envelopeCredential(forged) } });
    expect(res.statusCode).toBe(400);
    expect(res.json<Result>().errors.map((e) => e.code)).toContain('SIGNATURE_INVALID');
  });

  it('a request with nothing verifiable, or extra members, is a 400 naming the field', async () => {
    for (const [payload, field] of [
      [{ verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], proof: {} } }, 'verifiableCredential'],
      [{}, 'verifiableCredential'],
      [{ verifiableCredential: w.credential, options: { checks: ['proof'] } }, 'options.checks'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/credentials/verify', headers: auth, payload: payload as never });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string; details: { field: string } }>()).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
    }
  });

  it('a body with a duplicate member is refused (the second credential would otherwise win)', async () => {
    const raw = `{"verifiableCredential":${JSON.stringify(w.credential)},"verifiableCredential":${JSON.stringify(revokedWorld.credential)}}`;
    const res = await app.inject({ method: 'POST', url: '/credentials/verify', headers: { ...auth, 'content-type': 'application/json' }, payload: raw });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/duplicate member name "verifiableCredential"/);
  });
});

describe('POST /presentations/verify', () => {
  it("a guardian's presentation with the checkpoint's challenge and domain is a 200", async () => {
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship] });
    for (const verifiablePresentation of [{ type: 'EnvelopedVerifiablePresentation', id: `data:application/vp+jwt,${vp}` }, vp]) {
      const res = await app.inject({ method: 'POST', url: '/presentations/verify', headers: auth, payload: { verifiablePresentation, options: OPTIONS } });
      expect(res.statusCode).toBe(200);
      expect(res.json<Result>()).toMatchObject({ verified: true, outcome: 'valid', warnings: [], checks: expect.arrayContaining(['holder', 'challenge']) });
    }
  });

  it('a wrong or missing challenge is a 400 CHALLENGE_MISMATCH (replay)', async () => {
    const vp = present({ holder: w.guardian, credentials: [w.credential, w.guardianship] });
    for (const options of [{ ...OPTIONS, challenge: 'another' }, { domain: OPTIONS.domain }]) {
      const res = await app.inject({ method: 'POST', url: '/presentations/verify', headers: auth, payload: { verifiablePresentation: vp, options } });
      expect(res.statusCode).toBe(400);
      expect(res.json<Result>().errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);
    }
  });
});

describe('the service', () => {
  it('needs the bearer token on every verify route (401), and a token of 16+ characters at startup', async () => {
    for (const url of ['/credentials/verify', '/presentations/verify']) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }]) {
        const res = await app.inject({ method: 'POST', url, headers, payload: { verifiableCredential: w.credential } });
        expect(res.statusCode).toBe(401);
      }
    }
    await expect(createVerifierServer({ store: w.store, token: 'short' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('serves its OpenAPI document with both routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/credentials/verify', '/presentations/verify', '/health']));
  });
});
