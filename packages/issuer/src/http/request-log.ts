import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';

/** Logging of the registrar service: JSON lines (pino), one per request, with its request id. */
export interface IssuerLogOptions {
  /** pino level (default `info`). */
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where the lines go (default: stdout). `cradle registrar serve` writes them to stderr. */
  stream?: { write(line: string): void };
}

/** A request id a caller (or a proxy) may pass in `x-request-id`; anything else gets a fresh UUID. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id of `req`: the caller's `x-request-id` when it is short and plain, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Fastify's pino logger, limited to what an operator needs and nothing personal: method, path (query
 * cut at 200 characters), status, response time and request id. No bodies (claims, names, DIDs), no
 * headers (tokens), no client address beyond what the proxy logs. `undefined`/`false`: no log.
 */
export function issuerLogger(opts: boolean | IssuerLogOptions | undefined): FastifyServerOptions['logger'] {
  if (opts === undefined || opts === false) return false;
  const o = opts === true ? {} : opts;
  return {
    level: o.level ?? 'info',
    ...(o.stream === undefined ? {} : { stream: o.stream }),
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: typeof req.url === 'string' ? req.url.slice(0, 200) : undefined }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
