import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { directoryMirror } from '../src/node/directory-mirror.js';
import { TRUST_LIST_ID } from '@cradle/ledger';
import { digestOf } from '../src/status-list-credential.js';
import { sync } from '../src/sync/index.js';
import { signTrustList } from '../src/trust-list.js';
import { verifyCredential } from '../src/verify-credential.js';
import type { ChainRegistrar } from './helpers/chain-registrar.js';
import { chainRegistrar } from './helpers/chain-registrar.js';
import { DAY, issue, makeDidKey, signList } from './helpers/fixtures.js';
import type { ListServer } from './helpers/list-server.js';
import { startListServer } from './helpers/list-server.js';

// One frozen clock for the whole file, close to the chain's own (real) block times.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const NOW_S = NOW / 1000;

let chain: DevChain;
let server: ListServer;
let mirror: ListServer;
let registrar: ChainRegistrar;
const child = makeDidKey(1);

beforeAll(async () => {
  [chain, server, mirror] = await Promise.all([startDevChain(), startListServer(), startListServer()]);
  registrar = await chainRegistrar(chain, 1, 1);
});
afterAll(async () => {
  await Promise.all([chain?.stop(), server?.close(), mirror?.close()]);
});

function newStore(): MemoryVerifierStore {
  return new MemoryVerifierStore({
    config: { maxStatusAge: DAY, ledger: chain.config },
    trust: { operator: [{ did: registrar.did, addedAt: NOW_S }], removed: [] },
    didDocuments: [],
    statusLists: [],
    anchors: [],
  });
}

describe('sync from the real ledger, then verify offline', () => {
  let revUrl: string;
  let susUrl: string;
  let credential: string;
  const store = () => shared;
  let shared: MemoryVerifierStore;

  beforeAll(async () => {
    revUrl = `${server.url}/status/rev-${Math.random().toString(36).slice(2)}`;
    susUrl = `${server.url}/status/sus-${Math.random().toString(36).slice(2)}`;
    const rev = await signList({ registrar, url: revUrl, purpose: 'revocation', version: 1 });
    const sus = await signList({ registrar, url: susUrl, purpose: 'suspension', version: 1 });
    server.files.set(new URL(revUrl).pathname, rev.jwt);
    server.files.set(new URL(susUrl).pathname, sus.jwt);
    await registrar.publish(rev);
    await registrar.publish(sus);
    credential = issue({ issuer: registrar, subject: child.did, status: { revocation: { url: revUrl, index: 4242 }, suspension: { url: susUrl, index: 77 } } });
    shared = newStore();
  });

  it('accepts anchored lists signed by the registrar and its DID document; the credential verifies', async () => {
    const report = await sync({ store: store(), now: NOW });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.didDocuments).toEqual([{ did: registrar.did, outcome: 'updated' }]);
    expect(report.lists.map((l) => l.outcome)).toEqual(['updated', 'updated']);
    const state = await store().load();
    expect(state.sync?.lastBlock).toBe(report.ledger?.toBlock);
    expect(state.statusLists.every((l) => l.anchor.blockNumber > 0 && l.checkedAt === NOW_S)).toBe(true);
    const r = await verifyCredential(credential, { store: store(), now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('valid');
  });

  it('rollback: a server still handing out the older list is refused; the answer is "cannot confirm", never valid', async () => {
    const v2 = await signList({ registrar, url: revUrl, purpose: 'revocation', version: 2, set: [4242] });
    await registrar.publish(v2); // the ledger now says v2; the server still serves v1
    const report = await sync({ store: store(), now: NOW + 60_000 });
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.code)).toEqual(['DIGEST_MISMATCH']);
    expect(report.lists.find((l) => l.version === 2)?.outcome).toBe('failed');
    const r = await verifyCredential(credential, { store: store(), now: NOW + 60_000 });
    expect(r.outcome).toBe('indeterminate');
    expect(r.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);

    // The current list from a mirror is accepted: the revocation now shows.
    mirror.files.set(`/${new URL(revUrl).pathname.split('/').pop()}`, v2.jwt);
    const again = await sync({ store: store(), now: NOW + 120_000, mirrors: [`${mirror.url}/`] });
    expect(again.failures).toEqual([]);
    expect(again.lists.find((l) => l.version === 2)).toMatchObject({ outcome: 'updated', source: `${mirror.url}/` });
    const revoked = await verifyCredential(credential, { store: store(), now: NOW + 120_000 });
    expect(revoked.errors.map((e) => e.code)).toEqual(['REVOKED']);
  });

  it('a list anchored by the registrar\'s (hot) anchoring key but signed by someone else is refused', async () => {
    const attacker = makeDidKey(66);
    const forged = await signList({ registrar: { ...attacker, did: registrar.did, kid: registrar.kid }, url: susUrl, purpose: 'suspension', version: 2, set: [77] });
    server.files.set(new URL(susUrl).pathname, forged.jwt);
    await registrar.publish(forged);
    const report = await sync({ store: store(), now: NOW + 180_000 });
    expect(report.failures.map((f) => f.code)).toEqual(['SIGNATURE_INVALID']);
    expect(report.failures[0]!.message).toContain('does not carry a valid signature');
    // The forged suspension was not taken; the older list is superseded, so status is "cannot confirm".
    const r = await verifyCredential(credential, { store: store(), now: NOW + 180_000 });
    expect(r.errors.map((e) => e.code)).toEqual(['REVOKED', 'STATUS_STALE']);
  });

  it('a directory mirror (a USB stick) supplies a list the status server does not have', async () => {
    const url = `${server.url}/status/usb-${Math.random().toString(36).slice(2)}`;
    const list = await signList({ registrar, url, purpose: 'revocation', version: 1, set: [9] });
    await registrar.publish(list); // anchored, but never put on the server
    const dir = await mkdtemp(join(tmpdir(), 'cradle-mirror-'));
    await writeFile(join(dir, `${list.digest.slice(2)}.jwt`), `${list.jwt}\n`);
    const report = await sync({ store: store(), now: NOW + 200_000, mirrors: [directoryMirror(dir)] });
    expect(report.lists.find((l) => l.url === url)).toMatchObject({ outcome: 'updated', source: `dir:${dir}` });
    await rm(dir, { recursive: true, force: true });
  });

  it('an unreachable ledger changes nothing cached, and offline verification keeps working', async () => {
    const before = await store().load();
    const dead = { ...chain.config, rpcUrl: 'http://127.0.0.1:9/' };
    const report = await sync({ store: store(), ledger: dead, now: NOW + 240_000 });
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ source: 'ledger', code: 'RPC_UNREACHABLE' });
    expect(await store().load()).toBe(before);
  });
});

