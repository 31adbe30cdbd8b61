import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtIsFresh } from '../scripts/cradle-dev.mjs';
import { REPO } from './helpers/run-cradle.js';

// `pnpm cradle` (packages/cli/scripts/cradle-dev.mjs) runs the built CLI only when it is up to date.
const PACKAGES = ['core', 'ledger', 'issuer', 'holder', 'verifier', 'cli'];
const T0 = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-01-02T00:00:00Z');
let root: string;

/** A file at `path` with modification time `at`. */
function file(path: string, at: Date): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, at, at);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cradle-dev-launcher-'));
  for (const name of PACKAGES) {
    file(join(root, 'packages', name, 'package.json'), T0);
    file(join(root, 'packages', name, 'src', 'nested', 'a.ts'), T0);
    file(join(root, 'packages', name, 'dist', 'nested', 'a.js'), LATER);
  }
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('pnpm cradle: built or sources', () => {
  it('the build is used when every package has a dist newer than its sources', () => {
    expect(builtIsFresh(root)).toBe(true);
  });

  it('a source (at any depth) or package.json changed after the build sends it to the sources', () => {
    file(join(root, 'packages', 'issuer', 'src', 'nested', 'deeper', 'b.ts'), new Date('2026-01-03T00:00:00Z'));
    expect(builtIsFresh(root)).toBe(false);
  });

  it('a package without a dist (a fresh clone) sends it to the sources', () => {
    rmSync(join(root, 'packages', 'verifier', 'dist'), { recursive: true });
    expect(builtIsFresh(root)).toBe(false);
  });

  it('the oldest built file counts: a dist only partly rebuilt is not fresh', () => {
    file(join(root, 'packages', 'core', 'src', 'a2.ts'), new Date('2026-01-01T12:00:00Z'));
    file(join(root, 'packages', 'core', 'dist', 'old.js'), T0);
    expect(builtIsFresh(root)).toBe(false);
  });

  it('the launcher runs the command with its arguments and exit status, whichever code it picks', async () => {
    const run = promisify(execFile);
    const version = await run(process.execPath, [join(REPO, 'packages/cli/scripts/cradle-dev.mjs'), '--version'], { cwd: REPO });
    expect(version.stdout.trim()).toBe('0.1.0');
    const bad = await run(process.execPath, [join(REPO, 'packages/cli/scripts/cradle-dev.mjs'), 'checkpoint', 'verify', '--json', '--home', join(root, 'nowhere'), 'not-a-credential'], { cwd: REPO }).catch((e: { code: number }) => e);
    expect((bad as { code: number }).code).not.toBe(0);
  }, 120_000);
});
