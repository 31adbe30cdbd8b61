import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isCradleError, requestValidationMessage } from '@cradle/core';
import type { CradleErrorCode } from '@cradle/core';
import { mapDatabaseError } from '../sqlite-busy.js';
import type { ServiceMetrics } from './service-metrics.js';

/** The HTTP status of each error code a route may throw; any other code is a 500. */
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

/** OpenAPI schema of every error answer: `{ code, message, details? }`. */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;

/**
 * How the service answers when something goes wrong, and what every answer carries:
 * - every answer has `x-request-id`;
 * - a `CradleError` becomes `{ code, message, details? }` with its status (`HTTP_STATUS`), a busy or
 *   locked database first becomes `DATABASE_BUSY` (503);
 * - a request Fastify refused (schema validation, body too large, bad content type) is a 400 / 413 with a
 *   message naming the field;
 * - anything else is logged and answered as a 500 `INTERNAL` that says nothing about the cause;
 * - an unknown route is a 404 `NOT_FOUND`;
 * - with `metrics`, each error answer is counted by status and code.
 */
export function installErrorAnswers(app: FastifyInstance, metrics: ServiceMetrics | undefined): void {
  const errorCodes = new WeakMap<FastifyRequest, string>();
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 400) metrics?.errors.inc({ status: String(reply.statusCode), code: errorCodes.get(req) ?? 'UNKNOWN' });
  });

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
}
