import type { FastifyInstance } from 'fastify';
import { Oauth2ErrorCodes, preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import type { Registrar } from '../registrar.js';
import { OID4VCI_PATHS, configurationIdOf } from './issuer-metadata.js';
import { OAUTH_BODY_LIMIT, oauthError, requestLike } from './oauth-http.js';
import type { Oid4vciContext } from './oauth-http.js';
import type { RedeemRefusal } from './offer-store.js';

/** Lifetime of an access token: long enough to ask for a nonce and the credential. */
const ACCESS_TOKEN_TTL_SECONDS = 300;

const REDEEM_ERRORS: Record<RedeemRefusal, { error: string; description: string }> = {
  unknown: { error: Oauth2ErrorCodes.InvalidGrant, description: 'Unknown pre-authorized_code.' },
  used: { error: Oauth2ErrorCodes.InvalidGrant, description: 'This offer was already used; ask the registry for a new one.' },
  expired: { error: Oauth2ErrorCodes.InvalidGrant, description: 'This offer has expired; ask the registry for a new one.' },
  locked: { error: Oauth2ErrorCodes.InvalidGrant, description: 'Too many wrong transaction codes; this offer is no longer valid. Ask the registry for a new one.' },
  tx_code_missing: { error: Oauth2ErrorCodes.InvalidRequest, description: "Missing required 'tx_code': enter the code the registry gave you." },
  tx_code_wrong: { error: Oauth2ErrorCodes.InvalidGrant, description: "Wrong 'tx_code'." },
};

/**
 * `POST /oid4vci/token`: the pre-authorized code and its `tx_code` (single use, bounded tries) for an
 * access token naming the offer and the credential configuration it is for.
 */
export function registerTokenEndpoint(scope: FastifyInstance, ctx: Oid4vciContext): void {
  const { registrar, keys, baseUrl, authorizationServer, authorizationServerMetadata } = ctx;
  scope.post(OID4VCI_PATHS.token, { bodyLimit: OAUTH_BODY_LIMIT, schema: { summary: 'OAuth token endpoint (pre-authorized code grant with tx_code)' } }, async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw oauthError(Oauth2ErrorCodes.InvalidRequest, 'Send the token request as application/x-www-form-urlencoded.');
    const { grant } = authorizationServer.parseAccessTokenRequest({ request: requestLike(req, baseUrl), accessTokenRequest: body as Record<string, unknown>, authorizationServerMetadata } as never);
    if (grant.grantType !== preAuthorizedCodeGrantIdentifier) throw oauthError(Oauth2ErrorCodes.UnsupportedGrantType, `Only the '${preAuthorizedCodeGrantIdentifier}' grant is supported.`);
    const redeemed = await registrar.offers.redeem(grant.preAuthorizedCode, grant.txCode);
    if (!redeemed.ok) {
      const { error, description } = REDEEM_ERRORS[redeemed.reason];
      const left = redeemed.attemptsLeft === undefined ? '' : redeemed.attemptsLeft > 0 ? ` ${redeemed.attemptsLeft} attempt(s) left.` : ' The offer is no longer valid.';
      throw oauthError(error, `${description}${left}`);
    }
    const response = await authorizationServer.createAccessTokenResponse({
      authorizationServer: baseUrl,
      audience: baseUrl,
      subject: redeemed.offerId,
      expiresInSeconds: ACCESS_TOKEN_TTL_SECONDS,
      signer: { method: 'jwk', alg: 'EdDSA', publicJwk: keys.accessToken.publicJwk },
      now: new Date(registrar.config.now()),
      additionalAccessTokenResponsePayload: {
        authorization_details: [{ type: 'openid_credential', credential_configuration_id: await configurationIdOfOffered(registrar, redeemed.credentialId) }],
      },
    });
    return reply.header('cache-control', 'no-store').send(response);
  });
}

async function configurationIdOfOffered(registrar: Registrar, id: string): Promise<string> {
  const record = await registrar.get(id);
  if (record === undefined) throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The credential of this offer no longer exists.');
  return configurationIdOf(record.type, record.format);
}
