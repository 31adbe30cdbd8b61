import { CradleError, readCheckpointChallenge } from '@cradle/core';
import type { CheckpointChallenge } from '@cradle/core';

export type { CheckpointChallenge } from '@cradle/core';

/**
 * Read the challenge a checkpoint shows as a QR code (the JSON text `{"nonce":"…","domain":"…"}`, read by
 * `@cradle/core`'s `readCheckpointChallenge`). Anything that is not one is refused with `INVALID_ARGUMENT`
 * and a message that says what to do.
 *
 * @example
 * ```ts
 * const { nonce, domain } = parseCheckpointChallenge(scannedText);
 * const p = await wallet.present({ child, nonce, domain });
 * ```
 */
export function parseCheckpointChallenge(text: string): CheckpointChallenge {
  const read = readCheckpointChallenge(text);
  if (read.ok) return read.challenge;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new CradleError('INVALID_ARGUMENT', "The checkpoint's challenge is empty: scan its QR code again, or type its nonce and domain.");
  }
  if (read.reason.includes('overlong')) throw new CradleError('INVALID_ARGUMENT', "The checkpoint's challenge has an empty or overlong nonce or domain.");
  throw new CradleError('INVALID_ARGUMENT', `This is not a checkpoint challenge (expected {"nonce":"…","domain":"…"}): it ${read.reason}.`);
}
