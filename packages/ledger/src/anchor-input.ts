import { CradleError } from '@cradle/core';
import { getAddress, isAddress, isHexString, ZeroHash } from 'ethers';

/** What one anchor says: version `version` of list `listId` of `identity` has digest `digest`. */
export interface AnchorInput {
  /** The registrar's (or governance) ERC-1056 identity address. */
  identity: string;
  /** bytes32 list id (see `statusListId`, `TRUST_LIST_ID`). */
  listId: string;
  /** Strictly greater than the last anchored version of this list (first version: 1). */
  version: number | bigint;
  /** bytes32 hash of the exact signed list bytes (sha256 per docs/formats.md); never zero. */
  digest: string;
  /** Where the signed list can be fetched. Must not contain anything personal. */
  uri: string;
}

/** Largest URI the client will anchor (bytes of UTF-8); URIs are paid for in calldata and logs. */
export const MAX_ANCHOR_URI_BYTES = 1024;
const MAX_UINT64 = (1n << 64n) - 1n;

function invalid(message: string, field: string): never {
  throw new CradleError('INVALID_ARGUMENT', message, { details: { field } });
}

/** Check and normalize an address argument. */
export function assertAddress(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isAddress(value)) invalid(`${field} must be an Ethereum address (0x + 40 hex digits).`, field);
  return getAddress(value);
}

/** Check a bytes32 hex argument. */
export function assertBytes32(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isHexString(value, 32)) invalid(`${field} must be 0x + 64 hex digits (bytes32).`, field);
  return value.toLowerCase();
}

/** Check a uint64 version (>= 1). */
export function assertVersion(value: unknown, field = 'version'): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) invalid(`${field} must be an integer.`, field);
  if (typeof value !== 'number' && typeof value !== 'bigint') invalid(`${field} must be an integer.`, field);
  const v = BigInt(value);
  if (v < 1n || v > MAX_UINT64) invalid(`${field} must be between 1 and 2^64-1.`, field);
  return v;
}

/** Validate an {@link AnchorInput} before anything is sent. */
export function normalizeAnchorInput(input: AnchorInput): { identity: string; listId: string; version: bigint; digest: string; uri: string } {
  const digest = assertBytes32(input.digest, 'digest');
  if (digest === ZeroHash) invalid('digest must not be zero.', 'digest');
  if (typeof input.uri !== 'string') invalid('uri must be a string.', 'uri');
  if (new TextEncoder().encode(input.uri).length > MAX_ANCHOR_URI_BYTES) invalid(`uri must be at most ${MAX_ANCHOR_URI_BYTES} bytes.`, 'uri');
  return {
    identity: assertAddress(input.identity, 'identity'),
    listId: assertBytes32(input.listId, 'listId'),
    version: assertVersion(input.version),
    digest,
    uri: input.uri,
  };
}