describe('sync: trust', () => {
  it('picks up the governance trust list anchored on the ledger: a de-accredited registrar is rejected', async () => {
    const governance = await chainRegistrar(chain, 3, 3);
    const jwt = await signTrustList({ issuer: governance.did, kid: governance.kid, version: 1, registrars: [{ did: registrar.did, status: 'revoked' }], sign: governance.sign, now: NOW });
    server.files.set('/trust/list-1', jwt);
    await governance.anchorRaw({ listId: TRUST_LIST_ID, version: 1, digest: digestOf(new TextEncoder().encode(jwt)), uri: `${server.url}/trust/list-1` });
    const store = newStore();
    await store.write({ config: { maxStatusAge: DAY, ledger: chain.config, governanceDid: governance.did } });
    const report = await sync({ store, now: NOW });
    expect(report.trustList).toEqual({ outcome: 'updated', version: 1 });
    expect(report.failures.filter((f) => f.source.includes('/trust/'))).toEqual([]); // (the registrar's lists from above may fail here)
    const credential = issue({ issuer: registrar, subject: child.did });
    expect((await verifyCredential(credential, { store, now: NOW, requireRevocationEntry: false })).errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED']);
  });

  it('does not fetch lists of registrars that are not trusted', async () => {
    const other = await chainRegistrar(chain, 2, 2);
    const url = `${server.url}/status/other-${Math.random().toString(36).slice(2)}`;
    const list = await signList({ registrar: other, url, purpose: 'revocation', version: 1 });
    server.files.set(new URL(url).pathname, list.jwt);
    await other.publish(list);
    const store = newStore();
    const report = await sync({ store, now: NOW });
    expect(report.lists.some((l) => l.identity === other.address)).toBe(false);
    expect((await store.load()).statusLists.some((l) => l.url === url)).toBe(false);
    // Trusted later: its anchors from before the last synced block are read too.
    await store.write({ trust: { operator: [{ did: other.did, addedAt: NOW_S }], removed: [] } });
    const later = await sync({ store, now: NOW });
    expect(later.lists.find((l) => l.identity === other.address)).toMatchObject({ url, outcome: 'updated' });
  });
});
