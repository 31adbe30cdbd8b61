import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';
import { cleanUpOnExitOrSignal } from './stale-clusters.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway PostgreSQL cluster of the `postgres` test project. */
    cradlePostgresUrl: string;
  }
}

/**
 * Global setup of the `postgres` vitest project: one throwaway PostgreSQL server for the run (each
 * registrar under test gets its own database on it), stopped and deleted afterwards. A run that is
 * interrupted (SIGINT, SIGTERM, SIGHUP) or ends with `process.exit()` skips this teardown: the server
 * is stopped on the way out. A run killed with SIGKILL leaves it running; the next run stops it
 * (stale-clusters.ts).
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  const unregister = cleanUpOnExitOrSignal(() => cluster.stopNow());
  project.provide('cradlePostgresUrl', cluster.url);
  return async () => {
    unregister();
    await cluster.stop();
  };
}
