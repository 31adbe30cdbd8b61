import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

/**
 * The service worker is built as its own entry at a stable URL (`/sw.js`). Once every file is written
 * (bundles, index.html, public/), this plugin lists them into it. A hash of their contents names the
 * cache, so any change to the app changes the worker's bytes and the browser installs the new version.
 */
function precacheManifest(): Plugin {
  let outDir = 'dist';
  return {
    name: 'cradle-precache-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const workerPath = path.join(outDir, 'sw.js');
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((d) => d.isFile())
        .map((d) => path.relative(outDir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
        .filter((name) => name !== 'sw.js' && !name.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const name of files) hash.update(name).update(await readFile(path.join(outDir, name)));
      const precache = { version: hash.digest('hex').slice(0, 16), urls: ['./', ...files.map((name) => `./${name}`)] };
      const placeholder = '"__CRADLE_PRECACHE__"';
      const code = await readFile(workerPath, 'utf8');
      if (!code.includes(placeholder)) throw new Error('sw.js has no precache placeholder');
      await writeFile(workerPath, code.replace(placeholder, JSON.stringify(precache)));
    },
  };
}

export default defineConfig({
  // Relative asset URLs so the built app can be hosted under any path on a static host.
  base: './',
  resolve: {
    // Workspace packages are consumed from source: no prebuild of @cradle/* is needed.
    conditions: ['source', 'module', 'browser', 'import', 'default'],
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: {
      // Absolute, so the build works from any working directory (bench/ builds it from the repository root).
      input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), sw: fileURLToPath(new URL('./src/service-worker.ts', import.meta.url)) },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  plugins: [precacheManifest()],
});
