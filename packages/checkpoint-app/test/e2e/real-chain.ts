/**
 * Browser tests against a REAL ledger: a Hardhat EDR dev chain, a registrar that issued, revoked,
 * raised a child-protection alert, published and anchored through `cradle`, and a checkpoint that synced
 * and exported a bundle through `cradle`. The app then (1) imports that bundle, (2) syncs from the chain
 * and the registrar's HTTP status endpoint itself, in the browser, and (3) with the checkpoint's alert key
 * imported, reads the encrypted alert lists and shows the alert screen. Slower (it starts the chain and runs the CLI), so it runs with
 * `pnpm --filter @cradle/checkpoint-app test:e2e:chain`, not in the default suite.
 */
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';
import { didKeyFromEd25519PublicKey } from '@cradle/verifier';
import { importBundle, loadApp, openSession, readVerdict, setGovernance } from './browser-session.js';
import type { Session } from './browser-session.js';
import { certificateVideo } from './certificate-video.js';

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('../../', import.meta.url));
const repoDir = path.resolve(appDir, '../..');
const cliArgs = ['--conditions=source', '--import', 'tsx', path.join(repoDir, 'packages/cli/src/bin.ts')];
const env = { ...process.env, CRADLE_SECRET: 'checkpoint-app-e2e-secret-0123456789' };
const TEST_TIMEOUT = 180_000;

let work: string;
let distDir: string;
const daemons: ChildProcess[] = [];
const sessions: Session[] = [];
let registrarDid = '';
let governanceDid = '';
const jwt = { valid: '', revoked: '', missing: '' };
/** The checkpoint's alert key pair, as `cradle checkpoint alert-key` wrote it. */
const alertKey = { privateFile: '', publicFile: '', kid: '' };
/** Printed certificates (`cradle registrar certificate`) of both children, as fake-camera videos of their seals. */
const paper = { valid: '', revoked: '' };

