import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError, readAlertKey } from '@cradle/core';
import { createRegistrar, redactPostgresUrl, tightenMode } from '@cradle/issuer';
import type { InitResult, Registrar } from '@cradle/issuer';
import { connectLedger, loadLedgerConfig } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import { resolveHome, resolveSecret, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import type { CommandOutput } from '../../output.js';
import { DEFAULT_BASE_URL, configPath, effectiveAlertRecipients, readHomeConfig, readJsonFile, writeHomeConfig } from './home.js';
import type { RegistrarHomeConfig } from './home.js';

/** `cradle registrar init`: keys, did:ethr identity on the ledger, signing key, status lists. */
export function registerInitCommand(registrar: Command): void {
  withCommonOptions(registrar.command('init'), 'registrar', { secret: true })
    .description('create the registrar: keys, did:ethr identity on the ledger, signing key, status lists')
    .requiredOption('--ledger <file>', 'ledger config written by `cradle devchain` or `cradle ledger deploy`')
    .option('--base-url <url>', `public URL where status lists will be served (default ${DEFAULT_BASE_URL}); fixed once init has run`)
    .option('--database <url>', 'keep the records and keys in PostgreSQL (postgres://user@host:5432/db; password via PGPASSWORD) instead of <home>/registrar.sqlite; fixed once init has run')
    .option('--key-validity-days <n>', 'ERC-1056 validity of the Ed25519 signing key and the anchoring delegate', String(5 * 365))
    .option(
      '--alert-recipient <public-jwk-file...>',
      'checkpoint alert key (PUBLIC JWK from `cradle checkpoint alert-key`) to encrypt child-protection alert lists to; turns alerts on. Running init again with this option replaces the keys',
    )
    .option(
      '--duplicate-registration <policy>',
      'a registration number already held by another child\'s live birth credential: warn (default: issue with REGISTRATION_ALREADY_ISSUED) or refuse (CONFLICT); enforced by the database across replicas. Running init again with this option changes it',
    )
    .action(action(async (common: CommonOptions) => runInit(common as InitOptions)));
}

interface InitOptions extends CommonOptions {
  ledger: string;
  baseUrl?: string;
  database?: string;
  keyValidityDays: string;
  alertRecipient?: string[];
  duplicateRegistration?: string;
}

/** Files of a registrar home that hold keys or records: created 0600, tightened by `init`. */
const PRIVATE_FILES = ['registrar.sqlite', 'registrar.sqlite-wal', 'registrar.sqlite-shm', 'config.json', 'custody.sqlite', 'custody.sqlite-wal', 'custody.sqlite-shm'];

/** What `init` was asked, checked before anything touches the disk. */
interface InitRequest {
  home: string;
  ledgerPath: string;
  ledger: LedgerConfig;
  /** ERC-1056 validity of the signing key and the anchoring delegate, in seconds. */
  validitySeconds: number;
  duplicates: 'warn' | 'refuse' | undefined;
  secret: string;
  /** The alert recipients given now (`--alert-recipient`), if any. */
  recipients: RegistrarHomeConfig['alertRecipients'];
}

/**
 * `registrar init`. Checks everything it can before touching the disk (secret, ledger file, the RPC's
 * chain id), so a wrong ledger config leaves nothing behind. A home whose init stopped before any key was
 * made is removed again; one that got further keeps its state, and running init again resumes it (the
 * same chain; an unfunded account keeps its address). A finished home refuses another chain, registry or
 * base URL (`CONFLICT`), and a finished home whose database is gone is `DATABASE_MISSING` (restore it).
 */
async function runInit(opts: InitOptions): Promise<CommandOutput> {
  const request = await readInitRequest(opts);
  const { home } = request;
  const existing = existsSync(configPath(home)) ? await readHomeConfig(home) : undefined;
  if (existing !== undefined) refuseToMoveHome(home, existing, request.ledger, opts);
  // Nothing on disk yet: refuse a wrong or unreachable chain before creating anything.
  else (await connectLedger(request.ledger, { timeoutMs: 15_000 })).close();
  const homeExisted = existsSync(home);
  const tightened = await makeHomePrivate(home);
  const config = homeConfigFor(request, existing, opts);
  // With the keys a governance trust list distributes (`registrar trust-list`), as every other command opens it.
  const effectiveRecipients = await effectiveAlertRecipients(config);
  // Written first, so an interrupted init (unfunded account, RPC outage) resumes with the same settings.
  if (existing?.did === undefined) await writeHomeConfig(home, config);
  let r: Registrar | undefined;
  try {
    r = await createRegistrar({
      home,
      secret: request.secret,
      ledger: request.ledger,
      baseUrl: config.baseUrl,
      ...(config.database === undefined ? {} : { database: config.database }),
      signingKeyValiditySeconds: request.validitySeconds,
      anchorDelegateValiditySeconds: request.validitySeconds,
      ...(existing?.did === undefined ? {} : { expectedDid: existing.did }),
      ...(config.duplicateRegistration === undefined ? {} : { duplicateRegistration: config.duplicateRegistration }),
      ...(effectiveRecipients === undefined ? {} : { alertRecipients: effectiveRecipients }),
    });
    const result = await r.init();
    await writeHomeConfig(home, { ...config, did: result.did });
    return initOutput(home, config, result, tightened);
  } catch (e) {
    // A fresh init that failed before making any key leaves nothing behind.
    const steps = r === undefined ? [] : await r.initSteps().catch(() => ['unknown']);
    await r?.close();
    r = undefined;
    if (existing === undefined && steps.length === 0) await removeFreshHome(home, homeExisted);
    throw e;
  } finally {
    await r?.close();
  }
}

/** The options, the secret, the ledger file and the alert keys, each checked (`INVALID_ARGUMENT` naming the option). */
async function readInitRequest(opts: InitOptions): Promise<InitRequest> {
  const home = resolveHome('registrar', opts);
  const ledgerPath = resolve(opts.ledger);
  const ledger = await loadLedgerConfig(ledgerPath);
  const days = Number(opts.keyValidityDays);
  if (!Number.isSafeInteger(days) || days < 1) throw new CradleError('INVALID_ARGUMENT', '--key-validity-days must be a whole number of days >= 1.');
  const duplicates = opts.duplicateRegistration;
  if (duplicates !== undefined && duplicates !== 'warn' && duplicates !== 'refuse') throw new CradleError('INVALID_ARGUMENT', `--duplicate-registration must be warn or refuse, not "${duplicates}".`);
  const secret = await resolveSecret(opts);
  const recipients = opts.alertRecipient === undefined ? undefined : await Promise.all(opts.alertRecipient.map((f) => readJsonFile(f, 'alert key').then((k) => readAlertKey(k, 'public'))));
  return { home, ledgerPath, ledger, validitySeconds: days * 86400, duplicates, secret, recipients };
}

/** A home that already holds a registrar keeps its chain, registry, base URL and database (`CONFLICT` otherwise). */
function refuseToMoveHome(home: string, existing: RegistrarHomeConfig, ledger: LedgerConfig, opts: InitOptions): void {
  if (existing.ledger.chainId !== ledger.chainId || (existing.did !== undefined && existing.ledger.registry.toLowerCase() !== ledger.registry.toLowerCase())) {
    throw new CradleError('CONFLICT', `${home} already holds a registrar on chain ${existing.ledger.chainId} (registry ${existing.ledger.registry}); use another --home.`);
  }
  if (opts.baseUrl !== undefined && normalizeBaseUrl(opts.baseUrl) !== normalizeBaseUrl(existing.baseUrl)) {
    throw new CradleError(
      'CONFLICT',
      `${home} serves status lists under ${existing.baseUrl}, written into every credential issued so far; init does not change it (asked: ${opts.baseUrl}). Keep the old URL reachable (e.g. a redirect or a mirror) if you move the service.`,
      { details: { baseUrl: existing.baseUrl, asked: opts.baseUrl } },
    );
  }
  if ((opts.database ?? existing.database) !== existing.database) {
    throw new CradleError('CONFLICT', `${home} keeps its records in ${existing.database === undefined ? 'registrar.sqlite' : redactPostgresUrl(existing.database)}; init does not move them (asked: ${opts.database === undefined ? 'the SQLite file' : redactPostgresUrl(opts.database)}).`);
  }
}

/** Create the home (0700) and tighten what it already holds (0600); returns what was tightened. */
async function makeHomePrivate(home: string): Promise<string[]> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const tightened: string[] = [];
  for (const f of ['', ...PRIVATE_FILES]) if (await tightenMode(join(home, f))) tightened.push(f === '' ? home : join(home, f));
  return tightened;
}

