/**
 * Example 09: a registry connects families' wallets over OpenID4VCI 1.0.
 *
 * The registrar's HTTP service publishes its OpenID4VCI metadata. For a child registered at the counter,
 * the clerk creates a pre-authorized offer (a QR code for the wallet) and reads the 6-digit transaction
 * code to the parent. The parent's wallet (here the Cradle wallet; any OpenID4VCI 1.0 wallet holding the
 * child's did:key works) scans the QR, enters the code, proves possession of the child's key, and
 * receives the credential. A second scan of the same QR is refused: offers are single-use.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { createWallet } from '@cradle/holder';
import { createIssuerServer, createOfferUri, createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
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

const work = await mkdtemp(join(tmpdir(), 'cradle-example-09-'));
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });
// The registrar's public URL: the credential issuer identifier wallets see. Plain http on 127.0.0.1 here;
// a real registry serves https behind its reverse proxy.
const baseUrl = `http://127.0.0.1:${await freePort()}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret, ledger: chain.config, baseUrl });
const server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
const wallet = await createWallet({ home: join(work, 'wallet'), secret });

try {
  const { did: registrarDid } = await registrar.init();
  await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
  const metadata = (await (await fetch(`${baseUrl}/.well-known/openid-credential-issuer`)).json()) as { credential_configurations_supported: Record<string, unknown> };
  console.log(`1. Registrar ${registrarDid} at ${baseUrl}; offers ${Object.keys(metadata.credential_configurations_supported).join(', ')}`);

  // At the counter: the parent's wallet made the child's DID; the registrar issues to it.
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  const issued = await registrar.issueBirthRegistration({ subject: child, claims });
  const offer = await createOfferUri(registrar, issued.id, 3600);
  console.log(`2. Birth credential ${issued.id} issued; offer valid until ${offer.expiresAt}, shown as this QR code:`);
  console.log(await QRCode.toString(offer.uri, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 }));
  console.log(`   The clerk reads out the transaction code: ${offer.txCode}`);

  // The parent's wallet: scan, type the code, receive.
  const wrong = offer.txCode === '000000' ? '000001' : '000000';
  const mistyped = await wallet.receive(offer.uri, { txCode: wrong, allowHttp: true }).then(
    () => 'accepted',
    (e: { code?: string; details?: { error?: string } }) => `${e.code} ${e.details?.error ?? ''}`,
  );
  check('a mistyped transaction code is refused', mistyped === 'ISSUER_REFUSED invalid_grant', mistyped);
  const received = await wallet.receive(offer.uri, { txCode: offer.txCode, allowHttp: true });
  const got = received.imported[0]?.credential;
  console.log(`3. The wallet received ${got?.type} ${got?.id} from ${received.issuer}`);
  check('the wallet holds the credential issued to the child', got?.id === issued.id && got.subject === child);

  // Someone photographs the QR and tries again (with the code): single use.
  const replay = await wallet.receive(offer.uri, { txCode: offer.txCode, allowHttp: true }).then(
    () => 'accepted',
    (e: { code?: string; details?: { error?: string } }) => `${e.code} ${e.details?.error ?? ''}`,
  );
  check('the same offer cannot be redeemed twice', replay === 'ISSUER_REFUSED invalid_grant', replay);
} finally {
  await server.close();
  await wallet.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('OK: the registry offered the credential; the wallet received it once, with the transaction code.');
