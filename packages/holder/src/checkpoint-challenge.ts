import { CradleError, parseStrictJson } from '@cradle/core';
import { MAX_DOMAIN_LENGTH, MAX_NONCE_LENGTH } from './presentation-payload.js';

/** What a checkpoint asks the guardian's wallet to sign for. */
export interface CheckpointChallenge {
  nonce: string;
  domain: string;
}

const MAX_CHALLENGE_TEXT = 2048;

/**
 * Read the challenge a checkpoint shows as a QR code: the JSON text `{"nonce":"…","domain":"…"}` (as
 * the checkpoint app renders it). Other members are ignored; duplicate members, a missing or non-string
 * nonce or domain, and oversized input are refused with `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const { nonce, domain } = parseCheckpointChallenge(scannedText);
 * const p = await wallet.present({ child, nonce, domain });
 * ```
 */
export function parseCheckpointChallenge(text: string): CheckpointChallenge {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new CradleError('INVALID_ARGUMENT', "The checkpoint's challenge is empty: scan its QR code again, or type its nonce and domain.");
  }
  let value: unknown;
  try {
    value = parseStrictJson(text.trim(), { maxBytes: MAX_CHALLENGE_TEXT, maxDepth: 2 });
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', 'This is not a checkpoint challenge (expected {"nonce":"…","domain":"…"}).', { cause });
  }
  const v = value as Partial<Record<'nonce' | 'domain', unknown>> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.nonce !== 'string' || typeof v.domain !== 'string') {
    throw new CradleError('INVALID_ARGUMENT', 'This is not a checkpoint challenge (expected {"nonce":"…","domain":"…"}).');
  }
  if (v.nonce.length === 0 || v.nonce.length > MAX_NONCE_LENGTH || v.domain.length === 0 || v.domain.length > MAX_DOMAIN_LENGTH) {
    throw new CradleError('INVALID_ARGUMENT', "The checkpoint's challenge has an empty or overlong nonce or domain.");
  }
  return { nonce: v.nonce, domain: v.domain };
}
