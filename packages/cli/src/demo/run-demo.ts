import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAlertKeyPair, readAlertKey } from '@cradle/core';
import { MemoryVerifierStore } from '@cradle/verifier';
import type { DemoWorld } from './context.js';
import { Narrator } from './narrator.js';
import { importIntoWallet, publishAndAnchor, registerChildren } from './registration.js';
import {
  checkpointGoesOffline,
  checkpointSyncs,
  forgedCredential,
  guardianPresents,
  paperCertificate,
  revocationReachesCheckpoint,
  staleCheckpoint,
  strangerPresents,
} from './scenes.js';
import { childReportedMissing, oneParentTrip } from './border-scenes.js';
import { freePort } from '@cradle/ledger/devchain';
import { setUpRegistrar, setUpWallet, startChain } from './setup.js';

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

/**
 * The end-to-end story on the embedded default: a local EVM (Hardhat EDR) in this process, SQLite files
 * in a temporary directory, the registrar's status lists served on 127.0.0.1. Uses only the public APIs
 * that `examples/` teach. Phases: setup (`setup.ts`), registration (`registration.ts`), checkpoint
 * scenes (`scenes.ts`).
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

    const chain = await startChain(n, cleanups);
    const port = await freePort();
    const alertKeys = await generateAlertKeyPair();
    const alertKey = await readAlertKey(alertKeys.privateJwk, 'private');
    const { registrar, server } = await setUpRegistrar(n, cleanups, { workDir, secret, chain, port, alertRecipients: [alertKeys.publicJwk] });
    const wallet = await setUpWallet(n, cleanups, { workDir, secret });
    const issued = await registerChildren(n, registrar, wallet);
    await importIntoWallet(n, wallet, issued);
    await publishAndAnchor(n, registrar);

    const world: DemoWorld = { n, workDir, keep, secret, cleanups, chain, port, registrar, server, wallet, issued, store: new MemoryVerifierStore(), alertKey };
    // A restarted status server replaces world.server; the last one is closed at the end too.
    cleanups.push(() => world.server.close());
    await checkpointSyncs(world);
    await checkpointGoesOffline(world);
    const qrPng = await guardianPresents(world);
    await oneParentTrip(world);
    await paperCertificate(world);
    await strangerPresents(world);
    await forgedCredential(world);
    await revocationReachesCheckpoint(world);
    await childReportedMissing(world);
    await staleCheckpoint(world);

    const { ok, line } = n.summary();
    n.say('');
    (opts.out ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
    return { ok, summary: line, checks: n.checks, qrPng, workDir };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    if (!keep) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
