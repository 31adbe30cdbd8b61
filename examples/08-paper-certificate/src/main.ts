/**
 * Example 08: the printed birth certificate with a verifiable seal.
 *
 * A registrar issues a child's birth and guardianship credentials and prints the certificate
 * (`registrar.certificate(id)`: a PDF whose two QR seals are the signed credentials). The PDF is
 * rasterised with poppler's `pdftoppm` at 100 dpi, as a cheap office scanner would; a checkpoint
 * reads both seals from the one image (`readQrCodesFromImage`) and verifies them offline
 * (`verifyCertificate`): a bearer check that names the adults who may travel with the child. Then the
 * record is corrected: the old credential is revoked, a new certificate printed, and the old paper
 * answers REVOKED after the next publish and sync. Set CRADLE_EXAMPLE_OUT=DIR to keep the PDFs.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, didKeyFromEd25519PublicKey, verifyCertificate } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import type { CertificateVerificationResult } from '@cradle/verifier';
import { nodeSignatureVerifier, readQrCodesFromImage } from '@cradle/verifier/node';

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

function newDid(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')));
}

/** Rasterise page 1 of a PDF as a scanner would, with poppler's pdftoppm (Debian: poppler-utils). */
function scan(pdf: string, dpi: number): string {
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', pdf, `${pdf}-${dpi}dpi`]);
  return `${pdf}-${dpi}dpi.png`;
}

function describe(r: CertificateVerificationResult): string {
  const head = r.outcome.toUpperCase();
  const errors = r.errors.map((e) => `${e.code} (${e.where})`).join(', ');
  return errors === '' ? head : `${head}: ${errors}`;
}

const work = await mkdtemp(join(tmpdir(), 'cradle-example-08-'));
const chain = await startDevChain({ port: 0 });
const baseUrl = `http://127.0.0.1:${await freePort()}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret: randomBytes(24).toString('base64url'), ledger: chain.config, baseUrl });
const server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });

try {
  const identity = await registrar.init();
  await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
  console.log(`1. Registrar ${identity.did}`);

  const claims = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const child = newDid();
  const mother = newDid();
  const birth = await registrar.issueBirthRegistration({ subject: child, claims });
  await registrar.issueGuardianship({ subject: child, guardians: [{ id: mother, role: 'mother' }], basis: 'birth-registration' });
  console.log(`2. Issued the birth credential ${birth.id} and a guardianship credential (mother)`);

  const started = performance.now();
  const pdf = await registrar.certificate(birth.id, { lang: 'en', paper: 'a4' });
  const ms = Math.round(performance.now() - started);
  const pdfPath = join(work, 'certificate.pdf');
  await writeFile(pdfPath, pdf);
  console.log(`3. Printed the certificate: ${Math.round(pdf.length / 1024)} KiB PDF in ${ms} ms (A4, two seals)`);
  const reprint = await registrar.certificate(birth.id, { lang: 'en', paper: 'a4' });
  check('a reprint is the same document (no new credential per print)', Buffer.from(reprint).equals(Buffer.from(pdf)));

  // A name in another script: Amharic given name, Arabic family name, labels in French, A5 paper.
  const other = await registrar.issueBirthRegistration({ subject: newDid(), claims: { ...claims, givenName: 'ሕይወት', familyName: 'الحسن', registrationNumber: 'KSM-2025-004218' } });
  const fr = await registrar.certificate(other.id, { lang: 'fr', paper: 'a5' });
  await writeFile(join(work, 'acte-a5.pdf'), fr);
  console.log(`   and one in French on A5 for a child named ሕይወት الحسن (${Math.round(fr.length / 1024)} KiB)`);

  await registrar.publish();
  await registrar.processOutbox();
  const store = new MemoryVerifierStore();
  await store.write({ config: { maxStatusAge: 86_400, ledger: chain.config } });
  await addTrustedIssuer(store, identity.did);
  check('checkpoint synced', (await sync({ store })).ok);

  const image = scan(pdfPath, 100);
  const seals = await readQrCodesFromImage(await readFile(image));
  console.log(`4. Scanned at 100 dpi: ${seals.length} seals read from one image`);
  const verdict = await verifyCertificate(seals, { store, signatureVerifier: nodeSignatureVerifier });
  console.log(`5. Checkpoint (offline): ${describe(verdict)}; bearer check: ${verdict.bearer}`);
  console.log(`   child: ${verdict.facts?.child?.givenName} ${verdict.facts?.child?.familyName}; may travel with: ${verdict.accompanying.map((a) => `${a.role} ${a.did.slice(0, 20)}…`).join(', ')}`);
  check('the scanned certificate is valid', verdict.outcome === 'valid');
  check('the guardianship seal names the mother', verdict.accompanying.some((a) => a.did === mother && a.role === 'mother'));

  // The registry corrects the record: new credential, old one revoked, new certificate printed.
  const { issued } = await registrar.correct(birth.id, { ...claims, givenName: 'Amina Wanjiku' });
  await registrar.certificate(issued.id);
  const refused = await registrar.certificate(birth.id).then(
    () => 'printed',
    (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
  );
  console.log(`6. Corrected: ${issued.id} replaces ${birth.id}; printing the old one: ${refused.slice(0, 90)}…`);
  check('the revoked credential is not printed', refused.startsWith('CONFLICT'));
  await registrar.publish();
  await registrar.processOutbox();
  await sync({ store });
  const after = await verifyCertificate(seals, { store, signatureVerifier: nodeSignatureVerifier });
  console.log(`7. The old paper after publish + sync: ${describe(after)}`);
  check('the old certificate is REVOKED', after.outcome === 'invalid' && after.errors.some((e) => e.code === 'REVOKED'));

  const keep = process.env.CRADLE_EXAMPLE_OUT;
  if (keep !== undefined && keep !== '') {
    await copyFile(pdfPath, join(keep, 'certificate.pdf'));
    await copyFile(join(work, 'acte-a5.pdf'), join(keep, 'acte-a5.pdf'));
    console.log(`   PDFs copied to ${keep}`);
  }
} finally {
  await server.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nDone: the paper carries its own proof, and a correction makes the old paper fail.');
