import { join } from 'node:path';
import { CradleError, STATUS_LIST_MIN_ENTRIES, clockOption } from '@cradle/core';
import type { AlertKeyJwk, Clock } from '@cradle/core';
import type { LedgerConfig } from '@cradle/ledger';
import { localEncryptedCustody } from './key-custody.js';
import type { KeyCustodyFactory } from './key-custody.js';
import type { StoreLocation } from './storage/open-registrar-store.js';
import { isPostgresUrl } from './storage/postgres-store.js';

/** Five years: the default validity of the registrar's Ed25519 signing key and anchoring delegate on ERC-1056. */
export const DEFAULT_KEY_VALIDITY_SECONDS = 5 * 365 * 24 * 60 * 60;

/**
 * Configuration of {@link createRegistrar}.
 *
 * @example
 * ```ts
 * const registrar = await createRegistrar({
 *   home: '/var/lib/cradle/registrar', secret: process.env.CRADLE_SECRET,
 *   ledger: await loadLedgerConfig('ledger.json'), baseUrl: 'https://registrar.example',
 * });
 * ```
 */
export interface RegistrarConfig {
  /** State directory; the database is `<home>/registrar.sqlite`. One of `home` / `databasePath` is required. */
  home?: string;
  /** Explicit SQLite file path (overrides `home`). */
  databasePath?: string;
  /**
   * A PostgreSQL URL (`postgres://user@host:5432/db`) to keep the registrar's records and keys in,
   * instead of the SQLite file: a registry running several `registrar serve` replicas on one database
   * (docs/deployment.md). The password is best left out of the URL and given as `PGPASSWORD`.
   * `home` is still used for files beside the database (the custodial keystore of `assignDids`).
   */
  database?: string;
  /**
   * The registrar DID this database must hold (the CLI passes the DID its `config.json` recorded at init).
   * When set, a missing or empty database file, or one holding no or another identity, is refused with
   * `DATABASE_MISSING` before anything is created: restore it from a backup, never re-run init.
   */
  expectedDid?: string;
  /** Passphrase that encrypts private keys at rest. Missing: `SECRET_MISSING`; wrong: `SECRET_WRONG`. */
  secret: string | undefined;
  /** The chain, ERC-1056 registry and anchor contract. */
  ledger: LedgerConfig;
  /** Public base URL of the status lists: each list is served at `<baseUrl>/status/<name>`. */
  baseUrl: string;
  /**
   * The clock (`() => ms since the epoch`, Cradle's one convention; tests freeze it); default `Date.now`.
   * A function returning a `Date` is still accepted (the earlier shape; deprecated).
   */
  now?: Clock | (() => Date);
  /** Entries per status list (default and minimum 131,072). */
  statusListLength?: number;
  /**
   * Allocations per list before a new list starts (default: `statusListLength`). A lower value keeps
   * lists sparser; tests use it to exercise list rollover.
   */
  statusListCapacity?: number;
  /** Give credentials a `suspension` status entry as well as `revocation` (default true). */
  suspension?: boolean;
  /** ERC-1056 validity of the published Ed25519 signing key (default 5 years). Used by `init`. */
  signingKeyValiditySeconds?: number;
  /** ERC-1056 validity of the `cradleAnchor` delegate (default 5 years). Used by `init`. */
  anchorDelegateValiditySeconds?: number;
  /** Outbox retry backoff: first delay and cap, in ms (default 2 s, 10 min). */
  anchorBackoff?: { initialMs?: number; maxMs?: number };
  /** A sent anchor the node no longer knows after this long is re-sent (default 2 min). */
  anchorDroppedAfterMs?: number;
  /** A sent anchor still pending after this long is replaced with a higher fee, same nonce (default 5 min). */
  anchorStuckAfterMs?: number;
  /** How long `processOutbox` waits for each transaction's confirmations before leaving it `sent` (default 60 s). */
  anchorWaitMs?: number;
  /**
   * For how long after confirmation each list's newest anchor is re-checked against the chain on every
   * outbox pass, to catch reorganisations deeper than `confirmations` (default 1 hour; 0 = never).
   */
  anchorRecheckMs?: number;
  /** Timeout of each JSON-RPC request, in ms (default 10 s): a black-holed RPC fails instead of hanging. */
  rpcTimeoutMs?: number;
  /**
   * Checkpoint alert keys (PUBLIC EC P-256 JWKs, from `cradle checkpoint alert-key`). When any is set,
   * every new birth credential gets a child-protection alert entry, and every `publish()` re-encrypts
   * the alert lists to these keys (docs/privacy.md, "Child-protection alerts"). A private key is refused.
   */
  alertRecipients?: readonly unknown[];
  /**
   * Where private keys live and what signs (default {@link localEncryptedCustody}: encrypted in the
   * registrar database). A KMS or HSM plugs in here; see docs/deployment.md, "Key custody".
   */
  keyCustody?: KeyCustodyFactory;
  /**
   * A birth registration (office + number) that already has a live birth credential for another child:
   * `warn` (default) issues and reports `REGISTRATION_ALREADY_ISSUED` in `warnings`; `refuse` answers
   * `CONFLICT` naming the existing credential. Re-issuing to the same child is always allowed. The
   * database decides (the credential INSERT takes the registration), so two replicas issuing one
   * registration to two children at the same instant never both take it: with `refuse` one of them is a
   * `CONFLICT`, with `warn` one of them carries the warning.
   */
  duplicateRegistration?: 'warn' | 'refuse';
}

