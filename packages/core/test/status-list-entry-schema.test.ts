import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { bitstringStatusListEntrySchema } from '../src/schemas/status-list-entry.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile(bitstringStatusListEntrySchema);
const entry = {
  id: 'https://registrar.example/status/r7Kq2mXv#8123',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '8123',
  statusListCredential: 'https://registrar.example/status/r7Kq2mXv',
};

describe('bitstringStatusListEntrySchema', () => {
  it('accepts an entry as docs/formats.md shows it', () => expect(validate(entry)).toBe(true));
  it('accepts both purposes', () => expect(validate({ ...entry, statusPurpose: 'suspension' })).toBe(true));
  it('requires every member, including id', () => {
    for (const k of Object.keys(entry)) {
      const e: Record<string, unknown> = { ...entry };
      delete e[k];
      expect(validate(e), k).toBe(false);
    }
  });
  it('rejects other types and purposes', () => {
    expect(validate({ ...entry, type: 'StatusList2021Entry' })).toBe(false);
    expect(validate({ ...entry, statusPurpose: 'message' })).toBe(false);
  });
  it('requires statusListIndex as decimal digits without leading zeros', () => {
    for (const bad of ['012', '1e3', '-1', '12abc', ' 1', '', 8123]) expect(validate({ ...entry, statusListIndex: bad }), String(bad)).toBe(false);
    expect(validate({ ...entry, statusListIndex: '0' })).toBe(true);
  });
  it('requires an http(s) statusListCredential', () => {
    expect(validate({ ...entry, statusListCredential: 'ftp://x/y' })).toBe(false);
  });
});
