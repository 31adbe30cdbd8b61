import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway PostgreSQL cluster of the `postgres` test project. */
    cradlePostgresUrl: string;
  }
}

/**
 * Global setup of the `postgres` vitest project: one throwaway PostgreSQL server for the run (each
 * registrar under test gets its own database on it), stopped and deleted afterwards.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('cradlePostgresUrl', cluster.url);
  return () => cluster.stop();
}
