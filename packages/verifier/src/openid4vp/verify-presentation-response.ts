import { TYP_DC_SD_JWT, isSdJwt } from '@cradle/core';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import type { Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { problem } from '../messages.js';
import type { VerificationResult } from '../result.js';
import { resultOf } from '../verify-credential.js';
import { verifyPresentation } from '../verify-presentation.js';
import type { VerifyPresentationOptions } from '../verify-presentation.js';

/** Largest `vp_token` accepted, before anything parses it (characters). */
export const MAX_VP_TOKEN_LENGTH = 256 * 1024;

const WHERE = 'openid4vp';

/** The response never decrypts or verifies a JWT through the library (no JARM): Cradle checks the presentation itself. */
const refuse = () => {
  throw new Error('not supported: send the vp_token unencrypted (response_mode direct_post)');
};
const verifier = new Openid4vpVerifier({ callbacks: { hash: refuse, signJwt: refuse, verifyJwt: refuse, encryptJwe: refuse, decryptJwe: refuse } });

function malformed(message: string): VerificationResult {
  return resultOf('presentation', [problem('MALFORMED', message, WHERE)], { now: Math.floor(Date.now() / 1000) });
}

/**
 * Check a wallet's OpenID4VP 1.0 response (the `direct_post` form body, as an object) to a request made
 * with {@link createPresentationRequest}: the `vp_token` answers every `jwt_vc_json` query with one
 * checkpoint presentation and every `dc+sd-jwt` query with one key-bound SD-JWT VC, which are then
 * verified together with the same offline rules as a scanned presentation
 * (`verifyPresentation`): issuer signatures and trust, status and freshness, the presenter a listed
 * guardian, and the nonce and audience binding (the request's `nonce`; `aud` = its `client_id`).
 * Never throws on what the wallet sent: a malformed answer is `MALFORMED`.
 *
 * @example
 * ```ts
 * const result = await verifyPresentationResponse(formBody, { request, store });
 * if (result.outcome === 'valid') ...
 * ```
 */
export async function verifyPresentationResponse(
  response: Record<string, unknown>,
  opts: Omit<VerifyPresentationOptions, 'nonce' | 'domain' | 'boundCredentials'> & { request: Openid4vpAuthorizationRequest },
): Promise<VerificationResult> {
  const request = opts.request;
  const vpToken = response?.vp_token;
  if (typeof vpToken === 'string' && vpToken.length > MAX_VP_TOKEN_LENGTH) return malformed(`The vp_token is longer than ${MAX_VP_TOKEN_LENGTH} characters.`);
  let presentations: Record<string, unknown[]>;
  try {
    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({ authorizationResponse: response, authorizationRequestPayload: request, callbacks: {} as never });
    if (parsed.type !== 'dcql') return malformed('The response does not answer a DCQL query.');
    presentations = parsed.dcql.presentations as Record<string, unknown[]>;
  } catch (e) {
    return malformed(`The wallet's response is not a valid OpenID4VP response: ${e instanceof Error ? e.message.slice(0, 200) : 'unreadable'}.`);
  }
  const query = request.dcql_query as { credentials?: { id: string; format?: unknown }[] } | undefined;
  const queries = query?.credentials ?? [];
  const asked = queries.map((c) => c.id);
  const missing = asked.filter((id) => !Array.isArray(presentations[id]) || presentations[id].length === 0);
  if (missing.length > 0) return malformed(`The wallet did not answer ${missing.join(', ')}: the birth and the guardianship credentials are both needed.`);
  const extra = Object.keys(presentations).filter((id) => !asked.includes(id));
  if (extra.length > 0) return malformed('The response answers queries that were not asked.');
  // SD-JWT VC queries are answered with the SD-JWT VC itself (key-bound to this request); the others with
  // one presentation signed by the guardian.
  const sdJwtIds = queries.filter((c) => c.format === TYP_DC_SD_JWT).map((c) => c.id);
  const bound: string[] = [];
  for (const id of sdJwtIds) {
    const answers = presentations[id]!;
    if (answers.length !== 1 || !isSdJwt(answers[0])) return malformed(`Answer ${id} with exactly one SD-JWT VC carrying a key binding for this request.`);
    bound.push(answers[0]);
  }
  const tokens = new Set(asked.filter((id) => !sdJwtIds.includes(id)).flatMap((id) => presentations[id]!));
  const [vp, ...others] = [...tokens];
  if (others.length > 0 || typeof vp !== 'string') {
    return malformed('Send one presentation, signed by the guardian, carrying the guardianship credential (and every credential not asked as an SD-JWT VC), under each of those query ids.');
  }
  const { request: _request, ...rest } = opts;
  return verifyPresentation(vp, { ...rest, nonce: request.nonce, domain: request.client_id, ...(bound.length === 0 ? {} : { boundCredentials: bound }) });
}
