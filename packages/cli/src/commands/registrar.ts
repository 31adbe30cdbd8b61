import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import type { BatchReport, OutboxEntry, Registrar } from '@cradle/issuer';
import { loadLedgerConfig, parseLedgerConfig } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import { resolveHome, resolveSecret, withCommonOptions } from '../context.js';
import type { CommonOptions } from '../context.js';
import { action, printError, printOutput } from '../output.js';
import type { CommandOutput } from '../output.js';
import { untilSignal } from '../signals.js';

/** `<home>/config.json` of a registrar: written by `init`, read by every other command. */
interface RegistrarHomeConfig {
  version: 1;
  /** Where the ledger config was read from at init (informational). */
  ledgerPath: string;
  /** A copy of the ledger config, so later commands do not depend on that file staying put. */
  ledger: LedgerConfig;
  baseUrl: string;
  did?: string;
}

const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
const MAX_CLAIMS_BYTES = 256 * 1024;

function configPath(home: string): string {
  return join(home, 'config.json');
}

async function readHomeConfig(home: string): Promise<RegistrarHomeConfig> {
  let text: string;
  try {
    text = await readFile(configPath(home), 'utf8');
  } catch {
    throw new CradleError('CONFIG_INVALID', `No registrar in ${home}: run \`cradle registrar init --ledger LEDGER.json --home ${home}\` first.`, { details: { home } });
  }
  const parsed = JSON.parse(text) as Partial<RegistrarHomeConfig>;
  if (parsed.version !== 1 || typeof parsed.baseUrl !== 'string') throw new CradleError('CONFIG_INVALID', `${configPath(home)} is not a Cradle registrar config.`);
  return { version: 1, ledgerPath: String(parsed.ledgerPath ?? ''), ledger: parseLedgerConfig(parsed.ledger), baseUrl: parsed.baseUrl, ...(parsed.did ? { did: parsed.did } : {}) };
}

/** Open the registrar of `--home` with the secret from `--secret-file` / `CRADLE_SECRET`. */
async function openRegistrar(opts: CommonOptions): Promise<Registrar> {
  const home = resolveHome('registrar', opts);
  const config = await readHomeConfig(home);
  const secret = await resolveSecret(opts);
  return createRegistrar({ home, secret, ledger: config.ledger, baseUrl: config.baseUrl });
}

async function withRegistrar(opts: CommonOptions, run: (r: Registrar) => Promise<CommandOutput>): Promise<CommandOutput> {
  const registrar = await openRegistrar(opts);
  try {
    return await run(registrar);
  } finally {
    await registrar.close();
  }
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `Cannot read ${what} file ${path}.`, { cause });
  }
  if (text.length > MAX_CLAIMS_BYTES) throw new CradleError('TOO_LARGE', `${path} is larger than ${MAX_CLAIMS_BYTES} bytes.`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `${path} is not valid JSON.`, { cause });
  }
}

function outboxLine(e: OutboxEntry): string {
  const when = e.state === 'queued' ? `next attempt ${e.nextAttemptAt}` : e.state === 'sent' ? `tx ${e.txHash}` : '';
  const err = e.lastError ? ` — last error: ${e.lastError}` : '';
  return `  ${e.state.padEnd(9)} list ${e.list} v${e.version} (attempts ${e.attempts}) ${when}${err}`;
}

function batchText(report: BatchReport): string {
  const lines = [
    `Batch ${report.batchId.slice(0, 12)}… (${report.input}): ${report.total} rows, ${report.issued} issued, ${report.rejected} rejected` +
      (report.resumedFrom > 0 ? ` (resumed after row ${report.resumedFrom})` : ''),
  ];
  const shown = report.rejections.slice(0, 50);
  if (shown.length > 0) lines.push('Rejected rows (row counts data rows from 1, after the header):');
  for (const r of shown) lines.push(`  row ${r.row}: ${r.field} — ${r.message}`);
  if (report.rejections.length > shown.length) lines.push(`  … and ${report.rejections.length - shown.length} more (use --json or --report FILE)`);
  const assigned = report.credentials.filter((c) => c.assignedDid).length;
  if (assigned > 0) lines.push(`${assigned} child DIDs were created in the custodial keystore (custody.sqlite); their mapping is in the --json / --report output.`);
  return lines.join('\n');
}

