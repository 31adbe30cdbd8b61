/**
 * Online sync, loaded on demand: it pulls in the ledger client (ethers), which offline verification
 * never needs, so the app's start-up bundle stays small on a cheap phone.
 */
import { sync } from '@cradle/verifier/sync';
import type { VerifierStore } from '@cradle/verifier';
import type { SyncOptions, SyncReport } from '@cradle/verifier/sync';

/** The ledger settings sync needs (`LedgerConfig` of `@cradle/ledger`). */
export type LedgerSettings = NonNullable<SyncOptions['ledger']>;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Checks a ledger settings file (the LEDGER.json that `cradle checkpoint init --ledger` takes) and keeps
 * only what a checkpoint needs: never the dev chain's funded accounts. Throws a plain-language Error.
 */
export function readLedgerSettings(json: unknown): LedgerSettings {
  const fail = (what: string): never => {
    throw new Error(`This is not a ledger settings file: ${what}.`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('it is not a JSON object');
  const o = json as Record<string, unknown>;
  const int = (k: string, min: number) =>
    typeof o[k] === 'number' && Number.isSafeInteger(o[k]) && (o[k] as number) >= min ? (o[k] as number) : fail(`"${k}" is missing or wrong`);
  const chainId = int('chainId', 1);
  const confirmations = int('confirmations', 1);
  const rpcUrl = typeof o.rpcUrl === 'string' && /^https?:\/\//.test(o.rpcUrl) ? o.rpcUrl : fail('"rpcUrl" must be an http(s) URL');
  const registry = typeof o.registry === 'string' && ADDRESS.test(o.registry) ? o.registry : fail('"registry" must be an address');
  const anchor = typeof o.anchor === 'string' && ADDRESS.test(o.anchor) ? o.anchor : fail('"anchor" must be an address');
  return {
    chainId,
    rpcUrl,
    registry,
    anchor,
    confirmations,
    ...(o.deployBlock === undefined ? {} : { deployBlock: int('deployBlock', 0) }),
    ...(typeof o.name === 'string' ? { name: o.name.slice(0, 100) } : {}),
  };
}

/**
 * Syncs `store` from the ledger (optionally through another RPC URL) and status-list mirrors; with
 * `alertKeys` (this checkpoint's private alert keys) also the child-protection alert lists, decrypted by
 * the verifier's own sync. Network trouble is reported, not thrown, and never damages what is cached.
 */
export async function syncNow(
  store: VerifierStore,
  options: { ledger: LedgerSettings; rpcUrl?: string; mirrors: string[]; alertKeys?: NonNullable<SyncOptions['alertKeys']> },
): Promise<SyncReport> {
  const ledger = options.rpcUrl ? { ...options.ledger, rpcUrl: options.rpcUrl } : options.ledger;
  return sync({ store, ledger, mirrors: options.mirrors, alertKeys: options.alertKeys ?? [] });
}
