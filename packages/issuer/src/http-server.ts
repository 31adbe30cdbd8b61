import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CREDENTIAL_FORMATS, CradleError, ENVELOPED_CREDENTIAL_PREFIX, MEDIA_TYPE_JOSE_JSON, MEDIA_TYPE_VC_JWT, encodeStatusListPack, isCradleError, requestValidationMessage } from '@cradle/core';
import type { CradleErrorCode, StatusListPackEntry } from '@cradle/core';
import { statusListId } from '@cradle/ledger';
import type { IssueCredentialBody } from './http/issue-request.js';
import { issueResponse, readIssueRequest } from './http/issue-request.js';
import { issuerLogger, requestId } from './http/request-log.js';
import type { IssuerLogOptions } from './http/request-log.js';
import { createServiceMetrics } from './http/service-metrics.js';
import { useStrictJsonBodies } from './http/strict-json-body.js';
import type { ApiRole } from './api-keys.js';
import { STATUS_REASONS } from './audit-log.js';
import type { Actor, StatusReason } from './audit-log.js';
import type { Registrar } from './registrar.js';
import { mapDatabaseError } from './sqlite-busy.js';
import { registerOid4vciRoutes } from './oid4vci/oid4vci-routes.js';

/** Content type of `GET /status-pack`. */
const STATUS_PACK_TYPE = 'application/x-cradle-status-pack';
/** Most `<listId>:<version>` items a `GET /status-pack?since=` may name. */
const STATUS_PACK_MAX_SINCE = 1_000;
/** Distinct packs kept encoded (per published state and caller versions). */
const STATUS_PACK_CACHE_ENTRIES = 64;

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

/** {@link IssuerServerOptions.metrics}. */
export interface IssuerMetricsOptions {
  /** A bearer token (at least 16 characters) that may read `/metrics` and nothing else. */
  token?: string;
  /** Serve `/metrics` without authentication (default false). */
  public?: boolean;
}

const HTTP_STATUS: Partial<Record<CradleErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_CLAIMS: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RPC_UNREACHABLE: 503,
  DATABASE_BUSY: 503,
};

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;

const issueBody = {
  type: 'object',
  required: ['credential'],
  additionalProperties: false,
  properties: {
    credential: {
      type: 'object',
      required: ['credentialSubject'],
      properties: {
        '@context': { type: 'array', items: { type: 'string' }, description: 'Optional; if sent, exactly the contexts the registrar issues with.' },
        type: {
          type: 'array',
          items: { type: 'string' },
          description: '["VerifiableCredential", "GuardianshipCredential"] for a guardianship credential; default (and the only other value) ["VerifiableCredential", "BirthRegistrationCredential"].',
        },
        issuer: { description: "Optional; if sent, the registrar's own DID (string or { id })." },
        credentialSubject: {
          type: 'object',
          required: ['id'],
          additionalProperties: true,
          properties: { id: { type: 'string', description: "The child's DID" } },
        },
      },
      description:
        'id, credentialStatus, validFrom/validUntil (issuanceDate/expirationDate) and proof are set by the registrar: a request that sends them, or any other member, is refused (400 naming the field) rather than silently replaced.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { format: { type: 'string', enum: [...CREDENTIAL_FORMATS] } },
    },
  },
} as const;

const statusBody = {
  type: 'object',
  required: ['credentialId'],
  additionalProperties: false,
  description:
    'Either { credentialId, action } or the VC-API form { credentialId, credentialStatus: [{ type: "BitstringStatusListEntry", statusPurpose, status: "1" | "0" }] }.',
  properties: {
    credentialId: { type: 'string', minLength: 1, maxLength: 200 },
    action: { type: 'string', enum: ['revoke', 'suspend', 'unsuspend'] },
    reason: { type: 'string', enum: [...STATUS_REASONS], description: 'Why, for the audit log: a code, never free text about the child' },
    credentialStatus: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['statusPurpose', 'status'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', enum: ['BitstringStatusListEntry'] },
          statusPurpose: { type: 'string', enum: ['revocation', 'suspension'] },
          status: { type: 'string', enum: ['0', '1'] },
        },
      },
    },
  },
} as const;

