import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serializeLedgerConfig } from '@cradle/ledger';
import { createCradleWorld } from '../lib/cradle-world.js';
import { median } from '../lib/measure.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const run = promisify(execFile);
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/dist/bin.js');

/**
 * Cold start: wall time of `cradle checkpoint verify` for one credential, from process start to answer,
 * using the built CLI (`pnpm build`) as users install it; versus starting Node itself.
 */
export async function coldStartFigures(): Promise<Figure[]> {
  if (!existsSync(BIN)) throw new Error(`bench: ${BIN} is missing: run \`pnpm build\` first (pnpm bench does).`);
  const world = await createCradleWorld();
  try {
    const home = join(world.dir, 'checkpoint');
    const ledgerFile = join(world.dir, 'ledger.json');
    await writeFile(ledgerFile, serializeLedgerConfig(world.chain.config));
    const cradle = (...args: string[]) => run(process.execPath, [BIN, ...args, '--home', home, '--json']);
    await cradle('checkpoint', 'init', '--ledger', ledgerFile);
    await cradle('checkpoint', 'trust', 'add', world.registrar.identity()!.did);
    await cradle('checkpoint', 'sync');
    const answer = JSON.parse((await cradle('checkpoint', 'verify', world.birthJwt)).stdout) as { outcome: string };
    if (answer.outcome !== 'valid') throw new Error(`bench: cold-start verify answered ${answer.outcome}`);

    const times: number[] = [];
    const nodeTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      await cradle('checkpoint', 'verify', world.birthJwt);
      times.push(performance.now() - t);
      t = performance.now();
      await run(process.execPath, ['-e', '0']);
      nodeTimes.push(performance.now() - t);
    }
    return [
      figure({
        name: 'Cold start: cradle checkpoint verify, process start to answer',
        value: round(median(times), 0),
        unit: 'ms',
        baseline: 'node -e 0 (Node start-up alone)',
        baselineValue: round(median(nodeTimes), 0),
        notes: `median of 10; min ${round(Math.min(...times), 0)} ms`,
      }),
    ];
  } finally {
    await world.close();
  }
}
