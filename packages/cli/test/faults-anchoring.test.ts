// Issue #20 items 1 and 2, produced for real: the registrar's RPC goes through a TCP proxy that is
// stopped during a publish (an outage), and a confirmed anchor is reorganised away with evm_snapshot /
// evm_revert on the dev chain. A fresh checkpoint syncs over real HTTP from the registrar's service.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import type { Registrar, RegistrarConfig } from '@cradle/issuer';
import { connectLedger, statusListId } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, verifyCredential } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import { REPO } from './helpers/run-cradle.js';
import { tcpProxy } from './helpers/faults.js';
import { freePort } from './helpers/free-port.js';
import type { TcpProxy } from './helpers/faults.js';

const SECRET = 'faults-anchoring-secret-0123456789';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const claims = JSON.parse(readFileSync(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as Record<string, unknown>;

let chain: DevChain;
const dirs: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  chain = await startDevChain();
});
afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  await chain?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A registrar reaching the chain at `rpcUrl`, serving HTTP on a real port. */
async function registrarWithService(rpcUrl: string, extra: Partial<RegistrarConfig> = {}): Promise<{ registrar: Registrar; base: string }> {
  const home = mkdtempSync(join(tmpdir(), 'cradle-faults-'));
  dirs.push(home);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const registrar = await createRegistrar({
    home,
    secret: SECRET,
    ledger: { ...chain.config, rpcUrl },
    baseUrl: base,
    rpcTimeoutMs: 2_000,
    ...extra,
  });
  closers.push(() => registrar.close());
  await registrar.init();
  const app = await createIssuerServer(registrar, { token: 'faults-test-token-0123456789' });
  await app.listen({ host: '127.0.0.1', port });
  closers.push(() => app.close());
  return { registrar, base };
}

/** A fresh checkpoint (nothing cached) that trusts `did` and reaches the chain directly. */
async function freshCheckpoint(did: string): Promise<MemoryVerifierStore> {
  const { devAccounts: _keys, ...ledger } = chain.config;
  const store = new MemoryVerifierStore();
  await store.write({ config: { maxStatusAge: 86_400, ledger: ledger as LedgerConfig } });
  await addTrustedIssuer(store, did);
  return store;
}

async function outcome(store: MemoryVerifierStore, jwt: string): Promise<{ outcome: string; codes: string[] }> {
  const r = await verifyCredential(jwt, { store });
  return { outcome: r.outcome, codes: r.errors.map((e) => e.code) };
}

async function servedVersion(base: string, url: string): Promise<string | undefined> {
  const res = await fetch(`${base}/status/${url.slice(url.lastIndexOf('/') + 1)}`);
  return res.headers.get('x-cradle-list-version') ?? undefined;
}

