import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJws } from '@cradle/core';
import { buildPresentation, createWallet, didKeyFromEd25519PublicKey } from '@cradle/holder';
import { addTrustedIssuer, presenterInstruction, verify, verifyCertificate } from '@cradle/verifier';
import { readQrCodesFromImage } from '@cradle/verifier/node';
import { sync } from '@cradle/verifier/sync';
import { DAY, DOMAIN } from './context.js';
import type { DemoWorld } from './context.js';
import { codes, describe, summarizeOutbox } from './describe.js';
import { formatMs } from './narrator.js';
import { startStatusServer } from './setup.js';

// The checkpoint scenes, in the order the demo plays them. Each is one numbered step of the narration
// and records what it expected; scenes share the world the setup phase built.

/** The checkpoint trusts the registrar and syncs while online. */
export async function checkpointSyncs(world: DemoWorld): Promise<void> {
  const { n, store, chain, registrar } = world;
  await n.step('A border checkpoint trusts the registrar and syncs while it has a network', async () => {
    await store.write({ config: { maxStatusAge: DAY, ledger: chain.config, alertKeyId: world.alertKey.kid } });
    await addTrustedIssuer(store, registrar.identity()!.did);
    const report = await sync({ store, alertKeys: [world.alertKey] });
    n.say(`Synced up to block ${report.ledger?.head ?? '?'}: ${report.lists.length} status lists, ${report.didDocuments.length} registrar DID document(s).`);
    n.expect('checkpoint sync', 'ok', report.ok ? 'ok' : `failed: ${report.failures.map((f) => f.message).join('; ')}`);
  });
}

/** The status server stops: from here on, answers come from the cache only. */
export async function checkpointGoesOffline(world: DemoWorld): Promise<void> {
  await world.n.step('The checkpoint loses its network (status server stopped; verification never uses the network)', async () => {
    await world.server.close();
    world.n.say('From here on, every answer comes from data cached at the last sync.');
  });
}

/** A listed guardian presents her child: valid. Returns the path of the presentation's QR PNG. */
export async function guardianPresents(world: DemoWorld): Promise<string> {
  const { n, wallet, store, workDir, keep } = world;
  let qrPng = '';
  await n.step('A guardian presents her child at the checkpoint', async () => {
    const nonce = randomBytes(12).toString('base64url');
    n.say(`The checkpoint shows a fresh challenge: nonce ${nonce}, domain ${DOMAIN}.`);
    const p = await wallet.w.present({ child: wallet.children[0]!, nonce, domain: DOMAIN, png: true });
    // Kept after the demo (the work directory is removed unless --keep is given).
    qrPng = keep ? join(workDir, 'presentation-qr.png') : join(tmpdir(), 'cradle-demo-presentation-qr.png');
    if (p.png) await writeFile(qrPng, p.png);
    n.say(`Presentation QR (${p.qr.length} characters) written to ${qrPng}`);
    const t = performance.now();
    const r = await verify(p.qr, { store, nonce, domain: DOMAIN });
    n.say(`Answer in ${formatMs(performance.now() - t)}: ${describe(r)}`);
    const instruction = presenterInstruction(r.facts?.guardian) ?? 'nothing';
    n.say(`The officer is told: ${instruction}`);
    n.expect('guardian presents child', 'valid', r.outcome);
    n.expect('officer told which document to check', "Check the adult's passport (KE): number AK1234567, name Grace Akinyi Otieno", instruction);
  });
  return qrPng;
}

/**
 * A family without a phone carries the printed certificate: the registrar prints it, a scan at 100 dpi
 * (poppler's pdftoppm, when installed) is read and verified offline as a bearer check.
 */
export async function paperCertificate(world: DemoWorld): Promise<void> {
  const { n, issued, registrar, store, workDir, keep } = world;
  await n.step(`A family without a phone carries ${issued[1]!.name}'s printed birth certificate`, async () => {
    const pdf = await registrar.certificate(issued[1]!.birthId);
    const file = keep ? join(workDir, 'birth-certificate.pdf') : join(tmpdir(), 'cradle-demo-birth-certificate.pdf');
    await writeFile(file, pdf);
    n.say(`Printed ${file} (${Math.round(pdf.length / 1024)} KiB): seal 1 is the signed birth credential, seal 2 the guardianship.`);
    let image: string;
    try {
      execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', file, `${file}-scan`], { stdio: 'ignore' });
      image = `${file}-scan.png`;
    } catch {
      n.say('(pdftoppm is not installed: the scan of the paper is skipped. Debian/Ubuntu: apt-get install poppler-utils.)');
      return;
    }
    const seals = await readQrCodesFromImage(await readFile(image));
    const r = await verifyCertificate(seals, { store });
    n.say(`A 100 dpi scan, ${seals.length} seals read: ${r.outcome.toUpperCase()}, bearer check (whoever holds this paper); may travel with: ${r.accompanying.map((a) => a.role ?? 'guardian').join(', ') || 'nobody confirmed'}.`);
    n.expect('printed certificate scanned at 100 dpi', 'valid', r.outcome);
  });
}

