// OpenID4VP 1.0 on the checkpoint's verifier service (`cradle checkpoint serve --public-url URL`): a back
// office creates a request (shown to the family as a QR code or link), the wallet POSTs its answer
// (`direct_post`), the back office reads the verdict. The answer is checked by `verifyPresentationResponse`
// with the same offline rules as everything else on this service.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CradleError, TYP_DC_SD_JWT } from '@cradle/core';
import type { Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { BIRTH_CLAIMS, createPresentationRequest } from '../openid4vp/presentation-request.js';
import type { BirthClaim, BirthCredentialFormat } from '../openid4vp/presentation-request.js';
import { verifyPresentationResponse } from '../openid4vp/verify-presentation-response.js';
import type { VerificationResult } from '../result.js';
import type { SignatureVerifier } from '../signature-verifier.js';
import type { VerifierStore } from '../store.js';

/** Paths of the OpenID4VP routes. */
export const OPENID4VP_PATHS = { requests: '/oid4vp/requests', response: '/oid4vp/response' } as const;
/** How long a request waits for the wallet's answer (and its verdict stays readable). */
export const OPENID4VP_REQUEST_TTL_SECONDS = 600;
/** Most requests kept at once (answered or not); the oldest expired ones go first, then new ones are refused. */
export const OPENID4VP_MAX_REQUESTS = 1000;
/** Largest wallet answer accepted (form body, characters). */
const MAX_RESPONSE_BYTES = 128 * 1024;

/** Options of {@link registerOpenid4vpRoutes}. */
export interface Openid4vpRouteOptions {
  /** The URL wallets reach this service at (e.g. `https://verify.school.example`): the response URI and client id derive from it. */
  readonly publicUrl: string;
  readonly storeOf: () => VerifierStore | Promise<VerifierStore>;
  readonly signatureVerifier: SignatureVerifier;
  readonly now: () => number;
  /** Guards the back-office routes (create a request, read its verdict). */
  readonly authenticate: (req: FastifyRequest) => Promise<void>;
}

interface Pending {
  readonly request: Openid4vpAuthorizationRequest;
  readonly uri: string;
  readonly expiresAt: number;
  result?: VerificationResult;
}

/** The state of a request, as `GET /oid4vp/requests/:id` answers it. */
export interface Openid4vpRequestState {
  readonly id: string;
  readonly status: 'pending' | 'answered' | 'expired';
  readonly uri: string;
  readonly expiresAt: string;
  readonly result?: VerificationResult;
}

function responseUriOf(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new CradleError('CONFIG_INVALID', `The public URL must be an absolute http(s) URL wallets can reach, not ${JSON.stringify(publicUrl.slice(0, 100))}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CradleError('CONFIG_INVALID', 'The public URL must be an http(s) URL.');
  return `${url.href.replace(/\/+$/, '')}${OPENID4VP_PATHS.response}`;
}

/**
 * Register the OpenID4VP routes on the verifier service:
 * - `POST /oid4vp/requests` (bearer): `{ claims?, format? }` -> 201 `{ id, uri, expiresAt }`: show `uri` as a
 *   QR code (cross-device) or open it on the phone (same device);
 * - `POST /oid4vp/response` (the wallet, no bearer: it is the request's `response_uri`): the `direct_post`
 *   form; 200 `{}` when the presentation is valid, else 400 `{ error, error_description }`; one answer per
 *   request (a second is `invalid_request`);
 * - `GET /oid4vp/requests/:id` (bearer): `{ id, status: pending|answered|expired, uri, expiresAt, result? }`,
 *   `result` being the same verdict as `/presentations/verify`.
 * Requests live in this process's memory for {@link OPENID4VP_REQUEST_TTL_SECONDS}: one service process
 * per public URL (replicas behind one URL would not see each other's requests).
 */
export async function registerOpenid4vpRoutes(app: FastifyInstance, opts: Openid4vpRouteOptions): Promise<void> {
  const responseUri = responseUriOf(opts.publicUrl);
  const pending = new Map<string, Pending>();
  const nowSeconds = (): number => Math.floor(opts.now() / 1000);
  const prune = (): void => {
    const t = nowSeconds();
    for (const [id, p] of pending) if (p.expiresAt <= t) pending.delete(id);
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_RESPONSE_BYTES }, (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        if (Object.hasOwn(out, k)) return done(Object.assign(new Error(`Parameter '${k}' is repeated.`), { statusCode: 400 }), undefined);
        out[k] = v;
      }
      done(null, out);
    });

    scope.post<{ Body: { claims?: BirthClaim[]; format?: BirthCredentialFormat } }>(
      OPENID4VP_PATHS.requests,
      {
        onRequest: opts.authenticate,
        schema: {
          summary: 'Create an OpenID4VP request for a checkpoint presentation (show its uri as a QR code, or open it on the phone)',
          security: [{ bearer: [] }],
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              claims: { type: 'array', minItems: 1, maxItems: BIRTH_CLAIMS.length, uniqueItems: true, items: { type: 'string', enum: [...BIRTH_CLAIMS] } },
              format: { type: 'string', enum: ['jwt_vc_json', TYP_DC_SD_JWT], description: 'The birth credential format: dc+sd-jwt discloses only the claims asked for' },
            },
          },
        },
      },
      async (req, reply) => {
        prune();
        if (pending.size >= OPENID4VP_MAX_REQUESTS) {
          return reply.status(429).header('retry-after', '60').send({ code: 'TOO_MANY_REQUESTS', message: `${OPENID4VP_MAX_REQUESTS} requests are waiting for an answer; retry when some have expired.` });
        }
        const body = req.body ?? {};
        const id = randomBytes(16).toString('hex');
        const { uri, request } = await createPresentationRequest({
          responseUri,
          state: id,
          ...(body.claims === undefined ? {} : { claims: body.claims }),
          ...(body.format === undefined ? {} : { format: body.format }),
        });
        const expiresAt = nowSeconds() + OPENID4VP_REQUEST_TTL_SECONDS;
        pending.set(id, { request, uri, expiresAt });
        return reply.status(201).header('cache-control', 'no-store').send({ id, uri, expiresAt: new Date(expiresAt * 1000).toISOString() });
      },
    );

    scope.get<{ Params: { id: string } }>(
      `${OPENID4VP_PATHS.requests}/:id`,
      { onRequest: opts.authenticate, schema: { summary: 'The state of an OpenID4VP request and, once answered, the verdict', security: [{ bearer: [] }] } },
      async (req, reply) => {
        const p = pending.get(req.params.id);
        if (p === undefined) throw new CradleError('NOT_FOUND', 'No such OpenID4VP request (unknown, or expired and forgotten).');
        const status = p.result !== undefined ? 'answered' : p.expiresAt <= nowSeconds() ? 'expired' : 'pending';
        const state: Openid4vpRequestState = { id: req.params.id, status, uri: p.uri, expiresAt: new Date(p.expiresAt * 1000).toISOString(), ...(p.result === undefined ? {} : { result: p.result }) };
        return reply.header('cache-control', 'no-store').send(state);
      },
    );

    scope.post(OPENID4VP_PATHS.response, { schema: { summary: "The wallet's answer (OpenID4VP direct_post, application/x-www-form-urlencoded)" } }, async (req, reply) => {
      const refuse = (description: string) => reply.status(400).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: description });
      const body = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('Send the answer as application/x-www-form-urlencoded (direct_post).');
      const form = body as Record<string, unknown>;
      const id = typeof form.state === 'string' ? form.state : '';
      const p = pending.get(id);
      if (p === undefined || p.expiresAt <= nowSeconds()) return refuse('Unknown or expired request (state): ask the verifier for a new one.');
      if (p.result !== undefined) return refuse('This request was already answered: ask the verifier for a new one.');
      const result = await verifyPresentationResponse(form, { request: p.request, store: await opts.storeOf(), now: opts.now(), signatureVerifier: opts.signatureVerifier });
      p.result = result; // one answer per request, whatever it was: the nonce is spent
      // The presenter learns only accepted or not; a child-protection alert is never revealed to them
      // (answered like a valid one): the back office reads the verdict.
      if (result.outcome === 'valid' || result.outcome === 'alert') return reply.header('cache-control', 'no-store').send({});
      return refuse("The verifier did not accept this presentation; the verifier's staff can see why.");
    });
  });
}