interface ServeOptions extends CommonOptions {
  host: string;
  port: string;
  tokenFile?: string;
  anchorInterval: string;
}

async function apiToken(opts: ServeOptions): Promise<{ token: string; generated: boolean }> {
  if (opts.tokenFile !== undefined) {
    const token = (await readFile(opts.tokenFile, 'utf8')).trim();
    return { token, generated: false };
  }
  const env = process.env.CRADLE_API_TOKEN?.trim();
  if (env !== undefined && env !== '') return { token: env, generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

async function runServe(opts: ServeOptions): Promise<void> {
  let registrar: Registrar | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = Number(opts.port);
    if (!/^\d{1,5}$/.test(opts.port) || port > 65535) throw new CradleError('INVALID_ARGUMENT', `--port must be 0..65535, not "${opts.port}".`);
    const interval = Number(opts.anchorInterval);
    if (!Number.isSafeInteger(interval) || interval < 0) throw new CradleError('INVALID_ARGUMENT', '--anchor-interval must be a number of seconds (0 = off).');
    registrar = await openRegistrar(opts);
    const { token, generated } = await apiToken(opts);
    const app = await createIssuerServer(registrar, { token });
    const url = await app.listen({ host: opts.host, port });
    const r = registrar;
    if (interval > 0) {
      // Keep the outbox moving while serving: retries follow each row's backoff schedule.
      let busy = false;
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        r.processOutbox()
          .catch((e: unknown) => process.stderr.write(`anchoring: ${(e as Error).message}\n`))
          .finally(() => (busy = false));
      }, interval * 1000);
    }
    const lines = [`Registrar ${registrar.identity()?.did ?? '(not initialised)'} serving at ${url}`, `  status lists: ${url}/status/<name>   OpenAPI: ${url}/openapi.json`];
    if (generated) lines.push(`  API token (generated; set CRADLE_API_TOKEN to choose one): ${token}`);
    lines.push('Press Ctrl+C to stop.');
    printOutput({ json: { url, did: registrar.identity()?.did ?? null, ...(generated ? { token } : {}) }, text: lines.join('\n') }, opts);
    await untilSignal();
    if (timer) clearInterval(timer);
    await app.close();
    await registrar.close();
    process.exitCode = 0;
  } catch (e) {
    if (timer) clearInterval(timer);
    await registrar?.close();
    printError(e, opts);
    process.exitCode = 1;
  }
}

