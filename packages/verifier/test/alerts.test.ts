// Child-protection alerts at the checkpoint (issue #14 item 3): one test per rule. Real artefacts: the
// registrar's signed alert list, encrypted with core's sealAlertList to a real P-256 key.
import {
  ALERT_STATUS_MESSAGES,
  SD_JWT_VC_DISCLOSABLE,
  StatusList,
  MAX_BUNDLE_BYTES,
  TYP_BUNDLE,
  VCT_BIRTH_REGISTRATION,
  base64UrlEncode,
  buildBundle,
  buildSdJwtVc,
  decodeJws,
  digestOf,
  generateAlertKeyPair,
  isCradleError,
  presentSdJwtVc,
  readAlertKey,
  readBundle,
  readSignedBundlePayload,
  sealAlertList,
  signJws,
  utf8Encode,
} from '@cradle/core';
import type { AlertKeyJwk, AlertKind, BitstringStatusListEntry, BundleContents } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/bundle.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { acceptStatusList } from '../src/status-list-credential.js';
import type { AnchorRecord, CachedStatusList, CheckpointConfig } from '../src/store.js';
import { buildVerificationContext, statusListIdOf } from '../src/verification-context.js';
import { verify, verifyCredential, verifyPresentation } from '../src/index.js';
import { webCryptoSignatureVerifier } from '../src/signature-verifier.js';
import { BASE, DAY, NOW, NOW_S, birthClaims, issue, makeDidKey, makeRegistrar, present, world } from './helpers/fixtures.js';
import type { Registrar, World } from './helpers/fixtures.js';

const ALERT_URL = `${BASE}/alerts/0123456789abcdef0123456789abcdef`;
const FLAGGED = 70_001;
const INSTRUCTION = 'Do not let the child leave. Call the child-protection desk.';

function alertEntry(index: number): Record<string, unknown> {
  return {
    id: `${ALERT_URL}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'message',
    statusListIndex: String(index),
    statusListCredential: ALERT_URL,
    statusSize: 2,
    statusMessage: ALERT_STATUS_MESSAGES,
  };
}

/** The registrar's alert list as published: signed, then sealed to `recipients`; with its anchor. */
async function alertList(registrar: Registrar, alerts: Record<number, AlertKind>, recipients: AlertKeyJwk[], version = 5) {
  const list = StatusList.create({ statusSize: 2 });
  const kinds: AlertKind[] = ['missing', 'protection-order', 'verify-with-authority'];
  for (const [i, k] of Object.entries(alerts)) list.set(Number(i), kinds.indexOf(k) + 1);
  const signed = await signJws(
    { alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid },
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: ALERT_URL,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: registrar.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: { id: `${ALERT_URL}#list`, type: 'BitstringStatusList', statusPurpose: 'message', statusSize: 2, encodedList: list.encodeSync() },
      iss: registrar.did,
      cradleListVersion: version,
    },
    registrar.sign,
  );
  const sealed = await sealAlertList(signed, recipients);
  const anchor: AnchorRecord = {
    identity: registrar.address.toLowerCase(),
    listId: statusListIdOf(ALERT_URL),
    version,
    digest: digestOf(sealed),
    uri: ALERT_URL,
    blockNumber: 110,
    blockTime: NOW_S - 2 * DAY,
  };
  return { signed, sealed, anchor, bits: list.bytes };
}

/** A checkpoint (the fixtures' world) that synced the alert list with `alerts` set, `checkedAt` ago. */
async function alertWorld(opts: { alerts?: Record<number, AlertKind>; config?: Partial<CheckpointConfig>; synced?: boolean; checkedAt?: number; revoked?: number[] } = {}) {
  const key = await generateAlertKeyPair();
  const w = await world({ ...(opts.revoked ? { revoked: opts.revoked } : {}) });
  const a = await alertList(w.registrar, opts.alerts ?? {}, [await readAlertKey(key.publicJwk, 'public')]);
  const state = await w.store.load();
  const cachedAlert: CachedStatusList = { url: ALERT_URL, issuer: w.registrar.did, purpose: 'message', jwt: a.sealed, bits: a.bits, statusSize: 2, anchor: a.anchor, checkedAt: opts.checkedAt ?? NOW_S - 3600 };
  const store = new MemoryVerifierStore({
    ...state,
    config: { ...state.config!, alertKeyId: key.kid, ...opts.config },
    statusLists: [...state.statusLists, ...(opts.synced === false ? [] : [cachedAlert])],
    anchors: [...state.anchors, a.anchor],
  });
  const credentialAt = (index: number, signer: Registrar = w.registrar) =>
    issue({
      issuer: signer,
      subject: w.child.did,
      status: { revocation: { url: w.revocation.url, index: w.revIndex }, suspension: { url: w.suspension.url, index: w.susIndex } },
      mutate: (p) => (p.credentialStatus as unknown[]).push(alertEntry(index)),
    });
  return { w, store, key, credentialAt, alert: a };
}

