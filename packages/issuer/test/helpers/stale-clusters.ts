// A test run (vitest, the bench) that is killed never runs its teardown, and the PostgreSQL server it
// started keeps running in a directory nobody will delete. Each such directory records the process
// that owns it; the next run stops the servers of owners that are gone and deletes their directories,
// and a run that exits or is interrupted (SIGINT, SIGTERM, SIGHUP) stops its own synchronously on the
// way out. Only directories with an owner file are ever touched, and never one
// whose owner still runs: other runs on the same machine (another worktree, another user) keep theirs.
import { existsSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file, in a run's or a cluster's directory, naming the process that owns it. */
export const OWNER_FILE = 'cradle-owner.json';
/** Directory name prefixes of a test run's temporary root and of a throwaway PostgreSQL cluster. */
export const RUN_DIR_PREFIX = 'cradle-test-run-';
export const CLUSTER_DIR_PREFIX = 'cradle-pg-';

interface Owner {
  readonly pid: number;
  /** The process's start time (Linux /proc, clock ticks since boot), so a reused pid is not taken for the owner. */
  readonly started?: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // A zombie (exited, not yet reaped: the postmaster's parent is whatever adopted it) is gone.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Record this process as the owner of `dir`. */
export function writeOwnerFile(dir: string): void {
  const owner: Owner = { pid: process.pid, ...(startTimeOf(process.pid) === undefined ? {} : { started: startTimeOf(process.pid) }) };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
}

/** Whether `dir` has an owner file and that process is gone (a directory without one is not ours to judge). */
export function isOrphaned(dir: string): boolean {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  if (!isRunning(owner.pid)) return true;
  const started = startTimeOf(owner.pid);
  return owner.started !== undefined && started !== undefined && started !== owner.started;
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Stop the PostgreSQL server whose data directory is `<clusterDir>/data` (immediate shutdown, as
 * `pg_ctl stop -m immediate` does: SIGQUIT to the postmaster named in postmaster.pid, after checking it
 * is a postgres process serving that directory), wait for it to go, and delete `clusterDir`. Synchronous,
 * so it can run in an `exit` listener.
 */
export function stopClusterNow(clusterDir: string): void {
  const data = join(clusterDir, 'data');
  const pidFile = join(data, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pidLine, dataLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidLine);
    const serves = dataLine !== undefined && samePath(dataLine, data) && Number.isSafeInteger(pid) && pid > 0 && isRunning(pid);
    const isPostgres = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
      } catch {
        return process.platform !== 'linux'; // no /proc: trust postmaster.pid's data directory line
      }
    })();
    if (serves && isPostgres) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
      for (let waited = 0; waited < 10_000 && isRunning(pid); waited += 50) sleep(50);
    }
  }
  rmSync(clusterDir, { recursive: true, force: true, maxRetries: 3 });
}

/** The throwaway clusters directly inside `dir`. */
function clustersIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.startsWith(CLUSTER_DIR_PREFIX))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/**
 * Stop and delete what killed runs left in `root` (the temporary directory runs start in): every
 * cluster directory and every test-run directory whose owner is gone, with the clusters inside it.
 * Returns the directories removed.
 */
export function reapOrphanedRuns(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const isRun = name.startsWith(RUN_DIR_PREFIX);
    if (!(isRun || name.startsWith(CLUSTER_DIR_PREFIX)) || !isOrphaned(dir)) continue;
    if (isRun) {
      for (const cluster of clustersIn(dir)) stopClusterNow(cluster);
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } else {
      stopClusterNow(dir);
    }
    reaped.push(dir);
  }
  return reaped;
}

/** Stop every cluster inside a run's own directory and delete it (the run's exit path). */
export function removeRunNow(runDir: string): void {
  for (const cluster of clustersIn(runDir)) stopClusterNow(cluster);
  rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Run `cleanup` (synchronous) once, when the process exits or is interrupted by SIGINT, SIGTERM or
 * SIGHUP. Node runs no `exit` listener when a signal ends the process; vitest answers SIGINT and
 * SIGTERM with `process.exit()`, which skips every teardown, and its own `exit` listener calls
 * `process.exit()` again, which ends the process before any later `exit` listener runs. So these
 * listeners go first (prepended). When no other listener handles the signal, it is raised again after
 * the cleanup so the process ends as the signal would have ended it. Returns the function that
 * unregisters all of this (the teardown that ran normally calls it).
 */
export function cleanUpOnExitOrSignal(cleanup: () => void): () => void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    cleanup();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    off();
    once();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const off = (): void => {
    process.off('exit', once);
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  process.prependOnceListener('exit', once);
  for (const s of SIGNALS) process.prependListener(s, onSignal);
  return off;
}
