import type { FastifyInstance } from 'fastify';
import { Oauth2AuthorizationServer, Oauth2ResourceServer } from '@openid4vc/oauth2';
import { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { RequestGuard } from '../http/authorization.js';
import type { Registrar } from '../registrar.js';
import { createNonce, issuerCallbacks } from './oid4vci-crypto.js';
import type { Oid4vciKeys } from './oid4vci-crypto.js';
import { createOfferUri } from './credential-offer.js';
import { registerCredentialEndpoint } from './credential-endpoint.js';
import { OID4VCI_PATHS, REGISTRY_DISPLAY_NAME, oid4vciMetadata } from './issuer-metadata.js';
import { speakOauth } from './oauth-http.js';
import type { Oid4vciContext } from './oauth-http.js';
import { registerTokenEndpoint } from './token-endpoint.js';

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
 * One module per endpoint with logic of its own: `token-endpoint.ts`, `credential-endpoint.ts`; the OAuth
 * plumbing they share (form bodies, error answers, the context) is `oauth-http.ts`.
 *
 * OAuth errors are `{ error, error_description }` (`invalid_grant`, `invalid_request`, `invalid_proof`,
 * `invalid_nonce`, `invalid_token` with `WWW-Authenticate`, `credential_request_denied`, ...).
 */
export async function registerOid4vciRoutes(
  app: FastifyInstance,
  registrar: Registrar,
  keys: Oid4vciKeys,
  authenticate: RequestGuard,
): Promise<void> {
  const baseUrl = registrar.config.baseUrl;
  const callbacks = issuerCallbacks(keys, `${baseUrl}${OID4VCI_PATHS.jwks}`);
  const issuer = new Openid4vciIssuer({ callbacks });
  const metadata = oid4vciMetadata(issuer, baseUrl, REGISTRY_DISPLAY_NAME);
  const ctx: Oid4vciContext = {
    registrar,
    keys,
    baseUrl,
    issuer,
    metadata,
    authorizationServerMetadata: metadata.authorizationServers[0]!,
    authorizationServer: new Oauth2AuthorizationServer({ callbacks }),
    resourceServer: new Oauth2ResourceServer({ callbacks }),
  };

  await app.register(async (scope) => {
    speakOauth(scope);
    registerMetadataRoutes(scope, ctx);
    registerOfferRoute(scope, ctx, authenticate);
    registerTokenEndpoint(scope, ctx);
    registerNonceRoute(scope, ctx);
    registerCredentialEndpoint(scope, ctx);
  });
}

/** Both metadata documents, at the root and (for a base URL with a path) under the path; and the access-token key. */
function registerMetadataRoutes(scope: FastifyInstance, { baseUrl, keys, metadata, authorizationServerMetadata }: Oid4vciContext): void {
  const path = new URL(baseUrl).pathname.replace(/\/+$/, '');
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
}

/** `POST /oid4vci/offers` (the registry's staff, behind `authenticate`): a single-use pre-authorized offer. */
function registerOfferRoute(scope: FastifyInstance, { registrar }: Oid4vciContext, authenticate: RequestGuard): void {
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
}

/** `POST /oid4vci/nonce`: a fresh `c_nonce` for the proof of possession. */
function registerNonceRoute(scope: FastifyInstance, { registrar, keys, issuer }: Oid4vciContext): void {
  scope.post(OID4VCI_PATHS.nonce, { schema: { summary: 'A fresh c_nonce for the proof of possession' } }, async (_req, reply) => {
    const { nonce } = createNonce(keys, new Date(registrar.config.now()));
    return reply.header('cache-control', 'no-store').send(issuer.createNonceResponse({ cNonce: nonce, cNonceExpiresIn: 300 }));
  });
}
