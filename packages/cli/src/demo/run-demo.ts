import { generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimsFromFlatRecord, signJws } from '@cradle/core';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { buildPresentation, createWallet, didKeyFromEd25519PublicKey } from '@cradle/holder';
import { startDevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, sync, verify } from '@cradle/verifier';
import type { VerificationResult } from '@cradle/verifier';
import { Narrator, formatMs } from './narrator.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where to keep the SQLite files and the QR PNG (default: a new temporary directory, removed at the end). */
  workDir?: string;
  /** Keep the work directory (default false when it was created here). */
  keep?: boolean;
  /** Where to write lines (default stdout). */
  out?: (line: string) => void;
}

/** What the demo proved, for `--json` and for tests. */
export interface DemoResult {
  ok: boolean;
  summary: string;
  checks: { step: string; expected: string; actual: string; ok: boolean }[];
  qrPng: string;
  workDir: string;
}

const DOMAIN = 'checkpoint.busia-border.example';
const DAY = 86_400;

/**
 * The end-to-end story on the embedded default: a local EVM (Hardhat EDR) in this process, SQLite files
 * in a temporary directory, the registrar's status lists served on 127.0.0.1. Uses only the public APIs
 * that `examples/` teach.
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const n = new Narrator(opts.out);
  const workDir = opts.workDir ?? (await mkdtemp(join(tmpdir(), 'cradle-demo-')));
  const keep = opts.keep ?? opts.workDir !== undefined;
  const secret = randomBytes(24).toString('base64url');
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    n.say('Cradle demo: a registrar registers three children, a guardian carries their credentials,');
    n.say('and a border checkpoint verifies them with no network. Everything runs on this computer.');
    n.say(`Work directory: ${workDir}`);

    const chain = await n.step('Start a local ledger (an Ethereum-compatible chain on this machine)', async () => {
      const c = await startDevChain({ port: 0 });
      cleanups.push(() => c.stop());
      n.say(`Chain ${c.config.chainId} at ${c.url}; DID registry ${short(c.config.registry)}, anchor contract ${short(c.config.anchor)}.`);
      return c;
    });

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const registrar = await n.step('Set up the civil registrar (keys encrypted at rest, identity on the ledger)', async () => {
      const r = await createRegistrar({ home: join(workDir, 'registrar'), secret, ledger: chain.config, baseUrl });
      cleanups.push(() => r.close());
      const init = await r.init();
      n.say(`Registrar identity: ${init.did}`);
      n.say('Its signing key (Ed25519) is published on the ledger with an explicit 5-year validity.');
      return r;
    });

    let server = await startStatusServer(registrar, port);
    cleanups.push(() => server.close());

    const wallet = await n.step("Create the guardian's wallet and DIDs for her and three children", async () => {
      const w = await createWallet({ home: join(workDir, 'wallet'), secret });
      cleanups.push(() => w.close());
      const guardian = (await w.createDid({ label: 'Grace (guardian)' })).did;
      const children: string[] = [];
      for (const label of ['child 1', 'child 2', 'child 3']) children.push((await w.createDid({ label })).did);
      n.say(`Guardian: ${short(guardian)}; children: ${children.map(short).join(', ')}`);
      return { w, guardian, children };
    });

    const claims = await loadDemoClaims();
    const issued = await n.step('Register the three children and record their guardianship', async () => {
      const out: { birth: string; guardianship: string; birthId: string; name: string }[] = [];
      for (const [i, child] of wallet.children.entries()) {
        const c = claims[i]!;
        const t = performance.now();
        const birth = await registrar.issueBirthRegistration({ subject: child, claims: c });
        const ms = performance.now() - t;
        const guardianship = await registrar.issueGuardianship({ subject: child, guardians: [{ id: wallet.guardian, role: 'mother' }] });
        const name = `${String(c.givenName)} ${String(c.familyName)}`;
        n.say(`${name}, born ${String(c.birthDate)}: credential ${short(birth.id)} signed and stored in ${formatMs(ms)}.`);
        out.push({ birth: birth.jwt, guardianship: guardianship.jwt, birthId: birth.id, name });
      }
      return out;
    });

    await n.step("The guardian's wallet imports the credentials", async () => {
      for (const c of issued) {
        await wallet.w.importCredential(c.birth);
        await wallet.w.importCredential(c.guardianship);
      }
      const held = await wallet.w.listCredentials();
      n.say(`The wallet now holds ${held.length} credentials for ${wallet.children.length} children.`);
    });

    await n.step('Publish the status lists and anchor their digests on the ledger', async () => {
      const published = await registrar.publish();
      const report = await registrar.processOutbox();
      n.say(`${published.length} signed status lists published; anchors confirmed: ${JSON.stringify(summarizeOutbox(report))}.`);
      n.say('On the ledger: only list digests and version numbers. No names, no child DIDs.');
    });

    const store = new MemoryVerifierStore();
    await n.step('A border checkpoint trusts the registrar and syncs while it has a network', async () => {
      await store.write({ config: { maxStatusAge: DAY, ledger: chain.config } });
      await addTrustedIssuer(store, registrar.identity()!.did);
      const report = await sync({ store });
      n.say(`Synced up to block ${report.ledger?.head ?? '?'}: ${report.lists.length} status lists, ${report.didDocuments.length} registrar DID document(s).`);
      n.expect('checkpoint sync', 'ok', report.ok ? 'ok' : `failed: ${report.failures.map((f) => f.message).join('; ')}`);
    });

    await n.step('The checkpoint loses its network (status server stopped; verification never uses the network)', async () => {
      await server.close();
      n.say('From here on, every answer comes from data cached at the last sync.');
    });

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
      n.expect('guardian presents child', 'valid', r.outcome);
    });

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
        now: new Date(),
      });
      const jwt = await signJws(header, payload as unknown as Record<string, unknown>, (d) => new Uint8Array(cryptoSign(null, d, privateKey)));
      const r = await verify(jwt, { store, nonce, domain: DOMAIN });
      n.say(`Answer: ${describe(r)}`);
      n.expect('stranger with stolen credential', 'invalid HOLDER_NOT_GUARDIAN', `${r.outcome} ${codes(r)}`);
    });

    await n.step('Someone shows a forged credential (the name changed after signing)', async () => {
      const [h, p, s] = issued[2]!.birth.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { credentialSubject: Record<string, unknown> };
      payload.credentialSubject.givenName = 'Someone Else';
      const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      const r = await verify(forged, { store });
      n.say(`Answer: ${describe(r)}`);
      n.expect('forged credential', 'invalid SIGNATURE_INVALID', `${r.outcome} ${codes(r)}`);
    });

    await n.step(`The registrar revokes ${issued[0]!.name}'s credential (e.g. it was issued in error)`, async () => {
      server = await startStatusServer(registrar, port);
      await registrar.revoke(issued[0]!.birthId);
      await registrar.publish();
      const report = await registrar.processOutbox();
      n.say(`Revocation published and anchored: ${JSON.stringify(summarizeOutbox(report))}.`);
    });

    await n.step('The checkpoint re-syncs, then the guardian presents the revoked credential', async () => {
      const report = await sync({ store });
      n.expect('checkpoint re-sync', 'ok', report.ok ? 'ok' : 'failed');
      await server.close();
      const nonce = randomBytes(12).toString('base64url');
      const p = await wallet.w.present({ child: wallet.children[0]!, nonce, domain: DOMAIN });
      const r = await verify(p.jwt, { store, nonce, domain: DOMAIN });
      n.say(`Answer: ${describe(r)}`);
      n.expect('revoked credential', 'invalid REVOKED', `${r.outcome} ${codes(r)}`);
    });

    await n.step('Two days later, a checkpoint that has not synced since is asked again', async () => {
      const nonce = randomBytes(12).toString('base64url');
      const later = new Date(Date.now() + 2 * DAY * 1000);
      const w2 = await createWallet({ home: join(workDir, 'wallet'), secret, now: () => later });
      cleanups.push(() => w2.close());
      const p = await w2.present({ child: wallet.children[1]!, nonce, domain: DOMAIN });
      const r = await verify(p.jwt, { store, nonce, domain: DOMAIN, now: later });
      n.say(`Answer: ${describe(r)}`);
      n.expect('stale status data', 'indeterminate STATUS_STALE', `${r.outcome} ${codes(r)}`);
    });

    const { ok, line } = n.summary();
    n.say('');
    (opts.out ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
    return { ok, summary: line, checks: n.checks, qrPng, workDir };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    if (!keep) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function startStatusServer(registrar: Parameters<typeof createIssuerServer>[0], port: number): Promise<{ close(): Promise<void> }> {
  const app = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
  await app.listen({ host: '127.0.0.1', port });
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

async function loadDemoClaims(): Promise<Record<string, unknown>[]> {
  const data = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../examples/data');
  const first = JSON.parse(await readFile(join(data, 'birth-registration.json'), 'utf8')) as Record<string, unknown>;
  const csv = (await readFile(join(data, 'children.csv'), 'utf8')).trim().split('\n');
  const header = csv[0]!.split(',');
  const rows = csv.slice(1, 3).map((line) => {
    const cells = line.split(',');
    return claimsFromFlatRecord(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))) as Record<string, unknown>;
  });
  return [first, ...rows];
}

function describe(r: VerificationResult): string {
  const who = r.facts?.child ? `${r.facts.child.givenName} ${r.facts.child.familyName}, born ${r.facts.child.birthDate}` : 'unknown child';
  const headline = r.outcome === 'valid' ? 'VALID' : r.outcome === 'invalid' ? 'INVALID' : 'CANNOT CONFIRM';
  // "Not a listed guardian" only when the verifier proved it; stale data leaves guardianship unconfirmed.
  const notGuardian = r.errors.some((e) => e.code === 'HOLDER_NOT_GUARDIAN');
  const guardian = !r.facts?.guardian
    ? ''
    : r.facts.guardian.isListedGuardian
      ? '; presented by a listed guardian'
      : notGuardian
        ? '; presenter is NOT a listed guardian'
        : '; guardianship not confirmed';
  // The same sentence for two credentials of one presentation is said once.
  const messages = [...new Set(r.errors.map((e) => e.message))];
  const problems = messages.length > 0 ? ` — ${messages.join(' ')}` : '';
  return `${headline} (${who}${guardian})${problems}`;
}

function codes(r: VerificationResult): string {
  return [...new Set(r.errors.map((e) => e.code))].join(',');
}

function summarizeOutbox(report: unknown): unknown {
  if (report && typeof report === 'object') {
    const r = report as Record<string, unknown>;
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));
  }
  return report;
}

function short(s: string): string {
  return s.length > 28 ? `${s.slice(0, 18)}…${s.slice(-6)}` : s;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}
