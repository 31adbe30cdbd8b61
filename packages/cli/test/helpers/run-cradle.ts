import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the CLI entry, as the README's `pnpm cradle` runs it. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const BIN = resolve(REPO, 'packages/cli/src/bin.ts');

/** What a `cradle` process printed and how it exited. */
export interface Run {
  code: number | null;
  /** Set when the process was killed (e.g. by `timeoutMs`). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `cradle ARGS` as a separate process (source build through tsx), with `env` added to this
 * process's environment (`undefined` removes a variable) and `stdin` piped in.
 */
export function runCradle(
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string; /** SIGKILL the process after this long. */ timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
