import type { FastifyInstance, FastifyRequest } from 'fastify';
import { base64UrlEncode } from '@cradle/core';
import { Oauth2ErrorCodes, Oauth2ResourceUnauthorizedError, decodeJwt } from '@openid4vc/oauth2';
import type { Openid4vciIssuer } from '@openid4vc/openid4vci';
import { ed25519KeyOfSigner, nonceExpiry } from './oid4vci-crypto.js';
import { OID4VCI_PATHS, configurationIdOf } from './issuer-metadata.js';
import { OAUTH_BODY_LIMIT, oauthError, requestLike } from './oauth-http.js';
import type { Oid4vciContext } from './oauth-http.js';
import type { DeliveryRefusal } from './offer-store.js';

const DELIVERY_ERRORS: Record<DeliveryRefusal, { error: string; description: string }> = {
  unknown: { error: Oauth2ErrorCodes.InvalidToken, description: 'The access token names no offer.' },
  not_redeemed: { error: Oauth2ErrorCodes.InvalidToken, description: 'The access token names an offer that was never redeemed.' },
  delivered: { error: Oauth2ErrorCodes.InvalidToken, description: 'The credential of this offer was already delivered; an offer is single-use.' },
  revoked: { error: Oauth2ErrorCodes.CredentialRequestDenied, description: 'The registry revoked this credential.' },
  suspended: { error: Oauth2ErrorCodes.CredentialRequestDenied, description: 'The registry suspended this credential.' },
};

type CredentialRequest = ReturnType<Openid4vciIssuer['parseCredentialRequest']>;

/** The Ed25519 key a wallet proved possession of. */
type ProvedKey = NonNullable<ReturnType<typeof ed25519KeyOfSigner>>;

/**
 * `POST /oid4vci/credential`: access token + one `jwt` proof (fresh nonce of this issuer, used once) ->
 * the offered credential: a `jwt_vc_json` one only to the credential subject's key; a `dc+sd-jwt` one
 * bound (`cnf.jwk`) to whichever Ed25519 key was proved.
 */
export function registerCredentialEndpoint(scope: FastifyInstance, ctx: Oid4vciContext): void {
  scope.post(OID4VCI_PATHS.credential, { bodyLimit: OAUTH_BODY_LIMIT, schema: { summary: 'OpenID4VCI credential endpoint (jwt proof of possession of the credential subject key)' } }, async (req, reply) => {
    const now = new Date(ctx.registrar.config.now());
    const offerId = await offerOfAccessToken(ctx, req, now);
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'Send the credential request as a JSON object.');
    const parsed = ctx.issuer.parseCredentialRequest({ issuerMetadata: ctx.metadata, credentialRequest: body as Record<string, unknown> });
    const key = await provedKey(ctx, parsed, now);
    const credential = await deliver(ctx, offerId, parsed, key);
    const credentialResponse = ctx.issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] });
    return reply.header('cache-control', 'no-store').send(credentialResponse);
  });
}

/** The offer the request's access token was issued for (`invalid_token` otherwise). */
async function offerOfAccessToken({ resourceServer, baseUrl, metadata }: Oid4vciContext, req: FastifyRequest, now: Date): Promise<string> {
  const { tokenPayload } = await resourceServer.verifyResourceRequest({
    request: requestLike(req, baseUrl),
    resourceServer: baseUrl,
    authorizationServers: metadata.authorizationServers,
    allowedAuthenticationSchemes: ['Bearer' as never],
    now,
  });
  return typeof tokenPayload.sub === 'string' ? tokenPayload.sub : '';
}

/**
 * The key of the request's one `jwt` proof: its nonce is this issuer's, unexpired and seen for the first
 * time on any replica (then never accepted again), its signature verifies, and the key is Ed25519.
 */
async function provedKey({ registrar, keys, issuer, metadata }: Oid4vciContext, parsed: CredentialRequest, now: Date): Promise<ProvedKey> {
  const proofs = parsed.proofs?.jwt;
  if (proofs === undefined || proofs.length !== 1) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'Send exactly one jwt proof of possession of the key the credential is issued to.');
  const proofJwt = proofs[0]!;
  let nonce: unknown;
  try {
    nonce = decodeJwt({ jwt: proofJwt }).payload.nonce;
  } catch {
    throw oauthError(Oauth2ErrorCodes.InvalidProof, 'The proof is not a JWT.');
  }
  const nonceExpiresAt = nonceExpiry(keys, nonce);
  if (nonceExpiresAt === undefined || now.getTime() > nonceExpiresAt.getTime()) {
    throw oauthError(Oauth2ErrorCodes.InvalidNonce, `The proof's nonce is ${nonceExpiresAt === undefined ? 'missing or not from this issuer' : 'expired'}; get a fresh one from the nonce endpoint.`);
  }
  const { signer } = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt: proofJwt, expectedNonce: nonce as string, nonceExpiresAt, now });
  // Single use, on every replica: a proof (and its nonce) seen once is never accepted again.
  if (!(await registrar.offers.useNonce(nonce as string, nonceExpiresAt))) {
    throw oauthError(Oauth2ErrorCodes.InvalidNonce, 'This nonce was already used in a proof; get a fresh one from the nonce endpoint.');
  }
  const key = ed25519KeyOfSigner(signer);
  if (key === undefined) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'The proof must be signed with an Ed25519 key (EdDSA), named as a did:key or a JWK.');
  return key;
}

/**
 * Mark the offer delivered (once) and return the credential for `key`: the one issued, or, for an SD-JWT
 * VC proved by another key than the child's, a copy bound to that key.
 */
async function deliver({ registrar }: Oid4vciContext, offerId: string, parsed: CredentialRequest, key: ProvedKey): Promise<string> {
  // An SD-JWT VC is bound to whichever key the wallet proved (cnf.jwk): a copy for a key other than the
  // child's is signed now, before the offer is marked delivered (it is thrown away if delivery is refused).
  const offered = await registrar.offers.credentialOf(offerId);
  const copy = offered?.format === 'sd-jwt-vc' && key.did !== offered.subject ? await registrar.offers.bindSdJwtVc(offered, { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(key.publicKey) }) : undefined;
  const delivered = await registrar.offers.deliver(offerId, async (credential) => {
    const requested = parsed.credentialConfigurationId;
    const configuration = configurationIdOf(credential.type, credential.format);
    if (requested !== undefined && requested !== configuration) {
      throw oauthError(Oauth2ErrorCodes.UnknownCredentialConfiguration, `This offer is for '${configuration}'.`);
    }
    if (credential.format !== 'sd-jwt-vc' && key.did !== credential.subject) {
      throw oauthError(
        Oauth2ErrorCodes.InvalidProof,
        "The proof is signed by another key than the credential subject's (the child's did:key the credential was issued to). A jwt_vc_json credential is bound to its subject; for a credential bound to a key of your wallet's choosing, ask the registry for an SD-JWT VC (dc+sd-jwt) offer.",
      );
    }
  });
  if (!delivered.ok) {
    const { error, description } = DELIVERY_ERRORS[delivered.reason];
    if (error === Oauth2ErrorCodes.InvalidToken) throw new Oauth2ResourceUnauthorizedError(description, { scheme: 'Bearer', error, error_description: description });
    throw oauthError(error, description);
  }
  return copy !== undefined && delivered.credential.id === offered?.id ? copy : delivered.credential.jwt;
}
