// A withheld trust list fails closed: when the governance authority anchors a newer trust list on the
// (real, local) ledger and this device cannot fetch it (a real HTTP server on 127.0.0.1 answers 404, or
// re-serves the old list), answers that depend on accreditation are "cannot confirm" (TRUST_LIST_STALE).
import { TRUST_LIST_ID } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { digestOf } from '../src/status-list-credential.js';
import { sync } from '../src/sync.js';
import { signTrustList } from '../src/trust-list.js';
import { TRUST_LIST_ANCHOR_ID } from '../src/verification-context.js';
import { verifyCredential } from '../src/verify-credential.js';
import type { ChainRegistrar } from './helpers/chain-registrar.js';
import { chainRegistrar } from './helpers/chain-registrar.js';
import { DAY, issue, makeDidKey, signList } from './helpers/fixtures.js';
import type { ListServer } from './helpers/list-server.js';
import { startListServer } from './helpers/list-server.js';

const NOW = Math.floor(Date.now() / 1000) * 1000;
let chain: DevChain;
let server: ListServer;
let registrar: ChainRegistrar;
let governance: ChainRegistrar;
let credential: string;

async function anchorTrustList(version: number, status: 'accredited' | 'revoked', path: string, serve: 'it' | 'nothing' | string): Promise<string> {
  const jwt = await signTrustList({ issuer: governance.did, kid: governance.kid, version, registrars: [{ did: registrar.did, status }], sign: governance.sign, now: NOW });
  if (serve === 'it') server.files.set(path, jwt);
  else if (serve !== 'nothing') server.files.set(path, serve);
  await governance.anchorRaw({ listId: TRUST_LIST_ID, version, digest: digestOf(new TextEncoder().encode(jwt)), uri: `${server.url}${path}` });
  return jwt;
}

const codes = async (store: MemoryVerifierStore): Promise<string[]> => (await verifyCredential(credential, { store, now: NOW })).errors.map((e) => e.code);

beforeAll(async () => {
  [chain, server] = await Promise.all([startDevChain(), startListServer()]);
  [registrar, governance] = [await chainRegistrar(chain, 1, 11), await chainRegistrar(chain, 2, 12)];
  const url = `${server.url}/status/rev-withheld`;
  const list = await signList({ registrar, url, purpose: 'revocation', version: 1 });
  server.files.set('/status/rev-withheld', list.jwt);
  await registrar.publish(list);
  credential = issue({ issuer: registrar, subject: makeDidKey(1).did, status: { revocation: { url, index: 31 } } });
}, 120_000);
afterAll(async () => {
  await Promise.all([chain?.stop(), server?.close()]);
});

describe('a newer anchored trust list this device cannot fetch makes accreditation "cannot confirm"', () => {
  it('the verifier uses the same trust-list anchor id as the ledger package', () => {
    expect(TRUST_LIST_ANCHOR_ID).toBe(TRUST_LIST_ID.toLowerCase());
  });

  it('404 for the newer list, then the old list re-served in its place: TRUST_LIST_STALE (indeterminate), never valid; once fetched: de-accredited', async () => {
    const store = new MemoryVerifierStore({
      config: { maxStatusAge: DAY, ledger: chain.config, governanceDid: governance.did },
      trust: { operator: [], removed: [] },
      didDocuments: [],
      statusLists: [],
      anchors: [],
    });
    const v1 = await anchorTrustList(1, 'accredited', '/trust/v1', 'it');
    expect((await sync({ store, now: NOW })).trustList).toEqual({ outcome: 'updated', version: 1 });
    await sync({ store, now: NOW }); // the registrar accredited by that list is followed from the next sync on
    expect(await codes(store)).toEqual([]);

    // Version 2 de-accredits the registrar; its server answers 404.
    await anchorTrustList(2, 'revoked', '/trust/v2', 'nothing');
    const withheld = await sync({ store, now: NOW });
    expect(withheld.trustList).toEqual({ outcome: 'failed', version: 2 });
    expect(withheld.failures.some((f) => f.source.endsWith('/trust/v2'))).toBe(true);
    const r = await verifyCredential(credential, { store, now: NOW });
    expect(r.outcome).toBe('indeterminate');
    expect(r.errors.map((e) => e.code)).toEqual(['TRUST_LIST_STALE']);
    expect(r.errors[0]?.message).toMatch(/newer list of accredited registrars \(version 2\).*it has version 1/);

    // Version 3, and its server re-serves the old (validly signed) version 1 instead.
    await anchorTrustList(3, 'revoked', '/trust/v3', v1);
    const replayed = await sync({ store, now: NOW });
    expect(replayed.failures.find((f) => f.source.endsWith('/trust/v3'))?.code).toBe('DIGEST_MISMATCH');
    expect(await codes(store)).toEqual(['TRUST_LIST_STALE']);

    // Once the current list is served: the registrar is de-accredited (invalid).
    await anchorTrustList(4, 'revoked', '/trust/v4', 'it');
    expect((await sync({ store, now: NOW })).trustList).toEqual({ outcome: 'updated', version: 4 });
    expect(await codes(store)).toEqual(['ISSUER_NOT_TRUSTED']);
  }, 180_000);
});
