import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { numberPlaceholders } from '../../src/storage/postgres-store.js';
import { freePort } from '../../../cli/test/helpers/free-port.js';
import { CLUSTER_DIR_PREFIX, reapOrphanedRuns, stopClusterNow, writeOwnerFile } from './stale-clusters.js';

/** A throwaway PostgreSQL server for tests and benches: its own data directory, port and superuser. */
export interface PostgresCluster {
  /** `postgres://cradle@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string;
  /** The cluster's directory (its data directory is `data` inside). */
  dir: string;
  /** Stop the server and delete its data directory. */
  stop(): Promise<void>;
  /** The same, synchronously (immediate shutdown), for an `exit` listener. */
  stopNow(): void;
}

/** Where Debian (or the PATH) has initdb / pg_ctl; a clear error when PostgreSQL is not installed. */
function binDir(): string {
  const fromEnv = process.env.CRADLE_PG_BINDIR;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() !== '') return join(which.stdout.trim(), '..');
  throw new Error('PostgreSQL is not installed (no initdb): `apt-get install postgresql` (CI does it in .ci/run), or set CRADLE_PG_BINDIR.');
}

/**
 * Start a PostgreSQL server in a temporary directory on 127.0.0.1 and a free port (initdb + pg_ctl).
 * PostgreSQL refuses to run as root: as root, the directory is given to the `postgres` user (created
 * by Debian's package) and the server runs as that user through `runuser`. `durable: false` turns
 * fsync off (tests); the bench keeps PostgreSQL's defaults. The directory records this process as its
 * owner, and clusters in the same temporary directory whose owner was killed are stopped first
 * (stale-clusters.ts).
 */
export async function startPostgresCluster(opts: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = binDir();
  reapOrphanedRuns(tmpdir());
  const dir = mkdtempSync(join(tmpdir(), CLUSTER_DIR_PREFIX));
  writeOwnerFile(dir);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv as string[], { encoding: 'utf8', cwd: dir, timeout: 120_000 });
    if (r.status !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
      throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}\n${log}`);
    }
  };
  const port = await freePort();
  const settings = [`-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${dir}`, '-c max_connections=200'];
  if (opts.durable !== true) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  try {
    run('initdb', ['-D', data, '-U', 'cradle', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://cradle@127.0.0.1:${port}/postgres`,
    dir,
    stopNow: () => stopClusterNow(dir),
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Create an empty database on the cluster at `adminUrl` and return its URL (one per registrar under test). */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `cradle_${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** Run one read-only query on a PostgreSQL database with `?` placeholders (as an auditor would, on a second connection). */
export async function queryPostgres<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  // COUNT(*) is a bigint, which pg returns as a string; tests compare numbers (as from SQLite).
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig });
  await client.connect();
  try {
    return (await client.query(numberPlaceholders(sql), params)).rows as T[];
  } finally {
    await client.end();
  }
}
