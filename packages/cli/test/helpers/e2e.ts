// The bootstrap every CLI end-to-end test repeats: a `cradle` runner bound to one secret, an `ok` that
// expects success and parses the JSON answer, and a registrar's status server started as a real
// `cradle registrar serve` process (through faults.ts's startCradle) and waited for.
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { startCradle } from './faults.js';
import { runCradle } from './run-cradle.js';
import type { Run } from './run-cradle.js';

/** `cradle` with `CRADLE_SECRET` set, and `ok(args)`: run with `--json`, expect exit 0, return the answer. */
export interface Cradle {
  cradle(args: string[], stdin?: string): Promise<Run>;
  ok(args: string[]): Promise<Record<string, unknown>>;
}

/**
 * A `cradle` runner for one test file's registrar and wallet secret.
 *
 * @example
 * ```ts
 * const { cradle, ok } = cradleWithSecret('my-e2e-secret-0123456789abcdef');
 * const { did } = (await ok(['wallet', 'create-did', '--home', wallet])) as { did: string };
 * ```
 */
export function cradleWithSecret(secret: string): Cradle {
  const cradle = (args: string[], stdin?: string): Promise<Run> => runCradle(args, { env: { CRADLE_SECRET: secret }, ...(stdin === undefined ? {} : { stdin }) });
  return {
    cradle,
    async ok(args) {
      const run = await cradle([...args, '--json']);
      expect(run.code, `cradle ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
      return JSON.parse(run.stdout) as Record<string, unknown>;
    },
  };
}

/**
 * Start `cradle registrar serve` for `home` on 127.0.0.1:`port` (anchoring on demand only) with the
 * shared {@link startCradle}, which waits for its first line. The caller kills it (`SIGTERM`) when done.
 */
export async function serveRegistrar(home: string, port: number, secret: string): Promise<ChildProcess> {
  const running = await startCradle(['registrar', 'serve', '--home', home, '--port', String(port), '--anchor-interval', '0'], { CRADLE_SECRET: secret });
  for (let i = 0; i < 150 && !(await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 200));
  return running.child;
}
