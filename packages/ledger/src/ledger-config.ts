import { CradleError, isRecord } from '@cradle/core';
import type { LedgerConfig } from '@cradle/core';
import { getAddress, isAddress } from 'ethers';

export type { DevAccount, LedgerConfig } from '@cradle/core';

function fail(field: string, problem: string): never {
  throw new CradleError('CONFIG_INVALID', `Ledger config: "${field}" ${problem}.`, { details: { field } });
}


function parseAddress(obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (typeof v !== 'string' || !isAddress(v)) fail(field, 'must be a 0x-prefixed 20-byte Ethereum address');
  try {
    return getAddress(v);
  } catch {
    return fail(field, 'has a wrong EIP-55 checksum; copy the address again');
  }
}

function parseCount(obj: Record<string, unknown>, field: string, min: number): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(field, `must be an integer >= ${min}`);
  return v;
}

/**
 * Validate an untrusted object (parsed JSON) as a {@link LedgerConfig}. Throws `CONFIG_INVALID` naming the
 * first bad field. Unknown fields are rejected too, so a typo never silently falls back to a default.
 *
 * @example
 * ```ts
 * const config = parseLedgerConfig(JSON.parse(text));
 * ```
 */
export function parseLedgerConfig(input: unknown): LedgerConfig {
  if (!isRecord(input)) throw new CradleError('CONFIG_INVALID', 'Ledger config must be a JSON object.');
  const known = new Set(['chainId', 'rpcUrl', 'registry', 'anchor', 'confirmations', 'deployBlock', 'name', 'devAccounts']);
  for (const key of Object.keys(input)) if (!known.has(key)) fail(key, 'is not a ledger config field');

  const chainId = parseCount(input, 'chainId', 1);
  const rpcUrl = input.rpcUrl;
  if (typeof rpcUrl !== 'string') fail('rpcUrl', 'must be an http(s) URL');
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    return fail('rpcUrl', 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('rpcUrl', 'must be an http(s) URL');

  const config: LedgerConfig = {
    chainId,
    rpcUrl,
    registry: parseAddress(input, 'registry'),
    anchor: parseAddress(input, 'anchor'),
    confirmations: parseCount(input, 'confirmations', 1),
  };
  if (input.deployBlock !== undefined) config.deployBlock = parseCount(input, 'deployBlock', 0);
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name === '') fail('name', 'must be a non-empty string');
    config.name = input.name;
  }
  if (input.devAccounts !== undefined) {
    const list = input.devAccounts;
    if (!Array.isArray(list)) fail('devAccounts', 'must be an array of { address, privateKey }');
    config.devAccounts = list.map((item: unknown, i) => {
      if (!isRecord(item)) fail(`devAccounts[${i}]`, 'must be an object { address, privateKey }');
      const address = parseAddress(item, 'address');
      const pk = item.privateKey;
      if (typeof pk !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(pk)) fail(`devAccounts[${i}].privateKey`, 'must be 0x + 64 hex digits');
      return { address, privateKey: pk };
    });
  }
  return config;
}

/**
 * Read and validate a ledger config file. Node only: it reaches `fs` through
 * `process.getBuiltinModule`, so this module has no `node:` import and browser bundles of
 * `@cradle/ledger` stay clean (in a browser, fetch the JSON and call {@link parseLedgerConfig}).
 *
 * @example
 * ```ts
 * const config = await loadLedgerConfig('ledger.json');
 * ```
 */
export async function loadLedgerConfig(path: string): Promise<LedgerConfig> {
  const fs = globalThis.process?.getBuiltinModule?.('fs/promises') as { readFile(path: string, encoding: 'utf8'): Promise<string> } | undefined;
  if (fs === undefined) throw new CradleError('CONFIG_INVALID', 'loadLedgerConfig reads files and needs Node >= 20.16; elsewhere, parse the JSON with parseLedgerConfig.');
  const { readFile } = fs;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `Cannot read the ledger config ${path}: check the path (start a chain with \`cradle devchain --out ${path}\`).`, {
      cause,
      details: { path },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CradleError('CONFIG_INVALID', `The ledger config ${path} is not valid JSON.`, { cause, details: { path } });
  }
  try {
    return parseLedgerConfig(json);
  } catch (e) {
    if (e instanceof CradleError) throw new CradleError(e.code, `${path}: ${e.message}`, { cause: e, details: { ...e.details, path } });
    throw e;
  }
}

/** The canonical JSON text of a ledger config (what `cradle devchain --out` and `ledger deploy` write). */
export function serializeLedgerConfig(config: LedgerConfig): string {
  return `${JSON.stringify(parseLedgerConfig(config), null, 2)}\n`;
}
