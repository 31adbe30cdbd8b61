import { TYP_VP_JWT } from '@cradle/core';
import { normalizeInput, peekTyp } from './input.js';
import type { VerificationResult } from './result.js';
import { verifyCredential } from './verify-credential.js';
import type { VerifyPresentationOptions } from './verify-presentation.js';
import { verifyPresentation } from './verify-presentation.js';

/**
 * Verify whatever the checkpoint scanned: a presentation (`vp+jwt`, needs `nonce` and `domain`) or a
 * bare credential (bearer check). The kind is read from the token header; either way every check runs.
 *
 * @example
 * ```ts
 * const r = await verify(scanned, { store, nonce, domain });
 * console.log(r.kind, r.outcome);
 * ```
 */
export async function verify(input: string, opts: VerifyPresentationOptions): Promise<VerificationResult> {
  const normalized = normalizeInput(input);
  const token = 'token' in normalized ? normalized.token : undefined;
  if (token !== undefined && peekTyp(token) === TYP_VP_JWT) return verifyPresentation(token, opts);
  return verifyCredential(token ?? input, opts);
}
