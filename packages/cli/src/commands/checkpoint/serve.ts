import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { FileVerifierStore, STATE_FILE } from '@cradle/verifier/node/offline';
import { resolveHome, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { printError, printOutput } from '../../output.js';
import { untilSignal } from '../../signals.js';
import { apiToken } from '../../api-token.js';

interface CheckpointServeOptions extends CommonOptions {
  host: string;
  port: string;
  tokenFile?: string;
  publicUrl?: string;
}

/**
 * The checkpoint's store as the service sees it: reopened whenever the state file changed on disk, so a
 * `cradle checkpoint sync` run by another process (e.g. from cron) is picked up without a restart.
 */
async function currentStore(home: string): Promise<() => Promise<FileVerifierStore>> {
  const mtimeOf = async (): Promise<number> => (await stat(join(home, STATE_FILE)).catch(() => undefined))?.mtimeMs ?? -1;
  let seen = await mtimeOf(); // read before opening: a write in between is then picked up on the first request
  let store = await FileVerifierStore.open(home);
  return async () => {
    const mtime = await mtimeOf();
    if (mtime !== seen) {
      store = await FileVerifierStore.open(home);
      seen = mtime;
    }
    return store;
  };
}

async function runCheckpointServe(opts: CheckpointServeOptions): Promise<void> {
  try {
    const port = Number(opts.port);
    if (!/^\d{1,5}$/.test(opts.port) || port > 65535) throw new CradleError('INVALID_ARGUMENT', `--port must be 0..65535, not "${opts.port}".`);
    const home = resolveHome('checkpoint', opts);
    const store = await currentStore(home);
    const { token, generated, file } = await apiToken(opts, home);
    // Loaded on use, not with the command tree: the service brings Fastify and OpenID4VP, which `checkpoint verify` never needs.
    const { createVerifierServer } = await import('@cradle/verifier/node');
    const app = await createVerifierServer({ store, token, ...(opts.publicUrl === undefined ? {} : { openid4vp: { publicUrl: opts.publicUrl } }) });
    const url = await app.listen({ host: opts.host, port });
    const lines = [`Checkpoint verifier serving at ${url} (offline: run \`cradle checkpoint sync\` to refresh its data)`, `  POST ${url}/credentials/verify, ${url}/presentations/verify   OpenAPI: ${url}/openapi.json`];
    if (opts.publicUrl !== undefined) lines.push(`  OpenID4VP: POST ${url}/oid4vp/requests, GET ${url}/oid4vp/requests/:id; wallets answer at ${opts.publicUrl.replace(/\/+$/, '')}/oid4vp/response`);
    if (file !== undefined) lines.push(`  API token ${generated ? 'generated into' : 'read from'} ${file} (mode 0600; set CRADLE_API_TOKEN to choose one)`);
    lines.push('Press Ctrl+C to stop.');
    printOutput({ json: { url, ...(file === undefined ? {} : { tokenFile: file }) }, text: lines.join('\n') }, opts);
    await untilSignal();
    await app.close();
    process.exitCode = 0;
  } catch (e) {
    printError(e, opts);
    process.exitCode = 1;
  }
}

/** `cradle checkpoint serve`: the VC-API verifier service over this checkpoint's synced data. */
export function registerServeCommand(checkpoint: Command): void {
  withCommonOptions(checkpoint.command('serve'), 'checkpoint')
    .description('serve VC-API POST /credentials/verify and /presentations/verify (and, with --public-url, OpenID4VP requests) over the offline verifier')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', '8090')
    .option('--token-file <file>', 'bearer token for the verify routes (default: $CRADLE_API_TOKEN, else one generated into <home>/api-token, mode 0600)')
    .option('--public-url <url>', 'also serve OpenID4VP requests; the URL wallets reach this service at (its /oid4vp/response receives their answers)')
    .action((opts: CheckpointServeOptions) => runCheckpointServe(opts));
}
