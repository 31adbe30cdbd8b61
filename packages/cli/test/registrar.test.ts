import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { startCradle } from './helpers/faults.js';
import { REPO, runCradle } from './helpers/run-cradle.js';
import type { Run } from './helpers/run-cradle.js';

const SECRET = 'cli-registrar-secret-0123456789';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const GUARDIAN = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';

let devChain: DevChain;
let dir: string;
let home: string;
let ledgerFile: string;

function cradle(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runCradle(args, { env: { CRADLE_SECRET: SECRET, ...env } });
}

function json(run: Run): Record<string, unknown> {
  expect(run.stdout.trim().split('\n'), run.stderr).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  devChain = await startDevChain({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'cradle-cli-registrar-'));
  home = join(dir, 'registrar');
  ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(devChain.config));
});

afterAll(async () => {
  await devChain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Each command is a fresh Node process (tsx compiles on the fly), so allow minutes, not seconds.
const SLOW = 240_000;

describe('cradle registrar', () => {
  it('init creates the did:ethr identity and needs a secret', async () => {
    const missing = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--json'], { CRADLE_SECRET: undefined });
    expect(missing.code).toBe(1);
    expect((json(missing).error as { code: string }).code).toBe('SECRET_MISSING');
    const run = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--base-url', 'https://registrar.example', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const out = json(run);
    expect(out.did).toMatch(/^did:ethr:0x7a69:0x[0-9a-fA-F]{40}$/);
    expect(out.verificationMethod).toBe(`${String(out.did)}#delegate-1`);
  }, SLOW);

  it('issue --json prints {"id","jwt"}; a wrong secret is a clear error', async () => {
    const claims = join(REPO, 'examples/data/birth-registration.json');
    const run = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', claims, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = json(run);
    expect(Object.keys(out).sort()).toEqual(['id', 'jwt']);
    expect(String(out.jwt).split('.')).toHaveLength(3);
    const wrong = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', claims, '--json'], { CRADLE_SECRET: 'wrong' });
    expect(wrong.code).toBe(1);
    expect((json(wrong).error as { code: string }).code).toBe('SECRET_WRONG');
    const bad = await cradle(['registrar', 'issue', '--home', home, '--subject', 'not-a-did', '--claims', claims, '--json']);
    expect(bad.code).toBe(1);
    expect(json(bad).error).toMatchObject({ code: 'INVALID_CLAIMS', details: { field: 'subject' } });
  }, SLOW);

  it('issue --format sd-jwt-vc prints the SD-JWT VC with all its disclosures; an unknown format is refused', async () => {
    const claims = join(REPO, 'examples/data/birth-registration.json');
    const run = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', claims, '--format', 'sd-jwt-vc', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const sdJwt = String(json(run).jwt);
    expect(sdJwt.endsWith('~')).toBe(true);
    expect(JSON.parse(Buffer.from(sdJwt.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'dc+sd-jwt', alg: 'EdDSA' });
    const unknown = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', claims, '--format', 'mdoc', '--json']);
    expect(unknown.code).toBe(1);
    expect(json(unknown).error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/vc\+jwt, jwt-vc or sd-jwt-vc/) });
  }, SLOW);

  it('guardianship, revoke, publish and pending', async () => {
    const g = await cradle(['registrar', 'guardianship', '--home', home, '--subject', CHILD, '--guardian', GUARDIAN, '--role', 'mother', '--json']);
    expect(g.code, g.stderr).toBe(0);
    const { id } = json(g) as { id: string };
    const revoked = await cradle(['registrar', 'revoke', id, '--home', home, '--json']);
    expect(json(revoked)).toMatchObject({ id, status: 'revoked' });
    const published = await cradle(['registrar', 'publish', '--home', home, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const report = json(published) as { published: unknown[]; anchored: { version: number }[]; pending: unknown[] };
    expect(report.published).toHaveLength(2);
    expect(report.anchored).toHaveLength(2);
    expect(report.pending).toEqual([]);
    const pending = await cradle(['registrar', 'pending', '--home', home, '--json']);
    const shown = json(pending) as { pending: unknown[]; lists: { purpose: string; signedVersion: number; anchoredVersion: number }[] };
    expect(shown.pending).toEqual([]);
    // What checkpoints see: every list's newest signed version is the anchored one.
    expect(shown.lists.map((l) => l.purpose).sort()).toEqual(['revocation', 'suspension']);
    for (const l of shown.lists) expect(l.anchoredVersion).toBe(l.signedVersion);
  }, SLOW);

  it('issue-batch reports rejected rows, issues the good ones, and exits 1 because rows were rejected', async () => {
    const run = await cradle(['registrar', 'issue-batch', '--home', home, '--input', join(REPO, 'examples/data/children-with-errors.csv'), '--assign-dids', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const out = json(run) as { issued: number; rejected: number; rejections: { row: number; field: string }[] };
    expect(out.issued).toBe(3);
    expect(out.rejected).toBe(7);
    expect(out.rejections[0]).toMatchObject({ row: 4, field: 'givenName' });
  }, SLOW);

  it('issue-batch --concurrency sets the rows in flight (1 = row by row); a value that is not a number of rows is INVALID_ARGUMENT', async () => {
    const input = join(REPO, 'examples/data/children.csv');
    const words = await cradle(['registrar', 'issue-batch', '--home', home, '--input', input, '--assign-dids', '--concurrency', 'many', '--json']);
    expect(words.code).toBe(1);
    expect(json(words).error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/--concurrency must be a whole number .*"many"/) });
    const zero = await cradle(['registrar', 'issue-batch', '--home', home, '--input', input, '--assign-dids', '--concurrency', '0', '--json']);
    expect(zero.code).toBe(1);
    expect(json(zero).error).toMatchObject({ code: 'INVALID_ARGUMENT', message: '--concurrency must be a whole number from 1 to 1024, not "0".' });
    const run = await cradle(['registrar', 'issue-batch', '--home', home, '--input', input, '--assign-dids', '--concurrency', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = json(run) as { total: number; issued: number; rejected: number };
    expect([out.issued, out.rejected]).toEqual([out.total, 0]);
    expect(out.total).toBe(120);
  }, SLOW);

  it('serve answers /health and serves status lists until stopped', async () => {
    const server = await startCradle(['registrar', 'serve', '--home', home, '--port', '0', '--json'], { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: 'cli-test-api-token-0123456789' });
    try {
      const { url } = JSON.parse(server.firstLine) as { url: string };
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
      const denied = await fetch(`${url}/credentials/issue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(denied.status).toBe(401);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, SLOW);
});
