import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CradleError, ENVELOPED_CREDENTIAL_PREFIX, ENVELOPED_PRESENTATION_PREFIX, clockOption, httpErrorAnswer, readEnvelopedCredential, readEnvelopedPresentation, strictJsonBodyParser } from '@cradle/core';
import type { Clock } from '@cradle/core';
import type { VerificationResult } from '../result.js';
import type { SignatureVerifier } from '../signature-verifier.js';
import type { VerifierStore } from '../store.js';
import { verifyCredential } from '../verify-credential.js';
import { verifyPresentation } from '../verify-presentation.js';
import { nodeSignatureVerifier } from './node-signature-verifier.js';
import { registerOpenid4vpRoutes } from './openid4vp-routes.js';

/** Largest request body (a presentation with two credentials is a few KiB). */
const MAX_BODY_BYTES = 128 * 1024;

/** Options for {@link createVerifierServer}. */
export interface VerifierServerOptions {
  /** The checkpoint's store, or a function returning the current one (e.g. reopened after a sync by another process). */
  readonly store: VerifierStore | (() => VerifierStore | Promise<VerifierStore>);
  /** Bearer token required on the verify routes (`Authorization: Bearer <token>`). At least 16 characters. */
  readonly token: string;
  /** Default `nodeSignatureVerifier`. */
  readonly signatureVerifier?: SignatureVerifier;
  /** Clock (ms since epoch); default `Date.now`. */
  readonly now?: Clock;
  /** Fastify logger (default off). */
  readonly logger?: boolean;
  /**
   * Serve OpenID4VP (docs/openid4vc.md): `publicUrl` is where wallets reach this service; its
   * `/oid4vp/response` is the requests' response URI. Off by default.
   */
  readonly openid4vp?: { readonly publicUrl: string };
}

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;

