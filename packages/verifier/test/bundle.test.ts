import { buildBundle, isCradleError, readBundle } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/bundle.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { addTrustedIssuer } from '../src/trust.js';
import { verifyCredential } from '../src/verify-credential.js';
import { DAY, NOW, cached, listUrl, makeDidKey, signList, world } from './helpers/fixtures.js';

const LEDGER = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 };
const governance = makeDidKey(500);
const govSigner = { did: governance.did, kid: governance.kid, sign: governance.sign };

function freshCheckpoint(governanceDid?: string): MemoryVerifierStore {
  return new MemoryVerifierStore({
    config: { maxStatusAge: DAY, ledger: LEDGER, ...(governanceDid === undefined ? {} : { governanceDid }) },
    trust: { operator: [], removed: [] },
    didDocuments: [],
    statusLists: [],
    anchors: [],
  });
}

/** Refused by this checkpoint's policy (a well-formed bundle it does not accept). */
const refused = (e: unknown): boolean => isCradleError(e, 'INVALID_ARGUMENT') && /nothing was imported/.test((e as Error).message);
/** Refused as damaged, altered or not a bundle, with what to do. */
const damaged = (e: unknown): boolean => isCradleError(e, 'BUNDLE_INVALID') && /nothing was imported: .*Get a fresh copy/.test((e as Error).message);

