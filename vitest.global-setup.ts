import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Global setup of both test projects: every temporary directory a test (or a process it starts: the
 * CLI, `registrar serve`, a dev chain, PostgreSQL) makes under `os.tmpdir()` lands in one directory per
 * run, deleted when the run ends, so test runs leave nothing behind in /tmp whether or not each test
 * cleans up after itself. TMPDIR is read by `os.tmpdir()` on every call and inherited by the test
 * workers and their child processes. Both projects share the first project's directory.
 */
export function setup(): () => void {
  if (process.env.CRADLE_TEST_TMPDIR !== undefined) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cradle-test-run-'));
  // Traversable (not listable) by other users: PostgreSQL's initdb runs as the postgres user when the
  // tests run as root and must reach its own directory inside; each test's directory stays 0700.
  chmodSync(dir, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  process.env.CRADLE_TEST_TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env.CRADLE_TEST_TMPDIR;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
