import { base64UrlEncode, buildCheckpointChallenge } from '@cradle/core';
import type { Challenge } from './verifier-adapter.js';

/** How long a guardian has to answer a challenge before the officer must start again. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A challenge together with the moment it was made. */
export interface IssuedChallenge extends Challenge {
  issuedAt: number;
}

/**
 * A fresh challenge: 128 random bits of nonce (base64url) for this checkpoint's domain.
 * @example newChallenge('border-post-7.example', Date.now())
 */
export function newChallenge(domain: string, now: number): IssuedChallenge {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return { nonce: base64UrlEncode(bytes), domain, issuedAt: now };
}

/**
 * The text put in the QR code the guardian's wallet scans: `{"nonce":…,"domain":…}`, the same two values
 * `cradle wallet present --nonce N --domain D` takes.
 */
export function challengeQrText(challenge: Challenge): string {
  return buildCheckpointChallenge(challenge);
}
