import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCradleError } from '@cradle/core';
import { loadLedgerConfig, parseLedgerConfig, serializeLedgerConfig } from '../src/index.js';

const valid = {
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:8545',
  registry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  anchor: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
  confirmations: 1,
  deployBlock: 2,
  name: 'devchain',
};

function fieldOf(input: unknown): unknown {
  try {
    parseLedgerConfig(input);
  } catch (e) {
    if (isCradleError(e, 'CONFIG_INVALID')) return e.details?.field ?? '(object)';
    throw e;
  }
  return undefined;
}

describe('ledger config', () => {
  it('accepts a valid config and checksums the addresses', () => {
    const c = parseLedgerConfig(valid);
    expect(c.registry).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(parseLedgerConfig(JSON.parse(serializeLedgerConfig(c)))).toEqual(c);
  });

  it.each([
    ['chainId', { ...valid, chainId: '31337' }],
    ['chainId', { ...valid, chainId: 0 }],
    ['rpcUrl', { ...valid, rpcUrl: 'ws://127.0.0.1:8545' }],
    ['rpcUrl', { ...valid, rpcUrl: 'not a url' }],
    ['registry', { ...valid, registry: '0x1234' }],
    ['anchor', { ...valid, anchor: undefined }],
    ['confirmations', { ...valid, confirmations: 0 }],
    ['confirmations', { ...valid, confirmations: 1.5 }],
    ['deployBlock', { ...valid, deployBlock: -1 }],
    ['confrmations', { ...valid, confrmations: 3 }],
    ['devAccounts[0].privateKey', { ...valid, devAccounts: [{ address: valid.anchor, privateKey: '0x12' }] }],
  ])('names the bad field %s', (field, input) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('rejects a non-object', () => {
    expect(fieldOf([valid])).toBe('(object)');
  });

  it('loadLedgerConfig reports unreadable and malformed files as CONFIG_INVALID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cradle-ledger-'));
    const good = join(dir, 'ledger.json');
    writeFileSync(good, JSON.stringify(valid));
    expect((await loadLedgerConfig(good)).chainId).toBe(31337);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    await expect(loadLedgerConfig(bad)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(loadLedgerConfig(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ...valid, anchor: 'x' }));
    await expect(loadLedgerConfig(wrong)).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'anchor', path: wrong } });
  });
});
