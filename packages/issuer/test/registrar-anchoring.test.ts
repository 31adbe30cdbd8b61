import { BitstringStatusList } from '@digitalbazaar/vc-bitstring-status-list';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusList } from '@cradle/core';
import { connectLedger, statusListId } from '@cradle/ledger';
import type { LedgerClient } from '@cradle/ledger';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar, digestOf } from '../src/index.js';
import type { IssuedCredential, Registrar } from '../src/index.js';
import { createIssuerServer } from '../src/http-server.js';
import { BASE_URL, CHILD, SECRET, TestClock, chain, databaseFor, decodeJwt, initRegistrar, openTestStore, sampleClaims, tempHome } from './helpers.js';

let devChain: DevChain;
let registrar: Registrar;
let home: string;
let cleanup: () => void;
let reader: LedgerClient;
const clock = new TestClock();
let first: IssuedCredential;

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(devChain.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function served(name: string): Promise<{ body: string; etag: string | undefined; type: string | undefined }> {
  const app = await createIssuerServer(registrar, { token: 'a-test-token-of-enough-length' });
  const res = await app.inject({ method: 'GET', url: `/status/${name}` });
  await app.close();
  expect(res.statusCode).toBe(200);
  return { body: res.body, etag: res.headers.etag as string | undefined, type: res.headers['content-type'] as string | undefined };
}

function listName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

async function events(url: string): Promise<{ version: number; digest: string }[]> {
  const id = registrar.identity()!;
  return (await reader.anchorEvents({ fromBlock: 0, identity: id.address, listId: statusListId(url) })).map((e) => ({ version: e.version, digest: e.digest }));
}

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  registrar = await initRegistrar(devChain, home, { now: clock.now });
  reader = await connectLedger(devChain.config);
  first = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
});

afterAll(async () => {
  await registrar?.close();
  reader?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('publish and anchor', () => {
  it('issue -> publish -> the anchored digest equals sha256 of the served list JWT', async () => {
    const published = await registrar.publish();
    expect(published.map((p) => p.purpose).sort()).toEqual(['revocation', 'suspension']);
    expect((await registrar.pending()).map((e) => e.state)).toEqual(['queued', 'queued']);
    const report = await registrar.processOutbox();
    expect(report.error).toBeUndefined();
    expect(report.confirmed).toHaveLength(2);
    expect(await registrar.pending()).toEqual([]);
    for (const p of published) {
      const { body, etag, type } = await served(p.name);
      expect(type).toBe('application/vc+jwt');
      expect(etag).toBe(`"${p.digest}"`);
      const latest = await reader.latest(registrar.identity()!.address, statusListId(p.url));
      expect(latest?.version).toBe(1);
      expect(latest?.digest).toBe(digestOf(body));
      const { header, payload } = decodeJwt(body);
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.identity()!.verificationMethod });
      expect(payload).toMatchObject({
        id: p.url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: registrar.identity()!.did,
        iss: registrar.identity()!.did,
        cradleListVersion: 1,
        credentialSubject: { id: `${p.url}#list`, type: 'BitstringStatusList', statusPurpose: p.purpose },
      });
    }
  });

  it('publishing with nothing changed signs nothing', async () => {
    expect(await registrar.publish()).toEqual([]);
  });

  it('revoke -> publish -> the bit is set and version 2 is anchored; many revocations collapse into one anchor', async () => {
    const more = await Promise.all([1, 2, 3].map(() => registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() })));
    await registrar.revoke(first.id);
    for (const c of more) await registrar.revoke(c.id);
    const published = await registrar.publish();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ purpose: 'revocation', version: 2 });
    const report = await registrar.processOutbox();
    expect(report.confirmed.map((c) => c.version)).toEqual([2]);
    const url = first.status[0]!.url;
    const { body } = await served(listName(url));
    expect((await reader.latest(registrar.identity()!.address, statusListId(url)))?.digest).toBe(digestOf(body));
    const encodedList = (decodeJwt(body).payload.credentialSubject as { encodedList: string }).encodedList;
    const ours = await StatusList.decode(encodedList);
    const theirs = await BitstringStatusList.decode({ encodedList });
    const revoked = new Set([first, ...more].map((c) => c.status[0]!.index));
    for (const i of revoked) {
      expect(ours.get(i)).toBe(1);
      expect(theirs.getStatus(i)).toBe(true);
    }
    // Same bits everywhere, not only at the revoked indices.
    expect(Buffer.from(ours.bytes).equals(Buffer.from((await StatusList.decode(await new BitstringStatusList({ buffer: ours.bytes }).encode())).bytes))).toBe(true);
    let ones = 0;
    for (let i = 0; i < theirs.length; i++) if (theirs.getStatus(i)) ones++;
    expect(ones).toBe(revoked.size);
    expect(await events(url)).toEqual([
      { version: 1, digest: expect.any(String) },
      { version: 2, digest: digestOf(body) },
    ]);
  });

  it('suspension is anchored on its own list and lifted again', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const sus = c.status[1]!;
    await registrar.suspend(c.id);
    await registrar.publish();
    await registrar.processOutbox();
    let list = await StatusList.decode((decodeJwt((await served(sus.listName)).body).payload.credentialSubject as { encodedList: string }).encodedList);
    expect(list.get(sus.index)).toBe(1);
    await registrar.unsuspend(c.id);
    await registrar.publish();
    await registrar.processOutbox();
    list = await StatusList.decode((decodeJwt((await served(sus.listName)).body).payload.credentialSubject as { encodedList: string }).encodedList);
    expect(list.get(sus.index)).toBe(0);
  });
});

