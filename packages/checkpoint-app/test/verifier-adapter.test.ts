import { describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '@cradle/verifier';
import type { IdbKeyValue } from '../src/idb.js';
import type { IdbVerifierStore } from '../src/idb-store.js';
import { createCheckpointVerifier } from '../src/verifier-adapter.js';

const noSecrets = { get: async () => undefined, set: async () => undefined, delete: async () => undefined } as unknown as Pick<IdbKeyValue, 'get' | 'set' | 'delete'>;

// `revision` counts the store's writes: on the phone each one is an IndexedDB transaction, then a re-read of everything.
describe('checkpoint verifier adapter: configure', () => {
  it('writes the configuration when it changes and not when start-up passes the saved settings again', async () => {
    const store = new MemoryVerifierStore();
    const verifier = createCheckpointVerifier(store as unknown as IdbVerifierStore, noSecrets);
    const governanceDid = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

    await verifier.configure({ maxStatusAgeSeconds: 86_400 });
    expect(store.revision).toBe(1);
    expect((await store.load()).config).toEqual({ maxStatusAge: 86_400 });
    // Every later start: the same settings, nothing written.
    await verifier.configure({ maxStatusAgeSeconds: 86_400 });
    expect(store.revision).toBe(1);

    await verifier.configure({ maxStatusAgeSeconds: 3_600 });
    expect(store.revision).toBe(2);
    await verifier.configure({ maxStatusAgeSeconds: 3_600, governanceDid });
    expect(store.revision).toBe(3);
    expect((await store.load()).config).toEqual({ maxStatusAge: 3_600, governanceDid });
    await verifier.configure({ maxStatusAgeSeconds: 3_600, governanceDid });
    expect(store.revision).toBe(3);
    // Removing the governance authority is a change too.
    await verifier.configure({ maxStatusAgeSeconds: 3_600 });
    expect(store.revision).toBe(4);
    expect((await store.load()).config).toEqual({ maxStatusAge: 3_600 });
  });

  it('keeps what else the configuration holds (ledger, alert key) when it rewrites it', async () => {
    const store = new MemoryVerifierStore();
    const ledger = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: `0x${'11'.repeat(20)}`, anchor: `0x${'22'.repeat(20)}`, confirmations: 1 };
    await store.write({ config: { maxStatusAge: 86_400, ledger, alertKeyId: 'k1' } });
    const verifier = createCheckpointVerifier(store as unknown as IdbVerifierStore, noSecrets);
    await verifier.configure({ maxStatusAgeSeconds: 86_400 });
    expect(store.revision).toBe(1);
    await verifier.configure({ maxStatusAgeSeconds: 600 });
    expect((await store.load()).config).toEqual({ maxStatusAge: 600, ledger, alertKeyId: 'k1' });
  });
});
