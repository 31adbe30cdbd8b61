import { isCradleError } from './errors.js';
import type { CradleErrorCode, CradleErrorDetails } from './errors.js';
import { requestValidationMessage } from './request-validation.js';

/**
 * The HTTP status of each error code a Cradle service route may throw (the registrar's and the
 * checkpoint verifier's); any other code is a 500.
 */
export const HTTP_STATUS_OF_CODE: Readonly<Partial<Record<CradleErrorCode, number>>> = {
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

/** What a service answers for an error: the status, the JSON body, and whether to log it as unexpected. */
export interface HttpErrorAnswer {
  readonly status: number;
  readonly body: { code: string; message: string; details?: CradleErrorDetails | { field: string } };
  /** A 500 for an error that is not a `CradleError`: log it; the body says nothing about the cause. */
  readonly unexpected: boolean;
}

/**
 * One rule for every Cradle HTTP service's error answers (`{ code, message, details? }`):
 * - a `CradleError` keeps its code and message, with its status from {@link HTTP_STATUS_OF_CODE};
 * - a request the HTTP framework refused by its JSON schema (`error.validation`, Ajv's errors) is a 400
 *   `INVALID_ARGUMENT` naming the field; any other 4xx it raised (body too large, bad content type) keeps
 *   its status, as `TOO_LARGE` (413) or `INVALID_ARGUMENT`;
 * - anything else is a 500 `INTERNAL` that tells the caller only where to look (`see the <service> log`).
 *
 * @example
 * ```ts
 * httpErrorAnswer(new CradleError('NOT_FOUND', 'No credential urn:uuid:…'), 'registrar')
 * // { status: 404, body: { code: 'NOT_FOUND', message: 'No credential urn:uuid:…' }, unexpected: false }
 * ```
 */
export function httpErrorAnswer(error: unknown, service: string): HttpErrorAnswer {
  if (isCradleError(error)) {
    return { status: HTTP_STATUS_OF_CODE[error.code] ?? 500, body: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) }, unexpected: false };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as { validation?: unknown; statusCode?: unknown; message?: unknown };
  if (e.validation !== undefined) {
    return { status: 400, body: { code: 'INVALID_ARGUMENT', ...requestValidationMessage(e.validation, typeof e.message === 'string' ? e.message : undefined) }, unexpected: false };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { code: e.statusCode === 413 ? 'TOO_LARGE' : 'INVALID_ARGUMENT', message: typeof e.message === 'string' ? e.message : 'bad request' }, unexpected: false };
  }
  return { status: 500, body: { code: 'INTERNAL', message: `Internal error; see the ${service} log.` }, unexpected: true };
}
