/**
 * Example 03: the guardian's wallet (`@cradle/holder`).
 *
 * A mother's wallet creates a did:key for her and one for her child; the registrar issues the child's
 * birth-registration credential and a guardianship credential naming her; the wallet imports both (as a
 * JWT and as a scanned QR payload), presents the child for a checkpoint's nonce and domain, writes an
 * encrypted backup, and a brand-new wallet (a new phone, another secret) restores it and presents again
 * with the same guardian key.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify as verifySignature } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TYP_VP_JWT, base64UrlEncode, decodeJws, encodeQrPayload, isCradleError } from '@cradle/core';
import { createWallet, didKeyFromEd25519PublicKey, ed25519PublicKeyFromDidKey } from '@cradle/holder';
import type { Presentation, Wallet } from '@cradle/holder';
import { createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

const DOMAIN = 'checkpoint.malaba-border.example';

/** Decode a presentation and check what a checkpoint will check first: nonce, domain, signer, contents. */
function inspect(p: Presentation, guardian: string, nonce: string): void {
  const { header, payload, signingInput, signature } = decodeJws(p.jwt, { expectedTyp: TYP_VP_JWT });
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(ed25519PublicKeyFromDidKey(guardian)) }, format: 'jwk' });
  const credentials = Array.isArray(payload.verifiableCredential) ? payload.verifiableCredential.length : 0;
  console.log(`   vp+jwt ${p.jwt.length} chars, QR ${p.qr.length} chars, expires ${p.expiresAt}; kid ${String(header.kid).slice(0, 32)}…`);
  check('signed by the guardian with her did:key', payload.iss === guardian && payload.holder === guardian && verifySignature(null, signingInput, key, signature));
  check('bound to the checkpoint nonce and domain', payload.nonce === nonce && payload.aud === DOMAIN);
  check('carries the birth-registration and guardianship credentials', credentials === 2 && p.credentialIds.length === 2);
}

const work = await mkdtemp(join(tmpdir(), 'cradle-example-03-'));
const chain = await startDevChain({ port: 0 });
const registrar = await createRegistrar({
  home: join(work, 'registrar'),
  secret: randomBytes(24).toString('base64url'),
  ledger: chain.config,
  baseUrl: 'https://registry.ngo.example',
});
const opened: Wallet[] = [];

try {
  await registrar.init();

  // The wallet's secret encrypts its keys at rest (on a phone: from the OS keystore).
  const wallet = await createWallet({ home: join(work, 'phone'), secret: randomBytes(24).toString('base64url') });
  opened.push(wallet);
  const { did: guardian } = await wallet.createDid({ label: 'Grace (mother)' });
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  console.log(`1. Wallet created; guardian ${guardian}\n   child    ${child}`);

  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  const birth = await registrar.issueBirthRegistration({ subject: child, claims });
  const guardianship = await registrar.issueGuardianship({ subject: child, guardians: [{ id: guardian, role: 'mother' }] });
  console.log(`2. Registrar issued ${birth.id} (birth) and ${guardianship.id} (guardianship)`);

  const a = await wallet.importCredential(birth.jwt);
  const b = await wallet.importCredential(encodeQrPayload(guardianship.jwt)); // as scanned from the registrar's printout
  console.log(`3. Imported: ${a.credential.type} (from the JWT), ${b.credential.type} (from the QR payload)`);
  check('both credentials imported', a.created && b.created);
  check('importing again changes nothing', !(await wallet.importCredential(birth.jwt)).created);

  // A real key (random bytes are usually not a curve point, and issuers refuse such did:keys).
  const strangerKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x ?? '';
  const stranger = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(strangerKey, 'base64url')));
  const foreign = await registrar.issueBirthRegistration({ subject: stranger, claims });
  try {
    await wallet.importCredential(foreign.jwt);
    check('a credential about a child this wallet does not hold is refused', false);
  } catch (e) {
    console.log(`   someone else's child: ${isCradleError(e) ? e.code : ''} ${(e as Error).message}`);
    check('a credential about a child this wallet does not hold is refused', isCradleError(e));
  }

  const dids = await wallet.listDids();
  for (const d of dids) console.log(`   ${d.label}: ${d.roles.join(', ')}`);
  check('the wallet knows who is the guardian and who is the child', dids.find((d) => d.did === guardian)?.roles.includes('guardian') === true && dids.find((d) => d.did === child)?.roles.includes('child') === true);

  const nonce1 = randomBytes(12).toString('base64url');
  console.log(`4. The checkpoint shows nonce ${nonce1}, domain ${DOMAIN}; the guardian presents Amina`);
  inspect(await wallet.present({ child: 'Amina', nonce: nonce1, domain: DOMAIN }), guardian, nonce1);

  const backupFile = join(work, 'grace-wallet.backup');
  const passphrase = 'correct horse battery staple';
  const saved = await wallet.backup(backupFile, passphrase);
  console.log(`5. Encrypted backup written: ${saved.dids} DIDs, ${saved.credentials} credentials -> ${backupFile}`);
  await wallet.close();

  console.log('6. The phone is lost. A new phone, a new wallet secret, the same backup passphrase:');
  const fresh = await createWallet({ home: join(work, 'new-phone'), secret: randomBytes(24).toString('base64url') });
  opened.push(fresh);
  // The backup key is derived with scrypt (deliberately slow, to resist guessing); a wrong
  // passphrase fails with BACKUP_PASSPHRASE_WRONG and restores nothing.
  const restored = await fresh.restore(backupFile, passphrase);
  console.log(`   restored ${restored.dids} DIDs and ${restored.credentials} credentials`);
  const sameDids = (await fresh.listDids()).map((d) => d.did).sort().join() === [guardian, child].sort().join();
  check('the restored wallet holds the same DIDs and credentials', sameDids && (await fresh.listCredentials()).length === 2);

  const nonce2 = randomBytes(12).toString('base64url');
  console.log(`7. Another checkpoint visit (nonce ${nonce2}), presented from the restored wallet`);
  inspect(await fresh.present({ child, nonce: nonce2, domain: DOMAIN }), guardian, nonce2);
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  for (const w of opened) await w.close().catch(() => undefined);
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 03 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
