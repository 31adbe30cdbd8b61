import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCradleError } from '@cradle/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FileVerifierStore, STATE_FILE } from '../../src/node/file-store.js';
import { verifyCredential } from '../../src/verify-credential.js';
import { NOW, world } from '../helpers/fixtures.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'cradle-verifier-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('FileVerifierStore', () => {
  it('persists everything a checkpoint synced (bits included) and verifies after reopening', async () => {
    const w = await world();
    const dir = await tempDir();
    const store = await FileVerifierStore.open(dir, { create: true });
    const state = await w.store.load();
    await store.write({ ...state, statusLists: state.statusLists, didDocuments: state.didDocuments, anchors: state.anchors });
    const reopened = await FileVerifierStore.open(dir);
    const again = await reopened.load();
    expect(again.statusLists.map((l) => Buffer.from(l.bits).equals(Buffer.from(state.statusLists.find((s) => s.url === l.url)!.bits)))).toEqual([true, true]);
    expect((await verifyCredential(w.credential, { store: reopened, now: NOW })).outcome).toBe('valid');
  });

  it('writes by temp file + rename: an interrupted write (a leftover temp file) never corrupts the state', async () => {
    const dir = await tempDir();
    const store = await FileVerifierStore.open(dir, { create: true });
    await store.write({ config: { maxStatusAge: 3600 } });
    await writeFile(join(dir, `${STATE_FILE}.999.1.tmp`), '{"format":1,"trust":'); // a crash mid-write
    const reopened = await FileVerifierStore.open(dir);
    expect(await reopened.getConfig()).toEqual({ maxStatusAge: 3600 });
    await reopened.write({ config: { maxStatusAge: 7200 } });
    expect(JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')).config).toEqual({ maxStatusAge: 7200 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') && !f.includes('.999.'))).toEqual([]);
  });

  it('a writer killed with -9 before its rename leaves a temp file that the next open removes', async () => {
    const dir = await tempDir();
    const store = await FileVerifierStore.open(dir, { create: true });
    await store.write({ config: { maxStatusAge: 3600 } });
    // A real process creates its temp file the way a write does, then is killed -9 mid-write.
    const child = spawn(process.execPath, [
      '-e',
      `const fs = require('node:fs'); const p = ${JSON.stringify(join(dir, STATE_FILE))} + '.' + process.pid + '.' + Date.now() + '.tmp';
       fs.writeFileSync(p, '{"format":1,"trust":'); process.stdout.write('written\\n'); setInterval(() => {}, 1000);`,
    ]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const left = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    expect(left).toEqual([`${STATE_FILE}.${child.pid}.${left[0]!.split('.').at(-2)}.tmp`]);
    // A temp file of a live writer (this process) is not touched.
    const live = `${STATE_FILE}.${process.pid}.1.tmp`;
    await writeFile(join(dir, live), '{');
    const reopened = await FileVerifierStore.open(dir);
    expect(await reopened.getConfig()).toEqual({ maxStatusAge: 3600 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([live]);
  });

  it('opening a directory without a checkpoint says how to create one (NOT_FOUND)', async () => {
    const dir = await tempDir();
    await expect(FileVerifierStore.open(dir)).rejects.toSatisfy((e: unknown) => isCradleError(e, 'NOT_FOUND') && /checkpoint init/.test((e as Error).message));
  });

  it('a corrupt state file is a clear error, not a crash', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, STATE_FILE), '{not json');
    await expect(FileVerifierStore.open(dir)).rejects.toSatisfy((e: unknown) => isCradleError(e, 'CONFIG_INVALID'));
  });
});