/** {@link RegistrarConfig} with defaults applied and checked. */
export interface ResolvedRegistrarConfig {
  /** The SQLite file (with `database` set: only the directory beside which other files go). */
  databasePath: string;
  /** Where the records are: the SQLite file, or PostgreSQL. */
  store: StoreLocation;
  expectedDid: string | undefined;
  secret: string | undefined;
  ledger: LedgerConfig;
  baseUrl: string;
  /** The clock, ms since the epoch. */
  now: Clock;
  statusListLength: number;
  statusListCapacity: number;
  suspension: boolean;
  signingKeyValiditySeconds: number;
  anchorDelegateValiditySeconds: number;
  anchorBackoff: { initialMs: number; maxMs: number };
  anchorDroppedAfterMs: number;
  anchorStuckAfterMs: number;
  anchorWaitMs: number;
  anchorRecheckMs: number;
  rpcTimeoutMs: number;
  /** Checked public alert keys (filled by `createRegistrar`; empty: alerts off). */
  alertRecipients: readonly AlertKeyJwk[];
  keyCustody: KeyCustodyFactory;
  duplicateRegistration: 'warn' | 'refuse';
}

function positiveInt(value: number | undefined, fallback: number, field: string, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new CradleError('CONFIG_INVALID', `${field} must be an integer >= ${min}.`, { details: { field } });
  return v;
}

/** The registrar's clock from `config.now` (a {@link Clock}, or the earlier `() => Date`); a non-function is CONFIG_INVALID. */
function registrarClock(now: unknown): Clock {
  if (now !== undefined && typeof now !== 'function') {
    throw new CradleError('CONFIG_INVALID', 'now must be a clock: a function returning milliseconds since the epoch, like Date.now.', { details: { field: 'now' } });
  }
  return clockOption('now', now);
}

function duplicatePolicy(value: unknown): 'warn' | 'refuse' {
  if (value === undefined) return 'warn';
  if (value !== 'warn' && value !== 'refuse') throw new CradleError('CONFIG_INVALID', 'duplicateRegistration must be "warn" or "refuse".', { details: { field: 'duplicateRegistration' } });
  return value;
}

