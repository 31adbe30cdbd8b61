import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIR_PREFIX, cleanUpOnExitOrSignal, reapOrphanedRuns, removeRunNow, writeOwnerFile } from './packages/issuer/test/helpers/stale-clusters.js';

/**
 * Global setup of both test projects: every temporary directory a test (or a process it starts: the
 * CLI, `registrar serve`, a dev chain, PostgreSQL) makes under `os.tmpdir()` lands in one directory per
 * run, deleted when the run ends, so test runs leave nothing behind in /tmp whether or not each test
 * cleans up after itself. TMPDIR is read by `os.tmpdir()` on every call and inherited by the test
 * workers and their child processes. Both projects share the first project's directory.
 *
 * The directory names this process as its owner. A run killed with SIGKILL skips every teardown and
 * leaves its directory, and its PostgreSQL server running: the next run stops and deletes what runs
 * that are gone left (never a live run's). A run that is interrupted (SIGINT, SIGTERM, SIGHUP) or ends
 * with `process.exit()` also skips the teardown: the servers inside are stopped and the directory
 * deleted on the way out.
 */
export function setup(): () => void {
  if (process.env.CRADLE_TEST_TMPDIR !== undefined) return () => undefined;
  reapOrphanedRuns(tmpdir());
  const dir = mkdtempSync(join(tmpdir(), RUN_DIR_PREFIX));
  writeOwnerFile(dir);
  // Traversable (not listable) by other users: PostgreSQL's initdb runs as the postgres user when the
  // tests run as root and must reach its own directory inside; each test's directory stays 0700.
  chmodSync(dir, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  process.env.CRADLE_TEST_TMPDIR = dir;
  const unregister = cleanUpOnExitOrSignal(() => removeRunNow(dir));
  return () => {
    unregister();
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env.CRADLE_TEST_TMPDIR;
    removeRunNow(dir);
  };
}
