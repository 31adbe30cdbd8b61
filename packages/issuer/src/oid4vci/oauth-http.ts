import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Oauth2ErrorCodes, Oauth2ResourceUnauthorizedError, Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import type { AuthorizationServerMetadata, Oauth2AuthorizationServer, Oauth2ResourceServer, RequestLike } from '@openid4vc/oauth2';
import type { IssuerMetadataResult, Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { Registrar } from '../registrar.js';
import type { Oid4vciKeys } from './oid4vci-crypto.js';

/** Largest token / credential request body accepted. */
export const OAUTH_BODY_LIMIT = 16 * 1024;

/** What every OpenID4VCI endpoint is registered with: one set per server, built by `registerOid4vciRoutes`. */
export interface Oid4vciContext {
  readonly registrar: Registrar;
  readonly keys: Oid4vciKeys;
  /** The registrar's base URL: credential issuer, authorization server and audience. */
  readonly baseUrl: string;
  readonly issuer: Openid4vciIssuer;
  readonly metadata: IssuerMetadataResult;
  readonly authorizationServerMetadata: AuthorizationServerMetadata;
  readonly authorizationServer: Oauth2AuthorizationServer;
  readonly resourceServer: Oauth2ResourceServer;
}

/** An OAuth error answer (`{ error, error_description }`), thrown from a handler. */
export function oauthError(error: string, description: string, status = 400, internalMessage?: string): Oauth2ServerErrorResponseError {
  return new Oauth2ServerErrorResponseError({ error, error_description: description }, { status, ...(internalMessage === undefined ? {} : { internalMessage }) });
}

/** The request as `@openid4vc/oauth2` reads it (absolute URL under the base URL, fetch `Headers`). */
export function requestLike(req: FastifyRequest, baseUrl: string): RequestLike {
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
 * Make a Fastify scope speak OAuth: form bodies (bounded, no repeated parameter), and errors as
 * `{ error, error_description }` with `cache-control: no-store` (`invalid_token` with `WWW-Authenticate`;
 * a malformed request `invalid_request`). CradleErrors and 500s fall through to the registrar's own handler.
 */
export function speakOauth(scope: FastifyInstance): void {
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
}