type StatusUpdateBody = {
  credentialId: string;
  reason?: StatusReason;
  action?: 'revoke' | 'suspend' | 'unsuspend';
  credentialStatus?: { statusPurpose: 'revocation' | 'suspension'; status: '0' | '1' }[];
};

const alertBody = {
  type: 'object',
  additionalProperties: false,
  required: ['credentialId', 'reason'],
  properties: {
    credentialId: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: ['missing', 'protection-order', 'verify-with-authority'] },
    clear: { type: 'boolean' },
    reason: { type: 'string', minLength: 1, maxLength: 1000 },
  },
} as const;

interface AlertBody {
  credentialId: string;
  kind?: 'missing' | 'protection-order' | 'verify-with-authority';
  clear?: boolean;
  reason: string;
}

/** The status change a request asks for (exactly one of `action` / `credentialStatus`). */
function statusAction(body: StatusUpdateBody): 'revoke' | 'suspend' | 'unsuspend' {
  const entry = body.credentialStatus?.[0];
  if ((body.action === undefined) === (entry === undefined)) {
    throw new CradleError('INVALID_ARGUMENT', 'Give either "action" or "credentialStatus", not both and not neither.');
  }
  if (body.action !== undefined) return body.action;
  if (entry!.statusPurpose === 'revocation') {
    if (entry!.status === '0') throw new CradleError('CONFLICT', 'Revocation is permanent: a revocation status cannot be set back to 0.');
    return 'revoke';
  }
  return entry!.status === '1' ? 'suspend' : 'unsuspend';
}

