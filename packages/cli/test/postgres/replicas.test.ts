import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StatusList, TYP_VC_JWT, decodeJws } from '@cradle/core';
import { connectLedger, serializeLedgerConfig, statusListId } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { createDatabase, queryPostgres } from '../../../issuer/test/helpers/postgres-cluster.js';
import { startCradle } from '../helpers/faults.js';
import type { RunningCradle } from '../helpers/faults.js';
import { freePort } from '../helpers/free-port.js';
import { REPO, runCradle } from '../helpers/run-cradle.js';

const SECRET = 'cli-replicas-secret-0123456789';
const TOKEN = 'replica-test-token-0123456789abcdef';
const TOTAL = 2_000;
const WORKERS = 16;
/** Acknowledged credentials after which replica B is killed with SIGKILL (and restarted). */
const KILL_AFTER = 600;

let devChain: DevChain;
let dir: string;
let home: string;
let database: string;
let registrarAddress: string;
const replicas: { port: number; process?: RunningCradle }[] = [];
const env = { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: TOKEN };

async function startReplica(i: number): Promise<void> {
  const r = replicas[i]!;
  // Every replica runs the anchoring outbox every second: they contend for the one anchoring worker.
  r.process = await startCradle(['registrar', 'serve', '--home', home, '--port', String(r.port), '--anchor-interval', '1', '--json'], env);
}

async function call(i: number, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${replicas[i]!.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  devChain = await startDevChain({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'cradle-replicas-'));
  home = join(dir, 'registrar');
  const ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(devChain.config));
  database = await createDatabase(inject('cradlePostgresUrl'));
  replicas.push({ port: await freePort() }, { port: await freePort() });
  const init = await runCradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--database', database, '--base-url', `http://127.0.0.1:${replicas[0]!.port}`, '--json'], { env });
  expect(init.code, init.stderr + init.stdout).toBe(0);
  registrarAddress = (JSON.parse(init.stdout) as { address: string }).address;
  await Promise.all([startReplica(0), startReplica(1)]);
}, 300_000);

