// `cradle checkpoint serve` as a process: VC-API verify routes over the checkpoint's state file, bearer
// token, and a sync written by another process picked up without a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeCredential } from '@cradle/core';
import { FileVerifierStore } from '@cradle/verifier/node';
import { world } from '../../verifier/test/helpers/fixtures.js';
import { startCradle } from './helpers/faults.js';

const TOKEN = 'checkpoint-serve-token-0123456789';
const SLOW = 120_000;
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cradle-checkpoint-serve-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cradle checkpoint serve', () => {
  it('verifies over HTTP with the token, and answers from the newest synced state', async () => {
    // The fixtures' clock is 2026-11-23; the service uses the real one, so give the data a generous age limit.
    const fresh = await world({ config: { maxStatusAge: 10 * 365 * 86_400 } });
    const store = await FileVerifierStore.open(home, { create: true });
    await store.write({ ...(await fresh.store.load()) });
    const server = await startCradle(['checkpoint', 'serve', '--home', home, '--port', '0', '--json'], { CRADLE_API_TOKEN: TOKEN });
    try {
      const { url } = JSON.parse(server.firstLine) as { url: string };
      const post = (body: unknown, token = TOKEN) =>
        fetch(`${url}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

      expect((await post({ verifiableCredential: envelopeCredential(fresh.credential) }, 'wrong-token-0123456789')).status).toBe(401);
      const ok = await post({ verifiableCredential: envelopeCredential(fresh.credential) });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { outcome: string }).outcome).toBe('valid');

      // Another process syncs a revocation into the same home: the running service answers from it.
      const revoked = await world({ revoked: [fresh.revIndex], config: { maxStatusAge: 10 * 365 * 86_400 } });
      const writer = await FileVerifierStore.open(home);
      await writer.write({ statusLists: (await revoked.store.load()).statusLists });
      const after = await post({ verifiableCredential: envelopeCredential(fresh.credential) });
      expect(after.status).toBe(400);
      expect(((await after.json()) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(['REVOKED']);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, SLOW);
});
