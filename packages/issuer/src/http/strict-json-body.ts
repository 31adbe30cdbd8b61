import type { FastifyInstance } from 'fastify';
import { CradleError, isCradleError, parseStrictJson } from '@cradle/core';

/**
 * Parse every `application/json` request body with `@cradle/core`'s strict parser instead of
 * `JSON.parse`: a body with a duplicate member (`{"id":"a","id":"b"}`, at any depth), deeper than 32
 * levels or larger than `maxBytes` is refused with a 400 (`INVALID_ARGUMENT`, naming the member) or
 * 413 (`TOO_LARGE`). `JSON.parse` silently keeps the last duplicate, so two readers of one request
 * could disagree about what was asked for (the class of bug RFC 8259 §4 warns about).
 *
 * @example
 * ```ts
 * const app = Fastify();
 * useStrictJsonBodies(app, 256 * 1024);
 * ```
 */
export function useStrictJsonBodies(app: FastifyInstance, maxBytes: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: maxBytes }, (_req, body, done) => {
    try {
      done(null, parseStrictJson(body as string, { maxBytes }));
    } catch (e) {
      if (isCradleError(e, 'TOO_LARGE')) done(new CradleError('TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`), undefined);
      else done(new CradleError('INVALID_ARGUMENT', `The request body is not acceptable JSON (${isCradleError(e) ? e.message : 'unreadable'}): send each member once.`), undefined);
    }
  });
}
