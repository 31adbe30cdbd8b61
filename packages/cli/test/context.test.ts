import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CradleError } from '@cradle/core';
import { resolveHome, resolveSecret } from '../src/context.js';

describe('secrets', () => {
  const saved = process.env.CRADLE_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.CRADLE_SECRET;
    else process.env.CRADLE_SECRET = saved;
  });

  it('a missing secret is a clear SECRET_MISSING error naming both ways to give one', async () => {
    delete process.env.CRADLE_SECRET;
    const err = await resolveSecret({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CradleError);
    expect((err as CradleError).code).toBe('SECRET_MISSING');
    expect((err as CradleError).message).toMatch(/CRADLE_SECRET.*--secret-file/);
  });

  it('an empty or unreadable secret file is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-'));
    const empty = join(dir, 'empty');
    await writeFile(empty, '\n');
    await expect(resolveSecret({ secretFile: empty })).rejects.toMatchObject({ code: 'SECRET_MISSING' });
    await expect(resolveSecret({ secretFile: join(dir, 'nope') })).rejects.toMatchObject({ code: 'SECRET_MISSING' });
  });

  it('--secret-file wins over CRADLE_SECRET and is trimmed', async () => {
    process.env.CRADLE_SECRET = 'from-env';
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-'));
    const file = join(dir, 'secret');
    await writeFile(file, 'from-file\n');
    expect(await resolveSecret({ secretFile: file })).toBe('from-file');
    expect(await resolveSecret({})).toBe('from-env');
  });
});

describe('home directories', () => {
  it('--home wins; otherwise $CRADLE_HOME/<role>', () => {
    expect(resolveHome('wallet', { home: '/tmp/w' })).toBe('/tmp/w');
    const saved = process.env.CRADLE_HOME;
    process.env.CRADLE_HOME = '/srv/cradle';
    try {
      expect(resolveHome('checkpoint', {})).toBe('/srv/cradle/checkpoint');
    } finally {
      if (saved === undefined) delete process.env.CRADLE_HOME;
      else process.env.CRADLE_HOME = saved;
    }
  });
});