/** The home's config.json: what this run asked, the rest kept from an earlier run. */
function homeConfigFor(request: InitRequest, existing: RegistrarHomeConfig | undefined, opts: InitOptions): RegistrarHomeConfig {
  const alertRecipients = request.recipients ?? existing?.alertRecipients;
  const database = existing?.database ?? opts.database;
  const duplicateRegistration = request.duplicates ?? existing?.duplicateRegistration;
  return {
    version: 1,
    ledgerPath: request.ledgerPath,
    ledger: request.ledger,
    baseUrl: existing?.baseUrl ?? opts.baseUrl ?? DEFAULT_BASE_URL,
    ...(existing?.did === undefined ? {} : { did: existing.did }),
    ...(alertRecipients === undefined ? {} : { alertRecipients }),
    ...(database === undefined ? {} : { database }),
    ...(duplicateRegistration === undefined ? {} : { duplicateRegistration }),
    ...(existing?.governance === undefined ? {} : { governance: existing.governance }),
  };
}

/** Remove what a fresh init wrote before it failed (no key was made): the private files, and the home if init created it. */
async function removeFreshHome(home: string, homeExisted: boolean): Promise<void> {
  for (const f of PRIVATE_FILES) await rm(join(home, f), { force: true });
  if (!homeExisted) await rm(home, { recursive: true, force: true });
}

