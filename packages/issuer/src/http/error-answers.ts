import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpErrorAnswer } from '@cradle/core';
import { mapDatabaseError } from '../sqlite-busy.js';
import type { ServiceMetrics } from './service-metrics.js';

/** OpenAPI schema of every error answer: `{ code, message, details? }`. */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;

/**
 * How the service answers when something goes wrong, and what every answer carries:
 * - every answer has `x-request-id`;
 * - a `CradleError` becomes `{ code, message, details? }` with its status (core's `HTTP_STATUS_OF_CODE`, one table for both services), a busy or
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
    const answer = httpErrorAnswer(error, 'registrar');
    errorCodes.set(req, answer.body.code);
    if (answer.unexpected) app.log.error(error);
    return reply.status(answer.status).send(answer.body);
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}.` }));
}
