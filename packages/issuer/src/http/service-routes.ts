import type { FastifyInstance } from 'fastify';
import { bearerMatches, tokenDigest } from './authorization.js';
import type { Authorization, RequestGuard } from './authorization.js';
import type { IssuerRouteContext } from './route-context.js';

/** `IssuerServerOptions.metrics`: who may read `GET /metrics` besides an operator key and the shared token. */
export interface IssuerMetricsOptions {
  /** A bearer token (at least 16 characters) that may read `/metrics` and nothing else. */
  token?: string;
  /** Serve `/metrics` without authentication (default false). */
  public?: boolean;
}

/**
 * The guard of `GET /metrics`: nobody's business with `public`, else the scraper's own token first (it may
 * read nothing else), then an operator key or the shared token. Checked when the server is created: a
 * metrics token shorter than 16 characters is `CONFIG_INVALID`.
 */
export function metricsGuard(auth: Authorization, access: IssuerMetricsOptions): RequestGuard {
  const scraper = tokenDigest(access.token, 'The metrics token must have at least 16 characters (CRADLE_METRICS_TOKEN, --metrics-token-file).');
  const operatorOnly = auth.authorize('read metrics', 'operator');
  return async (req, reply) => {
    if (access.public === true) return;
    if (bearerMatches(req, scraper)) return;
    await operatorOnly(req, reply);
  };
}

/** How `GET /metrics` is guarded: {@link metricsGuard}, and whether the OpenAPI document says it needs a token. */
export interface MetricsRouteAccess {
  guard: RequestGuard;
  public: boolean;
}

/** `GET /health`, `GET /metrics` (when metrics are on) and `GET /openapi.json`. */
export function registerServiceRoutes(app: FastifyInstance, { registrar, metrics }: IssuerRouteContext, metricsAccess: MetricsRouteAccess): void {
  app.get('/health', { schema: { summary: 'Liveness and the number of anchors waiting' } }, async () => {
    const pending = await registrar.pending();
    return { status: 'ok', did: registrar.identity()?.did ?? null, pendingAnchors: pending.length };
  });

  if (metrics !== undefined) {
    app.get(
      '/metrics',
      {
        onRequest: metricsAccess.guard,
        schema: {
          summary: 'Prometheus metrics: issuance rate and latency, status changes, errors, outbox depth, anchor lag (text format); needs an operator key or the metrics token',
          ...(metricsAccess.public ? {} : { security: [{ bearer: [] }] }),
        },
      },
      async (_req, reply) => reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(await metrics.registry.metrics()),
    );
  }

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
