// What the anchor contract stores about a list, computed one way for the registrar (which anchors) and the
// checkpoint (which compares): the list id (keccak256 of the list URL) and the digest (sha256 of the exact
// signed bytes). One keccak implementation (@noble/hashes), browser-safe.
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';
import { utf8Encode } from '../base64url.js';

/**
 * What the anchor contract holds for one list of one registrar identity: its latest version
 * (docs/ledger.md). Read from the chain by `@cradle/ledger` (`LedgerClient.latest`).
 */
export interface AnchorState {
  /** Ethereum address of the anchoring identity (lowercase 0x). */
  readonly identity: string;
  /** bytes32 list id (lowercase 0x): {@link statusListId} of the list URL, or {@link TRUST_LIST_ID}. */
  readonly listId: string;
  readonly version: number;
  /** sha256 of the exact signed bytes (lowercase 0x hex): {@link digestOf}. */
  readonly digest: string;
  /** Block that holds the anchoring transaction. */
  readonly blockNumber: number;
  /** Timestamp (unix seconds) of that block, where it was read. */
  readonly blockTime?: number;
}

/**
 * One anchored list version as a checkpoint keeps it: the contract's state plus the URI that the
 * `Anchored` event of that version carries (where the signed list can be fetched).
 */
export interface AnchorRecord extends AnchorState {
  /** Where the signed list can be fetched (`''` when the event was not found). */
  readonly uri: string;
}

/**
 * List id of a status list published at `url`: `keccak256(utf8(url))` as 0x-prefixed lowercase hex
 * (docs/formats.md). Never throws.
 *
 * @example
 * ```ts
 * statusListId('https://registrar.example/status/4f9c2a…') // '0x…' (bytes32)
 * ```
 */
export function statusListId(url: string): string {
  return `0x${bytesToHex(keccak_256(utf8Encode(url)))}`;
}

/** List id of a governance trust list: `keccak256("cradle:trust-list")`, under the governance identity. */
export const TRUST_LIST_ID = statusListId('cradle:trust-list');

/**
 * The digest anchored for a signed list: sha256 of its exact bytes (a string is taken as its UTF-8
 * bytes), 0x-prefixed lowercase hex.
 *
 * @example
 * ```ts
 * digestOf(signedListJws) === anchor.digest
 * ```
 */
export function digestOf(signed: Uint8Array | string): string {
  return `0x${bytesToHex(sha256(typeof signed === 'string' ? utf8Encode(signed) : signed))}`;
}
