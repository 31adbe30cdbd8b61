import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { base64UrlEncode } from '@cradle/core';
import {
  Oauth2AuthorizationServer,
  Oauth2ErrorCodes,
  Oauth2ResourceServer,
  Oauth2ResourceUnauthorizedError,
  Oauth2ServerErrorResponseError,
  decodeJwt,
  preAuthorizedCodeGrantIdentifier,
} from '@openid4vc/oauth2';
import type { RequestLike } from '@openid4vc/oauth2';
import { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { Registrar } from '../registrar.js';
import { createNonce, ed25519KeyOfSigner, issuerCallbacks, nonceExpiry } from './oid4vci-crypto.js';
import type { Oid4vciKeys } from './oid4vci-crypto.js';
import { createOfferUri } from './credential-offer.js';
import { OID4VCI_PATHS, REGISTRY_DISPLAY_NAME, configurationIdOf, oid4vciMetadata } from './issuer-metadata.js';
import type { DeliveryRefusal, RedeemRefusal } from './offer-store.js';

/** Lifetime of an access token: long enough to ask for a nonce and the credential. */
const ACCESS_TOKEN_TTL_SECONDS = 300;
/** Largest token / credential request body accepted. */
const OAUTH_BODY_LIMIT = 16 * 1024;

const REDEEM_ERRORS: Record<RedeemRefusal, { error: string; description: string }> = {
  unknown: { error: Oauth2ErrorCodes.InvalidGrant, description: 'Unknown pre-authorized_code.' },
  used: { error: Oauth2ErrorCodes.InvalidGrant, description: 'This offer was already used; ask the registry for a new one.' },
  expired: { error: Oauth2ErrorCodes.InvalidGrant, description: 'This offer has expired; ask the registry for a new one.' },
  locked: { error: Oauth2ErrorCodes.InvalidGrant, description: 'Too many wrong transaction codes; this offer is no longer valid. Ask the registry for a new one.' },
  tx_code_missing: { error: Oauth2ErrorCodes.InvalidRequest, description: "Missing required 'tx_code': enter the code the registry gave you." },
  tx_code_wrong: { error: Oauth2ErrorCodes.InvalidGrant, description: "Wrong 'tx_code'." },
};

const DELIVERY_ERRORS: Record<DeliveryRefusal, { error: string; description: string }> = {
  unknown: { error: Oauth2ErrorCodes.InvalidToken, description: 'The access token names no offer.' },
  not_redeemed: { error: Oauth2ErrorCodes.InvalidToken, description: 'The access token names an offer that was never redeemed.' },
  delivered: { error: Oauth2ErrorCodes.InvalidToken, description: 'The credential of this offer was already delivered; an offer is single-use.' },
  revoked: { error: Oauth2ErrorCodes.CredentialRequestDenied, description: 'The registry revoked this credential.' },
  suspended: { error: Oauth2ErrorCodes.CredentialRequestDenied, description: 'The registry suspended this credential.' },
};

function oauthError(error: string, description: string, status = 400, internalMessage?: string): Oauth2ServerErrorResponseError {
  return new Oauth2ServerErrorResponseError({ error, error_description: description }, { status, ...(internalMessage === undefined ? {} : { internalMessage }) });
}

function requestLike(req: FastifyRequest, baseUrl: string): RequestLike {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return { method: req.method as RequestLike['method'], url: `${baseUrl}${req.url}`, headers };
}

/** `application/x-www-form-urlencoded` into an object; a repeated parameter is an `invalid_request` (RFC 6749 §3.2). */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (Object.hasOwn(out, k)) throw oauthError(Oauth2ErrorCodes.InvalidRequest, `Parameter '${k}' is repeated.`);
    out[k] = v;
  }
  return out;
}

/**
 * The registrar's OpenID4VCI 1.0 endpoints (pre-authorized code flow), on its own Fastify scope:
 * - `GET /.well-known/openid-credential-issuer`, `GET /.well-known/oauth-authorization-server`: metadata;
 * - `POST /oid4vci/offers` (bearer auth, like every write): `{ credentialId, expiresInSeconds? }` ->
 *   201 `{ uri, txCode, expiresAt, offerId, credentialId }`;
 * - `POST /oid4vci/token`: pre-authorized code + `tx_code` -> access token (single use, bounded tries);
 * - `POST /oid4vci/nonce`: a `c_nonce`;
 * - `POST /oid4vci/credential`: access token + `jwt` proof -> the credential: a `jwt_vc_json` one only to
 *   the credential subject's key; a `dc+sd-jwt` one bound (`cnf.jwk`) to whichever Ed25519 key was proved.
 * - `GET /oid4vci/jwks`: the key that signs access tokens.
 *
 * OAuth errors are `{ error, error_description }` (`invalid_grant`, `invalid_request`, `invalid_proof`,
 * `invalid_nonce`, `invalid_token` with `WWW-Authenticate`, `credential_request_denied`, ...).
 */
