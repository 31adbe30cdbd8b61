import type { IdbKeyValue } from './idb.js';

/** Operator settings, kept on the device. */
export interface Settings {
  /** The checkpoint's domain, bound into every guardian presentation (the VP's `aud`). */
  domain: string;
  /** Status data older than this gives "cannot confirm" rather than "valid". */
  maxStatusAgeSeconds: number;
  /** Last ledger RPC URL used for sync. */
  rpcUrl: string;
  /** Last status-list mirrors used for sync. */
  mirrors: string[];
  /** DID of the governance authority whose signed bundles this checkpoint accepts ('' for none). */
  governanceDid: string;
  /** Border policy: a child travelling with one parent needs every other parent's travel consent. */
  requireTravelConsent: boolean;
  /** Where children cross to from this checkpoint (ISO 3166-1 alpha-2, '' for not set): a consent for other countries does not count. */
  destination: string;
}

/** Default freshness limit: three days, long enough for a weekly courier with slack, short enough to matter. */
export const DEFAULT_MAX_STATUS_AGE_SECONDS = 72 * 3600;

const KEY = 'settings';

/** The settings saved on this device, with defaults for anything missing. */
export async function loadSettings(store: IdbKeyValue, defaultDomain: string): Promise<Settings> {
  const saved = (await store.get<Partial<Settings>>(KEY)) ?? {};
  return {
    domain: typeof saved.domain === 'string' && saved.domain !== '' ? saved.domain : defaultDomain,
    maxStatusAgeSeconds:
      typeof saved.maxStatusAgeSeconds === 'number' && saved.maxStatusAgeSeconds > 0
        ? saved.maxStatusAgeSeconds
        : DEFAULT_MAX_STATUS_AGE_SECONDS,
    rpcUrl: typeof saved.rpcUrl === 'string' ? saved.rpcUrl : '',
    mirrors: Array.isArray(saved.mirrors) ? saved.mirrors.filter((m): m is string => typeof m === 'string') : [],
    governanceDid: typeof saved.governanceDid === 'string' ? saved.governanceDid : '',
    requireTravelConsent: saved.requireTravelConsent === true,
    destination: typeof saved.destination === 'string' && /^[A-Z]{2}$/.test(saved.destination) ? saved.destination : '',
  };
}

/** Saves the settings on this device. */
export async function saveSettings(store: IdbKeyValue, settings: Settings): Promise<void> {
  await store.set(KEY, settings);
}
