// A killed test run must not leave its PostgreSQL server running for good: the next run stops the
// servers whose owner is gone, a run that exits stops its own on the way out, and a live run's server
// is never touched. Real PostgreSQL servers, real processes killed with SIGKILL.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgresCluster } from '../helpers/postgres-cluster.js';
import { reapOrphanedRuns } from '../helpers/stale-clusters.js';

const CHILD = resolve(import.meta.dirname, '../helpers/cluster-child.ts');
/** Each test starts one to three PostgreSQL servers: ~10 s each on a quiet machine, over a minute on a loaded one. */
const SLOW = 300_000;
const roots: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const root of roots) reapOrphanedRuns(root);
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'stale-clusters-'));
  chmodSync(root, 0o711); // traversable by the postgres user (see vitest.global-setup.ts)
  roots.push(root);
  return root;
}

interface Started {
  child: ChildProcess;
  url: string;
  dir: string;
  runDir?: string;
}

/** Start a process that starts a cluster under `root` (inside a test-run directory with `run`), as a test run does. */
async function startOwner(root: string, opts: { run?: boolean; stopOnExit?: boolean; exitOnSigterm?: boolean } = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
    env: { ...process.env, TMPDIR: root, RUN_DIR: opts.run === true ? '1' : '', STOP_ON_EXIT: opts.stopOnExit === true ? '1' : '', EXIT_ON_SIGTERM: opts.exitOnSigterm === true ? '1' : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the cluster owner exited (${code}) before its cluster answered`)));
  });
  return { child, ...(JSON.parse(line) as Omit<Started, 'child'>) };
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const gone = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await gone;
}

/** Whether a server answers at `url` (a query, on a new connection). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('throwaway PostgreSQL clusters of killed runs are stopped by the next run', { timeout: SLOW }, () => {
  it('a run killed with SIGKILL leaves its server running; the next start in that directory stops it and deletes its directory', async () => {
    const root = freshRoot();
    const killed = await startOwner(root);
    await kill(killed.child, 'SIGKILL');
    expect(await answers(killed.url)).toBe(true); // what a killed run used to leave behind
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = root; // where the bench starts its cluster; a test run's global setup reaps its parent the same way
    const next = await startPostgresCluster().finally(() => {
      process.env.TMPDIR = previous;
    });
    try {
      expect(await answers(killed.url)).toBe(false);
      expect(existsSync(killed.dir)).toBe(false);
      expect(await answers(next.url)).toBe(true);
    } finally {
      await next.stop();
    }
  });

  it('a killed vitest run: its whole test-run directory goes, with the server inside it', async () => {
    const root = freshRoot();
    const killed = await startOwner(root, { run: true });
    expect(killed.dir.startsWith(`${killed.runDir!}/`)).toBe(true);
    await kill(killed.child, 'SIGKILL');
    expect(await answers(killed.url)).toBe(true);
    expect(reapOrphanedRuns(root)).toEqual([killed.runDir]);
    expect(await answers(killed.url)).toBe(false);
    expect(existsSync(killed.runDir!)).toBe(false);
  });

  it('the server of a run that is still going is left alone, in its own process or another', async () => {
    const root = freshRoot();
    const other = await startOwner(root, { run: true });
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = root;
    const mine = await startPostgresCluster().finally(() => {
      process.env.TMPDIR = previous;
    });
    try {
      expect(reapOrphanedRuns(root)).toEqual([]);
      expect(await answers(other.url)).toBe(true);
      expect(await answers(mine.url)).toBe(true);
    } finally {
      await mine.stop();
      await kill(other.child, 'SIGKILL');
    }
  });
});

describe('a run that is interrupted stops its own cluster on the way out', { timeout: SLOW }, () => {
  it('SIGTERM, SIGINT or SIGHUP with nobody else handling it: the server is stopped, the run directory deleted, and the signal still ends the process', async () => {
    const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
    const runs = await Promise.all(signals.map(() => startOwner(freshRoot(), { run: true, stopOnExit: true })));
    for (const [i, signal] of signals.entries()) {
      const run = runs[i]!;
      const ended = new Promise<NodeJS.Signals | null>((done) => run.child.once('exit', (_code, by) => done(by)));
      run.child.kill(signal);
      expect(await ended, signal).toBe(signal);
      expect(await answers(run.url), signal).toBe(false);
      expect(existsSync(run.runDir!), signal).toBe(false);
    }
  });

  it('a runner that answers the signal with process.exit and exits again in its own exit listener (vitest): the server is stopped first', async () => {
    const root = freshRoot();
    const run = await startOwner(root, { stopOnExit: true, exitOnSigterm: true });
    await kill(run.child, 'SIGTERM');
    expect(run.child.exitCode).toBe(143);
    expect(await answers(run.url)).toBe(false);
    expect(existsSync(run.dir)).toBe(false);
  });
});
