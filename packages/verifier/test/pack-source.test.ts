import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeStatusListPack } from '@cradle/core';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { filePackSource } from '../src/node/file-pack-source.js';
import { MAX_STATUS_PACK_BYTES, httpPackSource, packSource } from '../src/pack-source.js';
import type { CachedStatusList } from '../src/store.js';
import { sync } from '../src/sync/index.js';
import type { ChainRegistrar } from './helpers/chain-registrar.js';
import { chainRegistrar } from './helpers/chain-registrar.js';
import { DAY, signList } from './helpers/fixtures.js';
import type { SignedList } from './helpers/fixtures.js';

// One frozen clock for the whole file, close to the chain's own (real) block times.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const NOW_S = NOW / 1000;

let chain: DevChain;
let registrar: ChainRegistrar;
let store: MemoryVerifierStore;
let rev1: SignedList;
let sus1: SignedList;
let rev2: SignedList;
const requested: string[] = [];

/** The network is down for everything: any per-list request is recorded and fails. */
const offline: typeof fetch = async (input) => {
  requested.push(String(input instanceof Request ? input.url : input));
  throw new Error('no network here');
};

/** A pack source that counts its loads. */
function counted(jws: string[] | Uint8Array): { source: ReturnType<typeof packSource>; loads: () => number } {
  let n = 0;
  const source = packSource('test pack', async () => {
    n++;
    return jws instanceof Uint8Array ? jws : encodeStatusListPack(jws);
  });
  return { source, loads: () => n };
}

async function cachedLists(): Promise<readonly CachedStatusList[]> {
  return (await store.load()).statusLists;
}

async function cachedVersions(): Promise<Record<string, number>> {
  return Object.fromEntries((await cachedLists()).map((l) => [l.url, l.anchor.version]));
}

beforeAll(async () => {
  chain = await startDevChain();
  registrar = await chainRegistrar(chain, 1, 1);
  const tag = Math.random().toString(36).slice(2);
  const revUrl = `https://registrar.example/status/rev-${tag}`;
  const susUrl = `https://registrar.example/status/sus-${tag}`;
  rev1 = await signList({ registrar, url: revUrl, purpose: 'revocation', version: 1 });
  sus1 = await signList({ registrar, url: susUrl, purpose: 'suspension', version: 1 });
  rev2 = await signList({ registrar, url: revUrl, purpose: 'revocation', version: 2, set: [4242] });
  await registrar.publish(rev1);
  await registrar.publish(sus1);
  store = new MemoryVerifierStore({
    config: { maxStatusAge: DAY, ledger: chain.config },
    trust: { operator: [{ did: registrar.did, addedAt: NOW_S }], removed: [] },
    didDocuments: [],
    statusLists: [],
    anchors: [],
  });
});
afterAll(async () => {
  await chain?.stop();
});

