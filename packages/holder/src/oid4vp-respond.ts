import { createHash } from 'node:crypto';
import { CradleError, TYP_DC_SD_JWT, VCT_BIRTH_REGISTRATION, displayText } from '@cradle/core';
import { HashAlgorithm, setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';

/** Longest request URI accepted. */
export const MAX_REQUEST_URI_LENGTH = 16 * 1024;

/** The credential types a Cradle wallet answers for, by DCQL query. */
const ANSWERABLE_TYPES = ['BirthRegistrationCredential', 'GuardianshipCredential'] as const;

/** What {@link respondToRequest} needs. */
export interface RespondToRequestOptions {
  /** `openid4vp://?client_id=redirect_uri:…&dcql_query=…` (the QR code's text or the link): an unsigned request. */
  request: string;
  /**
   * Build and sign the checkpoint presentation for the verifier's nonce and audience (the request's
   * `client_id`): the wallet's `present`. With `sdJwtBirth`, the birth credential must be the SD-JWT VC,
   * disclosing only those claims and key-bound to the same nonce and audience; it is returned as
   * `birthToken` (the presented SD-JWT VC, which answers the `dc+sd-jwt` query).
   */
  present: (challenge: { nonce: string; domain: string; sdJwtBirth?: readonly string[] }) => Promise<{ jwt: string; birthToken?: string }>;
  /** Accept a verifier on plain http (tests, closed networks). */
  allowHttp?: boolean;
  fetch?: typeof fetch;
}

/** What the wallet sent and what the verifier answered. */
export interface RespondResult {
  /** Who asked (the request's `client_id`). */
  verifier: string;
  /** Where the answer went. */
  responseUri: string;
  /** The DCQL credential query ids answered. */
  answered: string[];
  /** Same-device flow: where the verifier asks the wallet to send the user next, if it did. */
  redirectUri?: string;
}

function verifierRefused(status: number, body: unknown): CradleError {
  const error = typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : `HTTP ${status}`;
  const description = (body as { error_description?: unknown })?.error_description;
  const text = typeof description === 'string' ? `: ${displayText(description, { maxLength: 300 })}` : '';
  return new CradleError('VERIFIER_REFUSED', `The verifier refused the presentation (${displayText(error, { maxLength: 60 })})${text}.`, { details: { error: displayText(error, { maxLength: 60 }), status } });
}

/**
 * Answer an OpenID4VP 1.0 request (unsigned, `direct_post`, DCQL) with a Cradle checkpoint presentation,
 * through the OpenWallet Foundation's `@openid4vc/openid4vp` client: the request is parsed and
 * validated by the library; every credential query must ask for a `jwt_vc_json` birth-registration or
 * guardianship credential, or a `dc+sd-jwt` birth registration (`vct_values`) — anything else is refused
 * before anything is signed. One presentation, bound to the request's nonce and `client_id`, answers the
 * `jwt_vc_json` queries; the birth SD-JWT VC, showing only the claims asked for and key-bound to the same
 * nonce and `client_id`, answers the `dc+sd-jwt` one (and travels inside the presentation too).
 *
 * @example
 * ```ts
 * const r = await respondToRequest({ request: qrText, present: (c) => wallet.present({ child, ...c }) });
 * ```
 */
export async function respondToRequest(opts: RespondToRequestOptions): Promise<RespondResult> {
  const text = typeof opts.request === 'string' ? opts.request.trim() : '';
  if (text === '' || text.length > MAX_REQUEST_URI_LENGTH) throw new CradleError('INVALID_ARGUMENT', `A presentation request is a URI of at most ${MAX_REQUEST_URI_LENGTH} characters (openid4vp://?…).`);
  if (opts.allowHttp === true) setGlobalConfig({ allowInsecureUrls: true });
  const refuse = () => {
    throw new CradleError('INVALID_ARGUMENT', 'Signed or encrypted OpenID4VP requests are not supported by this wallet yet; ask the verifier for an unsigned request (client_id redirect_uri:…).');
  };
  const client = new Openid4vpClient({
    callbacks: {
      hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha384 ? 'sha384' : alg === HashAlgorithm.Sha512 ? 'sha512' : 'sha256').update(data).digest()),
      fetch: opts.fetch ?? fetch,
      signJwt: refuse,
      verifyJwt: refuse,
      encryptJwe: refuse,
      decryptJwe: refuse,
    },
  });
  let payload: Record<string, unknown>;
  let query: { credentials: { id: string; format: string; meta?: { type_values?: unknown; vct_values?: unknown }; claims?: { path?: unknown }[] }[] };
  try {
    const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: text });
    if (parsed.type !== 'openid4vp' && parsed.type !== 'jar') throw new CradleError('INVALID_ARGUMENT', 'This is not an OpenID4VP request for a wallet app.');
    const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
    payload = resolved.authorizationRequestPayload as Record<string, unknown>;
    if (resolved.dcql === undefined) throw new CradleError('INVALID_ARGUMENT', 'The verifier asks with a presentation definition (PEX); this wallet answers DCQL queries only.');
    query = resolved.dcql.query as typeof query;
  } catch (e) {
    if (e instanceof CradleError) throw e;
    throw new CradleError('INVALID_ARGUMENT', `This is not a usable OpenID4VP request: ${displayText(e instanceof Error ? e.message : String(e), { maxLength: 300 })}`, { cause: e });
  }
  let sdJwtBirth: string[] | undefined;
  for (const credential of query.credentials) {
    const typeValues = Array.isArray(credential.meta?.type_values) ? (credential.meta.type_values as unknown[]) : [];
    const vctValues = Array.isArray(credential.meta?.vct_values) ? (credential.meta.vct_values as unknown[]) : [];
    // A birth registration asked as SD-JWT VC: disclose only the top-level claims the query names.
    if (credential.format === TYP_DC_SD_JWT && vctValues.includes(VCT_BIRTH_REGISTRATION) && sdJwtBirth === undefined) {
      sdJwtBirth = [...new Set((credential.claims ?? []).map((c) => (Array.isArray(c.path) ? c.path[0] : undefined)).filter((n): n is string => typeof n === 'string'))];
      continue;
    }
    const answerable = credential.format === 'jwt_vc_json' && typeValues.some((set) => Array.isArray(set) && set.some((t) => (ANSWERABLE_TYPES as readonly unknown[]).includes(t)));
    if (!answerable) {
      throw new CradleError('CREDENTIAL_TYPE_UNSUPPORTED', `The verifier asks for ${displayText(credential.id, { maxLength: 60 })} (${displayText(credential.format, { maxLength: 40 })}), which this wallet does not hold; nothing was sent.`);
    }
  }
  const nonce = payload.nonce;
  const clientId = payload.client_id;
  const responseUri = payload.response_uri;
  if (payload.response_mode !== 'direct_post') {
    throw new CradleError('INVALID_ARGUMENT', `The verifier wants the answer by ${displayText(String(payload.response_mode ?? 'redirect'), { maxLength: 40 })}; this wallet answers with direct_post only.`);
  }
  if (typeof nonce !== 'string' || typeof clientId !== 'string' || typeof responseUri !== 'string') {
    throw new CradleError('INVALID_ARGUMENT', 'The request has no nonce, client_id or response_uri (direct_post).');
  }
  const { jwt, birthToken } = await opts.present({ nonce, domain: clientId, ...(sdJwtBirth === undefined ? {} : { sdJwtBirth }) });
  if (sdJwtBirth !== undefined && birthToken === undefined) throw new CradleError('CREDENTIAL_TYPE_UNSUPPORTED', 'The verifier asks for the birth registration as an SD-JWT VC, which this wallet does not hold; nothing was sent.');
  const vpToken = Object.fromEntries(query.credentials.map((c) => [c.id, [c.format === TYP_DC_SD_JWT ? birthToken! : jwt]]));
  const { authorizationResponsePayload } = await client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: payload as never, authorizationResponsePayload: { vp_token: vpToken } as never });
  let submitted: { response: Response };
  try {
    submitted = (await client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: { response_uri: responseUri }, authorizationResponsePayload })) as unknown as { response: Response };
  } catch (e) {
    throw new CradleError('VERIFIER_UNREACHABLE', `Could not reach the verifier at ${displayText(responseUri, { maxLength: 200 })}; check the network and try again.`, { cause: e });
  }
  const body = (await submitted.response.json().catch(() => undefined)) as { redirect_uri?: unknown } | undefined;
  if (!submitted.response.ok) throw verifierRefused(submitted.response.status, body);
  return {
    verifier: clientId,
    responseUri,
    answered: query.credentials.map((c) => c.id),
    ...(typeof body?.redirect_uri === 'string' ? { redirectUri: body.redirect_uri } : {}),
  };
}
