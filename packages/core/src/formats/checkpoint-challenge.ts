// The challenge a checkpoint shows as a QR code and a guardian's wallet answers: the JSON text
// `{"nonce":"…","domain":"…"}`. Built by the checkpoint app, read by the wallet, here only.
import { isRecord } from '../guards.js';
import { parseStrictJson } from '../strict-json.js';

/** What a checkpoint asks the guardian's wallet to sign for. */
export interface CheckpointChallenge {
  nonce: string;
  domain: string;
}

/** Longest accepted checkpoint nonce and domain (characters). */
export const MAX_NONCE_LENGTH = 256;
export const MAX_DOMAIN_LENGTH = 256;
const MAX_CHALLENGE_TEXT = 2048;

/**
 * The QR text of a challenge: `{"nonce":…,"domain":…}` (the same two values `cradle wallet present
 * --nonce N --domain D` takes).
 *
 * @example
 * ```ts
 * buildCheckpointChallenge({ nonce: 'q3J…', domain: 'border-post-7.example' }) // '{"nonce":"q3J…","domain":"border-post-7.example"}'
 * ```
 */
export function buildCheckpointChallenge(challenge: CheckpointChallenge): string {
  return JSON.stringify({ nonce: challenge.nonce, domain: challenge.domain });
}

/** What {@link readCheckpointChallenge} found: the challenge, or why the text is not one. */
export type CheckpointChallengeRead =
  | { readonly ok: true; readonly challenge: CheckpointChallenge }
  | { readonly ok: false; readonly code: 'MALFORMED' | 'TOO_LARGE'; readonly reason: string };

/**
 * Read a scanned challenge. Other members are ignored; duplicate members, a missing, empty or overlong
 * nonce or domain, and oversized input are refused. Never throws.
 *
 * @example
 * ```ts
 * const r = readCheckpointChallenge(scannedText);
 * if (r.ok) await wallet.present({ child, ...r.challenge });
 * ```
 */
export function readCheckpointChallenge(text: unknown): CheckpointChallengeRead {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, code: 'MALFORMED', reason: 'is empty' };
  if (text.length > MAX_CHALLENGE_TEXT) return { ok: false, code: 'TOO_LARGE', reason: `is longer than ${MAX_CHALLENGE_TEXT} characters` };
  let value: unknown;
  try {
    value = parseStrictJson(text.trim(), { maxBytes: MAX_CHALLENGE_TEXT, maxDepth: 2 });
  } catch {
    return { ok: false, code: 'MALFORMED', reason: 'is not JSON' };
  }
  if (!isRecord(value) || typeof value.nonce !== 'string' || typeof value.domain !== 'string') {
    return { ok: false, code: 'MALFORMED', reason: 'has no string "nonce" and "domain"' };
  }
  const { nonce, domain } = value;
  if (nonce.length === 0 || nonce.length > MAX_NONCE_LENGTH || domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH) {
    return { ok: false, code: 'MALFORMED', reason: 'has an empty or overlong nonce or domain' };
  }
  return { ok: true, challenge: { nonce, domain } };
}
