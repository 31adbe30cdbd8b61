/**
 * Runs in Chromium (built by store.e2e, not part of the app): checks IdbVerifierStore against the
 * verifier's reference MemoryVerifierStore, plus what only a persistent store must do (survive a new
 * instance, stay atomic when a write fails). Publishes `window.storeHarness = { failures }`.
 */
import { MemoryVerifierStore, statusListKey } from '@cradle/verifier';
import type { CheckpointState, StoreChanges, VerifierStore } from '@cradle/verifier';
import { IdbVerifierStore } from '../../../src/idb-store.js';
import { IdbKeyValue, STORES, openCheckpointDb } from '../../../src/idb.js';

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

function canonical(state: CheckpointState): string {
  const sorted = {
    ...state,
    didDocuments: [...state.didDocuments].sort((a, b) => a.did.localeCompare(b.did)),
    statusLists: [...state.statusLists].sort((a, b) => statusListKey(a).localeCompare(statusListKey(b))).map((l) => ({ ...l, bits: Array.from(l.bits) })),
    anchors: [...state.anchors].sort((a, b) => `${a.identity}${a.listId}`.localeCompare(`${b.identity}${b.listId}`)),
  };
  return JSON.stringify(sorted, Object.keys(sorted).sort());
}

const anchor = (n: number) => ({
  identity: `0x${String(n).repeat(40).slice(0, 40)}`,
  listId: `0x${String(n).repeat(64).slice(0, 64)}`,
  version: n,
  digest: `0x${'ab'.repeat(32)}`,
  uri: `https://r.example/status/${n}`,
  blockNumber: 10 + n,
});
const list = (issuer: string, url: string, n: number) => ({
  url, issuer, purpose: 'revocation', jwt: `jwt-${n}`, bits: new Uint8Array([n, 0, 255]), statusSize: 1, anchor: anchor(n), checkedAt: 1000 + n,
});

async function main(): Promise<void> {
  const db = await openCheckpointDb(`harness-${Date.now()}`);
  const kv = new IdbKeyValue(db, STORES.verifier);
  const idb = new IdbVerifierStore(kv);
  const mem = new MemoryVerifierStore();
  const both = async (changes: StoreChanges) => {
    await idb.write(changes);
    await mem.write(changes);
  };
  check(canonical(await idb.load()) === canonical(await mem.load()), 'empty stores differ');

  const r0 = idb.revision;
  const sameUrl = 'https://shared.example/status/list';
  await both({
    config: { maxStatusAge: 3600, governanceDid: 'did:key:z6MkGov' },
    trust: { operator: [{ did: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111', addedAt: 5 }], removed: [] },
    didDocuments: [{ did: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111', document: { id: 'x' }, fetchedAt: 7 }],
    statusLists: [list('did:a', sameUrl, 1), list('did:b', sameUrl, 2)],
    anchors: [anchor(1), anchor(2)],
    sync: { lastBlock: 12, syncedAt: 99 },
  });
  check(idb.revision > r0, 'revision did not increase on write');
  check(canonical(await idb.load()) === canonical(await mem.load()), 'state after first write differs from MemoryVerifierStore');
  check((await idb.getStatusList('did:a', sameUrl))?.jwt === 'jwt-1', 'getStatusList(issuer a) wrong');
  check((await idb.getStatusList('did:b', sameUrl))?.jwt === 'jwt-2', 'one registrar shadowed another on the same URL');
  check((await idb.getStatusList('did:c', sameUrl)) === undefined, 'getStatusList for an unknown issuer is not undefined');
  check((await idb.getConfig())?.maxStatusAge === 3600, 'getConfig wrong');
  check((await idb.getSyncState())?.lastBlock === 12, 'getSyncState wrong');

  // Replace one list, add an anchor: records are merged by key, like the reference store.
  await both({ statusLists: [{ ...list('did:a', sameUrl, 3) }], anchors: [anchor(3)] });
  check(canonical(await idb.load()) === canonical(await mem.load()), 'state after merge differs from MemoryVerifierStore');

  // Persistence: a fresh instance (a reload) reads the same state.
  const again = new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier));
  check(canonical(await again.load()) === canonical(await mem.load()), 'a new instance does not see the data');

  // Another tab writes: this instance must not keep answering from its old snapshot.
  const otherTab = new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier));
  const seenRevision = again.revision;
  await again.load();
  await otherTab.write({ sync: { lastBlock: 77, syncedAt: 100 } });
  await mem.write({ sync: { lastBlock: 77, syncedAt: 100 } });
  for (let i = 0; i < 50 && again.revision === seenRevision; i++) await new Promise((r) => setTimeout(r, 20));
  check(again.revision !== seenRevision, 'a write in another instance did not invalidate this one');
  check((await again.load()).sync?.lastBlock === 77, 'this instance still answers from its old snapshot');

  // Atomicity: a change set that cannot be stored (a function is not cloneable) leaves nothing behind.
  const before = canonical(await idb.load());
  let threw = false;
  try {
    // The storable part (config, trust) is queued before the unstorable document: it must be undone too.
    await idb.write({ config: { maxStatusAge: 1 }, trust: { operator: [], removed: [] }, anchors: [anchor(4)], didDocuments: [{ did: 'did:bad', document: () => 1, fetchedAt: 1 }] } as unknown as StoreChanges);
  } catch {
    threw = true;
  }
  check(threw, 'an unstorable write did not fail');
  check(canonical(await idb.load()) === before, 'a failed write left part of its change set');

  await idb.clear();
  const cleared: VerifierStore = idb;
  check((await cleared.load()).statusLists.length === 0 && (await cleared.getConfig()) === undefined, 'clear() left data');
  db.close();
}

main()
  .catch((e: unknown) => failures.push(`threw: ${e instanceof Error ? e.message : String(e)}`))
  .finally(() => {
    (window as unknown as { storeHarness: unknown }).storeHarness = { failures };
  });
