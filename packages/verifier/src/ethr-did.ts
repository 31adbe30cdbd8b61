import { ethrDidOf, ethrNetworkId } from '@cradle/core';

const ETHR_RE = /^did:ethr:(?:(0x[0-9a-fA-F]+|[a-z0-9]+):)?(0x[0-9a-fA-F]{40})$/;

/** The `(chainId, lowercase address)` of an address-form `did:ethr`, or undefined. */
export function parseEthrDid(did: string): { network: string | undefined; address: string } | undefined {
  if (typeof did !== 'string' || did.length > 120) return undefined;
  const m = ETHR_RE.exec(did);
  if (m === null) return undefined;
  return { network: m[1]?.toLowerCase(), address: m[2]!.toLowerCase() };
}

/** The canonical Cradle form `did:ethr:<chainId hex>:<lowercase address>` (docs/formats.md). */
export function canonicalEthrDid(chainId: number, address: string): string {
  return ethrDidOf(chainId, address);
}

/** Canonical form of a DID for comparisons: did:ethr addresses lowercased; other DIDs unchanged. */
export function canonicalDid(did: string): string {
  // A checkpoint sees the same few registrar DIDs again and again (issuer and key id of every credential).
  let c = canonicalCache.get(did);
  if (c === undefined) {
    const e = parseEthrDid(did);
    c = e === undefined ? did : `did:ethr:${e.network === undefined ? '' : `${e.network}:`}${e.address}`;
    if (canonicalCache.size >= 1024) canonicalCache.clear();
    if (typeof did === 'string' && did.length <= 256) canonicalCache.set(did, c);
  }
  return c;
}

const canonicalCache = new Map<string, string>();

/** The anchoring identity of a registrar DID on chain `chainId`, or undefined if it is not on that chain. */
export function identityOnChain(did: string, chainId: number): string | undefined {
  const e = parseEthrDid(did);
  if (e === undefined) return undefined;
  const net = e.network ?? (chainId === 1 ? `0x1` : undefined);
  return net === ethrNetworkId(chainId) || (net === 'mainnet' && chainId === 1) ? e.address : undefined;
}
