/**
 * Example 04: a checkpoint that never connects.
 *
 * A connected checkpoint (say, the district office) syncs from the ledger and the registrar's status
 * server and exports a trust bundle file signed with the operator's bundle key. The chain and the server
 * are then shut down: a remote border post that has never had a network, and that pinned the operator's
 * key when it was set up, imports the bundle (carried on a USB stick) and verifies a guardian's
 * presentation offline. An unsigned or tampered bundle is refused as a whole.
 */
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet } from '@cradle/holder';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';
import { addTrustedIssuer, didKeyFromEd25519PublicKey, exportBundle, importBundle, verify } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import type { VerificationResult } from '@cradle/verifier';
import { FileVerifierStore } from '@cradle/verifier/node';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

function describe(r: VerificationResult): string {
  const child = r.facts?.child ? `${r.facts.child.givenName} ${r.facts.child.familyName}, born ${r.facts.child.birthDate}` : 'child unknown';
  const codes = [...new Set(r.errors.map((e) => e.code))].join(', ');
  return `${r.outcome.toUpperCase()} (${child})${codes === '' ? '' : ` [${codes}]`}`;
}

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

const DAY = 86_400;
const DOMAIN = 'checkpoint.lokichogio.example';
const work = await mkdtemp(join(tmpdir(), 'cradle-example-04-'));
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });
// The registrar serves its signed status lists at <baseUrl>/status/<name>; here on 127.0.0.1.
const baseUrl = `http://127.0.0.1:${await freePort()}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret, ledger: chain.config, baseUrl });
const server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
const wallet = await createWallet({ home: join(work, 'wallet'), secret });

try {
  const { did: registrarDid } = await registrar.init();
  await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
  console.log(`1. Registrar ${registrarDid}; status lists served at ${baseUrl}/status/…`);

  const { did: guardian } = await wallet.createDid({ label: 'Joseph (father)' });
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  await wallet.importCredential((await registrar.issueBirthRegistration({ subject: child, claims })).jwt);
  await wallet.importCredential((await registrar.issueGuardianship({ subject: child, guardians: [{ id: guardian, role: 'father' }] })).jwt);
  const published = await registrar.publish();
  const outbox = await registrar.processOutbox();
  console.log(`2. Credentials issued to the family's wallet; ${published.length} status lists published, ${outbox.confirmed.length} anchored`);

  // The connected checkpoint: accredits the registrar, syncs, exports a bundle.
  const connected = await FileVerifierStore.open(join(work, 'district-office'), { create: true });
  await connected.write({ config: { maxStatusAge: DAY, ledger: chain.config } });
  await addTrustedIssuer(connected, registrarDid);
  const report = await sync({ store: connected });
  console.log(`3. District office synced to block ${report.ledger?.head ?? '?'}: ${report.lists.length} lists, ${report.didDocuments.length} DID document(s)`);
  for (const f of report.failures) console.log(`   sync failure: ${f.source}: ${f.message}`);
  check('sync succeeded', report.ok);

  // The operator's bundle key: only bundles it signs count as fresh at the border post (an unsigned
  // bundle could be anyone's, so its data would only fill gaps and never answer "valid").
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const operatorDid = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')));
  const signer = { did: operatorDid, kid: `${operatorDid}#${operatorDid.slice('did:key:'.length)}`, sign: (d: Uint8Array) => new Uint8Array(nodeSign(null, d, privateKey)) };
  const bundleFile = join(work, 'checkpoint.bundle.json');
  const bundle = await exportBundle(connected, { signer });
  await writeFile(bundleFile, bundle);
  console.log(`4. Trust bundle exported, signed by the operator key ${operatorDid.slice(0, 20)}…: ${(bundle.length / 1024).toFixed(1)} KiB -> ${bundleFile}`);

  await server.close();
  await chain.stop();
  console.log('5. The ledger and the status server are shut down: from here on there is no network at all');

  // The border post: its own store, no ledger configured, never synced; it pinned the operator's key.
  const post = await FileVerifierStore.open(join(work, 'border-post'), { create: true });
  await post.write({ config: { maxStatusAge: DAY, bundleKeyDid: operatorDid } });
  // Accreditation is the operator's decision (a bundle signed by the pinned key may also bring it).
  await addTrustedIssuer(post, registrarDid);

  const nonce1 = randomBytes(12).toString('base64url');
  const early = await verify((await wallet.present({ child, nonce: nonce1, domain: DOMAIN })).qr, { store: post, nonce: nonce1, domain: DOMAIN });
  console.log(`6. Before the bundle, the border post answers: ${describe(early)}`);
  check('without synced data it cannot say valid', early.outcome !== 'valid');

  const outer = JSON.parse(new TextDecoder().decode(bundle)) as { jws: string };
  const tampered = { ...outer, jws: `${outer.jws.slice(0, -4)}AAAA` };
  for (const [what, bytes] of [
    ['A tampered bundle', new TextEncoder().encode(JSON.stringify(tampered))],
    ['An unsigned bundle', await exportBundle(connected)],
  ] as const) {
    try {
      await importBundle(post, bytes);
      check(`${what.toLowerCase()} is refused`, false);
    } catch (e) {
      console.log(`7. ${what}: ${(e as Error).message}`);
      check(`${what.toLowerCase()} is refused, nothing imported`, (await post.load()).statusLists.length === 0);
    }
  }

  const imported = await importBundle(post, await readFile(bundleFile));
  console.log(`8. Bundle imported: ${imported.statusLists} status lists, ${imported.didDocuments} DID document(s)`);
  check('the bundle brought the status lists and the DID document', imported.statusLists === published.length && imported.didDocuments === 1);

  const nonce2 = randomBytes(12).toString('base64url');
  console.log(`9. The border post shows nonce ${nonce2}; the father presents Amina's QR code`);
  const t = performance.now();
  const r = await verify((await wallet.present({ child, nonce: nonce2, domain: DOMAIN })).qr, { store: post, nonce: nonce2, domain: DOMAIN });
  console.log(`   answer in ${(performance.now() - t).toFixed(0)} ms, offline: ${describe(r)}`);
  if (r.statusAge) console.log(`   status data as of ${r.statusAge.asOf} (${r.statusAge.seconds} s old)`);
  check('valid, presented by a listed guardian', r.outcome === 'valid' && r.facts?.guardian?.isListedGuardian === true);
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  await server.close().catch(() => undefined);
  await wallet.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 04 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
