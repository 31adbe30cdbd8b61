import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusList, digestOf, generateAlertKeyPair, openAlertList } from '@cradle/core';
import type { AlertKeyPair } from '@cradle/core';
import { connectLedger, statusListId } from '@cradle/ledger';
import type { LedgerClient } from '@cradle/ledger';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { createIssuerServer } from '../src/http-server.js';
import { BASE_URL, CHILD, GUARDIAN, SECRET, chain, decodeJwt, initRegistrar, sampleClaims, tempHome } from './helpers.js';

const TOKEN = 'a-test-token-of-enough-length';
let devChain: DevChain;
let registrar: Registrar;
let cleanup: () => void;
let reader: LedgerClient;
let checkpoint: AlertKeyPair;
let stranger: AlertKeyPair;

interface Entry { statusPurpose: string; statusListIndex: string; statusListCredential: string; statusSize?: number; statusMessage?: unknown }
const entries = (jwt: string) => decodeJwt(jwt).payload.credentialStatus as Entry[];
const alertEntry = (jwt: string) => entries(jwt).find((e) => e.statusPurpose === 'message');

async function get(url: string): Promise<{ status: number; body: string; type: string | undefined }> {
  const app = await createIssuerServer(registrar, { token: TOKEN });
  try {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.body, type: res.headers['content-type'] as string | undefined };
  } finally {
    await app.close();
  }
}

/** The alert value of `entry` in the list served at its URL, as a checkpoint holding `key` reads it. */
async function servedAlert(entry: Entry, key: AlertKeyPair): Promise<number> {
  const served = await get(new URL(entry.statusListCredential).pathname);
  expect(served.status).toBe(200);
  const opened = await openAlertList(served.body, key.privateJwk);
  if (!('list' in opened)) throw new Error(opened.problem.message);
  const subject = decodeJwt(opened.list).payload.credentialSubject as { statusPurpose: string; statusSize: number; encodedList: string };
  expect(subject).toMatchObject({ statusPurpose: 'message', statusSize: 2 });
  return (await StatusList.decode(subject.encodedList, { statusSize: 2 })).get(Number(entry.statusListIndex));
}

async function publishAndAnchor(): Promise<void> {
  await registrar.publish();
  const report = await registrar.processOutbox({ force: true });
  expect(report.pending).toHaveLength(0);
}

beforeAll(async () => {
  devChain = await chain();
  checkpoint = await generateAlertKeyPair();
  stranger = await generateAlertKeyPair();
  const { home, cleanup: c } = tempHome();
  cleanup = c;
  registrar = await initRegistrar(devChain, home, { alertRecipients: [checkpoint.publicJwk] });
  reader = await connectLedger(devChain.config);
});

