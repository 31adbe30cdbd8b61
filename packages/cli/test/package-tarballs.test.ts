// #19 item 5: what `pnpm pack` puts into each publishable package, and what installing the verifier
// brings with it. Every package ships LICENSE, README.md, its built entry points and its sources; none
// ships tests. The verifier's tarball, installed on its own (with core's), must not pull in a dev chain,
// a Solidity compiler or ethers: a checkpoint installs an offline verifier, nothing else.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers/run-cradle.js';

const run = promisify(execFile);
const PUBLISHED = ['core', 'ledger', 'verifier', 'holder', 'issuer', 'cli'] as const;

interface PackResult {
  filename: string;
  files: { path: string }[];
}

async function pack(pkg: string, destination: string, dryRun: boolean): Promise<PackResult> {
  // A dry run lists the files without building (scripts off); a real pack runs `prepack` (the build).
  const args = ['pack', '--json', '--pack-destination', destination, ...(dryRun ? ['--dry-run', '--config.ignore-scripts=true'] : [])];
  const { stdout } = await run('pnpm', args, { cwd: join(REPO, 'packages', pkg), maxBuffer: 64 * 1024 * 1024 });
  // pnpm prints the prepack build's output first; the JSON report is the last object.
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1)) as PackResult;
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cradle-pack-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pnpm pack: every publishable package carries what it needs', () => {
  it.each(PUBLISHED)('@cradle/%s: LICENSE, README, package.json, sources and a prepack build; no tests', async (pkg) => {
    const files = (await pack(pkg, work, true)).files.map((f) => f.path);
    for (const required of ['LICENSE', 'README.md', 'package.json', 'src/index.ts']) expect(files, `${pkg} lacks ${required}`).toContain(required);
    if (pkg === 'cli') expect(files).toContain('src/bin.ts');
    expect(files.filter((f) => /(^|\/)test\/|\.test\.ts$|tsbuildinfo/.test(f)), pkg).toEqual([]);
    const manifest = JSON.parse(await readFile(join(REPO, 'packages', pkg, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; license?: string };
    // `pnpm pack` / `pnpm publish` build dist/ first, so a tarball never lacks its entry points.
    expect(manifest.scripts?.prepack, pkg).toBe('pnpm run build');
    expect(manifest.license).toBe('Apache-2.0');
  });

  it('@cradle/ledger also ships the contract source and its compiled artifact', async () => {
    const files = (await pack('ledger', work, true)).files.map((f) => f.path);
    expect(files.some((f) => f.startsWith('contracts/') && f.endsWith('.sol'))).toBe(true);
    expect(files.some((f) => f.startsWith('artifacts/'))).toBe(true);
  });
});

describe('installing the verifier', () => {
  it('the built tarballs of core and verifier install on their own: no hardhat, solc, dev chain or ethers in the tree, and the entry imports', async () => {
    const tarballs: Record<string, string> = {};
    for (const pkg of ['core', 'ledger', 'verifier'] as const) {
      const result = await pack(pkg, work, false); // ledger is built only because the verifier's /sync entry compiles against its types
      const files = result.files.map((f) => f.path);
      expect(files, pkg).toContain('dist/index.js');
      expect(files, pkg).toContain('dist/index.d.ts');
      tarballs[pkg] = result.filename;
    }
    const app = join(work, 'checkpoint');
    await mkdir(app, { recursive: true });
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'a-checkpoint',
        private: true,
        type: 'module',
        dependencies: { '@cradle/verifier': `file:${tarballs.verifier}` },
        pnpm: { overrides: { '@cradle/core': `file:${tarballs.core}` } },
      }),
    );
    await run('pnpm', ['install', '--prefer-offline', '--ignore-scripts', '--config.auto-install-peers=true', '--no-frozen-lockfile'], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
    const installed = await readdir(join(app, 'node_modules', '.pnpm'));
    expect(installed.some((d) => d.startsWith('@cradle+verifier@'))).toBe(true);
    expect(installed.filter((d) => /^(hardhat|solc|@nomicfoundation\+|ethers|@cradle\+ledger)@?/.test(d))).toEqual([]);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "const m = await import('@cradle/verifier'); console.log(typeof m.verify, typeof m.importBundle)"], { cwd: app });
    expect(stdout.trim()).toBe('function function');
  }, 600_000);
});