/** A stranger with their own key presents a copied credential: not a guardian. */
export async function strangerPresents(world: DemoWorld): Promise<void> {
  const { n, issued, store } = world;
  await n.step('A stranger presents a stolen credential', async () => {
    const nonce = randomBytes(12).toString('base64url');
    // The stranger has a key of their own, and the child's credentials copied from somewhere.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    const strangerDid = didKeyFromEd25519PublicKey(new Uint8Array(raw));
    const { header, payload } = buildPresentation({
      guardian: strangerDid,
      credentials: [{ jwt: issued[1]!.birth }, { jwt: issued[1]!.guardianship }],
      nonce,
      domain: DOMAIN,
      now: Date.now,
    });
    const jwt = await signJws(header, payload as unknown as Record<string, unknown>, (d) => new Uint8Array(cryptoSign(null, d, privateKey)));
    const r = await verify(jwt, { store, nonce, domain: DOMAIN });
    n.say(`Answer: ${describe(r)}`);
    n.expect('stranger with stolen credential', 'invalid HOLDER_NOT_GUARDIAN', `${r.outcome} ${codes(r)}`);
  });
}

/** A credential whose name was changed after signing: signature invalid. */
export async function forgedCredential(world: DemoWorld): Promise<void> {
  const { n, issued, store } = world;
  await n.step('Someone shows a forged credential (the name changed after signing)', async () => {
    const [h, p, s] = issued[2]!.birth.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { credentialSubject: Record<string, unknown> };
    payload.credentialSubject.givenName = 'Someone Else';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const r = await verify(forged, { store });
    n.say(`Answer: ${describe(r)}`);
    n.expect('forged credential', 'invalid SIGNATURE_INVALID', `${r.outcome} ${codes(r)}`);
  });
}

/** The registrar revokes the first child's credential; the checkpoint re-syncs and refuses it. */
export async function revocationReachesCheckpoint(world: DemoWorld): Promise<void> {
  const { n, issued, registrar, store, wallet } = world;
  await n.step(`The registrar revokes ${issued[0]!.name}'s credential (e.g. it was issued in error)`, async () => {
    world.server = await startStatusServer(registrar, world.port);
    await registrar.revoke(issued[0]!.birthId);
    await registrar.publish();
    const report = await registrar.processOutbox();
    n.say(`Revocation published and anchored: ${JSON.stringify(summarizeOutbox(report))}.`);
  });

  await n.step('The checkpoint re-syncs, then the guardian presents the revoked credential', async () => {
    const report = await sync({ store, alertKeys: [world.alertKey] });
    n.expect('checkpoint re-sync', 'ok', report.ok ? 'ok' : 'failed');
    await world.server.close();
    const nonce = randomBytes(12).toString('base64url');
    const p = await wallet.w.present({ child: wallet.children[0]!, nonce, domain: DOMAIN });
    const r = await verify(p.jwt, { store, nonce, domain: DOMAIN });
    n.say(`Answer: ${describe(r)}`);
    n.expect('revoked credential', 'invalid REVOKED', `${r.outcome} ${codes(r)}`);
  });
}

/** Two days without a sync: the checkpoint cannot confirm status (fail closed). */
export async function staleCheckpoint(world: DemoWorld): Promise<void> {
  const { n, store, wallet, workDir, secret, cleanups } = world;
  await n.step('Two days later, a checkpoint that has not synced since is asked again', async () => {
    const nonce = randomBytes(12).toString('base64url');
    const later = Date.now() + 2 * DAY * 1000;
    const w2 = await createWallet({ home: join(workDir, 'wallet'), secret, now: () => later });
    cleanups.push(() => w2.close());
    const p = await w2.present({ child: wallet.children[1]!, nonce, domain: DOMAIN });
    const r = await verify(p.jwt, { store, nonce, domain: DOMAIN, now: () => later });
    n.say(`Answer: ${describe(r)}`);
    n.expect('stale status data', 'indeterminate STATUS_STALE', `${r.outcome} ${codes(r)}`);
  });
}
