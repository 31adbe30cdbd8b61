import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CradleError } from '@cradle/core';
import type { ApiRole } from '../api-keys.js';
import type { Actor } from '../audit-log.js';
import type { Registrar } from '../registrar.js';

/** A Fastify `onRequest` hook that lets a request through or throws (401 / 403). */
export type RequestGuard = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Who may call the service: built once per server by {@link createAuthorization}. */
export interface Authorization {
  /** A guard for a route: a valid bearer token (the shared one, or a live API key) whose role is one of `roles`. */
  authorize(what: string, ...roles: ApiRole[]): RequestGuard;
  /** Who made an authorized request, for the audit log. */
  actorOf(req: FastifyRequest): Actor;
}

/** Who acts when the shared token (not a per-user key) authenticated a request. */
const SHARED_TOKEN_ACTOR: Actor = { name: 'shared-token' };

/** The shortest shared or metrics token accepted. */
const MIN_TOKEN_LENGTH = 16;

const BEARER = /^Bearer ([^\s]+)$/;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The digest of an optional configured token (compared in constant time), or a `CONFIG_INVALID` naming
 * where the token comes from when it is too short to be a secret.
 */
export function tokenDigest(token: string | undefined, tooShort: string): Buffer | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH) throw new CradleError('CONFIG_INVALID', tooShort);
  return sha256(token);
}

/** Whether the request's bearer token is the one whose digest is `digest`. */
export function bearerMatches(req: FastifyRequest, digest: Buffer | undefined): boolean {
  const match = BEARER.exec(req.headers.authorization ?? '');
  return match !== null && digest !== undefined && timingSafeEqual(sha256(match[1]!), digest);
}

/**
 * Bearer authentication and roles: the shared `token` (every role, audited as `shared-token`) or a
 * per-user API key (`registrar.apiKeys`, looked up by its sha256) whose role allows the route. A missing,
 * unknown or revoked token is `UNAUTHORIZED` (401), a key whose role does not allow the route `FORBIDDEN` (403).
 *
 * @example
 * ```ts
 * const auth = createAuthorization(registrar, process.env.CRADLE_API_TOKEN);
 * app.post('/status-lists/publish', { onRequest: auth.authorize('publish status lists', 'operator') }, handler);
 * ```
 */
export function createAuthorization(registrar: Registrar, sharedToken: string | undefined): Authorization {
  const shared = tokenDigest(sharedToken, 'A shared bearer token must have at least 16 characters (CRADLE_API_TOKEN); or leave it out and use per-user API keys.');
  const actors = new WeakMap<FastifyRequest, Actor>();
  return {
    actorOf: (req) => actors.get(req) ?? SHARED_TOKEN_ACTOR,
    authorize:
      (what, ...roles) =>
      async (req) => {
        const header = req.headers.authorization;
        const match = typeof header === 'string' ? BEARER.exec(header) : null;
        if (match === null) throw new CradleError('UNAUTHORIZED', 'Missing bearer token (Authorization: Bearer <token>).');
        if (shared !== undefined && timingSafeEqual(sha256(match[1]!), shared)) {
          actors.set(req, SHARED_TOKEN_ACTOR);
          return;
        }
        const key = await registrar.apiKeys.authenticate(match[1]!);
        if (key === undefined) throw new CradleError('UNAUTHORIZED', 'Unknown or revoked API key (Authorization: Bearer <token>).');
        if (!roles.includes(key.role)) {
          throw new CradleError('FORBIDDEN', `API key ${key.id} has the ${key.role} role, which may not ${what}: that needs ${roles.join(' or ')}.`, {
            details: { key: key.id, role: key.role, allowed: roles },
          });
        }
        actors.set(req, { name: key.name, keyId: key.id });
      },
  };
}