afterAll(async () => {
  await registrar?.close();
  reader?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('child-protection alerts at the registrar', () => {
  it('every birth credential carries an alert entry at its own random index; guardianship credentials none', async () => {
    const a = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const b = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const ea = alertEntry(a.jwt)!;
    const eb = alertEntry(b.jwt)!;
    expect(ea).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusSize: 2,
      statusMessage: [
        { status: '0x0', message: 'none' },
        { status: '0x1', message: 'missing' },
        { status: '0x2', message: 'protection-order' },
        { status: '0x3', message: 'verify-with-authority' },
      ],
    });
    expect(ea.statusListCredential).toMatch(/^https:\/\/registrar\.example\/alerts\/[0-9a-f]{32}$/);
    expect(eb.statusListCredential).toBe(ea.statusListCredential);
    expect(eb.statusListIndex).not.toBe(ea.statusListIndex);
    const g = await registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
    expect(alertEntry(g.jwt)).toBeUndefined();
    await expect(registrar.alert(g.id, { kind: 'missing', reason: 'test' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('raise -> publish: only the checkpoint key reads the alert; the served list and the anchor are the ciphertext', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const entry = alertEntry(c.jwt)!;
    const change = await registrar.alert(c.id, { kind: 'missing', reason: 'Reported by the mother at Kisumu police, OB 12/2026' });
    expect(change).toMatchObject({ id: c.id, kind: 'missing', previous: null });
    await publishAndAnchor();
    expect(await servedAlert(entry, checkpoint)).toBe(1);

    const served = await get(new URL(entry.statusListCredential).pathname);
    expect(served.type).toMatch(/^application\/jose\+json/);
    expect(await openAlertList(served.body, stranger.privateJwk)).toMatchObject({ problem: { code: 'ALERT_KEY_MISMATCH' } });
    // The ledger holds the digest of exactly these ciphertext bytes, nothing per credential.
    const id = registrar.identity()!;
    const latest = await reader.latest(id.address, statusListId(entry.statusListCredential));
    expect(latest?.digest.toLowerCase()).toBe(digestOf(served.body));
    // The alert list is not served as a status list, and not packed.
    expect((await get(`/status/${entry.statusListCredential.split('/').pop()!}`)).status).toBe(404);
    expect((await registrar.statusPackLists()).some((l) => l.purpose === 'message')).toBe(false);
  });

  it('every publish re-encrypts the alert list (new version, unrelated ciphertext) even when no alert changed', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const path = new URL(alertEntry(c.jwt)!.statusListCredential).pathname;
    await publishAndAnchor();
    const before = await get(path);
    const published = await registrar.publish();
    expect(published.map((p) => p.purpose)).toEqual(['message']);
    await registrar.processOutbox({ force: true });
    const after = await get(path);
    expect(after.body).not.toBe(before.body);
    expect(after.body.length).toBe(before.body.length);
  });

  it('clear -> publish: the entry reads 0 again; every change and its reason is recorded', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const entry = alertEntry(c.jwt)!;
    await registrar.alert(c.id, { kind: 'protection-order', reason: 'Order 44/2026, High Court Nairobi' });
    await publishAndAnchor();
    expect(await servedAlert(entry, checkpoint)).toBe(2);
    expect(await registrar.alert(c.id, { kind: null, reason: 'Order lifted' })).toMatchObject({ kind: null, previous: 'protection-order' });
    await publishAndAnchor();
    expect(await servedAlert(entry, checkpoint)).toBe(0);
    expect((await registrar.alertHistory(c.id)).map((e) => [e.kind, e.reason])).toEqual([
      ['protection-order', 'Order 44/2026, High Court Nairobi'],
      ['clear', 'Order lifted'],
    ]);
  });

  it('through the HTTP API: POST /credentials/alert (bearer token), exactly one of kind / clear', async () => {
    const c = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const app = await createIssuerServer(registrar, { token: TOKEN });
    try {
      const post = (body: unknown, auth = true) =>
        app.inject({ method: 'POST', url: '/credentials/alert', headers: auth ? { authorization: `Bearer ${TOKEN}` } : {}, payload: body as object });
      expect((await post({ credentialId: c.id, kind: 'missing', reason: 'r' }, false)).statusCode).toBe(401);
      expect((await post({ credentialId: c.id, kind: 'missing', clear: true, reason: 'r' })).statusCode).toBe(400);
      expect((await post({ credentialId: c.id, kind: 'lost', reason: 'r' })).statusCode).toBe(400);
      expect((await post({ credentialId: c.id, kind: 'verify-with-authority' })).statusCode).toBe(400);
      expect((await post({ credentialId: 'urn:uuid:nope', kind: 'missing', reason: 'r' })).statusCode).toBe(404);
      const raised = await post({ credentialId: c.id, kind: 'verify-with-authority', reason: 'Social services case 7' });
      expect(raised.statusCode).toBe(200);
      expect(raised.json()).toMatchObject({ id: c.id, kind: 'verify-with-authority', previous: null });
      expect((await post({ credentialId: c.id, clear: true, reason: 'Case closed' })).json()).toMatchObject({ kind: null, previous: 'verify-with-authority' });
    } finally {
      await app.close();
    }
  });

  it('a registrar without checkpoint alert keys issues no alert entries and refuses alerts; a private key is refused as config', async () => {
    const { home, cleanup: c } = tempHome();
    const plain = await initRegistrar(devChain, home);
    try {
      const issued = await plain.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
      expect(alertEntry(issued.jwt)).toBeUndefined();
      await expect(plain.alert(issued.id, { kind: 'missing', reason: 'r' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      await plain.close();
      c();
    }
    const other = tempHome();
    try {
      await expect(createRegistrar({ home: other.home, secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, alertRecipients: [checkpoint.privateJwk] })).rejects.toThrow(/PUBLIC key only/);
    } finally {
      other.cleanup();
    }
  });
});
