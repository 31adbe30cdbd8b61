import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DevChain } from '@cradle/ledger/devchain';
import type { Registrar } from '../src/index.js';
import { createIssuerServer } from '../src/http-server.js';
import { CHILD, TestClock, chain, initRegistrar, sampleClaims, tempHome } from './helpers.js';

// Operations (issue #19 item 4): request ids, JSON request logs with nothing personal, Prometheus metrics.
const TOKEN = 'observability-test-token-0123456789';
const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let cleanup: () => void;
const clock = new TestClock();
const logLines: string[] = [];

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  registrar = await initRegistrar(devChain, t.home, { now: clock.now });
  app = await createIssuerServer(registrar, { token: TOKEN, logger: { level: 'info', stream: { write: (line) => void logLines.push(line) } }, metrics: { token: METRICS_TOKEN } });
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

const issue = (headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/credentials/issue', headers: { authorization: `Bearer ${TOKEN}`, ...headers }, payload: { credential: { credentialSubject: { id: CHILD, ...sampleClaims() } } } });

/** `GET /metrics` with `token` as bearer (default the metrics token; null: no Authorization header). */
const scrape = (token: string | null = METRICS_TOKEN) => app.inject({ method: 'GET', url: '/metrics', headers: token === null ? {} : { authorization: `Bearer ${token}` } });

/** The value of one sample of the Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels === '' ? '' : `{${labels}}`} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('request ids', () => {
  it('every answer carries x-request-id: the caller\'s when plain, a fresh UUID otherwise', async () => {
    const mine = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-7f3a-0001' } });
    expect(mine.headers['x-request-id']).toBe('lb-7f3a-0001');
    const hostile = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a\u001b[31m injected "quote"' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(none.statusCode).toBe(404);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request logs', () => {
  it('are JSON lines, each with the request id, and hold nothing personal (no claims, DIDs or tokens)', async () => {
    logLines.length = 0;
    const res = await issue({ 'x-request-id': 'issue-req-42' });
    expect(res.statusCode, res.body).toBe(201);
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.reqId === 'issue-req-42')).toBe(true);
    expect(lines.some((l) => l.credentialId === res.json<{ id: string }>().id)).toBe(true);
    expect(lines.some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 201)).toBe(true);
    const dump = logLines.join('');
    const claims = sampleClaims() as { givenName: string; familyName: string; birthDate: string; registrationNumber: string };
    for (const personal of [claims.givenName, claims.familyName, claims.birthDate, claims.registrationNumber, CHILD, TOKEN]) expect(dump).not.toContain(personal);
  });
});

describe('GET /metrics', () => {
  it('reports issuance rate and latency, status changes and errors by code', async () => {
    const before = await scrape();
    const issuedBefore = sample(before.body, 'cradle_credentials_issued_total', 'type="BirthRegistrationCredential"') ?? 0;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await issue()).json<{ id: string }>().id);
    await app.inject({ method: 'POST', url: '/credentials/status', headers: { authorization: `Bearer ${TOKEN}` }, payload: { credentialId: ids[0], action: 'revoke' } });
    await app.inject({ method: 'POST', url: '/credentials/issue', payload: {} });
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(res.body, 'cradle_credentials_issued_total', 'type="BirthRegistrationCredential"')).toBe(issuedBefore + 3);
    expect(sample(res.body, 'cradle_issuance_duration_seconds_count')).toBeGreaterThanOrEqual(issuedBefore + 3);
    expect(sample(res.body, 'cradle_status_changes_total', 'action="revoke"')).toBe(1);
    expect(sample(res.body, 'cradle_http_errors_total', 'status="401",code="UNAUTHORIZED"')).toBe(1);
  });

  it('reports the anchoring outbox depth and the anchor lag, from the database', async () => {
    await registrar.publish();
    clock.advance(90_000);
    const waiting = (await scrape()).body;
    expect(sample(waiting, 'cradle_outbox_depth', 'state="queued"')).toBeGreaterThan(0);
    expect(sample(waiting, 'cradle_anchor_lag_seconds')).toBe(90);
    await registrar.processOutbox({ force: true });
    const done = (await scrape()).body;
    expect(sample(done, 'cradle_outbox_depth', 'state="queued"')).toBe(0);
    expect(sample(done, 'cradle_outbox_depth', 'state="sent"')).toBe(0);
    expect(sample(done, 'cradle_anchor_lag_seconds')).toBe(0);
  });
});

describe('who may read /metrics', () => {
  it('by default: an operator key, the shared token or the metrics token; nobody else (401 without a token, 403 for a clerk)', async () => {
    const operator = await registrar.apiKeys.create({ name: 'ops', role: 'operator' });
    const clerk = await registrar.apiKeys.create({ name: 'clerk', role: 'clerk' });
    expect((await scrape(operator.token)).statusCode).toBe(200);
    expect((await scrape(TOKEN)).statusCode).toBe(200);
    expect((await scrape(METRICS_TOKEN)).statusCode).toBe(200);
    const anonymous = await scrape(null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('cradle_');
    expect((await scrape('not-a-known-token-0123456789')).statusCode).toBe(401);
    const forbidden = await scrape(clerk.token);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<{ code: string }>().code).toBe('FORBIDDEN');
  });

  it('the metrics token reads /metrics and nothing else', async () => {
    const res = await issue({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.statusCode).toBe(401);
    const publish = await app.inject({ method: 'POST', url: '/status-lists/publish', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(publish.statusCode).toBe(401);
  });

  it('metrics: { public: true } serves them without a token; metrics: false turns the endpoint off', async () => {
    const open = await createIssuerServer(registrar, { token: TOKEN, metrics: { public: true } });
    const off = await createIssuerServer(registrar, { token: TOKEN, metrics: false });
    try {
      const res = await open.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('cradle_outbox_depth');
      expect((await off.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    } finally {
      await open.close();
      await off.close();
    }
  });

  it('a metrics token shorter than 16 characters is refused at startup', async () => {
    await expect(createIssuerServer(registrar, { token: TOKEN, metrics: { token: 'short' } })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