const at = { now: NOW };

describe('verdict: outcome "alert"', () => {
  it('a raised alert answers "alert" with the code, the instruction and the facts', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const r = await verifyCredential(credentialAt(FLAGGED), { store, ...at });
    expect(r.outcome).toBe('alert');
    expect(r.verified).toBe(false);
    expect(r.alerts).toEqual([{ code: 'ALERT_MISSING_CHILD', kind: 'missing', message: `This child is reported missing. ${INSTRUCTION}` }]);
    expect(r.errors).toEqual([]);
    expect(r.facts).toMatchObject({ child: { givenName: 'Amina Wanjiru' }, alertCheck: 'checked' });
  });

  it('each kind has its own code', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { 1: 'protection-order', 2: 'verify-with-authority' } });
    expect((await verifyCredential(credentialAt(1), { store, ...at })).alerts?.map((a) => a.code)).toEqual(['ALERT_PROTECTION_ORDER']);
    expect((await verifyCredential(credentialAt(2), { store, ...at })).alerts?.map((a) => a.code)).toEqual(['ALERT_VERIFY_WITH_AUTHORITY']);
  });

  it('no alert on this entry: valid, and the facts say alerts were checked', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const r = await verifyCredential(credentialAt(FLAGGED + 1), { store, ...at });
    expect(r.outcome).toBe('valid');
    expect(r.alerts).toBeUndefined();
    expect(r.facts?.alertCheck).toBe('checked');
  });

  it('an alert outranks every other answer (revoked credential: still "alert", with REVOKED in errors)', async () => {
    const w0 = await world();
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, revoked: [w0.revIndex] });
    const r = await verifyCredential(credentialAt(FLAGGED), { store, ...at });
    expect(r.outcome).toBe('alert');
    expect(r.errors.map((e) => e.code)).toEqual(['REVOKED']);
  });

  it('a presentation carrying a flagged birth credential answers "alert", whoever presents it', async () => {
    const { w, store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const stranger = makeDidKey(77);
    for (const holder of [w.guardian, stranger]) {
      const vp = present({ holder, credentials: [credentialAt(FLAGGED), w.guardianship] });
      const r = await verifyPresentation(vp, { store, nonce: 'n-0123456789', domain: 'border-post-7.example', ...at });
      expect(r.outcome).toBe('alert');
      expect(r.alerts?.[0]?.code).toBe('ALERT_MISSING_CHILD');
    }
    expect((await verify(credentialAt(FLAGGED), { store, ...at })).outcome).toBe('alert');
  });

  it('an alert index copied into a credential the registrar did not sign raises nothing (the forgery is invalid)', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const r = await verifyCredential(credentialAt(FLAGGED, makeRegistrar(9)), { store, ...at });
    expect(r.outcome).toBe('invalid');
    expect(r.alerts).toBeUndefined();
  });
});