afterAll(async () => {
  for (const r of replicas) await r.process?.stop();
  await devChain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('two `registrar serve` replicas on one PostgreSQL', () => {
  const acknowledged = new Map<string, { status: { statusPurpose: string; statusListIndex: string; statusListCredential: string }[] }>();
  let failedOver = 0;

  it(`issue ${TOTAL} credentials through both concurrently while one is killed with SIGKILL and restarted: every acknowledged credential is stored, no index is shared`, async () => {
    const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as Record<string, unknown>;
    const subject = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    let killed: Promise<void> | undefined;
    let sent = 0;
    // The client takes the replicas in turn, request by request, so about every other request goes to
    // replica 1 whatever the timing (a per-worker choice could leave every worker on replica 0 for as long
    // as replica 1 was down, and the kill would go unseen).
    let turn = 0;
    const worker = async (): Promise<void> => {
      while (acknowledged.size < TOTAL && sent < TOTAL * 2) {
        sent += 1;
        let target = turn++ % 2;
        for (let attempt = 0; attempt < 200; attempt++) {
          try {
            const res = await call(target, '/credentials/issue', { credential: { credentialSubject: { id: subject, ...claims, registrationNumber: `REPLICA-${sent}` } } });
            expect(res.status, JSON.stringify(res.json)).toBe(201);
            acknowledged.set(res.json.id as string, { status: res.json.credentialStatus as never });
            break;
          } catch (e) {
            if ((e as { name?: string }).name === 'AssertionError') throw e;
            // The replica is down (killed, restarting): the client fails over to the other one.
            failedOver += 1;
            target = 1 - target;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        if (killed === undefined && acknowledged.size >= KILL_AFTER) {
          // Mid-request: other workers have requests in flight to replica 1 right now.
          replicas[1]!.process!.child.kill('SIGKILL');
          killed = (async () => {
            await replicas[1]!.process!.stop();
            // Replica 1 comes back only after a client has found it down and failed over to replica 0:
            // the test must see a failover, not race the restart against the clients.
            while (failedOver === 0 && acknowledged.size < TOTAL) await new Promise((r) => setTimeout(r, 10));
            await startReplica(1);
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, () => worker()));
    await killed;
    expect(acknowledged.size).toBeGreaterThanOrEqual(TOTAL);
    expect(failedOver).toBeGreaterThan(0);

    const stored = new Set((await queryPostgres<{ id: string }>(database, 'SELECT id FROM cradle_credential')).map((r) => r.id));
    const lost = [...acknowledged.keys()].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    const shared = await queryPostgres<{ n: number }>(database, 'SELECT COUNT(*) AS n FROM cradle_status_allocation GROUP BY list_name, idx HAVING COUNT(*) > 1');
    expect(shared).toEqual([]);
    const entries = [...acknowledged.values()].flatMap((c) => c.status.map((s) => `${s.statusListCredential}#${s.statusListIndex}`));
    expect(new Set(entries).size).toBe(entries.length);
    const [counts] = await queryPostgres<{ creds: number; allocs: number }>(
      database,
      'SELECT (SELECT COUNT(*) FROM cradle_credential) AS creds, (SELECT COUNT(*) FROM cradle_status_allocation) AS allocs',
    );
    expect(counts!.allocs).toBe(counts!.creds * 2);
  }, 600_000);

  it('revoke through both, then publish from both at once: each list version is signed once and anchored once on chain', async () => {
    const ids = [...acknowledged.keys()];
    const revoked = ids.filter((_, i) => i % 50 === 0);
    for (const [i, id] of revoked.entries()) {
      const res = await call(i % 2, '/credentials/status', { credentialId: id, action: 'revoke' });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    const both = await Promise.all([call(0, '/status-lists/publish', {}), call(1, '/status-lists/publish', {})]);
    for (const r of both) expect(r.status, JSON.stringify(r.json)).toBe(200);
    // Each changed list was signed by exactly one of the two publishes.
    const published = both.flatMap((r) => (r.json.published as { name: string; version: number }[]).map((p) => `${p.name}@${p.version}`));
    expect(new Set(published).size).toBe(published.length);

    // Let the replicas' outbox workers finish (they run every second; one at a time).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const pending = await queryPostgres<{ n: number }>(database, `SELECT COUNT(*) AS n FROM cradle_anchor_outbox WHERE state IN ('queued', 'sent')`);
      if (pending[0]!.n === 0) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 500));
    }

    const ledger = await connectLedger(devChain.config);
    try {
      const lists = await queryPostgres<{ name: string; url: string; version: number }>(database, 'SELECT name, url, version FROM cradle_status_list');
      expect(lists.length).toBeGreaterThan(0);
      for (const list of lists) {
        const events = await ledger.anchorEvents({ fromBlock: 0, identity: registrarAddress, listId: statusListId(list.url) });
        const versions = events.map((e) => e.version);
        expect(new Set(versions).size, `list ${list.name} anchored a version twice: ${versions.join(',')}`).toBe(versions.length);
        expect((await ledger.latest(registrarAddress, statusListId(list.url)))?.version).toBe(list.version);
        const confirmed = await queryPostgres<{ version: number; digest: string }>(database, `SELECT version, digest FROM cradle_anchor_outbox WHERE list_name = ? AND state = 'confirmed' ORDER BY version`, [list.name]);
        expect(confirmed.at(-1)?.version).toBe(list.version);
      }
    } finally {
      ledger.close();
    }

    // Either replica serves the anchored lists, and the revoked credentials' bits are set in them.
    for (const id of revoked) {
      const entry = acknowledged.get(id)!.status.find((s) => s.statusPurpose === 'revocation')!;
      const name = entry.statusListCredential.slice(entry.statusListCredential.lastIndexOf('/') + 1);
      const res = await fetch(`http://127.0.0.1:${replicas[revoked.indexOf(id) % 2]!.port}/status/${name}`);
      expect(res.status).toBe(200);
      const { payload } = decodeJws(await res.text(), { expectedTyp: TYP_VC_JWT });
      const subject = (payload as { credentialSubject: { encodedList: string } }).credentialSubject;
      const list = await StatusList.decode(subject.encodedList);
      expect(list.get(Number(entry.statusListIndex))).toBe(1);
    }
  }, 300_000);
});