async function cradle(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [...cliArgs, ...args, '--json'], { cwd: repoDir, env, maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

function daemon(args: string[], ready: RegExp): Promise<void> {
  const child = spawn(process.execPath, [...cliArgs, ...args], { cwd: repoDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  daemons.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (ready.test(seen)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`cradle ${args[0]} exited (${code}): ${seen.slice(-500)}`)));
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cradle-app-chain-'));
  distDir = path.join(work, 'dist');
  await build({ root: appDir, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  const [chainPort, regPort] = [await freePort(), await freePort()];
  const ledger = path.join(work, 'ledger.json');
  await daemon(['devchain', '--port', String(chainPort), '--out', ledger], /127\.0\.0\.1:\d+/);
  for (let i = 0; i < 100 && !(await readFile(ledger, 'utf8').catch(() => '')).includes('anchor'); i++) await new Promise((r) => setTimeout(r, 200));
  const reg = path.join(work, 'reg');
  // Alerts on: the registrar encrypts its alert lists to this checkpoint key (the public half only).
  alertKey.privateFile = path.join(work, 'checkpoint-alert.jwk');
  alertKey.publicFile = path.join(work, 'checkpoint-alert.pub.jwk');
  alertKey.kid = String((await cradle('checkpoint', 'alert-key', '--out', alertKey.privateFile, '--public-out', alertKey.publicFile)).kid);
  registrarDid = String(
    (await cradle('registrar', 'init', '--ledger', ledger, '--base-url', `http://127.0.0.1:${regPort}`, '--alert-recipient', alertKey.publicFile, '--home', reg)).did,
  );
  const wal = path.join(work, 'wal');
  await cradle('wallet', 'init', '--home', wal);
  const claims = path.join(repoDir, 'examples/data/birth-registration.json');
  const mother = String((await cradle('wallet', 'create-did', '--home', wal)).did);
  const guardians = path.join(work, 'guardians.json');
  await writeFile(guardians, JSON.stringify([{ id: mother, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } }]));
  // Each child gets a guardianship credential and a printed certificate with both seals.
  const issue = async (name: string) => {
    const child = String((await cradle('wallet', 'create-did', '--home', wal)).did);
    const birth = (await cradle('registrar', 'issue', '--subject', child, '--claims', claims, '--home', reg)) as { id: string; jwt: string };
    await cradle('registrar', 'guardianship', '--subject', child, '--guardians', guardians, '--home', reg);
    const pdf = path.join(work, `${name}.pdf`);
    await cradle('registrar', 'certificate', birth.id, '--out', pdf, '--home', reg);
    paper[name as keyof typeof paper] = (await certificateVideo(work, name, new Uint8Array(await readFile(pdf)))).video;
    return birth;
  };
  const valid = await issue('valid');
  const revoked = await issue('revoked');
  jwt.valid = valid.jwt;
  jwt.revoked = revoked.jwt;
  // A third child, reported missing: its (genuine) credential must stop the child where alerts are read.
  const missingChild = String((await cradle('wallet', 'create-did', '--home', wal)).did);
  const missing = (await cradle('registrar', 'issue', '--subject', missingChild, '--claims', claims, '--home', reg)) as { id: string; jwt: string };
  jwt.missing = missing.jwt;
  await cradle('registrar', 'alert', missing.id, '--kind', 'missing', '--home', reg);
  // Revoked after its certificate was printed: the paper in the family's hands must now fail.
  await cradle('registrar', 'revoke', revoked.id, '--home', reg);
  await cradle('registrar', 'publish', '--home', reg);
  await daemon(['registrar', 'serve', '--port', String(regPort), '--home', reg], /listening|127\.0\.0\.1:\d+/i);
  const cp = path.join(work, 'cp');
  await cradle('checkpoint', 'init', '--ledger', ledger, '--max-status-age', '1d', '--home', cp);
  await cradle('checkpoint', 'trust', 'add', registrarDid, '--home', cp);
  await cradle('checkpoint', 'sync', '--home', cp);
  // Signed by the governance authority the app is set up with: its registrar list and sync times count.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  governanceDid = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url')));
  const signKey = path.join(work, 'governance.jwk');
  await writeFile(signKey, JSON.stringify(privateKey.export({ format: 'jwk' })));
  await cradle('checkpoint', 'bundle', 'export', path.join(work, 'cp.bundle.json'), '--sign-key', signKey, '--home', cp);
});

after(async () => {
  for (const s of sessions) await s.close();
  for (const d of daemons) d.kill('SIGTERM');
  if (work) await rm(work, { recursive: true, force: true });
});

async function check(page: Session['page'], text: string) {
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await page.getByLabel('Or paste the code text').fill(text);
  await page.getByRole('button', { name: 'Check this text' }).click();
  const verdict = await readVerdict(page);
  await page.getByRole('button', { name: 'Done' }).click();
  return verdict;
}

test('a bundle exported by `cradle checkpoint bundle export` verifies credentials issued by `cradle registrar`', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openSession(distDir);
  sessions.push(s);
  await loadApp(s);
  await setGovernance(s.page, governanceDid);
  await importBundle(s.page, path.join(work, 'cp.bundle.json'));
  const valid = await check(s.page, jwt.valid);
  assert.equal(valid.outcome, 'valid', valid.text);
  assert.match(valid.text, /Amina Wanjiru Example-Otieno/);
  assert.deepEqual((await check(s.page, jwt.revoked)).codes, ['REVOKED']);
  assert.deepEqual(s.pageErrors, []);
});

async function syncNow(page: Session['page']): Promise<string> {
  await page.evaluate(() => (document.querySelector('#setup-message')!.textContent = ''));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.waitForFunction(() => /^Sync (complete|incomplete|failed)/.test(document.querySelector('#setup-message')?.textContent ?? ''), undefined, { timeout: 60_000 });
  return page.locator('#setup-message').innerText();
}

/** Setup screen: trust the test registrar and load the dev chain's ledger file (chain 31337) for network sync. */
async function trustRegistrarAndLoadLedger(page: Session['page']): Promise<void> {
  await page.getByText('Checkpoint settings').click();
  await page.getByLabel('Trust a registrar (DID)').fill(registrarDid);
  await page.getByRole('button', { name: 'Trust this registrar' }).click();
  await page.getByText('Sync over the network').click();
  await page.locator('#ledger-file').setInputFiles(path.join(work, 'ledger.json'));
  await page.waitForFunction(() => document.querySelector('#ledger-info')?.textContent?.includes('31337'));
}

test('the app syncs from the dev chain and the registrar by itself, in the browser', { timeout: TEST_TIMEOUT }, async () => {
  const s = await openSession(distDir);
  sessions.push(s);
  const { page } = s;
  await loadApp(s);
  await trustRegistrarAndLoadLedger(page);
  // Without the alert key the app does not even fetch the alert list: it could not read it.
  assert.match(await syncNow(page), /^Sync complete: 2 status lists updated/);
  assert.equal((await check(page, jwt.valid)).outcome, 'valid');
  assert.deepEqual((await check(page, jwt.revoked)).codes, ['REVOKED']);
  // The flagged child passes here, and the verdict says why this is no "all clear": alerts were not checked.
  const unchecked = await check(page, jwt.missing);
  assert.equal(unchecked.outcome, 'valid', unchecked.text);
  assert.match(unchecked.text, /Child-protection alerts NOT checked: this phone has no alert key/);
  assert.deepEqual(s.pageErrors, []);
});

test("with the checkpoint's alert key imported, the app reads the encrypted alert lists and a child reported missing gets the ALERT screen", { timeout: TEST_TIMEOUT }, async () => {
  const s = await openSession(distDir);
  sessions.push(s);
  const { page } = s;
  await loadApp(s);
  await trustRegistrarAndLoadLedger(page);

  await page.getByText('Child-protection alerts', { exact: true }).click();
  assert.match(await page.locator('#alert-key-info').innerText(), /No alert key: child-protection alerts are NOT checked/);
  // The registrar's half is refused, with what to do: a checkpoint needs the private key.
  await page.locator('#alert-key-file').setInputFiles(alertKey.publicFile);
  await page.waitForFunction(() => document.querySelector('#setup-message')?.textContent?.startsWith('This alert key file was not accepted'));
  assert.match(await page.locator('#setup-message').innerText(), /no private part/);
  await page.locator('#alert-key-file').setInputFiles(alertKey.privateFile);
  await page.waitForFunction(() => document.querySelector('#setup-message')?.textContent?.startsWith('Alert key saved'));
  assert.match(await page.locator('#alert-key-info').innerText(), new RegExp(`Alert key ${alertKey.kid}: child-protection alerts are checked`));

  // The same sync code as `cradle checkpoint sync`: the alert list is fetched, its digest checked against
  // the anchor, decrypted with the key on this phone, then checked like any signed status list.
  assert.match(await syncNow(page), /^Sync complete: 3 status lists updated/);
  const flagged = await check(page, jwt.missing);
  assert.equal(flagged.outcome, 'alert', flagged.text);
  assert.equal(flagged.title, 'ALERT');
  assert.match(flagged.text, /This child is reported missing\. Do not let the child leave\. Call the child-protection desk\./);
  assert.match(flagged.text, /Child-protection ALERT RAISED/);
  assert.match(flagged.text, /Amina Wanjiru Example-Otieno/, 'the facts are still shown');
  const clear = await check(page, jwt.valid);
  assert.equal(clear.outcome, 'valid', clear.text);
  assert.match(clear.text, /Child-protection checked: no alert raised/);
  assert.deepEqual((await check(page, jwt.revoked)).codes, ['REVOKED']);

  // The key stays on the phone (a reload keeps it); removing it turns the check off again.
  await loadApp(s);
  // A phone with trust data starts on Scan: Back leads to Setup.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.waitForSelector('body[data-screen="setup"]');
  await page.getByText('Child-protection alerts', { exact: true }).click();
  assert.match(await page.locator('#alert-key-info').innerText(), new RegExp(`Alert key ${alertKey.kid}`));
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Remove the alert key' }).click();
  await page.waitForFunction(() => document.querySelector('#setup-message')?.textContent?.startsWith('Alert key removed'));
  const afterRemoval = await check(page, jwt.missing);
  assert.equal(afterRemoval.outcome, 'valid', afterRemoval.text);
  assert.match(afterRemoval.text, /alerts NOT checked/);
  assert.deepEqual(s.pageErrors, []);
});

test('certificates printed by `cradle registrar certificate`, in front of the camera: VALID, and INVALID (REVOKED) once the registrar revoked the record', { timeout: TEST_TIMEOUT }, async () => {
  for (const [name, expected] of [['valid', 'valid'], ['revoked', 'invalid']] as const) {
    const s = await openSession(distDir, paper[name]);
    sessions.push(s);
    const { page } = s;
    await loadApp(s);
    await setGovernance(page, governanceDid);
    await importBundle(page, path.join(work, 'cp.bundle.json'));
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    const verdict = await readVerdict(page);
    assert.equal(verdict.outcome, expected, verdict.text);
    assert.match(verdict.text, /Seal 1 \(birth registration\)/);
    if (expected === 'valid') assert.match(verdict.text, /May travel with the child Mother: Grace Akinyi Otieno · passport \(Kenya\) AK1234567/);
    else assert.deepEqual(verdict.codes, ['REVOKED']);
    assert.deepEqual(s.pageErrors, []);
  }
});
