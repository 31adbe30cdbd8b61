import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { inject } from 'vitest';
import { createDatabase, queryPostgres } from './helpers/postgres-cluster.js';
import { createRegistrar } from '../src/index.js';
import { openRegistrarStore } from '../src/storage/open-registrar-store.js';
import type { RegistrarStore } from '../src/storage/registrar-store.js';
import type { Registrar, RegistrarConfig } from '../src/index.js';

/** A child DID (did:key, Ed25519) used as subject. */
export const CHILD = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
export const GUARDIAN = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';
export const SECRET = 'correct horse battery staple';
export const BASE_URL = 'https://registrar.example';

/** Frozen clock that tests can move forward. */
export class TestClock {
  ms: number;
  constructor(iso = '2026-11-23T10:00:00Z') {
    this.ms = Date.parse(iso);
  }
  /** The registrar's clock (Cradle's one convention: ms since the epoch). */
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A temporary home directory, removed by `cleanup`. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'cradle-issuer-test-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** The repository's sample claims: examples/data/birth-registration.json (fictional). */
export const SAMPLE_CLAIMS_PATH = fileURLToPath(new URL('../../../examples/data/birth-registration.json', import.meta.url));

/** A fresh copy of the sample birth-registration claims. */
export function sampleClaims(): Record<string, unknown> {
  return JSON.parse(readFileSync(SAMPLE_CLAIMS_PATH, 'utf8')) as Record<string, unknown>;
}

/** Start a real EDR dev chain. */
export async function chain(): Promise<DevChain> {
  return startDevChain({ port: 0 });
}

/** Open a registrar in `home` (on the suite's database, see {@link databaseFor}) on `devChain` and run init. */
export async function initRegistrar(devChain: DevChain, home: string, extra: Partial<RegistrarConfig> = {}): Promise<Registrar> {
  const registrar = await createRegistrar({ home, secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, ...(await databaseFor(home)), ...extra });
  await registrar.init();
  return registrar;
}

/** Decode a compact JWS's header and payload (no verification). */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

/** Verify an EdDSA compact JWS against a raw Ed25519 public key (hex). */
export function verifyEd25519Jws(jwt: string, publicKeyHex: string): boolean {
  const [h, p, s] = jwt.split('.');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyHex, 'hex')]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'));
}

/** Run a read-only query on a registrar's SQLite file (a second connection, as an auditor would). */
export async function querySqlite<T>(path: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const sqlite3 = (await import('sqlite3')).default;
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all(sql, params, (e, rows) => {
        db.close();
        if (e) reject(e);
        else resolve(rows as T[]);
      });
    });
  });
}

/** The database the registrar suite runs on: `postgres` in vitest's `postgres` project, else the SQLite file. */
export const TEST_DATABASE: 'sqlite' | 'postgres' = process.env.CRADLE_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

const postgresByHome = new Map<string, string>();

/**
 * The `database` option for a registrar in `home`: nothing on SQLite (the file in home); on PostgreSQL a
 * fresh database on the run's throwaway server, the same one for every call with the same home.
 */
export async function databaseFor(home: string): Promise<Pick<RegistrarConfig, 'database'>> {
  if (TEST_DATABASE === 'sqlite') return {};
  let url = postgresByHome.get(home);
  if (url === undefined) {
    url = await createDatabase(inject('cradlePostgresUrl'));
    postgresByHome.set(home, url);
  }
  return { database: url };
}

/** Run a read-only query on the registrar database of `home` (a second connection, as an auditor would). */
export async function queryDatabase<T>(home: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const { database } = await databaseFor(home);
  return database === undefined ? querySqlite<T>(join(home, 'registrar.sqlite'), sql, params) : queryPostgres<T>(database, sql, params);
}

/** Open the registrar database of `home` directly (SQLite file or the suite's PostgreSQL database). */
export async function openTestStore(home: string): Promise<RegistrarStore> {
  const { database } = await databaseFor(home);
  return openRegistrarStore(database === undefined ? { kind: 'sqlite', path: join(home, 'registrar.sqlite') } : { kind: 'postgres', url: database });
}
