import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import { createDatabase, startPostgresCluster } from '../../packages/issuer/test/helpers/postgres-cluster.js';
import { startCradle } from '../../packages/cli/test/helpers/faults.js';
import type { RunningCradle } from '../../packages/cli/test/helpers/faults.js';
import { freePort } from '../../packages/cli/test/helpers/free-port.js';
import { quantile } from '../lib/measure.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOTAL = Number(process.env.CRADLE_BENCH_REPLICAS ?? 2_000);
const CONCURRENCY = 16;
const SECRET = 'bench-replicas-secret-0123456789';
const TOKEN = 'bench-replicas-token-0123456789abcdef';
const ENV = { CRADLE_SECRET: SECRET, CRADLE_API_TOKEN: TOKEN };

function cradle(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(REPO, 'packages/cli/src/bin.ts'), ...args], { cwd: REPO, env: { ...process.env, ...ENV } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`cradle ${args.join(' ')}: ${err || out}`))));
  });
}

/**
 * Issue `TOTAL` credentials over HTTP through `homes.length` `registrar serve` processes (round-robin,
 * `CONCURRENCY` requests in flight), after 100 warm-up requests. Returns credentials/s and latencies.
 */
async function measure(homes: string[], body: (i: number) => string): Promise<{ rate: number; p50: number; p99: number }> {
  const servers: { port: number; process: RunningCradle }[] = [];
  for (const home of homes) {
    const port = await freePort();
    servers.push({ port, process: await startCradle(['registrar', 'serve', '--home', home, '--port', String(port), '--anchor-interval', '0', '--json'], ENV) });
  }
  try {
    const issue = async (i: number): Promise<number> => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${servers[i % servers.length]!.port}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: body(i),
      });
      if (res.status !== 201) throw new Error(`issue answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    let next = 0;
    const run = async (count: number, latencies: number[]) => {
      const end = next + count;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end) latencies.push(await issue(next++));
        }),
      );
    };
    await run(100, []);
    const latencies: number[] = [];
    const started = performance.now();
    await run(TOTAL, latencies);
    const seconds = (performance.now() - started) / 1000;
    return { rate: TOTAL / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  } finally {
    for (const s of servers) await s.process.stop();
  }
}

/**
 * Issuance throughput through the HTTP service (`registrar serve`, all writes durable) on the SQLite
 * file and on PostgreSQL with one and with two replicas on one database, in the same run. PostgreSQL runs
 * with its default durability (fsync on); everything (server, replicas, client) shares this machine.
 */
export async function replicaFigures(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cradle-bench-replicas-'));
  const chain = await startDevChain({ port: 0 });
  const cluster = await startPostgresCluster({ durable: true });
  try {
    const ledger = join(dir, 'ledger.json');
    await writeFile(ledger, serializeLedgerConfig(chain.config));
    const sqliteHome = join(dir, 'sqlite');
    const pgHome = join(dir, 'postgres');
    await cradle(['registrar', 'init', '--ledger', ledger, '--home', sqliteHome, '--json']);
    await cradle(['registrar', 'init', '--ledger', ledger, '--home', pgHome, '--database', await createDatabase(cluster.url), '--json']);
    const claims = JSON.parse(await readFile(join(REPO, 'examples/data/birth-registration.json'), 'utf8')) as Record<string, unknown>;
    // One registration number per credential, as in a registry (one registration is held by one child,
    // and replicas issuing the same one would wait for each other).
    const body = (i: number) => JSON.stringify({ credential: { credentialSubject: { id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', ...claims, registrationNumber: `BENCH-${i}` } } });

    const sqlite = await measure([sqliteHome], body);
    const pg1 = await measure([pgHome], body);
    const pg2 = await measure([pgHome, pgHome], body);
    const notes = (m: { p50: number; p99: number }) => `${TOTAL} credentials over HTTP, ${CONCURRENCY} in flight; latency p50 ${round(m.p50, 1)} ms, p99 ${round(m.p99, 1)} ms`;
    return [
      figure({ name: 'HTTP issuance, SQLite, one `registrar serve`', value: round(sqlite.rate, 0), unit: 'credentials/s', baseline: null, baselineValue: null, notes: notes(sqlite) }),
      figure({
        name: 'HTTP issuance, PostgreSQL, one replica',
        value: round(pg1.rate, 0),
        unit: 'credentials/s',
        baseline: 'SQLite, one `registrar serve` (same run)',
        baselineValue: round(sqlite.rate, 0),
        notes: notes(pg1),
      }),
      figure({
        name: 'HTTP issuance, PostgreSQL, two replicas on one database',
        value: round(pg2.rate, 0),
        unit: 'credentials/s',
        baseline: 'PostgreSQL, one replica (same run)',
        baselineValue: round(pg1.rate, 0),
        notes: `${notes(pg2)}; both replicas, the database, the client and the dev chain share this machine's cores`,
      }),
    ];
  } finally {
    await cluster.stop();
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
