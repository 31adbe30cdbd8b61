import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createAuthorization } from './http/authorization.js';
import { registerCredentialRoutes } from './http/credential-routes.js';
import { installErrorAnswers } from './http/error-answers.js';
import { issuerLogger, requestId } from './http/request-log.js';
import type { IssuerLogOptions } from './http/request-log.js';
import type { IssuerRouteContext } from './http/route-context.js';
import { createServiceMetrics } from './http/service-metrics.js';
import { metricsGuard, registerServiceRoutes } from './http/service-routes.js';
import type { IssuerMetricsOptions } from './http/service-routes.js';
import { registerStatusListRoutes } from './http/status-list-routes.js';
import { useStrictJsonBodies } from './http/strict-json-body.js';
import type { Registrar } from './registrar.js';
import { registerOid4vciRoutes } from './oid4vci/oid4vci-routes.js';

export type { IssuerMetricsOptions } from './http/service-routes.js';

/** Largest request body accepted (JSON), in bytes. */
const BODY_LIMIT = 256 * 1024;

const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Cradle registrar', version: '0.1.0', description: 'Issue birth-registration credentials, manage their status, serve signed status lists.' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
} as const;

/** Options for {@link createIssuerServer}. */
export interface IssuerServerOptions {
  /**
   * A shared bearer token with every role (`Authorization: Bearer <token>`, at least 16 characters),
   * audited as `shared-token`. Optional: per-user API keys (`registrar.apiKeys`) are checked either way,
   * and are what a registry should use (one key per person or service, each with a role).
   */
  token?: string;
  /** `Cache-Control: max-age` of served status lists, in seconds (default 60). */
  statusMaxAgeSeconds?: number;
  /**
   * Request logs: JSON lines (Fastify's pino), one per request with its request id (`x-request-id`,
   * echoed in the answer), method, path, status and time; nothing personal (no bodies, no headers).
   * Default off; `cradle registrar serve` writes them to stderr.
   */
  logger?: boolean | IssuerLogOptions;
  /**
   * Prometheus metrics at `GET /metrics` (issuance rate and latency, outbox depth, anchor lag, errors).
   * Default: served, and **authenticated** like a write: `Authorization: Bearer` with an `operator` API
   * key, the shared `token`, or `metrics.token` (a token that can read `/metrics` and nothing else, for
   * the scraper). `{ public: true }` serves them to anyone (only where the port is reachable from the
   * monitoring network alone); `false` turns the endpoint off.
   */
  metrics?: boolean | IssuerMetricsOptions;
}

/**
 * The registrar's HTTP service (Fastify): VC-API style issuance, status updates, the signed status lists
 * (the `statusListCredential` URLs inside credentials), health and an OpenAPI document.
 *
 * - `POST /credentials/issue` (auth): `{ credential: { type?, credentialSubject: { id, ...claims } }, options?: { format } }`
 *   -> 201 `{ verifiableCredential: EnvelopedVerifiableCredential, id, jwt, credentialStatus }`. Members the
 *   registrar would replace or drop (`id`, `credentialStatus`, validity, a foreign `issuer`/`@context`/`type`)
 *   are refused with a 400 naming the field; bodies with duplicate JSON members are refused (400).
 * - `POST /credentials/status` (auth): `{ credentialId, action: revoke|suspend|unsuspend }`, or the VC-API
 *   form `{ credentialId, credentialStatus: [{ statusPurpose, status: '1'|'0' }] }`.
 * - `GET /credentials/:id/certificate?lang=en|fr&paper=a4|a5` (auth): the printable PDF birth certificate
 *   (`application/pdf`); 404 unknown id, 409 revoked or suspended (docs/paper-certificate.md).
 * - `POST /credentials/alert` (auth): `{ credentialId, kind | clear: true, reason }`: raise or clear a
 *   child-protection alert (docs/privacy.md).
 * - `POST /status-lists/publish` (auth): sign changed lists and run the anchoring outbox once.
 * - `GET /status/:name`: the signed list, `application/vc+jwt`, `ETag` = its digest, cacheable. Only the
 *   newest **anchored** version is served (404 before the first anchor): a newer version waiting in the
 *   outbox would not match the digest checkpoints read from the chain.
 * - `GET /alerts/:name`: an alert list as anchored, encrypted to the checkpoint alert keys (`application/jose+json`).
 * - `GET /status-pack`: the anchored version of every list (plus a newer one already sent to the chain)
 *   as one status-list pack (`application/x-cradle-status-pack`, docs/formats.md), `ETag` = sha256 of the
 *   pack, cacheable.
 *   `?since=<listId>:<version>,...` (the versions a checkpoint holds) leaves out lists at those versions
 *   and sends the others as deltas against them where it can.
 * - `GET /health`, `GET /openapi.json`, `GET /metrics` (Prometheus; an operator key or the metrics token,
 *   see {@link IssuerServerOptions.metrics}).
 *
 * One module per route group under `http/`: `credential-routes.ts` (issue, status, certificate, alert),
 * `status-list-routes.ts` (publish, status and alert lists, status pack), `service-routes.ts` (health,
 * metrics, OpenAPI); `authorization.ts` (tokens and roles) and `error-answers.ts` (error JSON, request ids)
 * serve them all; OpenID4VCI is `oid4vci/oid4vci-routes.ts`.
 *
 * Every answer carries `x-request-id` (the caller's, when it sent a plain one, else a fresh UUID), which
 * is also in the request's log line (see {@link IssuerServerOptions.logger}).
 *
 * Errors are JSON `{ code, message }` with a 4xx/5xx status. Writes need `Authorization: Bearer <token>`:
 * a per-user API key (`registrar.apiKeys`, looked up by its sha256) whose role allows the route (`clerk`:
 * issue and certificates; `supervisor`: status changes and certificates; `operator`: publish), or the
 * shared `token` (every role; compared in constant time). A missing, unknown or revoked token is a 401,
 * a key whose role does not allow the route a 403 (`FORBIDDEN`). Every action is in the audit log.
 *
 * @example
 * ```ts
 * const app = await createIssuerServer(registrar, { token: process.env.CRADLE_API_TOKEN! });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * ```
 */
export async function createIssuerServer(registrar: Registrar, opts: IssuerServerOptions): Promise<FastifyInstance> {
  // Configuration mistakes (a short token) are refused before anything is created.
  const auth = createAuthorization(registrar, opts.token);
  const metricsOpts: IssuerMetricsOptions = typeof opts.metrics === 'object' && opts.metrics !== null ? opts.metrics : {};
  const metricsAccess = { guard: metricsGuard(auth, metricsOpts), public: metricsOpts.public === true };
  const metrics = opts.metrics === false ? undefined : createServiceMetrics(registrar);
  const ctx: IssuerRouteContext = { registrar, auth, metrics, statusMaxAgeSeconds: opts.statusMaxAgeSeconds ?? 60 };

  const app = Fastify({ logger: issuerLogger(opts.logger), genReqId: requestId, bodyLimit: BODY_LIMIT, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  useStrictJsonBodies(app, BODY_LIMIT);
  await app.register(swagger, { openapi: OPENAPI });
  installErrorAnswers(app, metrics);

  registerCredentialRoutes(app, ctx);
  registerStatusListRoutes(app, ctx);
  // OpenID4VCI 1.0 (pre-authorized offers, token, nonce, credential, metadata): oid4vci/oid4vci-routes.ts.
  await registerOid4vciRoutes(app, registrar, registrar.oid4vciKeys(), auth.authorize('create OpenID4VCI credential offers', 'clerk'));
  registerServiceRoutes(app, ctx, metricsAccess);

  await app.ready();
  return app;
}
