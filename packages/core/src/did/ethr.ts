// The canonical Cradle form of a did:ethr (docs/formats.md): `did:ethr:<chain id, lowercase hex>:<lowercase
// address>`. Built here and nowhere else, so that every package compares DIDs in the same form.

/**
 * The network part of a canonical Cradle `did:ethr`: the chain id in lowercase hex.
 *
 * @example
 * ```ts
 * ethrNetworkId(31337) // '0x7a69'
 * ```
 */
export function ethrNetworkId(chainId: number): string {
  return `0x${chainId.toString(16)}`;
}

/**
 * `did:ethr:<chain id hex>`: the prefix of every DID of a chain (and Veramo's provider name for it).
 *
 * @example
 * ```ts
 * ethrDidPrefix(31337) // 'did:ethr:0x7a69'
 * ```
 */
export function ethrDidPrefix(chainId: number): string {
  return `did:ethr:${ethrNetworkId(chainId)}`;
}

/**
 * The canonical `did:ethr` of an address on a chain. The address is lowercased, not checked: callers that
 * take addresses from outside check them first.
 *
 * @example
 * ```ts
 * ethrDidOf(31337, '0xF39F…2266') // 'did:ethr:0x7a69:0xf39f…2266'
 * ```
 */
export function ethrDidOf(chainId: number, address: string): string {
  return `${ethrDidPrefix(chainId)}:${address.toLowerCase()}`;
}
