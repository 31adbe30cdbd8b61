// The bootstrap every CLI end-to-end test repeats: a real dev chain with its ledger file in a fresh
// directory, a `cradle` runner bound to one secret, an `ok` that expects success and parses the JSON
// answer, and a registrar's status server started as a real `cradle registrar serve` process (through
// faults.ts's startCradle) and waited for; all of it stopped after the file's tests.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, expect } from 'vitest';
import { startCradle } from './faults.js';
import { freePort } from './free-port.js';
import { runCradle } from './run-cradle.js';
import type { Run } from './run-cradle.js';

/** `cradle` with `CRADLE_SECRET` set, and `ok(args)`: run with `--json`, expect exit 0, return the answer. */
export interface Cradle {
  cradle(args: string[], stdin?: string): Promise<Run>;
  ok(args: string[]): Promise<Record<string, unknown>>;
}

/**
 * A `cradle` runner for one test file's registrar and wallet secret.
 *
 * @example
 * ```ts
 * const { cradle, ok } = cradleWithSecret('my-e2e-secret-0123456789abcdef');
 * const { did } = (await ok(['wallet', 'create-did', '--home', wallet])) as { did: string };
 * ```
 */
export function cradleWithSecret(secret: string): Cradle {
  const cradle = (args: string[], stdin?: string): Promise<Run> => runCradle(args, { env: { CRADLE_SECRET: secret }, ...(stdin === undefined ? {} : { stdin }) });
  return {
    cradle,
    async ok(args) {
      const run = await cradle([...args, '--json']);
      expect(run.code, `cradle ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
      return JSON.parse(run.stdout) as Record<string, unknown>;
    },
  };
}

/**
 * Start a real dev chain (Hardhat EDR) and write its ledger config to `dir/ledger.json`, the file
 * `cradle registrar init --ledger` and `cradle checkpoint init --ledger` read. The caller stops the chain.
 */
export async function devChainWithLedgerFile(dir: string): Promise<{ chain: DevChain; ledgerFile: string }> {
  const chain = await startDevChain();
  const ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(chain.config));
  return { chain, ledgerFile };
}

/**
 * Write a ledger config for a chain that is not running (the dev chain's chain id and first contract
 * addresses, nothing listening) to `dir/ledger.json`: for checkpoint commands that work offline.
 */
export async function offlineLedgerFile(dir: string): Promise<string> {
  const ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, JSON.stringify({ chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', anchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 1 }));
  return ledgerFile;
}

/**
 * Start `cradle registrar serve` for `home` on 127.0.0.1:`port` (anchoring on demand only) with the
 * shared {@link startCradle}, which waits for its first line, then wait until `/health` answers (a
 * thrown error if it never does). The caller stops it ({@link stopProcess}, or `SIGTERM` when done).
 */
export async function serveRegistrar(home: string, port: number, secret: string): Promise<ChildProcess> {
  const running = await startCradle(['registrar', 'serve', '--home', home, '--port', String(port), '--anchor-interval', '0'], { CRADLE_SECRET: secret });
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return running.child;
    await new Promise((r) => setTimeout(r, 200));
  }
  await running.stop();
  throw new Error(`cradle registrar serve --port ${port} did not answer /health within 60 s`);
}

/** SIGTERM `child` (if it still runs) and wait until it has exited. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((done) => {
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

/** What {@link RealChainTestbed.start} set up. */
export interface RealChainSetting {
  /** A fresh temporary directory for the test's homes and files. */
  dir: string;
  /** The dev chain's ledger config, as `cradle devchain --out` writes it. */
  ledgerFile: string;
  /** A free port for the registrar's service, and its URL (the registrar's `--base-url`). */
  port: number;
  baseUrl: string;
  chain: DevChain;
}

/** The real-chain setting of one end-to-end test file; made by {@link realChainTestbed}. */
export interface RealChainTestbed {
  /** A fresh directory, a dev chain (Hardhat EDR) with its ledger file, a free port. */
  start(): Promise<RealChainSetting>;
  /** `cradle registrar serve` for `home` on the setting's port (see {@link serveRegistrar}). */
  serve(home: string): Promise<void>;
  /** Stops the registrar's service and waits until it has exited. */
  stopServer(): Promise<void>;
  /** Stops the service and the chain: what follows runs offline. */
  goOffline(): Promise<void>;
}

/**
 * Call at the top of a test file: the setting its real-chain test starts, with the registrar's service
 * and the chain stopped after the file's tests whatever happened.
 *
 * @example
 * ```ts
 * const bed = realChainTestbed('cradle-alerts-e2e-', SECRET);
 * it('...', async () => {
 *   const { dir, ledgerFile, baseUrl } = await bed.start();
 *   // registrar init --base-url baseUrl, issue, publish ...
 *   await bed.serve(join(dir, 'registrar'));
 * });
 * ```
 */
export function realChainTestbed(prefix: string, secret: string): RealChainTestbed {
  let chain: DevChain | undefined;
  let server: ChildProcess | undefined;
  let port = 0;
  const stopServer = async () => {
    await stopProcess(server);
    server = undefined;
  };
  afterAll(async () => {
    await stopServer();
    await chain?.stop();
    chain = undefined;
  });
  return {
    async start() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      const started = await devChainWithLedgerFile(dir);
      chain = started.chain;
      port = await freePort();
      return { dir, ledgerFile: started.ledgerFile, port, baseUrl: `http://127.0.0.1:${port}`, chain: started.chain };
    },
    async serve(home) {
      server = await serveRegistrar(home, port, secret);
    },
    stopServer,
    async goOffline() {
      await stopServer();
      await chain?.stop();
      chain = undefined;
    },
  };
}
