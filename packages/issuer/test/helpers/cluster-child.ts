// A process that starts a throwaway PostgreSQL cluster the way a test run does, reports where it is,
// and waits to be killed (stale-clusters.test.ts). With RUN_DIR set it first makes a test-run directory
// (as vitest.global-setup.ts does) and starts the cluster inside it. With STOP_ON_EXIT it cleans up on
// exit and signals as the global setups do; with EXIT_ON_SIGTERM it first does what vitest does before
// any global setup runs: SIGTERM ends the process with process.exit(), and an `exit` listener calls
// process.exit() again (which ends the process before any later `exit` listener).
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster } from './postgres-cluster.js';
import { RUN_DIR_PREFIX, cleanUpOnExitOrSignal, removeRunNow, writeOwnerFile } from './stale-clusters.js';

if (process.env.EXIT_ON_SIGTERM === '1') {
  process.once('SIGTERM', () => process.exit(143));
  process.once('exit', () => process.exit());
}
let runDir: string | undefined;
if (process.env.RUN_DIR === '1') {
  runDir = mkdtempSync(join(tmpdir(), RUN_DIR_PREFIX));
  chmodSync(runDir, 0o711); // as vitest.global-setup.ts: PostgreSQL (as its own user, when run as root) must reach its directory
  writeOwnerFile(runDir);
  process.env.TMPDIR = runDir;
}
const cluster = await startPostgresCluster();
if (process.env.STOP_ON_EXIT === '1') cleanUpOnExitOrSignal(() => (runDir === undefined ? cluster.stopNow() : removeRunNow(runDir!)));
process.stdout.write(`${JSON.stringify({ url: cluster.url, dir: cluster.dir, runDir })}\n`);
setInterval(() => undefined, 60_000);
