import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createIssuerServer } from '@cradle/issuer';
import type { IssuerLogOptions, Registrar } from '@cradle/issuer';

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'];
import { resolveHome, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { printError, printOutput } from '../../output.js';
import { untilSignal } from '../../signals.js';
import { apiToken } from '../../api-token.js';
import { openRegistrar } from './home.js';

interface ServeOptions extends CommonOptions {
  host: string;
  port: string;
  tokenFile?: string;
  anchorInterval: string;
  logLevel: string;
  metricsTokenFile?: string;
  publicMetrics?: boolean;
}

/** `/metrics` access: public (explicit), or also a scraper's own token (file, else $CRADLE_METRICS_TOKEN). */
async function metricsOptions(opts: ServeOptions): Promise<{ public: true } | { token?: string }> {
  if (opts.publicMetrics === true) {
    if (opts.metricsTokenFile !== undefined) throw new CradleError('INVALID_ARGUMENT', '--public-metrics and --metrics-token-file exclude each other: a public endpoint needs no token.');
    return { public: true };
  }
  const token = opts.metricsTokenFile !== undefined ? (await readFile(opts.metricsTokenFile, 'utf8')).trim() : process.env.CRADLE_METRICS_TOKEN?.trim();
  return token === undefined || token === '' ? {} : { token };
}

async function runServe(opts: ServeOptions): Promise<void> {
  let registrar: Registrar | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = Number(opts.port);
    if (!/^\d{1,5}$/.test(opts.port) || port > 65535) throw new CradleError('INVALID_ARGUMENT', `--port must be 0..65535, not "${opts.port}".`);
    const interval = Number(opts.anchorInterval);
    if (!Number.isSafeInteger(interval) || interval < 0) throw new CradleError('INVALID_ARGUMENT', '--anchor-interval must be a number of seconds (0 = off).');
    if (!LOG_LEVELS.includes(opts.logLevel)) throw new CradleError('INVALID_ARGUMENT', `--log-level must be one of ${LOG_LEVELS.join(', ')}.`);
    registrar = await openRegistrar(opts);
    const home = resolveHome('registrar', opts);
    // With per-user API keys (`registrar keys create`) and no token asked for, there is no shared token.
    const hasKeys = (await registrar.apiKeys.list()).some((k) => k.revokedAt === null);
    const shared = hasKeys && opts.tokenFile === undefined && !process.env.CRADLE_API_TOKEN?.trim() ? undefined : await apiToken(opts, home);
    const logger = opts.logLevel === 'silent' ? false : { level: opts.logLevel as IssuerLogOptions['level'], stream: process.stderr };
    const metrics = await metricsOptions(opts);
    const app = await createIssuerServer(registrar, { ...(shared === undefined ? {} : { token: shared.token }), logger, metrics });
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
    if (shared === undefined) lines.push('  writes: per-user API keys only (`cradle registrar keys list`)');
    else if (shared.file !== undefined) lines.push(`  shared API token ${shared.generated ? 'generated into' : 'read from'} ${shared.file} (mode 0600; prefer per-user keys: \`cradle registrar keys create\`)`);
    lines.push('public' in metrics ? '  metrics: /metrics is public (--public-metrics)' : `  metrics: /metrics needs an operator key${shared === undefined ? '' : ', the shared token'}${metrics.token === undefined ? '' : ' or the metrics token'}`);
    lines.push('Press Ctrl+C to stop.');
    printOutput({ json: { url, did: registrar.identity()?.did ?? null, ...(shared?.file === undefined ? {} : { tokenFile: shared.file }) }, text: lines.join('\n') }, opts);
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

/** `cradle registrar serve`: the HTTP issuance and status-list service, until Ctrl+C. */
export function registerServeCommand(registrar: Command): void {
  withCommonOptions(registrar.command('serve'), 'registrar', { secret: true })
    .description('run the HTTP issuance and status-list service')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--token-file <file>', 'shared bearer token with every role (default: $CRADLE_API_TOKEN; else none when API keys exist, else one generated into <home>/api-token, mode 0600)')
    .option('--anchor-interval <seconds>', 'run the anchoring outbox every N seconds (0 = off)', '30')
    .option('--metrics-token-file <file>', 'a bearer token that may read /metrics and nothing else, for the scraper (default: $CRADLE_METRICS_TOKEN); operator keys may always read it')
    .option('--public-metrics', 'serve /metrics without authentication (only where the port is reachable from the monitoring network alone)')
    .option('--log-level <level>', `request logs as JSON lines on stderr (${LOG_LEVELS.join(', ')})`, 'info')
    .action((opts: ServeOptions) => runServe(opts));
}
