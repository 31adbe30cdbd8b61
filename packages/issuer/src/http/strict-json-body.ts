import type { FastifyInstance } from 'fastify';
import { strictJsonBodyParser } from '@cradle/core';

/**
 * Parse every `application/json` request body with `@cradle/core`'s strict parser instead of
 * `JSON.parse` (see `strictJsonBodyParser`): duplicate members are a 400 naming the member, oversized
 * bodies a 413.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * useStrictJsonBodies(app, 256 * 1024);
 * ```
 */
export function useStrictJsonBodies(app: FastifyInstance, maxBytes: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: maxBytes }, strictJsonBodyParser(maxBytes));
}