/** `cradle registrar ...`: set up a registrar, issue, revoke, publish status lists, serve HTTP. */
export function registerRegistrarCommands(program: Command): void {
  const registrar = program.command('registrar').description('registrar office: issue birth-registration credentials and manage their status');

  withCommonOptions(registrar.command('init'), 'registrar', { secret: true })
    .description('create the registrar: keys, did:ethr identity on the ledger, signing key, status lists')
    .requiredOption('--ledger <file>', 'ledger config written by `cradle devchain` or `cradle ledger deploy`')
    .option('--base-url <url>', 'public URL where status lists will be served', DEFAULT_BASE_URL)
    .option('--key-validity-days <n>', 'ERC-1056 validity of the Ed25519 signing key and the anchoring delegate', String(5 * 365))
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { ledger: string; baseUrl: string; keyValidityDays: string };
        const home = resolveHome('registrar', opts);
        const ledgerPath = resolve(opts.ledger);
        const ledger = await loadLedgerConfig(ledgerPath);
        const days = Number(opts.keyValidityDays);
        if (!Number.isSafeInteger(days) || days < 1) throw new CradleError('INVALID_ARGUMENT', '--key-validity-days must be a whole number of days >= 1.');
        const secret = await resolveSecret(opts);
        if (existsSync(configPath(home))) {
          const existing = await readHomeConfig(home);
          if (existing.ledger.chainId !== ledger.chainId || existing.ledger.registry !== ledger.registry) {
            throw new CradleError('CONFLICT', `${home} already holds a registrar on chain ${existing.ledger.chainId}; use another --home.`);
          }
        }
        await mkdir(home, { recursive: true, mode: 0o700 });
        const config: RegistrarHomeConfig = { version: 1, ledgerPath, ledger, baseUrl: opts.baseUrl };
        // Written first, so an interrupted init (unfunded account, RPC outage) resumes with the same settings.
        await writeFile(configPath(home), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
        const r = await createRegistrar({
          home,
          secret,
          ledger,
          baseUrl: opts.baseUrl,
          signingKeyValiditySeconds: days * 86400,
          anchorDelegateValiditySeconds: days * 86400,
        });
        try {
          const result = await r.init();
          await writeFile(configPath(home), `${JSON.stringify({ ...config, did: result.did }, null, 2)}\n`, { mode: 0o600 });
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
              baseUrl: opts.baseUrl,
            },
            text: [
              result.alreadyInitialised ? `Registrar already initialised in ${home}.` : `Registrar created in ${home}.`,
              `  DID                 ${result.did}`,
              `  signing key         ${result.verificationMethod} (Ed25519, valid on the ledger until ${validUntil})`,
              `  anchoring account   ${result.anchorAddress} (cradleAnchor delegate; keep it funded)`,
              `  status lists        ${opts.baseUrl}/status/<name>`,
              ...(result.funded.length > 0 ? [`  funded from the dev chain: ${result.funded.join(', ')}`] : []),
              'Keep CRADLE_SECRET (or the --secret-file) safe: without it the keys cannot be opened.',
            ].join('\n'),
          };
        } finally {
          await r.close();
        }
      }),
    );

  withCommonOptions(registrar.command('issue'), 'registrar', { secret: true })
    .description('issue a birth-registration credential to a child DID')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--claims <file>', 'JSON file with the birth-registration claims')
    .option('--format <format>', 'vc+jwt (VCDM 2.0) or jwt-vc (VCDM 1.1)', 'vc+jwt')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { subject: string; claims: string; format: string };
        if (opts.format !== 'vc+jwt' && opts.format !== 'jwt-vc') throw new CradleError('INVALID_ARGUMENT', `--format must be vc+jwt or jwt-vc, not "${opts.format}".`);
        const claims = await readJsonFile(opts.claims, 'claims');
        const format = opts.format;
        return withRegistrar(opts, async (r) => {
          const issued = await r.issueBirthRegistration({ subject: opts.subject, claims, format });
          return { json: { id: issued.id, jwt: issued.jwt }, text: `Issued ${issued.id}\n${issued.jwt}` };
        });
      }),
    );

  withCommonOptions(registrar.command('issue-batch'), 'registrar', { secret: true })
    .description('issue many credentials from a CSV or JSON-lines file (resumable)')
    .requiredOption('--input <file>', 'CSV or .jsonl file')
    .option('--assign-dids', 'create a did:key in the separate custodial keystore for rows without childDid')
    .option('--report <file>', 'write the full report (credentials, rejections) as JSON')
    .action(
      action(async (common: CommonOptions) =>
        withRegistrar(common, async (r) => {
          const opts = common as CommonOptions & { input: string; assignDids?: boolean; report?: string };
          const showBar = !opts.json && process.stderr.isTTY === true;
          const bar = showBar ? new SingleBar({ format: 'issuing [{bar}] {value}/{total} rows | {issued} issued, {rejected} rejected', stream: process.stderr }) : undefined;
          let started = false;
          const report = await r.issueBatch({
            input: resolve(opts.input),
            assignDids: opts.assignDids === true,
            onProgress: (p) => {
              if (bar === undefined) return;
              if (!started) {
                bar.start(p.total, 0, { issued: 0, rejected: 0 });
                started = true;
              }
              bar.update(p.done, { issued: p.issued, rejected: p.rejected });
            },
          });
          if (started) bar?.stop();
          if (opts.report !== undefined) await writeFile(opts.report, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
          return { json: { ...report }, text: batchText(report) };
        }),
      ),
    );

  withCommonOptions(registrar.command('guardianship'), 'registrar', { secret: true })
    .description('issue a guardianship credential linking a child to the guardians allowed to present for it')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--guardian <did...>', 'guardian DID (repeat for several)')
    .option('--role <role...>', 'role of each guardian, in the same order: mother, father, parent, legal-guardian, custodial-organisation (default parent)')
    .option('--basis <text>', 'why these guardians, e.g. birth-registration, court-order, custodial-care')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { subject: string; guardian: string[]; role?: string[]; basis?: string };
        const roles = opts.role ?? [];
        if (roles.length > opts.guardian.length) throw new CradleError('INVALID_ARGUMENT', 'More --role values than --guardian values.');
        const guardians = opts.guardian.map((id, i) => ({ id, role: roles[i] ?? 'parent' }));
        return withRegistrar(opts, async (r) => {
          const issued = await r.issueGuardianship({ subject: opts.subject, guardians, ...(opts.basis ? { basis: opts.basis } : {}) });
          return { json: { id: issued.id, jwt: issued.jwt }, text: `Issued ${issued.id}\n${issued.jwt}` };
        });
      }),
    );

  for (const [name, what] of [
    ['revoke', 'revoke a credential (irreversible)'],
    ['suspend', 'suspend a credential (reversible)'],
    ['unsuspend', 'lift a suspension'],
  ] as const) {
    withCommonOptions(registrar.command(name), 'registrar', { secret: true })
      .description(what)
      .argument('<id>', 'credential id')
      .action(
        action(async (id: string, opts: CommonOptions) =>
          withRegistrar(opts, async (r) => {
            const record = await r[name](id);
            const state = record.revokedAt !== null ? 'revoked' : record.suspendedAt !== null ? 'suspended' : 'active';
            return {
              json: { id: record.id, status: state, revokedAt: record.revokedAt, suspendedAt: record.suspendedAt },
              text: `${record.id} is now ${state}. Run \`cradle registrar publish\` so checkpoints learn of it.`,
            };
          }),
        ),
      );
  }

  withCommonOptions(registrar.command('publish'), 'registrar', { secret: true })
    .description('sign changed status lists and anchor their digests on the ledger')
    .action(
      action(async (opts: CommonOptions) =>
        withRegistrar(opts, async (r) => {
          const published = await r.publish();
          const report = await r.processOutbox({ force: true });
          const lines = [
            published.length === 0 ? 'No status list changed since the last publish.' : `Signed ${published.length} status list version(s):`,
            ...published.map((p) => `  ${p.purpose.padEnd(10)} ${p.url} v${p.version} digest ${p.digest}`),
            report.confirmed.length > 0 ? `Anchored ${report.confirmed.length}:` : 'Nothing newly anchored.',
            ...report.confirmed.map((e) => `  list ${e.list} v${e.version} in block ${e.blockNumber} (tx ${e.txHash})`),
            ...(report.pending.length > 0 ? [`Still pending ${report.pending.length}:`, ...report.pending.map(outboxLine)] : []),
            ...(report.error ? [`The ledger could not be reached (${report.error.code}): ${report.error.message}. The anchors wait in the outbox; run publish again later.`] : []),
          ];
          return {
            json: { published, anchored: report.confirmed, pending: report.pending, ...(report.error ? { error: report.error } : {}) },
            text: lines.join('\n'),
            exitCode: report.error ? 1 : 0,
          };
        }),
      ),
    );

  withCommonOptions(registrar.command('pending'), 'registrar', { secret: true })
    .description('show the anchoring outbox')
    .option('--all', 'also show confirmed and superseded anchors (latest 100)')
    .action(
      action(async (opts: CommonOptions & { all?: boolean }) =>
        withRegistrar(opts, async (r) => {
          const rows = opts.all ? await r.anchors(100) : await r.pending();
          return {
            json: { pending: rows },
            text: rows.length === 0 ? 'The anchoring outbox is empty: every published list is anchored.' : [`${rows.length} anchor(s):`, ...rows.map(outboxLine)].join('\n'),
          };
        }),
      ),
    );

  withCommonOptions(registrar.command('serve'), 'registrar', { secret: true })
    .description('run the HTTP issuance and status-list service')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--token-file <file>', 'bearer token for writes (default: $CRADLE_API_TOKEN, else a generated one, printed)')
    .option('--anchor-interval <seconds>', 'run the anchoring outbox every N seconds (0 = off)', '30')
    .action((opts: ServeOptions) => runServe(opts));
}
