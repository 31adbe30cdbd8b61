import { CradleError, isCradleError } from './errors.js';
import { parseStrictJson } from './strict-json.js';

/**
 * A request-body parser for HTTP frameworks with the `(request, body, done)` content-type parser shape
 * (Fastify's `addContentTypeParser(..., { parseAs: 'string' }, parser)`): the body is read with
 * {@link parseStrictJson}, so duplicate members (at any depth), excessive nesting and oversized bodies are
 * refused instead of `JSON.parse` silently keeping the last duplicate (two readers of one request could
 * otherwise disagree about what it asked for). Errors are `CradleError`s: `INVALID_ARGUMENT` naming the
 * member, or `TOO_LARGE`.
 *
 * @example
 * ```ts
 * app.removeContentTypeParser('application/json');
 * app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 262_144 }, strictJsonBodyParser(262_144));
 * ```
 */
export function strictJsonBodyParser(maxBytes: number): (request: unknown, body: string | Uint8Array, done: (err: Error | null, value?: unknown) => void) => void {
  return (_request, body, done) => {
    try {
      done(null, parseStrictJson(typeof body === 'string' ? body : new TextDecoder().decode(body), { maxBytes }));
    } catch (e) {
      if (isCradleError(e, 'TOO_LARGE')) done(new CradleError('TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`));
      else done(new CradleError('INVALID_ARGUMENT', `The request body is not acceptable JSON (${isCradleError(e) ? e.message : 'unreadable'}): send each member once.`));
    }
  };
}
