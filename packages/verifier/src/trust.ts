import { clockOption } from '@cradle/core';
import type { Clock } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import type { CachedTrustList, TrustState, VerifierStore } from './store.js';

/** Whether a registrar is accredited at this checkpoint, and why not. */
export type TrustDecision =
  | { readonly trusted: true; readonly source: 'operator' | 'governance' }
  | { readonly trusted: false; readonly reason: 'not-listed' | 'de-accredited' | 'removed' };

/**
 * Decide accreditation: a governance de-accreditation always wins; then an operator removal; then the
 * operator's list or the governance list accredits.
 *
 * @example
 * ```ts
 * trustDecision(await store.getTrust(), 'did:ethr:0x7a69:0xabc…') // { trusted: true, source: 'operator' }
 * ```
 */
export function trustDecision(trust: TrustState, did: string): TrustDecision {
  const governed = trust.governanceList?.registrars.find((r) => r.did === did);
  if (governed?.status === 'revoked') return { trusted: false, reason: 'de-accredited' };
  if (trust.removed.includes(did)) return { trusted: false, reason: 'removed' };
  if (trust.operator.some((e) => e.did === did)) return { trusted: true, source: 'operator' };
  if (governed?.status === 'accredited') return { trusted: true, source: 'governance' };
  return { trusted: false, reason: 'not-listed' };
}

/** Every DID this checkpoint currently trusts (operator list and governance list, minus exclusions). */
export function trustedIssuers(trust: TrustState): string[] {
  const all = new Set([...trust.operator.map((e) => e.did), ...(trust.governanceList?.registrars ?? []).map((r) => r.did)]);
  return [...all].filter((did) => trustDecision(trust, did).trusted).sort();
}

const DID_RE = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

function checkDid(did: string): void {
  if (typeof did !== 'string' || did.length > 256 || !DID_RE.test(did)) {
    throw new TypeError(`not a DID: ${JSON.stringify(String(did).slice(0, 80))} (expected e.g. did:ethr:0x7a69:0x…)`);
  }
}

/**
 * Trust a registrar locally. Returns `false` if it was already trusted by the operator.
 *
 * @example
 * ```ts
 * await addTrustedIssuer(store, 'did:ethr:0x7a69:0xabc…', { now: Date.now });
 * ```
 */
export async function addTrustedIssuer(store: VerifierStore, didInput: string, opts: { now?: Clock | number } = {}): Promise<boolean> {
  checkDid(didInput);
  const did = canonicalDid(didInput);
  const trust = await store.getTrust();
  const removed = trust.removed.filter((d) => d !== did);
  if (trust.operator.some((e) => e.did === did) && removed.length === trust.removed.length) return false;
  const addedAt = Math.floor(clockOption('now', opts.now)() / 1000);
  const operator = trust.operator.some((e) => e.did === did) ? trust.operator : [...trust.operator, { did, addedAt }];
  await store.write({ trust: { ...trust, operator, removed } });
  return true;
}

/**
 * Stop trusting a registrar locally (also when the governance list accredits it). Returns `false` if
 * it was not trusted.
 */
export async function removeTrustedIssuer(store: VerifierStore, didInput: string): Promise<boolean> {
  checkDid(didInput);
  const did = canonicalDid(didInput);
  const trust = await store.getTrust();
  const wasTrusted = trustDecision(trust, did).trusted;
  const operator = trust.operator.filter((e) => e.did !== did);
  const governed = trust.governanceList?.registrars.some((r) => r.did === did && r.status === 'accredited') ?? false;
  const removed = governed && !trust.removed.includes(did) ? [...trust.removed, did] : trust.removed;
  await store.write({ trust: { ...trust, operator, removed } });
  return wasTrusted;
}

/** Replace the governance list (after it passed every check). */
export function withGovernanceList(trust: TrustState, list: CachedTrustList): TrustState {
  return { ...trust, governanceList: list };
}