describe('the durable outbox', () => {
  it('RPC down during publish: queued with backoff, then anchored exactly once when it is back', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.close();
    const down = { ...devChain.config, rpcUrl: 'http://127.0.0.1:9/' };
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: down, baseUrl: BASE_URL, now: clock.now });
    await registrar.revoke(c.id);
    const [published] = await registrar.publish();
    const report = await registrar.processOutbox();
    expect(report.error?.code).toBe('RPC_UNREACHABLE');
    expect(report.confirmed).toEqual([]);
    const pending = await registrar.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ state: 'queued', attempts: 1, version: published!.version });
    expect(Date.parse(pending[0]!.nextAttemptAt)).toBeGreaterThan(clock.ms);
    // Not due yet: a second pass does not even try.
    await registrar.processOutbox();
    expect((await registrar.pending())[0]!.attempts).toBe(1);
    // Restart with the RPC back: the row is resumed from the database.
    await registrar.close();
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now });
    clock.advance(60_000);
    const back = await registrar.processOutbox();
    expect(back.confirmed.map((e) => e.version)).toEqual([published!.version]);
    expect(await registrar.pending()).toEqual([]);
    await registrar.processOutbox({ force: true });
    const anchored = (await events(published!.url)).filter((e) => e.version === published!.version);
    expect(anchored).toHaveLength(1);
    expect(anchored[0]!.digest).toBe(published!.digest);
  });

  it('a crash after sending (row still queued) is recognised from the chain and not sent again', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.revoke(c.id);
    const [published] = await registrar.publish();
    await registrar.processOutbox();
    const block = await reader.blockNumber();
    // Simulate the crash window: the anchor is on chain, but the outbox row says queued.
    await registrar.close();
    const db = await openTestStore(home);
    await db.query(`UPDATE cradle_anchor_outbox SET state = 'queued', tx_hash = NULL WHERE list_name = ? AND version = ?`, [published!.name, published!.version]);
    await db.close();
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now });
    const report = await registrar.processOutbox();
    expect(report.confirmed.map((e) => e.version)).toEqual([published!.version]);
    expect(await reader.blockNumber()).toBe(block);
    expect((await events(published!.url)).filter((e) => e.version === published!.version)).toHaveLength(1);
  });

  it('a reorganised-away anchor is detected and re-sent', async () => {
    await registrar.close();
    const deep = { ...devChain.config, confirmations: 2 };
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: deep, baseUrl: BASE_URL, now: clock.now, anchorWaitMs: 0, anchorDroppedAfterMs: 30_000 });
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.revoke(c.id);
    const [published] = await registrar.publish();
    const snapshot = await rpc('evm_snapshot');
    await registrar.processOutbox();
    const sent = (await registrar.pending())[0]!;
    expect(sent.state).toBe('sent');
    // Mined with one confirmation; the chain then reorganises the block away.
    await rpc('evm_revert', [snapshot]);
    await registrar.processOutbox();
    expect((await registrar.pending())[0]).toMatchObject({ state: 'sent', txHash: sent.txHash });
    clock.advance(31_000);
    await registrar.processOutbox();
    const resent = (await registrar.pending())[0]!;
    expect(resent.state).toBe('sent');
    expect(resent.attempts).toBe(sent.attempts + 1);
    await devChain.mine(2);
    const report = await registrar.processOutbox();
    expect(report.confirmed.map((e) => e.version)).toEqual([published!.version]);
    expect((await events(published!.url)).filter((e) => e.version === published!.version)).toHaveLength(1);
  });

  it('a stuck anchor is replaced with a higher fee and the same nonce', async () => {
    await registrar.close();
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now, anchorWaitMs: 0, anchorStuckAfterMs: 60_000 });
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.revoke(c.id);
    const [published] = await registrar.publish();
    await rpc('evm_setAutomine', [false]);
    try {
      await registrar.processOutbox();
      const sent = (await registrar.pending())[0]!;
      expect(sent.state).toBe('sent');
      clock.advance(61_000);
      await registrar.processOutbox();
      const replaced = (await registrar.pending())[0]!;
      expect(replaced.state).toBe('sent');
      expect(replaced.txHash).not.toBe(sent.txHash);
      expect(replaced.lastError).toContain('replaced stuck');
      await rpc('evm_mine');
      const report = await registrar.processOutbox();
      expect(report.confirmed.map((e) => e.version)).toEqual([published!.version]);
      expect((await events(published!.url)).filter((e) => e.version === published!.version)).toHaveLength(1);
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
  });
});