describe('item 1: the service serves only anchored list versions', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await tcpProxy(chain.url);
    closers.push(() => proxy.stop());
  });

  it('RPC down during publish: a fresh checkpoint gets the anchored version (no DIGEST_MISMATCH), then the new one after recovery', async () => {
    const { registrar, base } = await registrarWithService(proxy.url);
    const did = registrar.identity()!.did;
    const revoked = await registrar.issueBirthRegistration({ subject: CHILD, claims });
    const kept = await registrar.issueBirthRegistration({ subject: CHILD, claims });
    await registrar.publish();
    expect((await registrar.processOutbox({ force: true })).confirmed).toHaveLength(2);
    const revocationList = (await registrar.statusLists()).find((l) => l.purpose === 'revocation')!;

    await proxy.stop(); // the registrar's RPC is down
    await registrar.revoke(revoked.id);
    expect((await registrar.publish()).map((p) => p.version)).toEqual([2]);
    const failed = await registrar.processOutbox({ force: true });
    expect(failed.error?.code).toBe('RPC_UNREACHABLE');
    expect(await servedVersion(base, revocationList.url)).toBe('1');
    expect((await registrar.statusLists()).find((l) => l.name === revocationList.name)).toMatchObject({ signedVersion: 2, anchoredVersion: 1 });

    // A checkpoint that syncs now (anchored URI, and the pack) gets version 1: it matches the chain.
    for (const packs of [[], [`${base}/status-pack`]]) {
      const store = await freshCheckpoint(did);
      const report = await sync({ store, packs });
      expect(report.failures, JSON.stringify(report.failures)).toEqual([]);
      expect(report.lists.find((l) => l.listId === statusListId(revocationList.url).toLowerCase())).toMatchObject({ version: 1, outcome: 'updated' });
      expect(await outcome(store, kept.jwt)).toEqual({ outcome: 'valid', codes: [] });
      // The revocation is not anchored yet: every checkpoint still sees the credential as valid.
      expect((await outcome(store, revoked.jwt)).outcome).toBe('valid');
    }

    await proxy.start(); // recovery
    const recovered = await registrar.processOutbox({ force: true });
    expect(recovered.error).toBeUndefined();
    expect(recovered.confirmed.map((e) => e.version)).toEqual([2]);
    expect(await servedVersion(base, revocationList.url)).toBe('2');
    const store = await freshCheckpoint(did);
    const report = await sync({ store });
    expect(report.failures).toEqual([]);
    expect(await outcome(store, revoked.jwt)).toMatchObject({ outcome: 'invalid', codes: ['REVOKED'] });
    expect(await outcome(store, kept.jwt)).toEqual({ outcome: 'valid', codes: [] });
  });
});

describe('item 2: a reorganisation deeper than the confirmation depth', () => {
  async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const res = await fetch(chain.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(body.error.message);
    return body.result;
  }

  it('a confirmed anchor that the chain loses (evm_revert, confirmations 1) is re-anchored; the revocation reaches checkpoints', async () => {
    expect(chain.config.confirmations).toBe(1);
    const { registrar, base } = await registrarWithService(chain.url);
    const did = registrar.identity()!.did;
    const address = registrar.identity()!.address;
    const credential = await registrar.issueBirthRegistration({ subject: CHILD, claims });
    await registrar.publish();
    await registrar.processOutbox({ force: true });
    const list = (await registrar.statusLists()).find((l) => l.purpose === 'revocation')!;

    const snapshot = await rpc('evm_snapshot');
    await registrar.revoke(credential.id);
    await registrar.publish();
    expect((await registrar.processOutbox({ force: true })).confirmed.map((e) => e.version)).toEqual([2]);
    await chain.mine(3); // deeper than `confirmations`: the outbox marked it confirmed
    expect(await rpc('evm_revert', [snapshot])).toBe(true);

    const reader = await connectLedger(chain.config);
    closers.push(async () => reader.close());
    expect((await reader.latest(address, statusListId(list.url)))?.version).toBe(1);

    const pass = await registrar.processOutbox();
    expect(pass.reorganised.map((e) => [e.version, e.state])).toEqual([[2, 'queued']]);
    expect(pass.confirmed.map((e) => e.version)).toEqual([2]);
    expect((await reader.latest(address, statusListId(list.url)))?.version).toBe(2);
    expect(await servedVersion(base, list.url)).toBe('2');

    const store = await freshCheckpoint(did);
    const report = await sync({ store });
    expect(report.failures).toEqual([]);
    expect(await outcome(store, credential.jwt)).toMatchObject({ outcome: 'invalid', codes: ['REVOKED'] });
  });

  it('until the re-sent anchor is confirmed, /status serves the version the chain holds; the pack carries both', async () => {
    const { registrar, base } = await registrarWithService(chain.url, { anchorWaitMs: 0 });
    const credential = await registrar.issueBirthRegistration({ subject: CHILD, claims });
    await registrar.publish();
    await registrar.processOutbox({ force: true }); // sent
    await registrar.processOutbox({ force: true }); // confirmed
    const list = (await registrar.statusLists()).find((l) => l.purpose === 'revocation')!;
    expect(list.anchoredVersion).toBe(1);
    const snapshot = await rpc('evm_snapshot');
    await registrar.revoke(credential.id);
    await registrar.publish();
    await registrar.processOutbox({ force: true });
    expect((await registrar.processOutbox({ force: true })).confirmed.map((e) => e.version)).toEqual([2]);
    await rpc('evm_revert', [snapshot]);

    const pass = await registrar.processOutbox();
    expect(pass.reorganised.map((e) => e.version)).toEqual([2]);
    expect(pass.pending.map((e) => [e.version, e.state])).toEqual([[2, 'sent']]);
    expect(await servedVersion(base, list.url)).toBe('1');
    expect((await registrar.statusPackLists()).filter((l) => l.name === list.name).map((l) => l.version)).toEqual([1, 2]);
    expect((await registrar.processOutbox({ force: true })).confirmed.map((e) => e.version)).toEqual([2]);
    expect(await servedVersion(base, list.url)).toBe('2');
  });
});

