import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The bearer token of an HTTP service (`registrar serve`, `checkpoint serve`): from `--token-file`,
 * else `$CRADLE_API_TOKEN`, else a fresh random one (`generated: true`: the command prints it).
 */
export async function apiToken(opts: { tokenFile?: string }): Promise<{ token: string; generated: boolean }> {
  if (opts.tokenFile !== undefined) {
    const token = (await readFile(opts.tokenFile, 'utf8')).trim();
    return { token, generated: false };
  }
  const env = process.env.CRADLE_API_TOKEN?.trim();
  if (env !== undefined && env !== '') return { token: env, generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}