/** The answer: the identity, where things are, and what to keep safe. */
function initOutput(home: string, config: RegistrarHomeConfig, result: InitResult, tightened: string[]): CommandOutput {
  const { baseUrl, database, alertRecipients } = config;
  const validUntil = new Date(result.signingKeyValidUntil * 1000).toISOString();
  return {
    json: {
      home,
      did: result.did,
      address: result.address,
      anchorAddress: result.anchorAddress,
      verificationMethod: result.verificationMethod,
      signingKeyValidUntil: validUntil,
      funded: result.funded,
      alreadyInitialised: result.alreadyInitialised,
      baseUrl,
      database: database === undefined ? 'sqlite' : redactPostgresUrl(database),
      duplicateRegistration: config.duplicateRegistration ?? 'warn',
      tightened,
      alertRecipients: (alertRecipients ?? []).map((k) => (k as { kid?: unknown }).kid ?? null),
    },
    text: [
      result.alreadyInitialised ? `Registrar already initialised in ${home}.` : `Registrar created in ${home}.`,
      `  DID                 ${result.did}`,
      `  signing key         ${result.verificationMethod} (Ed25519, valid on the ledger until ${validUntil})`,
      `  anchoring account   ${result.anchorAddress} (cradleAnchor delegate; keep it funded)`,
      `  status lists        ${baseUrl}/status/<name>`,
      `  database            ${database === undefined ? join(home, 'registrar.sqlite') : redactPostgresUrl(database)}`,
      alertRecipients === undefined
        ? '  alerts              off (no checkpoint alert key: `init --alert-recipient FILE` turns them on)'
        : `  alerts              on: alert lists at ${baseUrl}/alerts/<name>, encrypted to ${alertRecipients.length} checkpoint key(s)`,
      ...(result.funded.length > 0 ? [`  funded from the dev chain: ${result.funded.join(', ')}`] : []),
      ...(tightened.length > 0 ? [`  made private (0600 files, 0700 directory): ${tightened.join(', ')}`] : []),
      'Keep CRADLE_SECRET (or the --secret-file) safe: without it the keys cannot be opened. Back up with `cradle registrar backup FILE`.',
    ].join('\n'),
  };
}

function normalizeBaseUrl(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}
