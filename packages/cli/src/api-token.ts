import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a service keeps the token it generated for itself: `<home>/api-token`, mode 0600. */
export function generatedTokenPath(home: string): string {
  return join(home, 'api-token');
}

/**
 * The bearer token of an HTTP service (`registrar serve`, `checkpoint serve`): from `--token-file`,
 * else `$CRADLE_API_TOKEN`, else the one generated earlier into `<home>/api-token`, else a fresh random
 * one written there (mode 0600, `generated: true`). The command prints that file's path, never the token:
 * terminals, logs and process supervisors keep stdout.
 */
export async function apiToken(opts: { tokenFile?: string }, home: string): Promise<{ token: string; generated: boolean; file?: string }> {
  if (opts.tokenFile !== undefined) {
    const token = (await readFile(opts.tokenFile, 'utf8')).trim();
    return { token, generated: false };
  }
  const env = process.env.CRADLE_API_TOKEN?.trim();
  if (env !== undefined && env !== '') return { token: env, generated: false };
  const file = generatedTokenPath(home);
  const earlier = await readFile(file, 'utf8').catch(() => undefined);
  if (earlier !== undefined && earlier.trim().length >= 16) return { token: earlier.trim(), generated: false, file };
  const token = randomBytes(24).toString('base64url');
  const fh = await open(file, 'w', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(`${token}\n`);
  } finally {
    await fh.close();
  }
  return { token, generated: true, file };
}