/** Apply defaults and check a {@link RegistrarConfig}; throws `CONFIG_INVALID` naming the field. */
export function resolveRegistrarConfig(config: RegistrarConfig): ResolvedRegistrarConfig {
  const databasePath = config.databasePath ?? (config.home === undefined ? undefined : join(config.home, 'registrar.sqlite'));
  if (databasePath === undefined || databasePath === '') {
    throw new CradleError('CONFIG_INVALID', 'Registrar config needs `home` (state directory) or `databasePath`.', { details: { field: 'home' } });
  }
  const database = config.database;
  if (database !== undefined && !isPostgresUrl(database)) {
    throw new CradleError('CONFIG_INVALID', 'database must be a PostgreSQL URL (postgres://user@host:5432/dbname); leave it out for the SQLite file in home.', { details: { field: 'database' } });
  }
  let base: URL;
  try {
    base = new URL(config.baseUrl);
  } catch {
    throw new CradleError('CONFIG_INVALID', `baseUrl must be an absolute http(s) URL (got ${JSON.stringify(config.baseUrl)}).`, { details: { field: 'baseUrl' } });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new CradleError('CONFIG_INVALID', 'baseUrl must be an http(s) URL.', { details: { field: 'baseUrl' } });
  }
  if (base.search !== '' || base.hash !== '') throw new CradleError('CONFIG_INVALID', 'baseUrl must not have a query or fragment.', { details: { field: 'baseUrl' } });
  const statusListLength = positiveInt(config.statusListLength, STATUS_LIST_MIN_ENTRIES, 'statusListLength', STATUS_LIST_MIN_ENTRIES);
  if (statusListLength % 8 !== 0) throw new CradleError('CONFIG_INVALID', 'statusListLength must be a multiple of 8.', { details: { field: 'statusListLength' } });
  const statusListCapacity = positiveInt(config.statusListCapacity, statusListLength, 'statusListCapacity');
  if (statusListCapacity > statusListLength) {
    throw new CradleError('CONFIG_INVALID', 'statusListCapacity cannot exceed statusListLength.', { details: { field: 'statusListCapacity' } });
  }
  return {
    databasePath,
    store: database === undefined ? { kind: 'sqlite', path: databasePath } : { kind: 'postgres', url: database },
    expectedDid: config.expectedDid,
    secret: config.secret,
    ledger: config.ledger,
    baseUrl: base.href.replace(/\/+$/, ''),
    now: registrarClock(config.now),
    statusListLength,
    statusListCapacity,
    suspension: config.suspension ?? true,
    signingKeyValiditySeconds: positiveInt(config.signingKeyValiditySeconds, DEFAULT_KEY_VALIDITY_SECONDS, 'signingKeyValiditySeconds', 60),
    anchorDelegateValiditySeconds: positiveInt(config.anchorDelegateValiditySeconds, DEFAULT_KEY_VALIDITY_SECONDS, 'anchorDelegateValiditySeconds', 60),
    anchorBackoff: {
      initialMs: positiveInt(config.anchorBackoff?.initialMs, 2_000, 'anchorBackoff.initialMs'),
      maxMs: positiveInt(config.anchorBackoff?.maxMs, 600_000, 'anchorBackoff.maxMs'),
    },
    anchorDroppedAfterMs: positiveInt(config.anchorDroppedAfterMs, 120_000, 'anchorDroppedAfterMs', 0),
    anchorStuckAfterMs: positiveInt(config.anchorStuckAfterMs, 300_000, 'anchorStuckAfterMs', 0),
    anchorWaitMs: positiveInt(config.anchorWaitMs, 60_000, 'anchorWaitMs', 0),
    anchorRecheckMs: positiveInt(config.anchorRecheckMs, 3_600_000, 'anchorRecheckMs', 0),
    rpcTimeoutMs: positiveInt(config.rpcTimeoutMs, 10_000, 'rpcTimeoutMs', 100),
    alertRecipients: [],
    keyCustody: config.keyCustody ?? localEncryptedCustody,
    duplicateRegistration: duplicatePolicy(config.duplicateRegistration),
  };
}
