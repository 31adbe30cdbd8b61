// Issue #20, the registrar's home under faults, produced for real with separate `cradle` processes:
// a busy database (CLI beside a loaded `registrar serve`), a zeroed or missing database, a failed init,
// a re-run init with another base URL, file modes.
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { REPO, runCradle } from './helpers/run-cradle.js';
import type { Run } from './helpers/run-cradle.js';
import { blackHole, startCradle } from './helpers/faults.js';

const SECRET = 'faults-registrar-secret-0123456789';
const TOKEN = 'faults-registrar-api-token-0123456789';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const CLAIMS = join(REPO, 'examples/data/birth-registration.json');
const SLOW = 300_000;

let chain: DevChain;
let dir: string;
let ledgerFile: string;

function cradle(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runCradle(args, { env: { CRADLE_SECRET: SECRET, ...env } });
}

function json(run: Run): Record<string, unknown> {
  expect(run.stdout.trim().split('\n'), `${run.stdout}\n${run.stderr}`).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  chain = await startDevChain();
  dir = await mkdtemp(join(tmpdir(), 'cradle-faults-registrar-'));
  ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(chain.config));
});

afterAll(async () => {
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let home: string; // the registrar most tests share: made by the init test, loaded by the busy test
let revokedLater: string; // a credential issued before the backup, revoked after the restore

describe('item 6: init leaves nothing half-made, and its files are private', () => {
  it('a failed init (wrong chain id) leaves nothing behind; the corrected init works and tightens an existing directory', async () => {
    home = join(dir, 'main');
    await mkdir(home, { mode: 0o755 });
    await chmod(home, 0o755);
    const wrongLedger = join(dir, 'wrong-chain.json');
    await writeFile(wrongLedger, serializeLedgerConfig({ ...chain.config, chainId: 4242 }));
    const failed = await cradle(['registrar', 'init', '--ledger', wrongLedger, '--home', home, '--json']);
    expect(failed.code).toBe(1);
    expect(json(failed).error).toMatchObject({ code: 'CHAIN_ID_MISMATCH' });
    expect(await readdir(home)).toEqual([]);

    const run = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--base-url', 'http://127.0.0.1:8080', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run)).toMatchObject({ alreadyInitialised: false, tightened: [home] });
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    for (const f of await readdir(home)) expect([f, (await stat(join(home, f))).mode & 0o777]).toEqual([f, 0o600]);
    expect(await readdir(home)).toEqual(expect.arrayContaining(['config.json', 'registrar.sqlite']));
  }, SLOW);
});

describe('item 8: the base URL is fixed by the first init', () => {
  it('init again with another --base-url is refused; without it, nothing changes', async () => {
    const other = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--base-url', 'https://elsewhere.example', '--json']);
    expect(other.code).toBe(1);
    expect(json(other).error).toMatchObject({ code: 'CONFLICT', details: { baseUrl: 'http://127.0.0.1:8080' } });
    const again = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(json(again)).toMatchObject({ alreadyInitialised: true, baseUrl: 'http://127.0.0.1:8080' });
  }, SLOW);
});

describe('item 4: the CLI beside a busy service', () => {
  it('registrar revoke from the CLI succeeds while registrar serve issues under load', async () => {
    const serve = await startCradle(['registrar', 'serve', '--home', home, '--port', '0', '--json', '--anchor-interval', '0'], { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: TOKEN });
    const { url } = JSON.parse(serve.firstLine) as { url: string };
    const claims = JSON.parse(await readFile(CLAIMS, 'utf8')) as Record<string, unknown>;
    const issue = async (): Promise<string> => {
      const res = await fetch(`${url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ credential: { credentialSubject: { id: CHILD, ...claims } } }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    try {
      const ids = [await issue(), await issue(), await issue()];
      revokedLater = await issue();
      let loading = true;
      let issuedUnderLoad = 0;
      const load = Array.from({ length: 6 }, async () => {
        while (loading) {
          await issue();
          issuedUnderLoad += 1;
        }
      });
      const runs = await Promise.all(ids.map((id) => cradle(['registrar', 'revoke', id, '--home', home, '--json'])));
      loading = false;
      await Promise.all(load);
      expect(issuedUnderLoad).toBeGreaterThan(0);
      for (const [i, run] of runs.entries()) {
        expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
        expect(json(run)).toMatchObject({ id: ids[i], status: 'revoked' });
      }
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, SLOW);
});

describe('item 3: a black-holed RPC (accepts connections, never answers)', () => {
  // Every RPC request times out after 10 s; the command then answers and exits. Before, the timed-out
  // socket stayed open and kept the process alive for as long as the black hole did.
  const BOUND_MS = 75_000;
  function timed(args: string[]): Promise<{ run: Run; ms: number }> {
    const t0 = Date.now();
    return runCradle(args, { env: { CRADLE_SECRET: SECRET }, timeoutMs: BOUND_MS }).then((run) => ({ run, ms: Date.now() - t0 }));
  }

  it('checkpoint sync and registrar publish answer, then exit', async () => {
    const hole = await blackHole();
    try {
      const holeLedger = join(dir, 'black-hole-ledger.json');
      await writeFile(holeLedger, serializeLedgerConfig({ ...chain.config, rpcUrl: hole.url }));
      const checkpoint = join(dir, 'checkpoint-black-hole');
      expect((await cradle(['checkpoint', 'init', '--ledger', holeLedger, '--home', checkpoint, '--json'])).code).toBe(0);
      // The registrar's RPC is black-holed after it revoked credentials (item 4, not yet published): its
      // config.json now points at the hole, and publish has lists to sign and anchors to send.
      const configFile = join(home, 'config.json');
      const original = await readFile(configFile, 'utf8');
      const config = JSON.parse(original) as { ledger: { rpcUrl: string } };
      await writeFile(configFile, JSON.stringify({ ...config, ledger: { ...config.ledger, rpcUrl: hole.url } }));
      try {
        const [sync, publish] = await Promise.all([
          timed(['checkpoint', 'sync', '--home', checkpoint, '--json']),
          timed(['registrar', 'publish', '--home', home, '--json']),
        ]);
        expect(hole.accepted()).toBeGreaterThanOrEqual(2);
        for (const { run, ms } of [sync, publish]) {
          expect(run.signal, `still running after ${BOUND_MS} ms`).toBeNull();
          expect(run.code).toBe(1);
          expect(ms).toBeLessThan(BOUND_MS);
        }
        expect(json(sync.run)).toMatchObject({ ok: false, failures: [{ source: 'ledger', code: 'RPC_UNREACHABLE' }] });
        expect(json(publish.run)).toMatchObject({ error: { code: 'RPC_UNREACHABLE' } });
      } finally {
        await writeFile(configFile, original);
      }
    } finally {
      await hole.close();
    }
  }, SLOW);
});

describe('item 5: a missing or zeroed database, and backup / restore', () => {
  it('backup, then a zeroed database is DATABASE_MISSING for every command (init included, which creates nothing); restore on a new machine revokes and publishes', async () => {
    const backupFile = join(dir, 'registrar.backup');
    const backup = await cradle(['registrar', 'backup', backupFile, '--home', home, '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const { did } = json(backup) as { did: string };
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
    const raw = await readFile(backupFile);
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false); // encrypted
    expect(raw.includes(Buffer.from(did.slice(-40)))).toBe(false);

    // The fault: the database file is truncated to zero bytes.
    for (const f of ['registrar.sqlite-wal', 'registrar.sqlite-shm']) await rm(join(home, f), { force: true });
    await truncate(join(home, 'registrar.sqlite'), 0);
    const commands = [['pending'], ['issue', '--subject', CHILD, '--claims', CLAIMS], ['init', '--ledger', ledgerFile]];
    const runs = await Promise.all(commands.map((args) => cradle(['registrar', ...args, '--home', home, '--json'])));
    for (const [i, run] of runs.entries()) {
      expect(run.code, commands[i]!.join(' ')).toBe(1);
      const error = json(run).error as { code: string; message: string };
      expect(error.code).toBe('DATABASE_MISSING');
      expect(error.message).toContain(did);
      expect(error.message).toMatch(/Do not run `registrar init`/);
    }
    expect((await stat(join(home, 'registrar.sqlite'))).size).toBe(0);

    // Restore refuses a live registrar without --force, and a wrong passphrase.
    const wrong = await cradle(['registrar', 'restore', backupFile, '--home', join(dir, 'new-machine'), '--json'], { CRADLE_SECRET: 'not the right secret at all' });
    expect(json(wrong).error).toMatchObject({ code: 'BACKUP_PASSPHRASE_WRONG' });
    await expect(stat(join(dir, 'new-machine', 'registrar.sqlite'))).rejects.toThrow();

    // A new machine: another home, the same secret.
    const fresh = join(dir, 'new-machine');
    const restored = await cradle(['registrar', 'restore', backupFile, '--home', fresh, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(json(restored)).toMatchObject({ did });
    const again = await cradle(['registrar', 'restore', backupFile, '--home', fresh, '--json']);
    expect(json(again).error).toMatchObject({ code: 'CONFLICT' });
    const revoked = await cradle(['registrar', 'revoke', revokedLater, '--home', fresh, '--json']);
    expect(json(revoked)).toMatchObject({ id: revokedLater, status: 'revoked' });
    const published = await cradle(['registrar', 'publish', '--home', fresh, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const report = json(published) as { anchored: { version: number }[]; pending: unknown[] };
    expect(report.anchored.length).toBeGreaterThan(0);
    expect(report.pending).toEqual([]);
  }, SLOW);
});
