/**
 * Example 07: the border check officers actually have to make.
 *
 * The registrar records each parent's name and identity document in the guardianship credential. At
 * the border the father presents his daughter: the verdict tells the officer which document to compare.
 * The checkpoint requires the absent parent's consent for a one-parent trip: without it the answer is
 * TRAVEL_CONSENT_MISSING; with the mother's consent (signed with her own key) it is VALID for Uganda,
 * and not for Rwanda. Then the child is reported missing: the registrar raises a child-protection alert,
 * which only checkpoints holding the alert key can read, and the same check answers ALERT until it is
 * cleared.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@cradle/holder';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, generateAlertKeyPair, presenterInstruction, readAlertKey, verify } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import type { VerificationResult } from '@cradle/verifier';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}
const codes = (r: VerificationResult): string => [...new Set(r.errors.map((e) => e.code))].join(', ');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => res(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

const DOMAIN = 'checkpoint.busia-border.example';
const work = await mkdtemp(join(tmpdir(), 'cradle-example-07-'));
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });
const baseUrl = `http://127.0.0.1:${await freePort()}`;
// The checkpoints' alert key pair: registrars get the public half, checkpoints keep the private one.
const alertKeys = await generateAlertKeyPair();
const alertKey = await readAlertKey(alertKeys.privateJwk, 'private');
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret, ledger: chain.config, baseUrl, alertRecipients: [alertKeys.publicJwk] });
let server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
// Two households: the mother's phone, and the father's (who travels, and also holds the child's DID).
const mothersWallet = await createWallet({ home: join(work, 'mother'), secret });
const fathersWallet = await createWallet({ home: join(work, 'father'), secret });

try {
  const { did: registrarDid } = await registrar.init();
  await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
  const { did: mother } = await mothersWallet.createDid({ label: 'Grace' });
  const { did: father } = await fathersWallet.createDid({ label: 'Peter' });
  const { did: child } = await fathersWallet.createDid({ label: 'Amina' });

  // 1. The registrar records who the parents are, with the documents it saw.
  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  const birth = await registrar.issueBirthRegistration({ subject: child, claims });
  const birthId = birth.id;
  await fathersWallet.importCredential(birth.jwt);
  const guardianship = await registrar.issueGuardianship({
    subject: child,
    guardians: [
      { id: mother, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } },
      { id: father, role: 'father', name: 'Peter Ochieng Otieno', document: { type: 'national-id', country: 'KE', number: 'KE30556172' } },
    ],
  });
  await fathersWallet.importCredential(guardianship.jwt);
  await registrar.publish();
  await registrar.processOutbox();
  console.log(`1. Registrar ${registrarDid} recorded both parents with their identity documents`);

  // 2. A border checkpoint that requires the other parents' consent for a one-parent trip.
  const store = new MemoryVerifierStore();
  await store.write({ config: { maxStatusAge: 86_400, ledger: chain.config, requireTravelConsent: true, alertKeyId: alertKey.kid } });
  await addTrustedIssuer(store, registrarDid);
  check('checkpoint synced', (await sync({ store, alertKeys: [alertKey] })).ok);
  await server.close(); // offline from here

  // 3. The father presents his daughter, travelling to Uganda, with no consent.
  let nonce = randomBytes(9).toString('base64url');
  let p = await fathersWallet.present({ child, guardian: father, nonce, domain: DOMAIN });
  let r = await verify(p.qr, { store, nonce, domain: DOMAIN, destination: 'UG' });
  console.log(`2. Father alone, no consent (QR payload ${p.qr.length} characters): ${r.outcome.toUpperCase()} [${codes(r)}]`);
  console.log(`   Officer: ${presenterInstruction(r.facts?.guardian) ?? '(nothing recorded)'}`);
  check('the verdict names the document to check', presenterInstruction(r.facts?.guardian) === "Check the adult's national ID card (KE): number KE30556172, name Peter Ochieng Otieno");
  check('without the mother\'s consent: TRAVEL_CONSENT_MISSING', r.outcome === 'invalid' && codes(r) === 'TRAVEL_CONSENT_MISSING');

  // 4. The mother signs a travel consent with her own key; the father's wallet imports it.
  const consent = await mothersWallet.consent({ child, by: mother, traveller: father, countries: ['UG', 'TZ'], until: new Date(Date.now() + 30 * 86_400_000) });
  await fathersWallet.importCredential(consent.jwt);
  nonce = randomBytes(9).toString('base64url');
  p = await fathersWallet.present({ child, guardian: father, nonce, domain: DOMAIN });
  r = await verify(p.qr, { store, nonce, domain: DOMAIN, destination: 'UG' });
  console.log(`3. With the mother's consent (UG, TZ; QR payload ${p.qr.length} characters): ${r.outcome.toUpperCase()}`);
  check('with the consent, to Uganda: valid', r.outcome === 'valid', codes(r));
  check('the facts say whose consent counted', r.facts?.travelConsent?.from.every((f) => f.given && f.role === 'mother') === true);

  r = await verify(p.qr, { store, nonce, domain: DOMAIN, destination: 'RW' });
  console.log(`4. The same consent at a border towards Rwanda: ${r.outcome.toUpperCase()} [${codes(r)}] — ${r.facts?.consents?.[0]?.reason?.message ?? ''}`);
  check('to Rwanda: not valid', r.outcome === 'invalid' && codes(r) === 'TRAVEL_CONSENT_MISSING');

  // 5. The child is reported missing. The registrar raises an alert and publishes; the checkpoint syncs.
  const online = async (): Promise<void> => {
    server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
    await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
    await registrar.publish(); // alert lists are re-encrypted and re-anchored on every publish
    await registrar.processOutbox();
    check('checkpoint synced the encrypted alert list', (await sync({ store, alertKeys: [alertKey] })).ok);
    await server.close();
  };
  await registrar.alert(birthId, { kind: 'missing', reason: 'Reported missing by her mother, Kisumu police OB 41/11/2026' });
  await online();
  nonce = randomBytes(9).toString('base64url');
  p = await fathersWallet.present({ child, guardian: father, nonce, domain: DOMAIN });
  r = await verify(p.qr, { store, nonce, domain: DOMAIN, destination: 'UG' });
  console.log(`5. Reported missing: ${r.outcome.toUpperCase()} — ${r.alerts?.map((a) => a.message).join(' ') ?? ''}`);
  check('a child reported missing: alert', r.outcome === 'alert' && r.alerts?.[0]?.code === 'ALERT_MISSING_CHILD');

  // 6. Found: the registrar clears the alert; after the next publish and sync the trip is valid again.
  await registrar.alert(birthId, { kind: null, reason: 'Found safe' });
  await online();
  nonce = randomBytes(9).toString('base64url');
  p = await fathersWallet.present({ child, guardian: father, nonce, domain: DOMAIN });
  r = await verify(p.qr, { store, nonce, domain: DOMAIN, destination: 'UG' });
  console.log(`6. Alert cleared: ${r.outcome.toUpperCase()}`);
  check('alert cleared: valid again', r.outcome === 'valid', codes(r));
} finally {
  await server.close().catch(() => undefined);
  await Promise.all([mothersWallet.close(), fathersWallet.close(), registrar.close()]);
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('OK');