/** Who acts when the shared token (not a per-user key) authenticated a request. */
const SHARED_TOKEN_ACTOR: Actor = { name: 'shared-token' };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
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
  if (opts.token !== undefined && (typeof opts.token !== 'string' || opts.token.length < 16)) {
    throw new CradleError('CONFIG_INVALID', 'A shared bearer token must have at least 16 characters (CRADLE_API_TOKEN); or leave it out and use per-user API keys.');
  }
  const tokenDigest = opts.token === undefined ? undefined : sha256(opts.token);
  const actors = new WeakMap<FastifyRequest, Actor>();
  const actorOf = (req: FastifyRequest): Actor => actors.get(req) ?? SHARED_TOKEN_ACTOR;
  const maxAge = opts.statusMaxAgeSeconds ?? 60;
  // Packs by (published digests, caller's versions): checkpoints at the same versions share one encoding.
  const packCache = new Map<string, { pack: Buffer; etag: string }>();
  const metricsOpts: IssuerMetricsOptions = typeof opts.metrics === 'object' && opts.metrics !== null ? opts.metrics : {};
  if (metricsOpts.token !== undefined && (typeof metricsOpts.token !== 'string' || metricsOpts.token.length < 16)) {
    throw new CradleError('CONFIG_INVALID', 'The metrics token must have at least 16 characters (CRADLE_METRICS_TOKEN, --metrics-token-file).');
  }
  const metricsTokenDigest = metricsOpts.token === undefined ? undefined : sha256(metricsOpts.token);
  const metrics = opts.metrics === false ? undefined : createServiceMetrics(registrar);
  const app = Fastify({ logger: issuerLogger(opts.logger), genReqId: requestId, bodyLimit: 256 * 1024, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  useStrictJsonBodies(app, 256 * 1024);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Cradle registrar', version: '0.1.0', description: 'Issue birth-registration credentials, manage their status, serve signed status lists.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 400) metrics?.errors.inc({ status: String(reply.statusCode), code: errorCodes.get(req) ?? 'UNKNOWN' });
  });
  const errorCodes = new WeakMap<FastifyRequest, string>();

  app.setErrorHandler((thrown: unknown, req, reply) => {
    const error = mapDatabaseError(thrown);
    errorCodes.set(req, isCradleError(error) ? error.code : (error as { validation?: unknown }).validation !== undefined ? 'INVALID_ARGUMENT' : 'INTERNAL');
    if (isCradleError(error)) {
      const status = HTTP_STATUS[error.code] ?? 500;
      return reply.status(status).send({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    const e = error as { validation?: unknown; statusCode?: number; message?: string; code?: string };
    if (e.validation !== undefined) return reply.status(400).send({ code: 'INVALID_ARGUMENT', ...requestValidationMessage(e.validation, e.message) });
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ code: e.statusCode === 413 ? 'TOO_LARGE' : 'INVALID_ARGUMENT', message: e.message ?? 'bad request' });
    }
    app.log.error(error);
    return reply.status(500).send({ code: 'INTERNAL', message: 'Internal error; see the registrar log.' });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}.` }));

  /** Authenticate the bearer token (the shared one, or a live API key) and check its role may do `what`. */
  const authorize =
    (what: string, ...roles: ApiRole[]) =>
    async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/.exec(header) : null;
      if (match === null) throw new CradleError('UNAUTHORIZED', 'Missing bearer token (Authorization: Bearer <token>).');
      if (tokenDigest !== undefined && timingSafeEqual(sha256(match[1]!), tokenDigest)) {
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
    };

  app.post<{ Body: IssueCredentialBody }>(
    '/credentials/issue',
    {
      onRequest: authorize('issue credentials', 'clerk'),
      schema: {
        summary: 'Issue a birth-registration (default) or guardianship credential',
        security: [{ bearer: [] }],
        body: issueBody,
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              jwt: { type: 'string' },
              verifiableCredential: {
                description: `VC-API: an EnvelopedVerifiableCredential ({"@context","id":"${ENVELOPED_CREDENTIAL_PREFIX['vc+jwt']}<jws>","type"}) for vc+jwt; the compact JWT for a VCDM 1.1 jwt-vc`,
              },
              credentialStatus: { type: 'array', items: { type: 'object', additionalProperties: true } },
              warnings: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          422: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const stopTimer = metrics?.issuanceSeconds.startTimer();
      const { type, subject, claims, format } = readIssueRequest(req.body, registrar.identity()?.did);
      const actor = actorOf(req);
      const issued = type === 'GuardianshipCredential'
        ? await registrar.issueGuardianship({
            subject,
            guardians: claims.guardians as never,
            ...(typeof claims.basis === 'string' ? { basis: claims.basis } : {}),
            format,
            actor,
          })
        : await registrar.issueBirthRegistration({ subject, claims, format, actor });
      stopTimer?.();
      metrics?.issued.inc({ type });
      req.log.info({ credentialId: issued.id, key: actor.keyId ?? actor.name }, 'credential issued');
      return reply.status(201).send(issueResponse(issued));
    },
  );

  app.post<{ Body: StatusUpdateBody }>(
    '/credentials/status',
    {
      onRequest: authorize('change a credential\'s status', 'supervisor'),
      schema: {
        summary: 'Revoke (permanent), suspend or unsuspend a credential; takes effect for verifiers at the next publish',
        security: [{ bearer: [] }],
        body: statusBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const what = statusAction(req.body);
      const record = await registrar[what](req.body.credentialId, { actor: actorOf(req), ...(req.body.reason === undefined ? {} : { reason: req.body.reason }) });
      metrics?.statusChanges.inc({ action: what });
      return { id: record.id, revokedAt: record.revokedAt, suspendedAt: record.suspendedAt };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string; paper?: 'a4' | 'a5' } }>(
    '/credentials/:id/certificate',
    {
      onRequest: authorize('print certificates', 'clerk', 'supervisor'),
      schema: {
        summary: 'The printable PDF birth certificate of a birth credential, its seals the signed credentials (docs/paper-certificate.md)',
        security: [{ bearer: [] }],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { lang: { type: 'string', minLength: 2, maxLength: 10 }, paper: { type: 'string', enum: ['a4', 'a5'] } },
        },
        response: { 200: { description: 'application/pdf', type: 'string', format: 'binary' }, 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const pdf = await registrar.certificate(req.params.id, { ...(req.query.lang ? { lang: req.query.lang } : {}), ...(req.query.paper ? { paper: req.query.paper } : {}) });
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="birth-certificate.pdf"')
        .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    },
  );

  app.post(
    '/status-lists/publish',
    {
      onRequest: authorize('publish status lists', 'operator'),
      schema: { summary: 'Sign changed status lists and run the anchoring outbox once', security: [{ bearer: [] }], response: { 401: errorSchema, 403: errorSchema } },
    },
    async (req) => {
      const published = await registrar.publish({ actor: actorOf(req) });
      const outbox = await registrar.processOutbox({ force: true });
      return { published, confirmed: outbox.confirmed, pending: outbox.pending, ...(outbox.error ? { error: outbox.error } : {}) };
    },
  );

  /** `GET /status/:name` and `GET /alerts/:name`: the newest anchored version of a list of that kind. */
  const serveAnchoredList = (alerts: boolean) => async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const found = await registrar.statusListJwt(req.params.name);
    const list = found !== undefined && (found.purpose === 'message') === alerts ? found : undefined;
    if (list === undefined) throw new CradleError('NOT_FOUND', `${alerts ? 'Alert' : 'Status'} list ${req.params.name} has no anchored version yet (never published, or its first anchor is still in the outbox: see \`cradle registrar pending\`).`);
    const etag = `"${list.digest}"`;
    reply
      .header('etag', etag)
      // Public, signed and anchored data: browsers (the offline checkpoint app) may fetch it cross-origin.
      .header('access-control-allow-origin', '*')
      .header('access-control-expose-headers', 'etag, x-cradle-list-version')
      .header('cache-control', `public, max-age=${maxAge}, must-revalidate`)
      .header('last-modified', new Date(list.createdAt).toUTCString())
      .header('x-cradle-list-version', String(list.version));
    const ifNoneMatch = req.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
    return reply.type(alerts ? MEDIA_TYPE_JOSE_JSON : MEDIA_TYPE_VC_JWT).send(list.jwt);
  };
  const listParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[0-9a-f]{32}$' } } };

  app.get<{ Params: { name: string } }>(
    '/status/:name',
    { schema: { summary: 'The newest anchored version of the signed BitstringStatusListCredential (vc+jwt); ETag is the anchored digest', params: listParams } },
    serveAnchoredList(false),
  );

  app.get<{ Params: { name: string } }>(
    '/alerts/:name',
    {
      schema: {
        summary: 'The newest anchored version of a child-protection alert list, encrypted to the checkpoint alert keys (General JSON JWE, docs/privacy.md); ETag is the anchored digest',
        params: listParams,
      },
    },
    serveAnchoredList(true),
  );

  app.post<{ Body: AlertBody }>(
    '/credentials/alert',
    {
      onRequest: authorize('raise or clear alerts', 'supervisor'),
      schema: {
        summary: 'Raise (kind) or clear (clear: true) the child-protection alert of a birth credential; the reason is recorded. Checkpoints see it after the next publish',
        security: [{ bearer: [] }],
        body: alertBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const { credentialId, kind, clear, reason } = req.body;
      if ((kind === undefined) === (clear !== true)) throw new CradleError('INVALID_ARGUMENT', 'Give exactly one of `kind` (missing, protection-order, verify-with-authority) or `clear: true`.', { details: { field: 'kind' } });
      return registrar.alert(credentialId, { kind: kind ?? null, reason, actor: actorOf(req) });
    },
  );

  app.get(
    '/status-pack',
    {
      schema: {
        summary:
          'The anchored version of every status list (and a newer one already sent to the chain), as one status-list pack (docs/formats.md); ETag is the sha256 of the pack. With `since`, only what changed after the versions the caller holds, as deltas where possible',
        querystring: {
          type: 'object',
          properties: {
            since: {
              type: 'string',
              maxLength: STATUS_PACK_MAX_SINCE * 80,
              description: 'Comma-separated `<listId>:<version>` of the lists the caller holds (listId = 0x + 64 hex, as anchored)',
            },
          },
        },
        response: { 200: { description: 'application/x-cradle-status-pack', type: 'string', format: 'binary' }, 304: { description: 'Not modified (If-None-Match)', type: 'null' } },
      },
    },
    async (req, reply) => {
      const lists = await registrar.statusPackLists();
      const since = parseSince((req.query as { since?: string }).since);
      // Re-encode (DEFLATE level 9 over every list, deltas recompressed) only when a list or the request changed.
      const key = `${lists.map((l) => l.digest).join(',')}|${[...since].map(([id, v]) => `${id}:${v}`).join(',')}`;
      let cached = packCache.get(key);
      if (cached === undefined) {
        const entries: StatusListPackEntry[] = [];
        for (const list of lists) {
          const held = since.get(statusListId(list.url).toLowerCase());
          if (held === list.version) continue; // the caller has it already
          const base = held !== undefined && held < list.version ? await registrar.statusListJwt(list.name, held) : undefined;
          entries.push(base === undefined ? { jws: list.jwt } : { jws: list.jwt, base: base.jwt });
        }
        const bytes = encodeStatusListPack(since.size === 0 ? entries.map((e) => e.jws) : entries);
        cached = { pack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), etag: `"${createHash('sha256').update(bytes).digest('hex')}"` };
        if (packCache.size >= STATUS_PACK_CACHE_ENTRIES) packCache.delete(packCache.keys().next().value!);
        packCache.set(key, cached);
      }
      const { pack, etag } = cached;
      const newest = lists.reduce((t, l) => Math.max(t, Date.parse(l.createdAt) || 0), 0);
      reply
        .header('etag', etag)
        .header('access-control-allow-origin', '*')
        .header('access-control-expose-headers', 'etag')
        .header('cache-control', `public, max-age=${maxAge}, must-revalidate`);
      if (newest > 0) reply.header('last-modified', new Date(newest).toUTCString());
      const ifNoneMatch = req.headers['if-none-match'];
      if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
      return reply.type(STATUS_PACK_TYPE).send(pack);
    },
  );

  // OpenID4VCI 1.0 (pre-authorized offers, token, nonce, credential, metadata): oid4vci/oid4vci-routes.ts.
  await registerOid4vciRoutes(app, registrar, registrar.oid4vciKeys(), authorize('create OpenID4VCI credential offers', 'clerk'));

  app.get('/health', { schema: { summary: 'Liveness and the number of anchors waiting' } }, async () => {
    const pending = await registrar.pending();
    return { status: 'ok', did: registrar.identity()?.did ?? null, pendingAnchors: pending.length };
  });

  if (metrics !== undefined) {
    const operatorOnly = authorize('read metrics', 'operator');
    // The scraper's own token first (it may read nothing else), then an operator key or the shared token.
    const metricsAuth = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (metricsOpts.public === true) return;
      const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
      if (match !== null && metricsTokenDigest !== undefined && timingSafeEqual(sha256(match[1]!), metricsTokenDigest)) return;
      await operatorOnly(req, reply);
    };
    app.get(
      '/metrics',
      {
        onRequest: metricsAuth,
        schema: {
          summary: 'Prometheus metrics: issuance rate and latency, status changes, errors, outbox depth, anchor lag (text format); needs an operator key or the metrics token',
          ...(metricsOpts.public === true ? {} : { security: [{ bearer: [] }] }),
        },
      },
      async (_req, reply) => reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(await metrics.registry.metrics()),
    );
  }

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return app;
}

/**
 * `since` of `GET /status-pack`: `<listId>:<version>` items, listId as anchored (0x + 64 hex), version a
 * positive decimal integer. A malformed value is the caller's mistake: 400 with what is wrong.
 */
function parseSince(since: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (since === undefined || since === '') return out;
  const items = since.split(',');
  if (items.length > STATUS_PACK_MAX_SINCE) throw new CradleError('INVALID_ARGUMENT', `since names ${items.length} lists; at most ${STATUS_PACK_MAX_SINCE} are accepted`);
  for (const item of items) {
    const m = /^(0x[0-9a-fA-F]{64}):([1-9][0-9]{0,14})$/.exec(item);
    if (m === null) throw new CradleError('INVALID_ARGUMENT', `since item ${JSON.stringify(item.slice(0, 100))} is not <listId>:<version> (listId = 0x + 64 hex digits, version a positive integer)`);
    const id = m[1]!.toLowerCase();
    if (out.has(id)) throw new CradleError('INVALID_ARGUMENT', `since names list ${id} twice`);
    out.set(id, Number(m[2]));
  }
  return out;
}