describe('fail closed: the same freshness rule as status lists', () => {
  it('alert list not on this device: cannot confirm (STATUS_UNKNOWN)', async () => {
    const { store, credentialAt } = await alertWorld({ synced: false });
    const r = await verifyCredential(credentialAt(FLAGGED), { store, ...at });
    expect(r.outcome).toBe('indeterminate');
    expect(r.errors.map((e) => e.code)).toEqual(['STATUS_UNKNOWN']);
    expect(r.errors[0]!.message).toMatch(/child-protection alert list/);
  });

  it('alert data older than the limit: cannot confirm (STATUS_STALE); an alert in it still stops the child', async () => {
    const { w, store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, checkedAt: NOW_S - 2 * DAY });
    const clean = await verifyCredential(credentialAt(FLAGGED + 1), { store, ...at });
    expect(clean.outcome).toBe('indeterminate');
    expect(clean.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
    const flagged = await verifyCredential(credentialAt(FLAGGED), { store, ...at });
    expect(flagged.outcome).toBe('alert');
    expect(flagged.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
    expect(w).toBeDefined();
  });

  it('a newer alert list anchored but not fetched: cannot confirm', async () => {
    const { store, credentialAt, alert } = await alertWorld();
    await store.write({ anchors: [{ ...alert.anchor, version: alert.anchor.version + 1, digest: `0x${'ab'.repeat(32)}` }] });
    const r = await verifyCredential(credentialAt(FLAGGED), { store, ...at });
    expect(r.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
  });

  it('a checkpoint without an alert key does not check alerts and says so (no failure)', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const state = await store.load();
    const { alertKeyId: _k, ...config } = state.config!;
    const noKey = new MemoryVerifierStore({ ...state, config });
    const r = await verifyCredential(credentialAt(FLAGGED), { store: noKey, ...at });
    expect(r.outcome).toBe('valid');
    expect(r.facts?.alertCheck).toBe('no-alert-key');
  });

  it('a credential without an alert entry: facts say so', async () => {
    const { w, store } = await alertWorld();
    expect((await verifyCredential(w.credential, { store, ...at })).facts?.alertCheck).toBe('no-alert-entry');
  });
});

describe('sync acceptance of an encrypted alert list', () => {
  const accept = async (w: World, bytes: string, anchor: AnchorRecord, keys: AlertKeyJwk[]) =>
    acceptStatusList(utf8Encode(bytes), { anchor, issuerDid: w.registrar.did, keysOf: buildVerificationContext(await w.store.load()).keysOf, verifier: webCryptoSignatureVerifier, checkedAt: NOW_S, checkedBlock: 120, alertKeys: keys });

  it('the right key opens it; the list inside is the registrar-signed alert list, cached as anchored', async () => {
    const { w, key, alert } = await alertWorld();
    const priv = await readAlertKey(key.privateJwk, 'private');
    const r = await accept(w, alert.sealed, alert.anchor, [priv]);
    expect('list' in r && r.list).toMatchObject({ purpose: 'message', statusSize: 2, jwt: alert.sealed, url: ALERT_URL });
  });

  it('a checkpoint with several alert keys opens it with the one that fits, wherever it is in the list', async () => {
    const { w, key, alert } = await alertWorld();
    const priv = await readAlertKey(key.privateJwk, 'private');
    const other = await readAlertKey((await generateAlertKeyPair()).privateJwk, 'private');
    for (const keys of [[other, priv], [priv, other]]) {
      expect(await accept(w, alert.sealed, alert.anchor, keys)).toMatchObject({ list: { purpose: 'message', jwt: alert.sealed } });
    }
  });

  it('another checkpoint key cannot read it (ALERT_KEY_MISMATCH); no key at all, the same', async () => {
    const { w, alert } = await alertWorld();
    const other = await readAlertKey((await generateAlertKeyPair()).privateJwk, 'private');
    expect(await accept(w, alert.sealed, alert.anchor, [other])).toMatchObject({ rejection: { code: 'ALERT_KEY_MISMATCH' } });
    expect(await accept(w, alert.sealed, alert.anchor, [])).toMatchObject({ rejection: { code: 'ALERT_KEY_MISMATCH' } });
  });

  it('an alert list published unencrypted is refused (it would tell everyone who is flagged)', async () => {
    const { w, key, alert } = await alertWorld();
    const priv = await readAlertKey(key.privateJwk, 'private');
    const plainAnchor = { ...alert.anchor, digest: digestOf(alert.signed) };
    expect(await accept(w, alert.signed, plainAnchor, [priv])).toMatchObject({ rejection: { code: 'MALFORMED' } });
  });

  it('a ciphertext that is not the anchored one is refused before decrypting', async () => {
    const { w, key, alert } = await alertWorld();
    const priv = await readAlertKey(key.privateJwk, 'private');
    const again = await sealAlertList(alert.signed, [await readAlertKey(key.publicJwk, 'public')]);
    expect(await accept(w, again, alert.anchor, [priv])).toMatchObject({ rejection: { code: 'DIGEST_MISMATCH' } });
  });
});

describe('alert lists in trust bundles (offline-only checkpoints; the signing rules of #12)', () => {
  const LEDGER = { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 };
  const governance = makeDidKey(500);
  const govSigner = { did: governance.did, kid: governance.kid, sign: governance.sign };
  const withLedger = { config: { ledger: LEDGER, governanceDid: governance.did } };
  /** A checkpoint that never connects, set up with the governance authority (and, when given, an alert key). */
  const offlineCheckpoint = (alertKeyId?: string, opts: { governed?: boolean } = {}) =>
    new MemoryVerifierStore({
      config: { maxStatusAge: DAY, ledger: LEDGER, ...(opts.governed === false ? {} : { governanceDid: governance.did }), ...(alertKeyId === undefined ? {} : { alertKeyId }) },
      trust: { operator: [], removed: [] },
      didDocuments: [],
      statusLists: [],
      anchors: [],
    });
  /** What a bundle carries, read with core's bundle reader (the signature of a signed one is not checked here). */
  const bodyOf = (bytes: Uint8Array): BundleContents => {
    const read = readBundle(bytes);
    if ('problem' in read) throw new Error(read.problem.reason);
    if (!read.signed) return read.contents;
    const body = readSignedBundlePayload(decodeJws(read.jws, { expectedTyp: TYP_BUNDLE, maxBytes: MAX_BUNDLE_BYTES }).payload);
    if ('problem' in body) throw new Error(body.problem.reason);
    return body.contents;
  };
  const damaged = (e: unknown): boolean => isCradleError(e, 'BUNDLE_INVALID') && /nothing was imported/.test((e as Error).message);

  it('a signed bundle carries the alert list exactly as the registrar encrypted it (never decrypted); a checkpoint with the key answers "alert" from it', async () => {
    const { store, key, credentialAt, alert } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, ...withLedger });
    const bytes = await exportBundle(store, { now: NOW, signer: govSigner });
    const body = bodyOf(bytes);
    expect(body.alertLists).toEqual([expect.objectContaining({ jwt: alert.sealed, anchor: alert.anchor })]);
    expect(JSON.stringify(body)).not.toContain(alert.signed.split('.')[1]!); // the decrypted list stays on the exporting checkpoint
    expect(body.statusLists.some((l) => l.jwt === alert.sealed)).toBe(false);

    const target = offlineCheckpoint(key.kid);
    const report = await importBundle(target, bytes, { now: NOW, alertKeys: [await readAlertKey(key.privateJwk, 'private')] });
    expect(report).toMatchObject({ signed: true, statusLists: 3, alertLists: 1, alertListsNotRead: 0 });
    expect((await verifyCredential(credentialAt(FLAGGED), { store: target, ...at })).outcome).toBe('alert');
    const clear = await verifyCredential(credentialAt(FLAGGED + 1), { store: target, ...at });
    expect(clear.outcome).toBe('valid');
    expect(clear.facts?.alertCheck).toBe('checked');
  });

  it('a checkpoint without an alert key imports the rest of the bundle and leaves the alert list unread', async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, ...withLedger });
    const target = offlineCheckpoint();
    const report = await importBundle(target, await exportBundle(store, { now: NOW, signer: govSigner }), { now: NOW });
    expect(report).toMatchObject({ statusLists: 2, alertLists: 0, alertListsNotRead: 1 });
    const r = await verifyCredential(credentialAt(FLAGGED), { store: target, ...at });
    expect(r.outcome).toBe('valid');
    expect(r.facts?.alertCheck).toBe('no-alert-key');
  });

  it("an alert list encrypted to other checkpoints' keys is skipped, not a reason to refuse the bundle; that checkpoint still cannot confirm", async () => {
    const { store, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, ...withLedger });
    const other = await generateAlertKeyPair();
    const target = offlineCheckpoint(other.kid);
    const report = await importBundle(target, await exportBundle(store, { now: NOW, signer: govSigner }), { now: NOW, alertKeys: [await readAlertKey(other.privateJwk, 'private')] });
    expect(report).toMatchObject({ statusLists: 2, alertLists: 0, alertListsNotRead: 1 });
    expect((await verifyCredential(credentialAt(FLAGGED), { store: target, ...at })).errors.map((e) => e.code)).toEqual(['STATUS_UNKNOWN']);
  });

  it('an unsigned bundle only fills a gap: its alert list can stop a child but never clears one (cannot confirm)', async () => {
    const { w, store, key, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, config: { ledger: LEDGER } });
    const state = await store.load();
    // The same checkpoint before it had the alert list: status lists synced, the alert anchor seen.
    const target = new MemoryVerifierStore({ ...state, statusLists: state.statusLists.filter((l) => l.purpose !== 'message') });
    const report = await importBundle(target, await exportBundle(store, { now: NOW }), { now: NOW, alertKeys: [await readAlertKey(key.privateJwk, 'private')] });
    expect(report).toMatchObject({ signed: false, alertLists: 1, unconfirmedStatusLists: 1 });
    expect((await verifyCredential(credentialAt(FLAGGED), { store: target, ...at })).outcome).toBe('alert');
    const clear = await verifyCredential(credentialAt(FLAGGED + 1), { store: target, ...at });
    expect(clear.outcome).toBe('indeterminate');
    expect(clear.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
    expect(w).toBeDefined();
  });

  it('no bundle, signed or not, rolls an alert list back: a cleared alert stays cleared', async () => {
    const { w, store: flaggedV5, key, credentialAt } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, ...withLedger });
    const priv = await readAlertKey(key.privateJwk, 'private');
    // Version 6, the alert cleared, already on the checkpoint.
    const v6 = await alertList(w.registrar, {}, [await readAlertKey(key.publicJwk, 'public')], 6);
    const state = await flaggedV5.load();
    const cleared: CachedStatusList = { url: ALERT_URL, issuer: w.registrar.did, purpose: 'message', jwt: v6.sealed, bits: v6.bits, statusSize: 2, anchor: v6.anchor, checkedAt: NOW_S - 600 };
    const target = new MemoryVerifierStore({ ...state, statusLists: [...state.statusLists.filter((l) => l.purpose !== 'message'), cleared], anchors: [...state.anchors.filter((a) => a.listId !== v6.anchor.listId), v6.anchor] });
    expect((await verifyCredential(credentialAt(FLAGGED), { store: target, ...at })).outcome).toBe('valid');
    const signedOld = await importBundle(target, await exportBundle(flaggedV5, { now: NOW, signer: govSigner }), { now: NOW, alertKeys: [priv] });
    expect(signedOld.alertLists).toBe(0);
    const { governanceDid: _g, ...noGovernance } = (await target.load()).config!;
    const unsignedTarget = new MemoryVerifierStore({ ...(await target.load()), config: noGovernance });
    const unsignedOld = await importBundle(unsignedTarget, await exportBundle(flaggedV5, { now: NOW }), { now: NOW, alertKeys: [priv] });
    expect(unsignedOld.alertLists).toBe(0);
    for (const s of [target, unsignedTarget]) expect((await verifyCredential(credentialAt(FLAGGED), { store: s, ...at })).outcome).toBe('valid');
  });

  it('an altered alert list, or a plain (unencrypted) one, refuses the whole bundle', async () => {
    const { store, key, alert } = await alertWorld({ alerts: { [FLAGGED]: 'missing' }, config: { ledger: LEDGER } });
    const priv = await readAlertKey(key.privateJwk, 'private');
    const doc = bodyOf(await exportBundle(store, { now: NOW }));
    const resealed = await sealAlertList(alert.signed, [await readAlertKey(key.publicJwk, 'public')]); // genuine content, not the anchored bytes
    for (const jwt of [resealed, alert.signed]) {
      const target = offlineCheckpoint(key.kid, { governed: false });
      const bad = buildBundle({ ...doc, alertLists: [{ ...doc.alertLists![0]!, jwt }] });
      const before = await target.load();
      await expect(importBundle(target, bad, { now: NOW, alertKeys: [priv] })).rejects.toSatisfy(damaged);
      expect(await target.load()).toBe(before);
    }
  });
});

