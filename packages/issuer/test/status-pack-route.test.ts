import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DevChain } from '@cradle/ledger/devchain';
import { decodeStatusListPack, readStatusListPack } from '@cradle/core';
import { statusListId } from '@cradle/ledger';
import { createIssuerServer } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { CHILD, TestClock, chain, initRegistrar, sampleClaims, tempHome } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let cleanup: () => void;
const clock = new TestClock();
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  registrar = await initRegistrar(devChain, t.home, { now: clock.now });
  app = await createIssuerServer(registrar, { token: TOKEN, statusMaxAgeSeconds: 30 });
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

async function pack(): Promise<{ status: number; headers: Record<string, unknown>; jws: string[]; raw: Buffer }> {
  const res = await app.inject({ method: 'GET', url: '/status-pack' });
  const raw = res.rawPayload;
  return { status: res.statusCode, headers: res.headers, raw, jws: res.statusCode === 200 ? decodeStatusListPack(new Uint8Array(raw)) : [] };
}

describe('GET /status-pack', () => {
  it('before any publication it is an empty pack', async () => {
    const r = await pack();
    expect(r.status).toBe(200);
    expect(r.jws).toEqual([]);
  });

  it('carries exactly the JWS served at each /status/:name (the latest version only), with ETag, caching and 304', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const first = (await app.inject({ method: 'POST', url: '/status-lists/publish', headers: auth })).json<{ published: { name: string; version: number }[] }>();
    expect(first.published.length).toBe(2); // revocation + suspension
    const before = await pack();
    await registrar.revoke(issued.id);
    clock.advance(60_000);
    const second = (await app.inject({ method: 'POST', url: '/status-lists/publish', headers: auth })).json<{ published: { name: string; version: number }[] }>();
    expect(second.published.map((p) => p.version)).toEqual([2]);

    const r = await pack();
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-cradle-status-pack');
    expect(r.headers['cache-control']).toBe('public, max-age=30, must-revalidate');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers.etag).toBe(`"${createHash('sha256').update(r.raw).digest('hex')}"`);
    expect(r.headers.etag).not.toBe(before.headers.etag);

    const names = [...new Set(first.published.map((p) => p.name))].sort();
    const served: string[] = [];
    for (const name of names) {
      const one = await app.inject({ method: 'GET', url: `/status/${name}` });
      expect(one.statusCode).toBe(200);
      served.push(one.body);
    }
    expect([...r.jws].sort()).toEqual([...served].sort());
    expect(r.jws).toHaveLength(2);
    // The stale version 1 of the revoked list is not in the pack.
    expect(before.jws.filter((j) => !r.jws.includes(j))).toHaveLength(1);

    const cached = await app.inject({ method: 'GET', url: '/status-pack', headers: { 'if-none-match': String(r.headers.etag) } });
    expect(cached.statusCode).toBe(304);
  });

  it('with ?since= sends only what changed after the versions held, as deltas that rebuild the served JWS exactly', async () => {
    const names = [...new Set((await registrar.anchors(1000)).map((a) => a.list))].sort();
    const held = await Promise.all(names.map(async (n) => (await registrar.statusListJwt(n))!));
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.revoke(issued.id);
    clock.advance(60_000);
    const published = (await app.inject({ method: 'POST', url: '/status-lists/publish', headers: auth })).json<{ published: { name: string; version: number }[] }>();
    const changed = published.published.map((p) => p.name);
    expect(changed).toHaveLength(1);
    const since = held.map((l) => `${statusListId(l.url)}:${l.version}`).join(',');
    const res = await app.inject({ method: 'GET', url: `/status-pack?since=${since}` });
    expect(res.statusCode).toBe(200);
    const raw = new Uint8Array(res.rawPayload);
    expect(Buffer.from(raw.subarray(0, 5)).toString()).toBe('CSLP3');
    const current = (await registrar.statusListJwt(changed[0]!))!.jwt;
    // The unchanged list is left out; the changed one is a delta against the held version.
    expect(readStatusListPack(raw, { bases: held.map((l) => l.jwt) })).toEqual({ lists: [current], unresolved: [] });
    expect(readStatusListPack(raw, { bases: [] }).unresolved).toHaveLength(1);
    const full = (await app.inject({ method: 'GET', url: '/status-pack' })).rawPayload;
    console.info(`status pack: full ${full.length} B, since ${raw.length} B`);
    expect(raw.length).toBeLessThan(full.length / 3);
    // A list id the registrar does not know, or an older version it no longer has, gets the full list.
    const unknown = await app.inject({ method: 'GET', url: `/status-pack?since=0x${'ab'.repeat(32)}:3` });
    expect(decodeStatusListPack(new Uint8Array(unknown.rawPayload)).sort()).toEqual(decodeStatusListPack(new Uint8Array(full)).sort());
  });

  it('refuses a malformed since with 400 and says what is expected', async () => {
    for (const bad of ['abc', `0x${'ab'.repeat(32)}:0`, `0x${'ab'.repeat(32)}:1,0x${'ab'.repeat(32)}:2`, `0x${'ab'.repeat(31)}:1`]) {
      const res = await app.inject({ method: 'GET', url: `/status-pack?since=${bad}` });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string; message: string }>().message).toMatch(/since/);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toContain('/status-pack');
  });
});