describe('trust bundles for checkpoints that never connect', () => {
  it('an unsigned bundle brings data, not trust, and never freshness (docs/threat-model.md)', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const bytes = await exportBundle(w.store, { now: NOW });
    const target = freshCheckpoint();
    const report = await importBundle(target, bytes, { now: NOW });
    expect(report).toMatchObject({ signed: false, didDocuments: 1, statusLists: 2, unconfirmedStatusLists: 2, trustedIssuers: [], trustNotImported: [w.registrar.did] });
    expect((await verifyCredential(w.credential, { store: target, now: NOW })).errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED', 'STATUS_STALE']);
    await addTrustedIssuer(target, w.registrar.did, { now: NOW });
    const r = await verifyCredential(w.credential, { store: target, now: NOW });
    expect(r.outcome).toBe('indeterminate');
    // The age shown is from when the registrar signed each list (a day before NOW), never a time the bundle claims.
    expect(r.statusAge?.seconds).toBe(DAY);
  });

  it('a bundle signed by the governance authority brings trust and its sync time', async () => {
    const w = await world({ config: { ledger: LEDGER, governanceDid: governance.did } });
    const bytes = await exportBundle(w.store, { now: NOW, signer: govSigner });
    const target = freshCheckpoint(governance.did);
    const report = await importBundle(target, bytes, { now: NOW });
    expect(report).toMatchObject({ signed: true, signedBy: governance.did, trustedIssuers: [w.registrar.did] });
    const r = await verifyCredential(w.credential, { store: target, now: NOW });
    expect(r.outcome).toBe('valid');
    expect(r.statusAge?.seconds).toBe(3600);
  });

  it('a checkpoint with a governance authority refuses unsigned bundles and bundles signed by someone else', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const target = freshCheckpoint(governance.did);
    await expect(importBundle(target, await exportBundle(w.store, { now: NOW }), { now: NOW })).rejects.toSatisfy(refused);
    const mallory = makeDidKey(666);
    const forged = await exportBundle(w.store, { now: NOW, signer: { did: mallory.did, kid: mallory.kid, sign: mallory.sign } });
    await expect(importBundle(target, forged, { now: NOW })).rejects.toSatisfy(refused);
  });

  it('one altered status list refuses the whole bundle: nothing is half-imported', async () => {
    const w = await world({ config: { ledger: LEDGER } });
    const read = readBundle(await exportBundle(w.store, { now: NOW }));
    if (!('contents' in read)) throw new Error('the export is not an unsigned bundle');
    const [first, second] = read.contents.statusLists;
    // A validly signed list, but not the one anchored.
    const altered = buildBundle({ ...read.contents, statusLists: [first!, { ...second!, jwt: first!.jwt }] });
    const target = freshCheckpoint();
    const before = await target.load();
    await expect(importBundle(target, altered, { now: NOW })).rejects.toSatisfy(damaged);
    expect(await target.load()).toBe(before);
  });

  it('an older bundle never replaces newer status data (rollback)', async () => {
    const old = await world({ config: { ledger: LEDGER } });
    const oldBytes = await exportBundle(old.store, { now: NOW });
    const current = await world({ config: { ledger: LEDGER }, revoked: [94_567] });
    const target = freshCheckpoint();
    await addTrustedIssuer(target, current.registrar.did, { now: NOW });
    // The current data carries newer anchors (the revocation list at version 4).
    const state = await current.store.load();
    const v4 = await signList({ registrar: current.registrar, url: listUrl('r4nd0mRev'), purpose: 'revocation', version: 4, set: [94_567] });
    await current.store.write({ statusLists: [cached(v4, current.registrar.did)], anchors: [v4.anchor] });
    expect(state.statusLists.length).toBe(2);
    await importBundle(target, await exportBundle(current.store, { now: NOW }), { now: NOW });
    const report = await importBundle(target, oldBytes, { now: NOW });
    expect(report.statusLists).toBe(0);
    expect(report.skippedOlder).toBe(2);
    expect((await verifyCredential(current.credential, { store: target, now: NOW })).errors.map((e) => e.code)).toContain('REVOKED');
  });

  it('garbage, oversized files and bundles for another chain are refused', async () => {
    const target = freshCheckpoint();
    await expect(importBundle(target, new TextEncoder().encode('{"type":"nope"}'))).rejects.toSatisfy(damaged);
    await expect(importBundle(target, new Uint8Array(33 * 1024 * 1024))).rejects.toSatisfy(damaged);
    const w = await world({ config: { ledger: { ...LEDGER, chainId: 1 } } });
    await expect(importBundle(target, await exportBundle(w.store, { now: NOW }), { now: NOW })).rejects.toSatisfy(refused);
  });

  it('a damaged bundle (truncated, bit-flipped, not a bundle, oversize) is refused whole with BUNDLE_INVALID: nothing is imported', async () => {
    const w = await world({ config: { ledger: LEDGER, governanceDid: governance.did } });
    const bytes = await exportBundle(w.store, { now: NOW, signer: govSigner });
    const target = freshCheckpoint(governance.did);
    const before = await target.load();
    const attempt = async (input: Uint8Array): Promise<unknown> => importBundle(target, input, { now: NOW }).then(() => undefined, (e: unknown) => e);

    // (The file ends with a newline; losing only that is not damage.)
    expect(bytes[bytes.length - 1]).toBe(0x0a);
    for (const keep of [bytes.length - 2, Math.floor(bytes.length / 2), 10, 0]) {
      const e = await attempt(bytes.subarray(0, keep));
      expect(damaged(e), `truncated to ${keep}: ${String(e)}`).toBe(true);
    }
    expect(String(await attempt(bytes.subarray(0, bytes.length - 2)))).toMatch(/JSON/);
    // One flipped bit, at positions spread over the whole file: never imported, always a clear refusal.
    for (let i = 0; i < bytes.length; i += 41) {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ (1 << (i % 7));
      const e = await attempt(copy);
      expect(damaged(e) || refused(e), `bit flipped at byte ${i}: ${String(e)}`).toBe(true);
    }
    const notABundle = await attempt(new Uint8Array([...new TextEncoder().encode('CSLP3'), 0x9c, 0xff, 0x00, 0x80]));
    expect(damaged(notABundle), String(notABundle)).toBe(true);
    const oversize = await attempt(new Uint8Array(33 * 1024 * 1024));
    expect(damaged(oversize)).toBe(true);
    expect(String(oversize)).toMatch(/over the 33554432 limit/);
    expect(await target.load()).toBe(before);
    // The intact bundle still imports.
    expect((await importBundle(target, bytes, { now: NOW })).signed).toBe(true);
  });
});
