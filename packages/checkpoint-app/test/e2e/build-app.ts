/** Builds the checkpoint app (vite, production) into `outDir`; for the browser tests and bench/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const appDir = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the app into `outDir` (emptied first). */
export async function buildApp(outDir: string): Promise<void> {
  await build({ root: appDir, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * Builds one of the test pages next to this file (`store-harness`: the IndexedDB store against the
 * reference store; `decoder-harness`: the app's QR decoder beside jsQR) into `outDir`.
 */
export async function buildHarness(name: 'store-harness' | 'decoder-harness', outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: path.join(appDir, 'test/e2e', name),
    base: './',
    logLevel: 'warn',
    resolve: { conditions: ['source', 'module', 'browser', 'import', 'default'] },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
}