export async function registerOid4vciRoutes(
  app: FastifyInstance,
  registrar: Registrar,
  keys: Oid4vciKeys,
  authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>,
): Promise<void> {
  const baseUrl = registrar.config.baseUrl;
  const callbacks = issuerCallbacks(keys, `${baseUrl}${OID4VCI_PATHS.jwks}`);
  const issuer = new Openid4vciIssuer({ callbacks });
  const metadata = oid4vciMetadata(issuer, baseUrl, REGISTRY_DISPLAY_NAME);
  const authorizationServerMetadata = metadata.authorizationServers[0]!;
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const resourceServer = new Oauth2ResourceServer({ callbacks });
  const path = new URL(baseUrl).pathname.replace(/\/+$/, '');

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: OAUTH_BODY_LIMIT }, (_req, body, done) => {
      try {
        done(null, parseForm(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    scope.setErrorHandler((thrown: unknown, _req, reply) => {
      if (thrown instanceof Oauth2ResourceUnauthorizedError) {
        return reply.status(401).header('www-authenticate', thrown.toHeaderValue()).header('cache-control', 'no-store').send({ error: Oauth2ErrorCodes.InvalidToken, error_description: 'Missing, invalid or expired access token.' });
      }
      if (thrown instanceof Oauth2ServerErrorResponseError) {
        return reply.status(thrown.status).header('cache-control', 'no-store').send(thrown.errorResponse);
      }
      const e = thrown as { statusCode?: number; validation?: unknown; message?: string };
      if (e.validation !== undefined || (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)) {
        return reply.status(e.statusCode === 413 ? 413 : e.statusCode === 415 ? 415 : 400).send({ error: Oauth2ErrorCodes.InvalidRequest, error_description: e.message ?? 'Malformed request.' });
      }
      throw thrown; // the registrar's own handler answers CradleErrors and 500s
    });

    const issuerWellKnown = ['/.well-known/openid-credential-issuer', ...(path === '' ? [] : [`/.well-known/openid-credential-issuer${path}`])];
    for (const url of issuerWellKnown) {
      scope.get(url, { schema: { summary: 'OpenID4VCI credential issuer metadata' } }, async (_req, reply) => reply.header('access-control-allow-origin', '*').send(metadata.credentialIssuer));
    }
    const asWellKnown = ['/.well-known/oauth-authorization-server', ...(path === '' ? [] : [`/.well-known/oauth-authorization-server${path}`])];
    for (const url of asWellKnown) {
      scope.get(url, { schema: { summary: 'OAuth 2.0 authorization server metadata (RFC 8414)' } }, async (_req, reply) => reply.header('access-control-allow-origin', '*').send(authorizationServerMetadata));
    }
    scope.get(OID4VCI_PATHS.jwks, { schema: { summary: 'The key that signs OpenID4VCI access tokens' } }, async () => {
      const { kty, crv, x, kid, use, alg } = keys.accessToken.publicJwk;
      return { keys: [{ kty, crv, x, kid, use, alg }] };
    });

    scope.post<{ Body: { credentialId: string; expiresInSeconds?: number } }>(
      OID4VCI_PATHS.offers,
      {
        onRequest: authenticate,
        schema: {
          summary: 'Create a single-use OpenID4VCI pre-authorized offer for an issued credential (hand the txCode to the parent separately)',
          security: [{ bearer: [] }],
          body: {
            type: 'object',
            required: ['credentialId'],
            additionalProperties: false,
            properties: { credentialId: { type: 'string', minLength: 1, maxLength: 200 }, expiresInSeconds: { type: 'integer', minimum: 60, maximum: 2_592_000 } },
          },
        },
      },
      async (req, reply) => {
        const offer = await createOfferUri(registrar, req.body.credentialId, req.body.expiresInSeconds);
        return reply.status(201).header('cache-control', 'no-store').send(offer);
      },
    );

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

    scope.post(OID4VCI_PATHS.nonce, { schema: { summary: 'A fresh c_nonce for the proof of possession' } }, async (_req, reply) => {
      const { nonce } = createNonce(keys, new Date(registrar.config.now()));
      return reply.header('cache-control', 'no-store').send(issuer.createNonceResponse({ cNonce: nonce, cNonceExpiresIn: 300 }));
    });

    scope.post(OID4VCI_PATHS.credential, { bodyLimit: OAUTH_BODY_LIMIT, schema: { summary: 'OpenID4VCI credential endpoint (jwt proof of possession of the credential subject key)' } }, async (req, reply) => {
      const now = new Date(registrar.config.now());
      const { tokenPayload } = await resourceServer.verifyResourceRequest({
        request: requestLike(req, baseUrl),
        resourceServer: baseUrl,
        authorizationServers: metadata.authorizationServers,
        allowedAuthenticationSchemes: ['Bearer' as never],
        now,
      });
      const offerId = typeof tokenPayload.sub === 'string' ? tokenPayload.sub : '';
      const body = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'Send the credential request as a JSON object.');
      const parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body as Record<string, unknown> });
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
      const credential = copy !== undefined && delivered.credential.id === offered?.id ? copy : delivered.credential.jwt;
      const credentialResponse = issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] });
      return reply.header('cache-control', 'no-store').send(credentialResponse);
    });
  });
}

async function configurationIdOfOffered(registrar: Registrar, id: string): Promise<string> {
  const record = await registrar.get(id);
  if (record === undefined) throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The credential of this offer no longer exists.');
  return configurationIdOf(record.type, record.format);
}
