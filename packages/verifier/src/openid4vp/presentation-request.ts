import { CradleError, MAX_NONCE_LENGTH, TYP_DC_SD_JWT, VCT_BIRTH_REGISTRATION } from '@cradle/core';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import type { Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';

/** Credential query ids of the checkpoint's DCQL query. */
export const DCQL_IDS = { birth: 'birth', guardianship: 'guardianship' } as const;

/** Birth-record claims a verifier may ask for (credentialSubject members); the rest stay unrequested. */
export const BIRTH_CLAIMS = ['givenName', 'familyName', 'birthDate', 'sex', 'placeOfBirth', 'registrationNumber', 'registrationDate', 'registeringOffice', 'parents'] as const;
/** What a checkpoint needs by default: who the child is and when born. */
export const DEFAULT_BIRTH_CLAIMS: readonly BirthClaim[] = ['givenName', 'familyName', 'birthDate'];
/** One of {@link BIRTH_CLAIMS}. */
export type BirthClaim = (typeof BIRTH_CLAIMS)[number];

/** Formats a checkpoint may ask the birth credential in: a W3C JWT (`jwt_vc_json`) or an SD-JWT VC (`dc+sd-jwt`). */
export type BirthCredentialFormat = 'jwt_vc_json' | typeof TYP_DC_SD_JWT;

const ALGS = ['EdDSA', 'ES256', 'ES256K'];

/**
 * The DCQL query of a checkpoint presentation: the child's birth-registration credential and the
 * guardianship credential naming the presenter, asking only for `claims` of the birth record (and the
 * guardians of the guardianship credential).
 * - `jwt_vc_json` (default): one guardian-signed presentation answers both queries. A JWT credential
 *   discloses all its claims when presented; the query says what the verifier will read.
 * - `dc+sd-jwt`: the birth credential is asked as an SD-JWT VC (`vct_values`), so the wallet discloses only
 *   `claims`, with a key-binding JWT for this request's nonce and client id; the guardianship stays a
 *   `jwt_vc_json` query answered by the guardian's signed presentation, which proves who presents.
 */
export function checkpointDcqlQuery(claims: readonly BirthClaim[] = DEFAULT_BIRTH_CLAIMS, format: BirthCredentialFormat = 'jwt_vc_json') {
  const unknown = claims.filter((c) => !(BIRTH_CLAIMS as readonly string[]).includes(c));
  if (claims.length === 0 || unknown.length > 0) {
    throw new CradleError('INVALID_ARGUMENT', `claims must be some of ${BIRTH_CLAIMS.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}.`, { details: { field: 'claims' } });
  }
  if (format !== 'jwt_vc_json' && format !== TYP_DC_SD_JWT) {
    throw new CradleError('INVALID_ARGUMENT', `format must be jwt_vc_json or ${TYP_DC_SD_JWT}, not ${JSON.stringify(String(format).slice(0, 40))}.`, { details: { field: 'format' } });
  }
  const names = [...new Set(claims)];
  const birth =
    format === TYP_DC_SD_JWT
      ? { id: DCQL_IDS.birth, format: TYP_DC_SD_JWT, meta: { vct_values: [VCT_BIRTH_REGISTRATION] }, claims: names.map((c) => ({ path: [c] })) }
      : {
          id: DCQL_IDS.birth,
          format: 'jwt_vc_json' as const,
          meta: { type_values: [['VerifiableCredential', 'BirthRegistrationCredential']] },
          claims: names.map((c) => ({ path: ['credentialSubject', c] })),
        };
  return {
    credentials: [
      birth,
      {
        id: DCQL_IDS.guardianship,
        format: 'jwt_vc_json' as const,
        meta: { type_values: [['VerifiableCredential', 'GuardianshipCredential']] },
        claims: [{ path: ['credentialSubject', 'guardians'] }],
      },
    ],
  };
}

/** Options of {@link createPresentationRequest}. */
export interface PresentationRequestOptions {
  /** Where the wallet POSTs its answer (`direct_post`); also the verifier's identity (`redirect_uri:` client id). */
  responseUri: string;
  /** A fresh, unguessable nonce for this request (default: 128 random bits). */
  nonce?: string;
  /** Birth-record claims to ask for (default: given name, family name, birth date). */
  claims?: readonly BirthClaim[];
  /** The birth credential's format (default `jwt_vc_json`; `dc+sd-jwt` for selective disclosure): see {@link checkpointDcqlQuery}. */
  format?: BirthCredentialFormat;
  /** Opaque value echoed in the response, to find the session. */
  state?: string;
}

/** A request to show as a QR code (cross-device) or open as a link on the same device. */
export interface PresentationRequest {
  /** `openid4vp://?client_id=…&dcql_query=…`: the QR code's text, or the link's target. */
  uri: string;
  /** The request parameters: keep them to check the response with {@link verifyPresentationResponse}. */
  request: Openid4vpAuthorizationRequest;
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Build an unsigned OpenID4VP 1.0 request (via `@openid4vc/openid4vp`): client id
 * `redirect_uri:<responseUri>`, `response_mode=direct_post`, a DCQL query for the birth and guardianship
 * credentials, and a nonce. The wallet's presentation must carry that nonce and the client id as its
 * audience. Same-device: open `uri` on the phone; cross-device: show it as a QR code.
 *
 * @example
 * ```ts
 * const { uri, request } = await createPresentationRequest({ responseUri: 'https://ngo.example/oid4vp/response' });
 * ```
 */
export async function createPresentationRequest(opts: PresentationRequestOptions): Promise<PresentationRequest> {
  let url: URL;
  try {
    url = new URL(opts.responseUri);
  } catch {
    throw new CradleError('INVALID_ARGUMENT', `responseUri must be an absolute URL, not ${JSON.stringify(String(opts.responseUri).slice(0, 100))}.`, { details: { field: 'responseUri' } });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CradleError('INVALID_ARGUMENT', 'responseUri must be an http(s) URL.', { details: { field: 'responseUri' } });
  const nonce = opts.nonce ?? randomNonce();
  if (nonce.length < 16 || nonce.length > MAX_NONCE_LENGTH) throw new CradleError('INVALID_ARGUMENT', `The nonce must be 16 to ${MAX_NONCE_LENGTH} characters (unguessable).`, { details: { field: 'nonce' } });
  const payload = {
    response_type: 'vp_token' as const,
    client_id: `redirect_uri:${url.href}`,
    response_uri: url.href,
    response_mode: 'direct_post' as const,
    nonce,
    dcql_query: checkpointDcqlQuery(opts.claims, opts.format),
    client_metadata: {
      vp_formats_supported: {
        jwt_vc_json: { alg_values: ALGS },
        ...(opts.format === TYP_DC_SD_JWT ? { [TYP_DC_SD_JWT]: { 'sd-jwt_alg_values': ALGS, 'kb-jwt_alg_values': ALGS } } : {}),
      },
    },
    ...(opts.state === undefined ? {} : { state: opts.state }),
  };
  const verifier = new Openid4vpVerifier({ callbacks: unusedCallbacks });
  const created = await verifier.createOpenId4vpAuthorizationRequest({ authorizationRequestPayload: payload as never });
  return { uri: created.authorizationRequest, request: created.authorizationRequestPayload as Openid4vpAuthorizationRequest };
}

/** An unsigned request uses no callback. */
const unusedCallbacks = {
  hash: () => {
    throw new Error('unused');
  },
  signJwt: () => {
    throw new Error('unused');
  },
  verifyJwt: () => {
    throw new Error('unused');
  },
  encryptJwe: () => {
    throw new Error('unused');
  },
  decryptJwe: () => {
    throw new Error('unused');
  },
};