describe('SD-JWT VC birth credentials carry the same alert entry (status.bitstring_status_list)', () => {
  it('a flagged child\'s SD-JWT VC answers "alert", whatever the holder chose to disclose; an unflagged one is valid with alerts checked', async () => {
    const { w, store } = await alertWorld({ alerts: { [FLAGGED]: 'missing' } });
    const sdJwtAt = async (index: number) =>
      presentSdJwtVc(
        await buildSdJwtVc({
          alg: 'EdDSA',
          kid: w.registrar.kid,
          issuer: w.registrar.did,
          id: 'urn:uuid:7f1c0e6a-2b7d-4a8e-9f4e-1d2c3b4a5f60',
          vct: VCT_BIRTH_REGISTRATION,
          subject: w.child.did,
          issuedAt: NOW_S - 30 * DAY,
          notBefore: NOW_S - 30 * DAY,
          holderKey: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(w.child.publicKey) },
          status: [
            { id: `${w.revocation.url}#${w.revIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(w.revIndex), statusListCredential: w.revocation.url },
            alertEntry(index) as unknown as BitstringStatusListEntry,
          ],
          claims: birthClaims(),
          disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'],
          sign: w.registrar.sign,
        }),
        { disclose: ['birthDate'] }, // the status claim is never selectively disclosable: the holder cannot hide the entry
      );
    const flagged = await verify(await sdJwtAt(FLAGGED), { store, ...at });
    expect(flagged.outcome).toBe('alert');
    expect(flagged.alerts?.map((a) => a.code)).toEqual(['ALERT_MISSING_CHILD']);
    expect(flagged.facts?.alertCheck).toBe('checked');
    const clear = await verify(await sdJwtAt(FLAGGED + 1), { store, ...at });
    expect(clear.errors).toEqual([]);
    expect(clear).toMatchObject({ outcome: 'valid', facts: { alertCheck: 'checked' } });
  });
});
