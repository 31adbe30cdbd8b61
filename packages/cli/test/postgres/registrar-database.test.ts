import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { createDatabase, queryPostgres } from '../../../issuer/test/helpers/postgres-cluster.js';
import { jsonLine } from '../helpers/json-line.js';
import { REPO, runCradle } from '../helpers/run-cradle.js';
import type { Run } from '../helpers/run-cradle.js';

const SECRET = 'cli-postgres-secret-0123456789';
const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const SLOW = 240_000;

let devChain: DevChain;
let dir: string;
let home: string;
let ledgerFile: string;
let database: string;

function cradle(args: string[]): Promise<Run> {
  return runCradle(args, { env: { CRADLE_SECRET: SECRET } });
}

beforeAll(async () => {
  devChain = await startDevChain({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'cradle-cli-pg-'));
  home = join(dir, 'registrar');
  ledgerFile = join(dir, 'ledger.json');
  await writeFile(ledgerFile, serializeLedgerConfig(devChain.config));
  database = await createDatabase(inject('cradlePostgresUrl'));
});

afterAll(async () => {
  await devChain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cradle registrar on PostgreSQL (init --database)', () => {
  it('init --database keeps records and keys in PostgreSQL, not in a SQLite file; the home keeps only config.json', async () => {
    const run = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--database', database, '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(jsonLine(run).database).toBe(database);
    expect(existsSync(join(home, 'registrar.sqlite'))).toBe(false);
    expect(JSON.parse(await readFile(join(home, 'config.json'), 'utf8')).database).toBe(database);
    const keys = await queryPostgres<{ n: number }>(database, 'SELECT COUNT(*) AS n FROM "private-key"');
    expect(keys[0]!.n).toBe(3);
  }, SLOW);

  it('issue, revoke and publish go through the database; the revocation is anchored', async () => {
    const issued = await cradle(['registrar', 'issue', '--home', home, '--subject', CHILD, '--claims', join(REPO, 'examples/data/birth-registration.json'), '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const { id } = jsonLine(issued) as { id: string };
    expect((await cradle(['registrar', 'revoke', id, '--home', home, '--json'])).code).toBe(0);
    const published = await cradle(['registrar', 'publish', '--home', home, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const rows = await queryPostgres<{ revoked_at: string | null }>(database, 'SELECT revoked_at FROM cradle_credential WHERE id = ?', [id]);
    expect(rows[0]!.revoked_at).not.toBeNull();
    const outbox = await queryPostgres<{ state: string }>(database, 'SELECT state FROM cradle_anchor_outbox');
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.every((r) => r.state === 'confirmed')).toBe(true);
    expect(existsSync(join(home, 'registrar.sqlite'))).toBe(false);
  }, SLOW);

  it('init again with another database is a CONFLICT (init never moves the records); without --database it keeps the recorded one', async () => {
    const other = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--database', `${database}_other`, '--json']);
    expect(other.code).toBe(1);
    expect((jsonLine(other).error as { code: string }).code).toBe('CONFLICT');
    const again = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', home, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(jsonLine(again).alreadyInitialised).toBe(true);
  }, SLOW);
});
