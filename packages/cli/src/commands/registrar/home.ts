import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { CradleError, readAlertKey } from '@cradle/core';
import type { AlertKeyJwk } from '@cradle/core';
import { createRegistrar, mapDatabaseError, writeAtomically } from '@cradle/issuer';
import type { Actor, Registrar } from '@cradle/issuer';
import { parseLedgerConfig } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import type { CachedTrustList } from '@cradle/verifier';
import { resolveHome, resolveSecret } from '../../context.js';
import { readInputFile } from '../../input-file.js';
import type { CommonOptions } from '../../context.js';
import type { CommandOutput } from '../../output.js';

/** `<home>/config.json` of a registrar: written by `init`, read by every other command. */
export interface RegistrarHomeConfig {
  version: 1;
  /** Where the ledger config was read from at init (informational). */
  ledgerPath: string;
  /** A copy of the ledger config, so later commands do not depend on that file staying put. */
  ledger: LedgerConfig;
  baseUrl: string;
  did?: string;
  /** Checkpoint alert keys (public JWKs) the alert lists are encrypted to (`init --alert-recipient`). */
  alertRecipients?: unknown[];
  /** PostgreSQL URL of the registrar's database (`init --database`); absent: `<home>/registrar.sqlite`. */
  database?: string;
  /** A registration already held by another child: `warn` (absent) or `refuse` (`init --duplicate-registration`). */
  duplicateRegistration?: 'warn' | 'refuse';
  /**
   * The governance authority and its signed trust list as `registrar trust-list` checked it: the
   * checkpoint alert keys it distributes are encrypted to too; the authorities it accredits may raise alerts.
   */
  governance?: { did: string; trustList: CachedTrustList };
}

/** Where status lists are served unless `init --base-url` says otherwise. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
const MAX_CLAIMS_BYTES = 256 * 1024;

/** The registrar's `config.json` in `home`. */
export function configPath(home: string): string {
  return join(home, 'config.json');
}

/** Read `<home>/config.json`; a missing or foreign file says to run `registrar init`. */
export async function readHomeConfig(home: string): Promise<RegistrarHomeConfig> {
  let text: string;
  try {
    text = await readFile(configPath(home), 'utf8');
  } catch {
    throw new CradleError('CONFIG_INVALID', `No registrar in ${home}: run \`cradle registrar init --ledger LEDGER.json --home ${home}\` first.`, { details: { home } });
  }
  let parsed: Partial<RegistrarHomeConfig>;
  try {
    parsed = JSON.parse(text) as Partial<RegistrarHomeConfig>;
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `${configPath(home)} is damaged (not JSON): restore it from a backup (\`cradle registrar restore\`).`, { cause });
  }
  if (parsed.version !== 1 || typeof parsed.baseUrl !== 'string') throw new CradleError('CONFIG_INVALID', `${configPath(home)} is not a Cradle registrar config.`);
  if (parsed.database !== undefined && typeof parsed.database !== 'string') throw new CradleError('CONFIG_INVALID', `${configPath(home)}: "database" must be a postgres:// URL.`);
  if (parsed.duplicateRegistration !== undefined && parsed.duplicateRegistration !== 'warn' && parsed.duplicateRegistration !== 'refuse') {
    throw new CradleError('CONFIG_INVALID', `${configPath(home)}: "duplicateRegistration" must be "warn" or "refuse".`);
  }
  return {
    version: 1,
    ledgerPath: String(parsed.ledgerPath ?? ''),
    ledger: parseLedgerConfig(parsed.ledger),
    baseUrl: parsed.baseUrl,
    ...(parsed.did ? { did: parsed.did } : {}),
    ...(Array.isArray(parsed.alertRecipients) && parsed.alertRecipients.length > 0 ? { alertRecipients: parsed.alertRecipients } : {}),
    ...(parsed.database ? { database: parsed.database } : {}),
    ...(parsed.duplicateRegistration === undefined ? {} : { duplicateRegistration: parsed.duplicateRegistration }),
    ...(isGovernance(parsed.governance) ? { governance: parsed.governance } : {}),
  };
}

/** A `governance` entry as `registrar trust-list` writes it (the file is the registrar's own, 0600). */
function isGovernance(v: unknown): v is RegistrarHomeConfig['governance'] & object {
  if (typeof v !== 'object' || v === null) return false;
  const g = v as { did?: unknown; trustList?: { version?: unknown; registrars?: unknown } };
  return typeof g.did === 'string' && typeof g.trustList?.version === 'number' && Array.isArray(g.trustList.registrars);
}

/**
 * The alert keys a registrar encrypts to: its own configuration (`init --alert-recipient`) and those its
 * governance trust list distributes (`registrar trust-list`), each key once.
 */
export async function effectiveAlertRecipients(config: RegistrarHomeConfig): Promise<unknown[] | undefined> {
  const fromList = config.governance?.trustList.alerts?.recipients ?? [];
  const all = [...(config.alertRecipients ?? []), ...fromList];
  if (all.length === 0) return undefined;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const jwk of all) {
    // A key the list distributes is checked here (a point on the curve, no private part) like a configured one.
    const key: AlertKeyJwk = await readAlertKey(jwk, 'public');
    if (seen.has(key.kid)) continue;
    seen.add(key.kid);
    out.push(key);
  }
  return out;
}

/** Open the registrar of `--home` with the secret from `--secret-file` / `CRADLE_SECRET`. */
export async function openRegistrar(opts: CommonOptions): Promise<Registrar> {
  const home = resolveHome('registrar', opts);
  const config = await readHomeConfig(home);
  const secret = await resolveSecret(opts);
  const alertRecipients = await effectiveAlertRecipients(config);
  // With the DID from config.json, a missing or emptied database is DATABASE_MISSING, never a silent new one.
  return createRegistrar({
    home,
    secret,
    ledger: config.ledger,
    baseUrl: config.baseUrl,
    ...(config.database === undefined ? {} : { database: config.database }),
    ...(config.did === undefined ? {} : { expectedDid: config.did }),
    ...(config.duplicateRegistration === undefined ? {} : { duplicateRegistration: config.duplicateRegistration }),
    ...(alertRecipients === undefined ? {} : { alertRecipients }),
  });
}

/** Run one command against the registrar of `--home`, closing it afterwards. */
export async function withRegistrar(opts: CommonOptions, run: (r: Registrar) => Promise<CommandOutput>): Promise<CommandOutput> {
  try {
    const registrar = await openRegistrar(opts);
    try {
      return await run(registrar);
    } finally {
      await registrar.close();
    }
  } catch (e) {
    throw mapDatabaseError(e); // SQLITE_BUSY -> DATABASE_BUSY: "the registrar database is busy: retry"
  }
}

/**
 * Who acts when a `cradle registrar` command changes something: `cli:<login name>` of the local
 * account (the audit log's "who" for operators at the registrar's own machine).
 */
export function cliActor(): Actor {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return { name: `cli:${user}` };
}

/** Write `<home>/config.json` atomically, mode 0600. */
export async function writeHomeConfig(home: string, config: RegistrarHomeConfig): Promise<void> {
  await writeAtomically(configPath(home), `${JSON.stringify(config, null, 2)}\n`);
}


/** Read a bounded JSON input file (claims and the like), with errors that name the file. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readInputFile(path, what, { maxBytes: MAX_CLAIMS_BYTES });
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `${path} is not valid JSON.`, { cause });
  }
}
