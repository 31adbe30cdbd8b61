import { CradleError, statusListId as listIdOfUrl } from '@cradle/core';
import { encodeBytes32String, hexlify } from 'ethers';

export { TRUST_LIST_ID } from '@cradle/core';

/**
 * ERC-1056 delegate type allowed to anchor for an identity: `bytes32("cradleAnchor")`, right-padded.
 * A custom type (not `veriKey`/`sigAuth`) keeps the anchoring account out of the DID document, so a hot
 * anchoring key can never sign credentials.
 */
export const ANCHOR_DELEGATE_TYPE_LABEL = 'cradleAnchor';
/** {@link ANCHOR_DELEGATE_TYPE_LABEL} as the bytes32 the contract and registry compare. */
export const ANCHOR_DELEGATE_TYPE = encodeBytes32String(ANCHOR_DELEGATE_TYPE_LABEL);


/**
 * List id of a status list published at `url`: `keccak256(utf8(url))` (docs/formats.md). The URL must end
 * in a random list name, never in anything personal.
 *
 * @example
 * ```ts
 * statusListId('https://registrar.example/status/4f9c2a…') // '0x…' (bytes32)
 * ```
 */
export function statusListId(url: string): string {
  if (url === '') throw new CradleError('INVALID_ARGUMENT', 'statusListId: the list URL is empty.');
  return listIdOfUrl(url);
}

/** A fresh random bytes32 list id (WebCrypto), for lists that have no URL-derived id. */
export function randomListId(): string {
  return hexlify(crypto.getRandomValues(new Uint8Array(32)));
}
