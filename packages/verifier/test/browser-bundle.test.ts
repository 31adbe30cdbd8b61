import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Bundle one entry of @cradle/verifier for the browser, the way an app's bundler would, and report what it
 * pulled in: every `node:` (or bare Node built-in) import, and every package directory among the inputs.
 */
async function browserBundle(entry: string): Promise<{ nodeImports: string[]; packages: string[]; bytes: number }> {
  const nodeImports = new Set<string>();
  const recordNode: Plugin = {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /^(node:|fs$|path$|crypto$|os$|http$|https$|net$|child_process$|worker_threads$|url$|stream$|zlib$)/ }, (args) => {
        nodeImports.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [recordNode],
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]!);
    if (input.includes('packages/ledger/')) packages.add('@cradle/ledger');
  }
  return { nodeImports: [...nodeImports].sort(), packages: [...packages].sort(), bytes: result.outputFiles[0]!.contents.length };
}

describe('@cradle/verifier entry points', () => {
  it('the root entry bundles for the browser with no ethers, no @cradle/ledger and no node: module', async () => {
    const { nodeImports, packages } = await browserBundle('../src/index.ts');
    expect(nodeImports).toEqual([]);
    expect(packages.filter((p) => p === 'ethers' || p === '@cradle/ledger' || p.includes('did-resolver') || p === 'hardhat')).toEqual([]);
  }, 60_000);

  it('the store entry (for adapters) is as light: no ledger, no node:', async () => {
    const { nodeImports, packages } = await browserBundle('../src/store/index.ts');
    expect(nodeImports).toEqual([]);
    expect(packages.filter((p) => p === 'ethers' || p === '@cradle/ledger')).toEqual([]);
  }, 60_000);

  it('the sync entry is the one that brings the ledger client (so the check above can fail)', async () => {
    const { packages } = await browserBundle('../src/sync/index.ts');
    expect(packages).toContain('ethers');
    expect(packages).toContain('@cradle/ledger');
  }, 60_000);
});
