// The checkpoint app's verifier, built from its parts (trust and settings, ledger and sync, alert key,
// checks): each part keeps its rules. Real stores (the verifier's MemoryVerifierStore and a settings
// store over a Map), real keys (core's generateAlertKeyPair), a real bundle from exportBundle.
import { generateAlertKeyPair } from '@cradle/core';
import { MemoryVerifierStore } from '@cradle/verifier';
import { describe, expect, it } from 'vitest';
import type { IdbKeyValue } from '../src/idb.js';
import type { IdbVerifierStore } from '../src/idb-store.js';
import { createCheckpointVerifier } from '../src/verifier-adapter.js';

/** The app's settings store, in memory. */
function settingsStore() {
  const map = new Map<string, unknown>();
  const kv = {
    get: async <T>(key: string) => map.get(key) as T | undefined,
    set: async (key: string, value: unknown) => void map.set(key, value),
    delete: async (key: string) => void map.delete(key),
  };
  return { map, kv: kv as unknown as Pick<IdbKeyValue, 'get' | 'set' | 'delete'> };
}

const LEDGER = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 };

describe('checkpoint verifier parts', () => {
  it('the private alert key is kept in the settings store and named by its kid in the policy; removing it clears both', async () => {
    const store = new MemoryVerifierStore();
    const { map, kv } = settingsStore();
    const verifier = createCheckpointVerifier(store as unknown as IdbVerifierStore, kv);
    const pair = await generateAlertKeyPair();
    expect(await verifier.alertKey()).toBeUndefined();
    const { kid } = await verifier.setAlertKey(pair.privateJwk);
    expect(kid).toBe(pair.kid);
    expect(map.get('alert-key')).toMatchObject({ kid: pair.kid, d: pair.privateJwk.d });
    expect((await store.load()).config?.alertKeyId).toBe(pair.kid);
    expect(JSON.stringify(await store.load())).not.toContain(pair.privateJwk.d as string); // never in the verifier cache, which bundles export
    expect(await verifier.alertKey()).toEqual({ kid: pair.kid });
    await verifier.removeAlertKey();
    expect(map.has('alert-key')).toBe(false);
    expect(await verifier.alertKey()).toBeUndefined();
  });

  it('a public key, or anything that is not a private alert key, is refused and nothing is stored', async () => {
    const store = new MemoryVerifierStore();
    const { map, kv } = settingsStore();
    const verifier = createCheckpointVerifier(store as unknown as IdbVerifierStore, kv);
    const pair = await generateAlertKeyPair();
    for (const bad of [pair.publicJwk, { kty: 'OKP' }, 'x']) await expect(verifier.setAlertKey(bad)).rejects.toBeInstanceOf(Error);
    expect(map.size).toBe(0);
    expect(store.revision).toBe(0);
  });

  it('the ledger settings are checked, kept with the rest of the policy, and read back', async () => {
    const store = new MemoryVerifierStore();
    const verifier = createCheckpointVerifier(store as unknown as IdbVerifierStore, settingsStore().kv);
    await verifier.configure({ maxStatusAgeSeconds: 600 });
    expect(await verifier.ledger()).toBeUndefined();
    await expect(verifier.setLedger({ chainId: 'x' })).rejects.toThrow(/not a ledger settings file/);
    const info = await verifier.setLedger(LEDGER);
    expect(await verifier.ledger()).toEqual(info);
    expect(info).toMatchObject({ chainId: 31337, rpcUrl: LEDGER.rpcUrl });
    expect((await store.load()).config).toMatchObject({ maxStatusAge: 600, ledger: { chainId: 31337 } });
    await expect(createCheckpointVerifier(new MemoryVerifierStore() as unknown as IdbVerifierStore, settingsStore().kv).sync({ mirrors: [] })).rejects.toThrow(/ledger settings file first/);
  });
});
