import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { offlineLedgerFile } from './helpers/e2e.js';
import { runCradle } from './helpers/run-cradle.js';
import type { Run } from './helpers/run-cradle.js';

// Cold start of `cradle checkpoint verify` is a benchmark figure (bench/figures/cold-start.ts): a border
// officer's script runs it once per traveller. It loads what one offline check needs and nothing else:
// the HTTP service (Fastify, OpenID4VP and zod), the ledger client (ethers) and the PNG reader (jsQR,
// pngjs) load only in the commands or on the input that use them.
const NOT_FOR_VERIFY = ['fastify', '@fastify/swagger', '@openid4vc/openid4vp', 'zod', 'ethers', 'ethr-did-resolver', 'jsqr', 'pngjs', 'hardhat'];
const NOT_FOR_VERIFY_SOURCES = ['packages/ledger/', 'packages/verifier/src/sync.ts', 'packages/verifier/src/node/http-server.ts', 'packages/verifier/src/node/openid4vp-routes.ts'];

/** Preload that records every module the process resolves (ESM) or requires (CommonJS) into `log`. */
const PRELOAD = (log: string) => `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const log = ${JSON.stringify(log)};
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(\${JSON.stringify(log)}, resolved.url + '\\\\n');
  return resolved;
}\`));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(log, Object.keys(cache).map((f) => 'file://' + f + '\\n').join('')));
`;

/** Run `cradle ARGS` and return what it printed and every module file it loaded. */
async function runRecordingModules(dir: string, name: string, args: string[]): Promise<{ run: Run; modules: string[] }> {
  const log = join(dir, `${name}.modules`);
  const preload = join(dir, `${name}-preload.mjs`);
  await writeFile(log, '');
  await writeFile(preload, PRELOAD(log));
  const run = await runCradle(args, { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } });
  const modules = (await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('file://'));
  return { run, modules };
}

const fromPackage = (modules: string[], pkg: string) => modules.filter((m) => m.includes(`/node_modules/${pkg}/`));

describe('cradle checkpoint verify cold start', () => {
  it('loads neither the HTTP service, nor the ledger client, nor the PNG reader to verify a token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-cold-'));
    const ledger = await offlineLedgerFile(dir);
    const home = join(dir, 'cp');
    // Control: init reads the ledger file with @cradle/ledger, so the recorder sees a module loaded on use.
    const init = await runRecordingModules(dir, 'init', ['checkpoint', 'init', '--ledger', ledger, '--home', home, '--json']);
    expect(init.run.code, init.run.stderr).toBe(0);
    expect(init.modules.some((m) => m.includes('packages/ledger/'))).toBe(true);
    expect(fromPackage(init.modules, 'ethers').length).toBeGreaterThan(0);

    // A well-formed token from an issuer this checkpoint does not know: verification runs to a verdict.
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', vc: {} })).toString('base64url');
    const token = `${header}.${payload}.${Buffer.alloc(64, 7).toString('base64url')}`;
    const verify = await runRecordingModules(dir, 'verify', ['checkpoint', 'verify', token, '--home', home, '--json']);
    expect(verify.run.code, verify.run.stderr).toBe(1);
    expect(JSON.parse(verify.run.stdout)).toMatchObject({ outcome: 'invalid' });
    expect(verify.modules.some((m) => m.includes('packages/verifier/src/verify-credential.ts'))).toBe(true);
    for (const pkg of NOT_FOR_VERIFY) expect(fromPackage(verify.modules, pkg), `checkpoint verify loaded ${pkg}`).toEqual([]);
    for (const src of NOT_FOR_VERIFY_SOURCES) expect(verify.modules.filter((m) => m.includes(src)), `checkpoint verify loaded ${src}`).toEqual([]);
  }, 120_000);
});
