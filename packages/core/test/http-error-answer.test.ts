import { describe, expect, it } from 'vitest';
import { CradleError, HTTP_STATUS_OF_CODE, httpErrorAnswer } from '../src/index.js';

describe('httpErrorAnswer: one rule for the registrar and the verifier services', () => {
  it('a CradleError keeps its code, message and details, with the status of its code', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS_OF_CODE)) {
      const answer = httpErrorAnswer(new CradleError(code as never, `m-${code}`, { details: { field: 'x' } }), 'registrar');
      expect(answer).toEqual({ status, body: { code, message: `m-${code}`, details: { field: 'x' } }, unexpected: false });
    }
    expect(httpErrorAnswer(new CradleError('FORBIDDEN', 'no'), 'verifier')).toEqual({ status: 403, body: { code: 'FORBIDDEN', message: 'no' }, unexpected: false });
  });

  it('a CradleError whose code has no HTTP status is a 500 with its own code, not logged as unexpected', () => {
    expect(httpErrorAnswer(new CradleError('CONFIG_INVALID', 'bad config'), 'registrar')).toEqual({ status: 500, body: { code: 'CONFIG_INVALID', message: 'bad config' }, unexpected: false });
  });

  it('a schema refusal names the field; other framework 4xx keep their status', () => {
    const refused = Object.assign(new Error('body must NOT have additional properties'), { validation: [{ instancePath: '/options', params: { additionalProperty: 'credentialId' } }] });
    expect(httpErrorAnswer(refused, 'verifier')).toEqual({ status: 400, body: { code: 'INVALID_ARGUMENT', message: 'options.credentialId: is not accepted here.', details: { field: 'options.credentialId' } }, unexpected: false });
    expect(httpErrorAnswer(Object.assign(new Error('Request body is too large'), { statusCode: 413 }), 'verifier').body).toEqual({ code: 'TOO_LARGE', message: 'Request body is too large' });
    expect(httpErrorAnswer(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), 'verifier')).toMatchObject({ status: 415, body: { code: 'INVALID_ARGUMENT' } });
  });

  it('anything else is a 500 INTERNAL that names only the log to read, and is flagged for logging', () => {
    for (const thrown of [new Error('SQLITE_CORRUPT: /var/lib/secret/path'), 'a string', null, undefined, 42, { statusCode: 502, message: 'upstream' }]) {
      const answer = httpErrorAnswer(thrown, 'registrar');
      expect(answer).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'Internal error; see the registrar log.' }, unexpected: true });
    }
  });
});
