import { defineConfig } from 'vitest/config';

/**
 * The registrar's suite, run a second time on PostgreSQL (project `postgres`): the same test files,
 * parameterised by CRADLE_TEST_DATABASE, against a throwaway server the project's global setup starts;
 * `packages/<pkg>/test/postgres/` holds tests that only make sense on PostgreSQL (replicas).
 */
const REGISTRAR_SUITE = [
  'packages/issuer/test/registrar-*.test.ts',
  'packages/issuer/test/http-server.test.ts',
  'packages/issuer/test/status-pack-route.test.ts',
  'packages/issuer/test/certificate-registrar.test.ts',
  'packages/*/test/postgres/**/*.test.ts',
];

// Tests import workspace packages through their "source" export condition, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'packages/*/test/postgres/**'],
          globalSetup: ['vitest.global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: REGISTRAR_SUITE,
          env: { CRADLE_TEST_DATABASE: 'postgres' },
          globalSetup: ['vitest.global-setup.ts', 'packages/issuer/test/helpers/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
