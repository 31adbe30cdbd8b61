import type { StoredCredential } from './wallet.js';

/** A child's credentials, as a custodial wallet (many children) lists them. */
export interface ChildCredentials {
  child: string;
  label?: string;
  birth: StoredCredential[];
  guardianship: StoredCredential[];
  /** Travel consents for this child (given by a guardian to the adult travelling with it). */
  consents: StoredCredential[];
}

/**
 * Group credentials by child (their subject), children in first-seen order.
 *
 * @example
 * ```ts
 * for (const { child, birth, guardianship } of groupByChild(await wallet.listCredentials())) { ... }
 * ```
 */
export function groupByChild(credentials: StoredCredential[], labels: ReadonlyMap<string, string> = new Map()): ChildCredentials[] {
  const groups = new Map<string, ChildCredentials>();
  for (const credential of credentials) {
    let group = groups.get(credential.subject);
    if (group === undefined) {
      const label = labels.get(credential.subject);
      group = { child: credential.subject, ...(label !== undefined ? { label } : {}), birth: [], guardianship: [], consents: [] };
      groups.set(credential.subject, group);
    }
    const bucket = credential.type === 'BirthRegistrationCredential' ? group.birth : credential.type === 'GuardianshipCredential' ? group.guardianship : group.consents;
    bucket.push(credential);
  }
  return [...groups.values()];
}
