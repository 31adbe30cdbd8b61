// End to end through the real packages: a registrar (@cradle/issuer) on the local EDR chain issues to
// DIDs made in the wallet (@cradle/holder); a checkpoint (@cradle/verifier) syncs the anchored status
// lists over HTTP and then verifies the wallet's presentation offline.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWallet } from '@cradle/holder';
import type { Wallet } from '@cradle/holder';
import { createRegistrar } from '@cradle/issuer';
import type { Registrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, verify, verifyPresentation } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import { readableText } from '../../core/test/helpers/readable-text.js';

const REPO = resolve(import.meta.dirname, '../../..');
const SECRET = 'e2e-secret-0123456789';
const CHALLENGE = { nonce: 'n-4F2K9QX7', domain: 'border-post-7.example' };

let chain: DevChain;
let server: Server;
let registrar: Registrar;
let wallet: Wallet;
let store: MemoryVerifierStore;
let child: string;
let guardian: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-e2e-wallet-'));
  chain = await startDevChain({ port: 0 });
  // Serves the registrar's signed status lists at <baseUrl>/status/<name>, as `cradle registrar serve` does.
  server = createServer((req, res) => {
    const name = /^\/status\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
    void (async () => {
      const list = name === undefined ? undefined : await registrar.statusListJwt(name);
      if (list === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vc+jwt' }).end(list.jwt);
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  registrar = await createRegistrar({ home: join(dir, 'registrar'), secret: SECRET, ledger: chain.config, baseUrl });
  await registrar.init();
  wallet = await createWallet({ home: join(dir, 'wallet'), secret: SECRET });
  guardian = (await wallet.createDid({ label: 'Mother' })).did;
  child = (await wallet.createDid({ label: 'Amina' })).did;

  const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as unknown;
  const birth = await registrar.issueBirthRegistration({ subject: child, claims });
  const guardianship = await registrar.issueGuardianship({ subject: child, guardians: [{ id: guardian, role: 'mother' }] });
  await registrar.publish();
  await registrar.processOutbox();
  expect(await registrar.pending()).toEqual([]);

  // The wallet imports what the registrar issued: one as the JWS, one as its QR payload.
  expect((await wallet.importCredential(birth.jwt)).credential.id).toBe(birth.id);
  const { encodeQrPayload } = await import('@cradle/core');
  expect((await wallet.importCredential(encodeQrPayload(guardianship.jwt))).credential.type).toBe('GuardianshipCredential');

  const identity = registrar.identity();
  if (identity === undefined) throw new Error('registrar not initialised');
  store = new MemoryVerifierStore({
    config: { maxStatusAge: 86_400, ledger: chain.config },
    trust: { operator: [], removed: [] },
    didDocuments: [],
    statusLists: [],
    anchors: [],
  });
  // The operator accredits the registrar, as `cradle checkpoint trust add DID` does.
  expect(await addTrustedIssuer(store, identity.did)).toBe(true);
  const report = await sync({ store });
  expect(report.failures).toEqual([]);
}, 300_000);

afterAll(async () => {
  await wallet?.close();
  await registrar?.close();
  await new Promise((done) => server?.close(done));
  await chain?.stop();
});

describe('a wallet presentation at a checkpoint (@cradle/verifier)', () => {
  it("verifies for the checkpoint's nonce and domain: registered child, listed guardian", async () => {
    const p = await wallet.present({ child, ...CHALLENGE });
    const r = await verifyPresentation(p.jwt, { store, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', verified: true, kind: 'presentation', bearer: false });
    expect(r.facts?.guardian).toEqual({ did: guardian, isListedGuardian: true, role: 'mother' });
    // and from the QR payload, as a checkpoint scans it
    expect(await verify(p.qr, { store, ...CHALLENGE })).toMatchObject({ outcome: 'valid', kind: 'presentation' });
  });

  it('fails for another nonce or another domain (a replayed or forwarded QR code)', async () => {
    const p = await wallet.present({ child, ...CHALLENGE });
    const otherNonce = await verifyPresentation(p.jwt, { store, ...CHALLENGE, nonce: 'n-OTHER' });
    expect(otherNonce.outcome).toBe('invalid');
    expect(otherNonce.errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);
    const otherDomain = await verifyPresentation(p.jwt, { store, ...CHALLENGE, domain: 'bus-station-2.example' });
    expect(otherDomain.outcome).toBe('invalid');
    expect(otherDomain.errors.map((e) => e.code)).toEqual(['DOMAIN_MISMATCH']);
  });

  it('fails once it has expired', async () => {
    const p = await wallet.present({ child, ...CHALLENGE, ttlSeconds: 60 });
    const later = Date.now() + 20 * 60_000;
    const r = await verifyPresentation(p.jwt, { store, ...CHALLENGE, now: later });
    expect(r.errors.map((e) => e.code)).toContain('PRESENTATION_EXPIRED');
  });

  it("imports the registrar's VCDM 1.1 JWT-VC format too, and refuses a credential for a DID it does not hold", async () => {
    const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as unknown;
    const legacy = await registrar.issueBirthRegistration({ subject: child, claims, format: 'jwt-vc' });
    const { credential } = await wallet.importCredential(legacy.jwt);
    expect(credential).toMatchObject({ id: legacy.id, format: 'jwt-vc', subject: child, type: 'BirthRegistrationCredential' });
    // A child whose only birth credential is a JWT-VC: the presentation carries it as data:application/jwt,
    const { did: second } = await wallet.createDid({ label: 'Baraka' });
    await wallet.importCredential((await registrar.issueBirthRegistration({ subject: second, claims, format: 'jwt-vc' })).jwt);
    await wallet.importCredential((await registrar.issueGuardianship({ subject: second, guardians: [{ id: guardian, role: 'mother' }] })).jwt);
    await registrar.publish();
    await registrar.processOutbox();
    expect((await sync({ store })).failures).toEqual([]);
    const p = await wallet.present({ child: 'Baraka', ...CHALLENGE });
    expect(p.jwt).toBeTypeOf('string');
    const r = await verifyPresentation(p.jwt, { store, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('valid');
    const stranger = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const foreign = await registrar.issueBirthRegistration({ subject: stranger, claims });
    await expect(wallet.importCredential(foreign.jwt)).rejects.toMatchObject({ code: 'SUBJECT_NOT_IN_WALLET' });
  });

  it('after backup and restore on a fresh home, the restored wallet presents and verifies', async () => {
    const file = join(dir, 'wallet.backup');
    await wallet.backup(file, 'a long backup passphrase');
    const restored = await createWallet({ home: join(dir, 'restored'), secret: 'another-secret-on-the-new-phone' });
    try {
      await restored.restore(file, 'a long backup passphrase');
      const p = await restored.present({ child: 'Amina', ...CHALLENGE });
      expect(p.guardian).toBe(guardian);
      expect(await verifyPresentation(p.jwt, { store, ...CHALLENGE })).toMatchObject({ outcome: 'valid' });
    } finally {
      await restored.close();
    }
  });
});

describe('SD-JWT VC end to end: the registrar issues, the wallet discloses name, date of birth and guardians, the checkpoint verifies', () => {
  it('valid offline with only those disclosures, the checkpoint receives nothing else; invalid after revocation', async () => {
    const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as unknown;
    const { did: zawadi } = await wallet.createDid({ label: 'Zawadi' });
    const birth = await registrar.issueBirthRegistration({ subject: zawadi, claims, format: 'sd-jwt-vc' });
    const guardianship = await registrar.issueGuardianship({ subject: zawadi, guardians: [{ id: guardian, role: 'mother' }], format: 'sd-jwt-vc' });
    expect(birth.jwt).toMatch(/^eyJ[^~]+~(?:[A-Za-z0-9_-]+~){9}$/); // the issuer JWT and one disclosure per claim
    expect((await wallet.importCredential(birth.jwt)).credential).toMatchObject({ id: birth.id, format: 'sd-jwt-vc', type: 'BirthRegistrationCredential', subject: zawadi });
    expect((await wallet.importCredential(guardianship.jwt)).credential).toMatchObject({ format: 'sd-jwt-vc', guardians: [{ id: guardian, role: 'mother' }] });
    await registrar.publish();
    await registrar.processOutbox();
    expect((await sync({ store })).failures).toEqual([]);

    const p = await wallet.present({ child: 'Zawadi', ...CHALLENGE });
    const r = await verify(p.qr, { store, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', kind: 'presentation', facts: { child: { givenName: 'Amina Wanjiru', familyName: 'Example-Otieno', birthDate: '2025-03-14' }, guardian: { did: guardian, isListedGuardian: true } } });
    // What the checkpoint received: every base64url segment of the presentation, decoded, holds none of the withheld claims.
    const { base64UrlDecode, utf8Decode } = await import('@cradle/core');
    const vpPayload = JSON.parse(utf8Decode(base64UrlDecode(p.jwt.split('.')[1]!))) as { verifiableCredential: { id: string }[] };
    const received = [readableText(p.jwt), ...vpPayload.verifiableCredential.map((c) => readableText(c.id))].join('\n');
    expect(received).toContain('Amina Wanjiru');
    for (const withheld of ['KSM-2025-004217', 'Kisumu', 'Lakeside', 'KSM-P-118842', '2025-03-21', 'registrationNumber', 'parents', 'female']) expect(received).not.toContain(withheld);

    // Replayed at another checkpoint: the key bindings (and the presentation) name this one.
    expect((await verifyPresentation(p.jwt, { store, ...CHALLENGE, domain: 'bus-station-2.example' })).errors.map((e) => e.code)).toEqual(['DOMAIN_MISMATCH', 'DOMAIN_MISMATCH', 'DOMAIN_MISMATCH']);

    await registrar.revoke(birth.id);
    await registrar.publish();
    await registrar.processOutbox();
    expect((await sync({ store })).failures).toEqual([]);
    const after = await verify((await wallet.present({ child: 'Zawadi', ...CHALLENGE })).qr, { store, ...CHALLENGE });
    expect(after.outcome).toBe('invalid');
    expect(after.errors.map((e) => e.code)).toEqual(['REVOKED']);
  });

  it('an SD-JWT VC is bound to the child\'s key: a subject that is not an Ed25519 did:key is refused before anything is issued', async () => {
    const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as unknown;
    await expect(registrar.issueBirthRegistration({ subject: 'did:web:example.org:children:42', claims, format: 'sd-jwt-vc' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
