// The small readers the registrar and authority commands share: an input file (bounded, named in every
// error) and the --kind / --clear pair of the alert commands.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertKindOption } from '../src/alert-kind-option.js';
import { readInputFile } from '../src/input-file.js';

describe('readInputFile', () => {
  it('returns the text of a file within the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-input-'));
    const file = join(dir, 'list.jwt');
    await writeFile(file, 'eyJ.x.y\n');
    expect(await readInputFile(file, 'the trust list', { maxBytes: 8 })).toBe('eyJ.x.y\n');
  });

  it('a missing file is INVALID_ARGUMENT naming what it should have been and where', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'cradle-input-')), 'nope.jwt');
    await expect(readInputFile(missing, 'the alert request', { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `Cannot read the alert request file ${missing}.`,
    });
  });

  it('a file over the limit is TOO_LARGE, saying what such a file cannot be', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cradle-input-')), 'big.jwt');
    await writeFile(file, 'x'.repeat(9));
    await expect(readInputFile(file, 'the trust list', { maxBytes: 8, notA: 'a trust list' })).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: `${file} is larger than 8 bytes: not a trust list.`,
    });
    await expect(readInputFile(file, 'claims', { maxBytes: 8 })).rejects.toMatchObject({ code: 'TOO_LARGE', message: `${file} is larger than 8 bytes.` });
  });
});

describe('alertKindOption', () => {
  it('--kind gives the kind, --clear gives null', () => {
    expect(alertKindOption({ kind: 'missing' })).toBe('missing');
    expect(alertKindOption({ kind: 'protection-order' })).toBe('protection-order');
    expect(alertKindOption({ kind: 'verify-with-authority' })).toBe('verify-with-authority');
    expect(alertKindOption({ clear: true })).toBeNull();
  });

  it('both or neither is INVALID_ARGUMENT asking for exactly one', () => {
    for (const opts of [{}, { kind: 'missing', clear: true }]) {
      expect(() => alertKindOption(opts)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/exactly one of --kind .* or --clear/) }));
    }
  });

  it('an unknown kind is INVALID_ARGUMENT listing the kinds', () => {
    expect(() => alertKindOption({ kind: 'lost' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/missing, protection-order or verify-with-authority \(got/) }));
  });
});
