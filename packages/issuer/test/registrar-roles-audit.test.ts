import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DevChain } from '@cradle/ledger/devchain';
import type { Registrar } from '../src/index.js';
import { createIssuerServer } from '../src/http-server.js';
import { CHILD, TestClock, chain, initRegistrar, openTestStore, queryDatabase, sampleClaims, tempHome } from './helpers.js';

let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let home: string;
let cleanup: () => void;
const clock = new TestClock();
const keys: Record<'clerk' | 'supervisor' | 'operator', { id: string; token: string }> = {} as never;

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  registrar = await initRegistrar(devChain, home, { now: clock.now });
  for (const role of ['clerk', 'supervisor', 'operator'] as const) {
    const k = await registrar.apiKeys.create({ name: `${role}-desk-1`, role, actor: { name: 'cli:admin' } });
    keys[role] = { id: k.id, token: k.token };
  }
  app = await createIssuerServer(registrar, {});
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

function post(url: string, token: string | undefined, body: unknown) {
  return app.inject({ method: 'POST', url, payload: body as object, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}
const issueBody = () => ({ credential: { credentialSubject: { id: CHILD, ...sampleClaims() } } });

describe('roles of per-user API keys', () => {
  it("a clerk's key issues; the same key cannot revoke (403 FORBIDDEN); a supervisor's can", async () => {
    const issued = await post('/credentials/issue', keys.clerk.token, issueBody());
    expect(issued.statusCode, issued.body).toBe(201);
    const id = issued.json<{ id: string }>().id;
    const denied = await post('/credentials/status', keys.clerk.token, { credentialId: id, action: 'revoke' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN', details: { role: 'clerk' } });
    expect((await registrar.get(id))?.revokedAt).toBeNull();
    const revoked = await post('/credentials/status', keys.supervisor.token, { credentialId: id, action: 'revoke', reason: 'duplicate' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await registrar.get(id))?.revokedAt).not.toBeNull();
  });

  it('only an operator publishes; a supervisor cannot issue', async () => {
    for (const role of ['clerk', 'supervisor'] as const) expect((await post('/status-lists/publish', keys[role].token, {})).statusCode).toBe(403);
    expect((await post('/credentials/issue', keys.supervisor.token, issueBody())).statusCode).toBe(403);
    const published = await post('/status-lists/publish', keys.operator.token, {});
    expect(published.statusCode, published.body).toBe(200);
  });

  it('a missing, unknown, malformed or revoked key is 401; revoking a key takes effect at once', async () => {
    expect((await post('/credentials/issue', undefined, issueBody())).statusCode).toBe(401);
    expect((await post('/credentials/issue', `${keys.clerk.token.slice(0, -4)}AAAA`, issueBody())).statusCode).toBe(401);
    expect((await post('/credentials/issue', 'not-a-cradle-token-at-all', issueBody())).statusCode).toBe(401);
    const temp = await registrar.apiKeys.create({ name: 'temp-clerk', role: 'clerk' });
    expect((await post('/credentials/issue', temp.token, issueBody())).statusCode).toBe(201);
    await registrar.apiKeys.revoke(temp.id, { actor: { name: 'cli:admin' } });
    const after = await post('/credentials/issue', temp.token, issueBody());
    expect(after.statusCode).toBe(401);
    expect((await registrar.apiKeys.list()).find((k) => k.id === temp.id)?.revokedAt).not.toBeNull();
  });

  it('the database holds each key as the sha256 of its token, never the token', async () => {
    const rows = await queryDatabase<Record<string, unknown>>(home, 'SELECT * FROM cradle_api_key');
    const dump = JSON.stringify(rows);
    for (const k of Object.values(keys)) {
      expect(dump).not.toContain(k.token);
      // the secret is everything after `cradle_<id>_`; base64url may itself contain '_'
      const secret = k.token.slice(`cradle_${k.id}_`.length);
      expect(secret).toHaveLength(43);
      expect(dump).not.toContain(secret);
    }
    expect(rows.every((r) => typeof r.secret_hash === 'string' && /^[0-9a-f]{64}$/.test(r.secret_hash))).toBe(true);
  });

  it('a status reason is a code from the closed list: free text is refused (400) and nothing changes', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const res = await post('/credentials/status', keys.supervisor.token, { credentialId: issued.id, action: 'suspend', reason: 'the child Amara Okafor moved' });
    expect(res.statusCode).toBe(400);
    expect((await registrar.get(issued.id))?.suspendedAt).toBeNull();
    await expect(registrar.suspend(issued.id, { reason: 'free text' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('the audit log', () => {
  it('records every issuance, status change (with its reason), publication and key change: who, when, what, why', async () => {
    const before = (await registrar.audit({ limit: 10_000 })).at(-1)?.seq ?? 0;
    const issued = await post('/credentials/issue', keys.clerk.token, issueBody());
    const id = issued.json<{ id: string }>().id;
    await post('/credentials/status', keys.supervisor.token, { credentialId: id, action: 'suspend', reason: 'investigation' });
    await post('/credentials/status', keys.supervisor.token, { credentialId: id, action: 'unsuspend' });
    await post('/credentials/status', keys.supervisor.token, { credentialId: id, action: 'revoke', reason: 'fraud' });
    await post('/status-lists/publish', keys.operator.token, {});
    const key = await registrar.apiKeys.create({ name: 'night-shift', role: 'clerk', actor: { name: 'cli:admin' } });
    await registrar.apiKeys.revoke(key.id, { actor: { name: 'cli:admin' } });

    const entries = await registrar.audit({ after: before, limit: 1000 });
    const rows = entries.map((e) => [e.action, e.actor, e.actorKey, e.credentialId, e.reason]);
    expect(rows.slice(0, 4)).toEqual([
      ['issue', 'clerk-desk-1', keys.clerk.id, id, null],
      ['suspend', 'supervisor-desk-1', keys.supervisor.id, id, 'investigation'],
      ['unsuspend', 'supervisor-desk-1', keys.supervisor.id, id, null],
      ['revoke', 'supervisor-desk-1', keys.supervisor.id, id, 'fraud'],
    ]);
    const publishes = entries.filter((e) => e.action === 'publish');
    expect(publishes.length).toBeGreaterThan(0);
    expect(publishes.every((e) => e.actor === 'operator-desk-1' && /^[0-9a-f]{32}@\d+$/.test(e.detail ?? ''))).toBe(true);
    expect(entries.filter((e) => e.action.startsWith('key.')).map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['key.create', 'cli:admin', `${key.id} clerk`],
      ['key.revoke', 'cli:admin', `${key.id} clerk`],
    ]);
    expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect((await registrar.audit({ credentialId: id })).map((e) => e.action)).toEqual(['issue', 'suspend', 'unsuspend', 'revoke']);
  });

  it('holds nothing personal beyond the credential id (no name, birth date or registration number)', async () => {
    const claims = sampleClaims() as { givenName: string; familyName: string; birthDate: string; registrationNumber: string };
    const dump = JSON.stringify(await registrar.audit({ limit: 10_000 }));
    expect(dump).toContain('"action":"issue"');
    for (const personal of [claims.givenName, claims.familyName, claims.birthDate, claims.registrationNumber, CHILD]) expect(dump).not.toContain(personal);
  });

  it('is append-only: the database refuses to update or delete an entry', async () => {
    const db = await openTestStore(home);
    try {
      await expect(db.query('UPDATE "cradle_audit" SET "actor" = ? WHERE "seq" = 1', ['someone-else'])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM "cradle_audit"')).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
    }
    expect((await registrar.audit({ limit: 1 }))[0]?.actor).not.toBe('someone-else');
  });
});