const resultSchema = {
  type: 'object',
  description:
    'VC-API VerificationResult ({ checks, warnings, errors }) plus Cradle\'s verdict: outcome valid | invalid | indeterminate ("cannot confirm") | alert (a child-protection alert: `alerts`), facts, statusAge.',
  additionalProperties: true,
  properties: {
    verified: { type: 'boolean' },
    outcome: { type: 'string', enum: ['valid', 'invalid', 'indeterminate', 'alert'] },
    checks: { type: 'array', items: { type: 'string' } },
    warnings: { type: 'array', items: { type: 'object', additionalProperties: true } },
    errors: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

const CREDENTIAL_CHECKS = ['proof', 'issuer', 'validity', 'schema', 'status'];
const PRESENTATION_CHECKS = [...CREDENTIAL_CHECKS, 'holder', 'challenge', 'domain'];

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** VC-API answer: 200 only when verified; a credential that is invalid or cannot be confirmed is a 400 with the full result. */
function vcApiResult(result: VerificationResult, checks: readonly string[]): { status: number; body: Record<string, unknown> } {
  const warnings = result.bearer ? [{ code: 'BEARER', message: 'A bare credential says nothing about who presents it.' }] : [];
  return { status: result.outcome === 'valid' ? 200 : 400, body: { ...result, checks, warnings } };
}

/**
 * A VC-API verifier service over the offline verifier, for back offices, schools and banks that verify
 * online against a checkpoint's synced data (it never reaches the network itself: sync separately):
 *
 * - `POST /credentials/verify` (auth): `{ verifiableCredential: EnvelopedVerifiableCredential | "<jws or CRADLE QR text>" }`.
 * - `POST /presentations/verify` (auth): `{ verifiablePresentation: EnvelopedVerifiablePresentation | "<jws or QR text>",
 *   options: { challenge, domain } }` (the checkpoint's nonce and domain).
 * - with `openid4vp`: `POST /oid4vp/requests`, `GET /oid4vp/requests/:id` (auth) and `POST /oid4vp/response`
 *   (the wallet's `direct_post`): see `registerOpenid4vpRoutes`.
 * - `GET /health`, `GET /openapi.json`.
 *
 * The answer is `200` when the credential or presentation is valid, `400` when it is invalid or cannot be
 * confirmed (as VC-API verifiers answer), both with `{ verified, outcome, checks, warnings, errors, facts }`;
 * a request that carries nothing to verify is a `400 { code: "INVALID_ARGUMENT", message, details: { field } }`.
 * Request bodies are parsed strictly (duplicate JSON members refused). Every verify call needs
 * `Authorization: Bearer <token>` (the results name children): same model as the registrar's service.
 *
 * @example
 * ```ts
 * const app = await createVerifierServer({ store: await FileVerifierStore.open(home), token });
 * await app.listen({ host: '127.0.0.1', port: 8090 });
 * ```
 */
export async function createVerifierServer(opts: VerifierServerOptions): Promise<FastifyInstance> {
  const authenticate = bearerAuthentication(opts.token);
  const service: VerifyService = {
    storeOf: typeof opts.store === 'function' ? opts.store : () => opts.store as VerifierStore,
    verifier: opts.signatureVerifier ?? nodeSignatureVerifier,
    now: clockOption('now', opts.now),
  };
  const app = await createApp(opts.logger ?? false);
  registerCredentialVerify(app, service, authenticate);
  registerPresentationVerify(app, service, authenticate);
  if (opts.openid4vp !== undefined) {
    await registerOpenid4vpRoutes(app, { publicUrl: opts.openid4vp.publicUrl, storeOf: service.storeOf, signatureVerifier: service.verifier, now: service.now, authenticate });
  }
  app.get('/health', { schema: { summary: 'Liveness and the age of the synced data' } }, async () => {
    const sync = await (await service.storeOf()).getSyncState();
    return { status: 'ok', syncedAt: sync === undefined ? null : new Date(sync.syncedAt * 1000).toISOString() };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

/** What the verify routes verify against. */
interface VerifyService {
  readonly storeOf: () => VerifierStore | Promise<VerifierStore>;
  readonly verifier: SignatureVerifier;
  readonly now: Clock;
}

type Authenticate = (req: FastifyRequest) => Promise<void>;

/** The `onRequest` check of the verify routes: `Authorization: Bearer <token>`, compared in constant time. */
function bearerAuthentication(token: string): Authenticate {
  if (typeof token !== 'string' || token.length < 16) {
    throw new CradleError('CONFIG_INVALID', 'The verifier service needs a bearer token of at least 16 characters (CRADLE_API_TOKEN).');
  }
  const tokenDigest = sha256(token);
  return async (req) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/.exec(header) : null;
    if (match === null || !timingSafeEqual(sha256(match[1]!), tokenDigest)) {
      throw new CradleError('UNAUTHORIZED', 'Missing or wrong bearer token (Authorization: Bearer <token>).');
    }
  };
}

/**
 * The Fastify instance: strict JSON bodies (duplicate members refused), the OpenAPI description, and
 * errors as `{ code, message, details? }` (a `CradleError`'s code decides the status).
 */
async function createApp(logger: boolean): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: MAX_BODY_BYTES, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, strictJsonBodyParser(MAX_BODY_BYTES));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Cradle checkpoint verifier', version: '0.1.0', description: 'Verify birth-registration and guardianship credentials and checkpoint presentations offline, against synced data (VC-API).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  app.setErrorHandler((error: unknown, _req, reply) => {
    const answer = httpErrorAnswer(error, 'verifier');
    if (answer.unexpected) app.log.error(error);
    return reply.status(answer.status).send(answer.body);
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}.` }));
  return app;
}

/** The answers of both verify routes: the result, or a request error (400) or no/wrong token (401). */
const verifyResponses = {
  200: resultSchema,
  400: { ...resultSchema, properties: { ...resultSchema.properties, code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } } },
  401: errorSchema,
} as const;

/** `POST /credentials/verify`: a bare credential (a bearer check: it says nothing about who presents it). */
function registerCredentialVerify(app: FastifyInstance, service: VerifyService, authenticate: Authenticate): void {
  app.post<{ Body: { verifiableCredential: unknown; options?: Record<string, unknown> } }>(
    '/credentials/verify',
    {
      onRequest: authenticate,
      schema: {
        summary: 'Verify a credential offline (a bearer check: says nothing about who presents it)',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          required: ['verifiableCredential'],
          additionalProperties: false,
          properties: {
            verifiableCredential: { description: `EnvelopedVerifiableCredential (${ENVELOPED_CREDENTIAL_PREFIX['vc+jwt']}… or ${ENVELOPED_CREDENTIAL_PREFIX['jwt-vc']}…), or the compact JWS / CRADLE QR text` },
            options: { type: 'object', additionalProperties: false, properties: {} },
          },
        },
        response: verifyResponses,
      },
    },
    async (req, reply) => {
      const token = readEnvelopedCredential(req.body.verifiableCredential);
      if (token === undefined) {
        throw new CradleError('INVALID_ARGUMENT', `verifiableCredential: send an EnvelopedVerifiableCredential (${ENVELOPED_CREDENTIAL_PREFIX['vc+jwt']}…) or the compact credential token; embedded-proof credentials are not verified here.`, { details: { field: 'verifiableCredential' } });
      }
      const result = await verifyCredential(token, { store: await service.storeOf(), now: service.now, signatureVerifier: service.verifier });
      const { status, body } = vcApiResult(result, CREDENTIAL_CHECKS);
      return reply.status(status).send(body);
    },
  );
}

/** `POST /presentations/verify`: a guardian's checkpoint presentation against this checkpoint's challenge and domain. */
function registerPresentationVerify(app: FastifyInstance, service: VerifyService, authenticate: Authenticate): void {
  app.post<{ Body: { verifiablePresentation: unknown; options?: { challenge?: string; domain?: string } } }>(
    '/presentations/verify',
    {
      onRequest: authenticate,
      schema: {
        summary: "Verify a guardian's checkpoint presentation offline: holder binding, the checkpoint's challenge (nonce) and domain, every credential",
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          required: ['verifiablePresentation'],
          additionalProperties: false,
          properties: {
            verifiablePresentation: { description: `EnvelopedVerifiablePresentation (${ENVELOPED_PRESENTATION_PREFIX}…), or the compact JWS / CRADLE QR text` },
            options: {
              type: 'object',
              additionalProperties: false,
              properties: { challenge: { type: 'string', maxLength: 512, description: "The checkpoint's nonce" }, domain: { type: 'string', maxLength: 512, description: "The checkpoint's domain (the presentation's aud)" } },
            },
          },
        },
        response: verifyResponses,
      },
    },
    async (req, reply) => {
      const token = readEnvelopedPresentation(req.body.verifiablePresentation);
      if (token === undefined) {
        throw new CradleError('INVALID_ARGUMENT', `verifiablePresentation: send an EnvelopedVerifiablePresentation (${ENVELOPED_PRESENTATION_PREFIX}…) or the compact presentation token.`, { details: { field: 'verifiablePresentation' } });
      }
      const o = req.body.options ?? {};
      const result = await verifyPresentation(token, {
        store: await service.storeOf(),
        now: service.now,
        signatureVerifier: service.verifier,
        ...(o.challenge === undefined ? {} : { nonce: o.challenge }),
        ...(o.domain === undefined ? {} : { domain: o.domain }),
      });
      const { status, body } = vcApiResult(result, PRESENTATION_CHECKS);
      return reply.status(status).send(body);
    },
  );
}