describe('item 9: a publish killed right after sending its transaction', () => {
  it('the outbox row already holds the transaction hash; the next pass confirms that transaction and sends nothing again', async () => {
    const { registrar, base } = await registrarWithService(chain.url);
    const home = registrar.config.databasePath.replace(/\/registrar\.sqlite$/, '');
    await registrar.issueBirthRegistration({ subject: CHILD, claims });
    await registrar.close();

    // A proxy that forwards everything until it has passed on an eth_sendRawTransaction, then holds the
    // node's answers: the registrar process is killed -9 while it waits for that answer.
    let sawSend: () => void = () => undefined;
    const sendSeen = new Promise<void>((resolve) => (sawSend = resolve));
    let holding = false;
    const target = new URL(chain.url);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('error', () => undefined);
      }
      client.on('data', (d: Buffer) => {
        upstream.write(d);
        if (d.includes('eth_sendRawTransaction')) {
          holding = true;
          sawSend();
        }
      });
      upstream.on('data', (d: Buffer) => {
        if (!holding) client.write(d);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    closers.push(async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(REPO, 'packages/cli/test/fixtures/publish-child.ts'), home], {
      cwd: REPO,
      env: { ...process.env, CRADLE_SECRET: SECRET, CRADLE_TEST_LEDGER: JSON.stringify({ ...chain.config, rpcUrl: proxyUrl }), CRADLE_TEST_BASE_URL: base },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await Promise.race([sendSeen, exited]);
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode, stderr).toBe('SIGKILL');

    const again = await createRegistrar({ home, secret: SECRET, ledger: chain.config, baseUrl: base });
    closers.push(() => again.close());
    const rows = (await again.pending()).map((e) => ({ list_name: e.list, version: e.version, state: e.state, tx_hash: e.txHash }));
    const sent = rows.filter((r) => r.state === 'sent');
    expect(sent).toHaveLength(1); // killed while the first anchor's answer was held
    expect(sent[0]!.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    const reader = await connectLedger(chain.config);
    closers.push(async () => reader.close());
    const receipt = await reader.provider.getTransactionReceipt(sent[0]!.tx_hash!);
    expect(receipt?.status).toBe(1); // the node got it (automine): the recorded hash is the real transaction

    const pass = await again.processOutbox({ force: true });
    expect(pass.confirmed.find((e) => e.version === sent[0]!.version && e.list === sent[0]!.list_name)?.txHash).toBe(sent[0]!.tx_hash);
    const list = (await again.statusLists()).find((l) => l.name === sent[0]!.list_name)!;
    const events = await reader.anchorEvents({ fromBlock: 0, identity: again.identity()!.address, listId: statusListId(list.url) });
    expect(events.map((e) => e.version)).toEqual([1]); // anchored once
  });
});
