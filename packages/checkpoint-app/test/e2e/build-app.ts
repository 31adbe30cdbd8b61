/** Builds the checkpoint app (vite, production) into `outDir`; for the browser tests and bench/. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const appDir = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the app into `outDir` (emptied first). */
export async function buildApp(outDir: string): Promise<void> {
  await build({ root: appDir, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
