// Rule (#12): a damaged trust bundle carried to a checkpoint (truncated, altered, not a bundle, oversize)
// is refused with a stable code (BUNDLE_INVALID) and a message saying what was wrong and what to do:
// never a crash, never a partial import.
import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeStatusListPack } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { offlineLedgerFile } from './helpers/e2e.js';
import { runCradle } from './helpers/run-cradle.js';

describe('cradle checkpoint bundle import: a damaged bundle is refused with BUNDLE_INVALID', () => {
  it('truncated, bit-flipped, a pack instead of a bundle, and an oversize file: exit 1, code, what to do, nothing imported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-bundle-damage-'));
    const ledger = await offlineLedgerFile(dir);
    const home = join(dir, 'cp');
    expect((await runCradle(['checkpoint', 'init', '--ledger', ledger, '--home', home])).code).toBe(0);
    const bundle = join(dir, 'good.bundle.json');
    expect((await runCradle(['checkpoint', 'bundle', 'export', bundle, '--home', home])).code).toBe(0);
    const good = await readFile(bundle);

    const truncated = join(dir, 'truncated.json');
    await writeFile(truncated, good.subarray(0, Math.floor(good.length / 2)));
    const flipped = join(dir, 'flipped.json');
    const copy = Buffer.from(good);
    copy[3] = copy[3]! ^ 0x01; // inside the first member name
    await writeFile(flipped, copy);
    const pack = join(dir, 'cradle.pack');
    await writeFile(pack, encodeStatusListPack([]));
    const oversize = join(dir, 'huge.json');
    await writeFile(oversize, '');
    await truncate(oversize, 33 * 1024 * 1024); // sparse: the CLI must refuse it before reading it

    for (const [file, why] of [
      [truncated, /JSON/],
      [flipped, /not a Cradle trust bundle/],
      [pack, /not a text file.*status-list pack/],
      [oversize, /over the 33554432 limit/],
    ] as const) {
      const run = await runCradle(['checkpoint', 'bundle', 'import', file, '--home', home, '--json']);
      expect(run.code, file).toBe(1);
      const out = `${run.stdout}${run.stderr}`;
      expect(out, file).toContain('BUNDLE_INVALID');
      expect(out, file).toMatch(/nothing was imported/);
      expect(out, `${file}: ${out}`).toMatch(why);
      expect(out, file).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
    }
    // The good bundle still imports (so the checkpoint was left as it was).
    expect((await runCradle(['checkpoint', 'bundle', 'import', bundle, '--home', home])).code).toBe(0);
  }, 180_000);
});