describe('sync from a status-list pack only', () => {
  it('accepts every anchored list from the pack, loads it once and makes no per-list request', async () => {
    requested.length = 0;
    const pack = counted([sus1.jwt, rev1.jwt]);
    const report = await sync({ store, now: NOW, fetch: offline, packs: [pack.source] });
    expect(report.failures).toEqual([]);
    expect(report.lists.map((l) => [l.outcome, l.source])).toEqual([
      ['updated', 'test pack'],
      ['updated', 'test pack'],
    ]);
    expect(pack.loads()).toBe(1);
    expect(requested).toEqual([]);
    expect(await cachedVersions()).toEqual({ [rev1.url]: 1, [sus1.url]: 1 });
    expect((await cachedLists()).find((l) => l.url === rev1.url)?.jwt).toBe(rev1.jwt);
  });

  it('a pack carrying an older (validly signed) version is not taken: the anchor moved on', async () => {
    await registrar.publish(rev2);
    requested.length = 0;
    const stale = counted([rev1.jwt, sus1.jwt]);
    const report = await sync({ store, now: NOW + 60_000, fetch: offline, packs: [stale.source] });
    expect(report.ok).toBe(false);
    expect(report.lists.find((l) => l.version === 2)?.outcome).toBe('failed');
    expect(report.lists.find((l) => l.listId === sus1.anchor.listId)?.outcome).toBe('unchanged');
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]!.message).toContain('version 2');
    // Only the anchored URI was tried after the pack (and it failed): the stale copy never reached the cache.
    expect(requested).toEqual([rev1.url]);
    expect(await cachedVersions()).toEqual({ [rev1.url]: 1, [sus1.url]: 1 });

    // The current pack (served over "HTTP") brings version 2.
    const current = encodeStatusListPack([sus1.jwt, rev2.jwt]);
    const packFetch: typeof fetch = async (input) => {
      const url = String(input);
      requested.push(url);
      if (url === 'https://registrar.example/status-pack') return new Response(Buffer.from(current), { headers: { 'content-type': 'application/x-cradle-status-pack' } });
      throw new Error('no network here');
    };
    requested.length = 0;
    const again = await sync({ store, now: NOW + 120_000, fetch: packFetch, packs: ['https://registrar.example/status-pack'] });
    expect(again.failures).toEqual([]);
    expect(again.lists.find((l) => l.version === 2)).toMatchObject({ outcome: 'updated', source: 'pack:https://registrar.example/status-pack' });
    // First the delta request (this server knows no `since` and fails it), then the full pack.
    expect(requested).toEqual([`https://registrar.example/status-pack?since=${rev1.anchor.listId}:1,${sus1.anchor.listId}:1`, 'https://registrar.example/status-pack']);
    expect(await cachedVersions()).toEqual({ [rev1.url]: 2, [sus1.url]: 1 });
  });

  it('a damaged pack (truncated, bit-flipped, wrong magic, oversize) is reported as PACK_INVALID, once, naming the pack, and nothing is taken from it', async () => {
    const sus2 = await signList({ registrar, url: sus1.url, purpose: 'suspension', version: 2, set: [77] });
    await registrar.publish(sus2);
    const before = (await cachedLists());
    const good = encodeStatusListPack([rev2.jwt, sus2.jwt]);
    const flipped = good.slice();
    flipped[Math.floor(flipped.length / 2)]! ^= 0x04;
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 100), /damaged.*checksum.*Copy or download the pack again/],
      ['bit-flipped', flipped, /damaged.*checksum.*Copy or download the pack again/],
      ['wrong magic', new Uint8Array([...Buffer.from('PK\u0003\u0004'), ...good.subarray(4)]), /Not a Cradle status-list pack.*not a bundle or a list/],
      ['oversize', new Uint8Array(MAX_STATUS_PACK_BYTES + 1), /over the 16777216 bytes a checkpoint accepts.*only the lists this checkpoint follows/],
    ];
    for (const [what, bytes, message] of cases) {
      const bad = counted(bytes);
      const report = await sync({ store, now: NOW + 180_000, fetch: offline, packs: [bad.source] });
      expect(report.ok, what).toBe(false);
      expect(report.lists.find((l) => l.listId === sus1.anchor.listId), what).toMatchObject({ version: 2, outcome: 'failed' });
      const packFailures = report.failures.filter((f) => f.code === 'PACK_INVALID');
      expect(packFailures, what).toHaveLength(1);
      expect(packFailures[0]!.source).toBe('test pack');
      expect(packFailures[0]!.message, what).toMatch(message);
      expect(packFailures[0]!.message).toMatch(/nothing was taken from it/);
      // The list the pack should have brought says where it looked.
      expect(report.failures.find((f) => f.code !== 'PACK_INVALID')!.message, what).toContain('test pack: the pack was refused');
      expect(bad.loads()).toBe(1);
      expect((await cachedLists()).map((l) => l.jwt), what).toEqual(before.map((l) => l.jwt));
    }

    // A damaged pack is reported even when every list it should have brought came from elsewhere.
    const elsewhere: typeof fetch = async (input) => {
      const url = String(input);
      const list = [rev2, sus2].find((l) => l.url === url);
      return list === undefined ? new Response('', { status: 404 }) : new Response(list.jwt);
    };
    const mixed = await sync({ store: new MemoryVerifierStore({ ...(await store.load()), statusLists: [] }), now: NOW + 190_000, fetch: elsewhere, packs: [counted(flipped).source] });
    expect(mixed.lists.every((l) => l.outcome === 'updated')).toBe(true);
    expect(mixed.failures.map((f) => [f.source, f.code])).toEqual([['test pack', 'PACK_INVALID']]);

    // A failed load is a failure too, and the same pack from a file works.
    const dir = await mkdtemp(join(tmpdir(), 'cradle-pack-'));
    try {
      const missing = await sync({ store, now: NOW + 200_000, fetch: offline, packs: [filePackSource(join(dir, 'none.pack'))] });
      expect(missing.failures[0]!.message).toContain('none.pack');
      await writeFile(join(dir, 'cradle.pack'), good);
      const fromFile = await sync({ store, now: NOW + 240_000, fetch: offline, packs: [filePackSource(join(dir, 'cradle.pack'))] });
      expect(fromFile.failures).toEqual([]);
      expect(await cachedVersions()).toEqual({ [rev1.url]: 2, [sus1.url]: 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('httpPackSource refuses an HTTP error and an oversized body', async () => {
    const anchor = rev2.anchor;
    await expect(httpPackSource('https://x.example/p', async () => new Response('nope', { status: 503 })).get(anchor, 1e6)).rejects.toThrow('HTTP 503');
    const huge = new Response(new Uint8Array(1), { headers: { 'content-length': String(64 * 1024 * 1024) } });
    await expect(httpPackSource('https://x.example/p', async () => huge).get(anchor, 1e6)).rejects.toMatchObject({ code: 'PACK_INVALID', message: expect.stringMatching(/larger than the 16777216 bytes/) });
  });
});

describe('delta sync from a pack URL', () => {
  it('asks for what changed since the versions held, rebuilds the lists from deltas and never fetches the full pack', async () => {
    const held = await cachedLists();
    const rev = held.find((l) => l.url === rev1.url)!;
    const sus = held.find((l) => l.url === sus1.url)!;
    const rev3 = await signList({ registrar, url: rev1.url, purpose: 'revocation', version: rev.anchor.version + 1, set: [4242, 9, 131_000] });
    await registrar.publish(rev3);
    const full = encodeStatusListPack([sus.jwt, rev3.jwt]);
    const delta = encodeStatusListPack([{ jws: rev3.jwt, base: rev.jwt }]);
    expect(delta.length).toBeLessThan(full.length / 4);
    requested.length = 0;
    const server: typeof fetch = async (input) => {
      const url = String(input);
      requested.push(url);
      const body = url.includes('?since=') ? delta : full;
      return new Response(Buffer.from(body), { headers: { 'content-type': 'application/x-cradle-status-pack' } });
    };
    const report = await sync({ store, now: NOW + 300_000, fetch: server, packs: ['https://registrar.example/status-pack'] });
    expect(report.failures).toEqual([]);
    expect(report.lists.find((l) => l.url === rev1.url)).toMatchObject({ outcome: 'updated', version: rev3.anchor.version, source: 'pack:https://registrar.example/status-pack' });
    expect(requested).toEqual([`https://registrar.example/status-pack?since=${rev.anchor.listId}:${rev.anchor.version},${sus.anchor.listId}:${sus.anchor.version}`]);
    expect((await cachedLists()).find((l) => l.url === rev1.url)?.jwt).toBe(rev3.jwt);
  });

  it('falls back to the full pack when a delta does not rebuild the anchored list', async () => {
    const held = await cachedLists();
    const rev = held.find((l) => l.url === rev1.url)!;
    const sus = held.find((l) => l.url === sus1.url)!;
    const next = await signList({ registrar, url: rev1.url, purpose: 'revocation', version: rev.anchor.version + 1, set: [1, 2, 3] });
    const wrong = await signList({ registrar, url: rev1.url, purpose: 'revocation', version: rev.anchor.version + 1, set: [1, 2] });
    await registrar.publish(next);
    const full = encodeStatusListPack([sus.jwt, next.jwt]);
    // A delta against the held base that rebuilds a validly signed list, but not the anchored one.
    const misleading = encodeStatusListPack([{ jws: wrong.jwt, base: rev.jwt }]);
    requested.length = 0;
    const server: typeof fetch = async (input) => {
      const url = String(input);
      requested.push(url);
      return new Response(Buffer.from(url.includes('?since=') ? misleading : full));
    };
    const report = await sync({ store, now: NOW + 360_000, fetch: server, packs: ['https://registrar.example/status-pack'] });
    expect(report.failures).toEqual([]);
    expect(requested).toHaveLength(2);
    expect(requested[1]).toBe('https://registrar.example/status-pack');
    expect((await cachedLists()).find((l) => l.url === rev1.url)?.jwt).toBe(next.jwt);
  });
});
