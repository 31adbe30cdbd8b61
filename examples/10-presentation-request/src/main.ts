/**
 * Example 10: an NGO app asks a family's wallet for a presentation over OpenID4VP 1.0.
 *
 * A school-enrolment app of an NGO, online, wants to know that the child exists in the civil register
 * and that the adult is a listed guardian. It synced the registrar's status lists like a checkpoint.
 * For each visit it creates a request (a DCQL query for the birth and guardianship credentials, only the
 * claims it will read) and shows it as a QR code; the guardian's wallet (here Cradle's `wallet.respond`)
 * answers at the app's response endpoint; the app checks the answer with the offline rules. The same
 * answer sent again is refused: each request is used once.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { createWallet } from '@cradle/holder';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';
import { addTrustedIssuer } from '@cradle/verifier';
import type { VerificationResult } from '@cradle/verifier';
import { createPresentationRequest, verifyPresentationResponse } from '@cradle/verifier/openid4vp';
import type { Openid4vpAuthorizationRequest } from '@cradle/verifier/openid4vp';
import { FileVerifierStore } from '@cradle/verifier/node';
import { sync } from '@cradle/verifier/sync';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

const work = await mkdtemp(join(tmpdir(), 'cradle-example-10-'));
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });

// The NGO app's response endpoint: one pending request per visit, dropped once answered.
const pending = new Map<string, Openid4vpAuthorizationRequest>();
const verdicts: VerificationResult[] = [];
const store = await FileVerifierStore.open(join(work, 'ngo-app'), { create: true });
await store.write({ config: { maxStatusAge: 86_400, ledger: chain.config } });
const app = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const form = Object.fromEntries(new URLSearchParams(body));
    const request = pending.get(String(form.state));
    if (request === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request","error_description":"unknown or already answered request"}');
      return;
    }
    pending.delete(String(form.state));
    void verifyPresentationResponse(form, { request, store }).then((r) => {
      verdicts.push(r);
      res.writeHead(r.outcome === 'valid' ? 200 : 400, { 'content-type': 'application/json' }).end(r.outcome === 'valid' ? '{}' : '{"error":"access_denied"}');
    });
  });
});
await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
const responseUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/oid4vp/response`;

const registrarPort = await new Promise<number>((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const port = (probe.address() as AddressInfo).port;
    probe.close(() => done(port));
  });
});
const baseUrl = `http://127.0.0.1:${registrarPort}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret, ledger: chain.config, baseUrl });
const registrarServer = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
const wallet = await createWallet({ home: join(work, 'wallet'), secret });

try {
  const { did: registrarDid } = await registrar.init();
  await registrarServer.listen({ host: '127.0.0.1', port: registrarPort });
  const { did: mother } = await wallet.createDid({ label: 'Grace (mother)' });
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  await wallet.importCredential((await registrar.issueBirthRegistration({ subject: child, claims })).jwt);
  await wallet.importCredential((await registrar.issueGuardianship({ subject: child, guardians: [{ id: mother, role: 'mother' }] })).jwt);
  await registrar.publish();
  await registrar.processOutbox();
  console.log(`1. Registrar ${registrarDid} issued the family's credentials and anchored its status lists`);

  // The NGO app trusts the registrar and syncs while online, like a checkpoint.
  await addTrustedIssuer(store, registrarDid);
  const report = await sync({ store });
  check('the app synced the status lists', report.ok);

  // A visit: a request, shown as a QR code (or opened as a link on the same phone).
  const state = randomBytes(16).toString('hex');
  const { uri, request } = await createPresentationRequest({ responseUri, claims: ['givenName', 'familyName', 'birthDate'], state });
  pending.set(state, request);
  console.log(`2. The app asks (DCQL: birth + guardianship; givenName, familyName, birthDate). Request QR, ${uri.length} characters:`);
  console.log(await QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 }));

  // The guardian's wallet answers.
  const answered = await wallet.respond(uri, { child: 'Amina', allowHttp: true });
  const verdict = verdicts[0];
  const who = verdict?.facts?.child;
  console.log(`3. The wallet answered ${answered.answered.join(' + ')}; the app says ${verdict?.outcome.toUpperCase()}: ${who?.givenName} ${who?.familyName}, born ${who?.birthDate}, presented by a listed ${verdict?.facts?.guardian?.role}`);
  check('the presentation is valid and the presenter a listed guardian', verdict?.outcome === 'valid' && verdict.facts?.guardian?.did === mother);

  // The same request answered again (a replay, or a second scan): the app dropped it after the first answer.
  const again = await wallet.respond(uri, { child: 'Amina', allowHttp: true }).then(
    () => 'accepted',
    (e: { code?: string }) => String(e.code),
  );
  check('a request is answered once', again === 'VERIFIER_REFUSED', again);
} finally {
  await registrarServer.close();
  await new Promise((done) => app.close(done));
  await wallet.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('OK: the NGO app asked over OpenID4VP, the wallet answered, the app verified with the offline rules.');
