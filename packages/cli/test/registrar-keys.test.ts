import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { startCradle } from './helpers/faults.js';
import { jsonLine } from './helpers/json-line.js';
import { REPO, runCradle } from './helpers/run-cradle.js';
import type { Run } from './helpers/run-cradle.js';

// Per-user API keys, roles and the audit log through the `cradle` command (issue #19 item 3).
const SECRET = 'cli-keys-secret-0123456789abcdef';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const SLOW = 240_000;

let devChain: DevChain;
let dir: string;
let home: string;
let ledgerFile: string;

function cradle(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runCradle(args, { env: { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: undefined, ...env } });
}

beforeAll(async () => {
  devChain = await startDevChain({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'cradle-cli-keys-'));
  home = join(dir, 'registrar');
  ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(devChain.config));
  const init = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--json']);
  expect(init.code, init.stderr + init.stdout).toBe(0);
}, SLOW);

afterAll(async () => {
  await devChain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cradle registrar keys, serve with roles, audit', () => {
  it('a new registrar refuses a weak CRADLE_SECRET (SECRET_WEAK) and creates nothing', async () => {
    const weak = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', join(dir, 'weak'), '--json'], { CRADLE_SECRET: 'password' });
    expect(weak.code).toBe(1);
    expect((jsonLine(weak).error as { code: string }).code).toBe('SECRET_WEAK');
  }, SLOW);

  it('serve without a token or keys generates one into <home>/api-token (0600) and never prints it', async () => {
    const serve = await startCradle(['registrar', 'serve', '--home', home, '--port', '0', '--anchor-interval', '0', '--json'], { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: undefined });
    try {
      const out = JSON.parse(serve.firstLine) as { url: string; tokenFile: string; token?: string };
      expect(out.token).toBeUndefined();
      expect(out.tokenFile).toBe(join(home, 'api-token'));
      expect(statSync(out.tokenFile).mode & 0o777).toBe(0o600);
      const token = (await readFile(out.tokenFile, 'utf8')).trim();
      expect(serve.firstLine).not.toContain(token);
      const res = await fetch(`${out.url}/status-lists/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, SLOW);

  it('keys create writes the token to a new 0600 file, never to stdout; with keys, serve takes keys only and enforces roles; audit shows who did what', async () => {
    const tokens: Record<string, string> = {};
    for (const role of ['clerk', 'supervisor'] as const) {
      const file = join(dir, `${role}.token`);
      const run = await cradle(['registrar', 'keys', 'create', '--home', home, '--name', `${role}-desk-1`, '--role', role, '--out', file, '--json']);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(jsonLine(run)).toMatchObject({ role, name: `${role}-desk-1`, tokenFile: file });
      tokens[role] = (await readFile(file, 'utf8')).trim();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(run.stdout + run.stderr).not.toContain(tokens[role]);
    }
    const again = await cradle(['registrar', 'keys', 'create', '--home', home, '--name', 'x', '--role', 'clerk', '--out', join(dir, 'clerk.token'), '--json']);
    expect(again.code).toBe(1);
    expect((await readFile(join(dir, 'clerk.token'), 'utf8')).trim()).toBe(tokens.clerk);

    const serve = await startCradle(['registrar', 'serve', '--home', home, '--port', '0', '--anchor-interval', '0', '--json'], { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: undefined });
    let logs = '';
    serve.child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    let id = '';
    try {
      const { url, tokenFile } = JSON.parse(serve.firstLine) as { url: string; tokenFile?: string };
      expect(tokenFile).toBeUndefined();
      const post = (path: string, token: string, body: unknown) =>
        fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      // The generated shared token of the previous run no longer opens anything: keys only.
      const shared = (await readFile(join(home, 'api-token'), 'utf8')).trim();
      expect((await post('/status-lists/publish', shared, {})).status).toBe(401);
      const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as Record<string, unknown>;
      const issued = await post('/credentials/issue', tokens.clerk!, { credential: { credentialSubject: { id: CHILD, ...claims } } });
      expect(issued.status).toBe(201);
      id = ((await issued.json()) as { id: string }).id;
      expect((await post('/credentials/status', tokens.clerk!, { credentialId: id, action: 'revoke' })).status).toBe(403);
      expect((await post('/credentials/status', tokens.supervisor!, { credentialId: id, action: 'revoke', reason: 'error-in-record' })).status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    // Request logs: JSON lines on stderr with request ids, and none of the claims or tokens.
    const lines = logs.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { reqId?: string; credentialId?: string });
    expect(lines.some((l) => l.credentialId === id && typeof l.reqId === 'string')).toBe(true);
    for (const secret of [tokens.clerk!, tokens.supervisor!, CHILD, 'KSM-2025-004217', 'Amina']) expect(logs).not.toContain(secret);

    const audit = await cradle(['registrar', 'audit', '--home', home, '--credential', id, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    const entries = (jsonLine(audit).entries as { action: string; actor: string; reason: string | null }[]).map((e) => [e.action, e.actor, e.reason]);
    expect(entries).toEqual([
      ['issue', 'clerk-desk-1', null],
      ['revoke', 'supervisor-desk-1', 'error-in-record'],
    ]);
    const keyEvents = (jsonLine(await cradle(['registrar', 'audit', '--home', home, '--json'])).entries as { action: string; actor: string }[]).filter((e) => e.action === 'key.create');
    expect(keyEvents).toHaveLength(2);
    expect(keyEvents.every((e) => e.actor.startsWith('cli:'))).toBe(true);
  }, SLOW * 2);

  it('find lists the credentials of a registration number; issuing it to a second child warns on stderr; list shows the newest first', async () => {
    const claims = join(REPO, 'examples/data/birth-registration.json');
    const other = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';
    const first = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', claims, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const second = await cradle(['registrar', 'issue', '--home', home, '--subject', other, '--claims', claims, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('REGISTRATION_ALREADY_ISSUED');
    expect((jsonLine(second).warnings as { code: string }[])[0]?.code).toBe('REGISTRATION_ALREADY_ISSUED');
    const found = await cradle(['registrar', 'find', 'ksm-2025-004217', '--home', home, '--json']);
    expect(found.code, found.stderr).toBe(0);
    const out = jsonLine(found) as { credentials: { id: string; subject: string }[]; warning?: { code: string; children: number } };
    expect(out.credentials.map((c) => c.id)).toEqual(expect.arrayContaining([jsonLine(first).id, jsonLine(second).id]));
    expect(out.warning).toEqual({ code: 'REGISTRATION_ALREADY_ISSUED', children: 2 });
    const list = await cradle(['registrar', 'list', '--limit', '2', '--home', home, '--json']);
    expect((jsonLine(list).credentials as { id: string }[]).map((c) => c.id)).toEqual([jsonLine(second).id, jsonLine(first).id]);
    expect((await cradle(['registrar', 'list', '--limit', '0', '--home', home, '--json'])).code).toBe(1);
  }, SLOW);

  it('init --duplicate-registration refuse: a registration held by another child is a CONFLICT naming the holding credential', async () => {
    const claims = join(REPO, 'examples/data/birth-registration.json');
    const policy = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--duplicate-registration', 'refuse', '--json']);
    expect(policy.code, policy.stderr).toBe(0);
    expect(jsonLine(policy)).toMatchObject({ alreadyInitialised: true, duplicateRegistration: 'refuse' });
    const holder = (jsonLine(await cradle(['registrar', 'find', 'KSM-2025-004217', '--home', home, '--json'])).credentials as { id: string; subject: string }[]).find((c) => c.subject === CHILD)!;
    const third = await cradle(['registrar', 'issue', '--home', home, '--subject', 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG', '--claims', claims, '--json']);
    expect(third.code).toBe(1);
    const error = jsonLine(third).error as { code: string; message: string };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(holder.id);
    expect((await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--duplicate-registration', 'sometimes', '--json'])).code).toBe(1);
  }, SLOW);

  it('serve: /metrics needs an operator key or the metrics token (--metrics-token-file), never a clerk\'s key', async () => {
    const metricsFile = join(dir, 'metrics.token');
    const metricsToken = 'scrape-only-token-0123456789abcdef';
    await writeFile(metricsFile, `${metricsToken}\n`, { mode: 0o600 });
    const clerk = (await readFile(join(dir, 'clerk.token'), 'utf8')).trim();
    const serve = await startCradle(['registrar', 'serve', '--home', home, '--port', '0', '--anchor-interval', '0', '--metrics-token-file', metricsFile, '--json'], {
      CRADLE_SECRET: SECRET,
      CRADLE_API_TOKEN: undefined,
    });
    try {
      const { url } = JSON.parse(serve.firstLine) as { url: string };
      const scrape = (token?: string) => fetch(`${url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
      expect((await scrape()).status).toBe(401);
      expect((await scrape(clerk)).status).toBe(403);
      const ok = await scrape(metricsToken);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('cradle_outbox_depth');
      const publish = await fetch(`${url}/status-lists/publish`, { method: 'POST', headers: { authorization: `Bearer ${metricsToken}` } });
      expect(publish.status).toBe(401);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, SLOW);
});
