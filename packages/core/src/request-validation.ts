/**
 * A JSON-schema refusal of an HTTP request body (Ajv's `errors` array, as Fastify attaches it in
 * `error.validation`) as `{ message, details: { field } }`, naming the member: Ajv's own message says
 * "must NOT have additional properties" without saying which. Used by the registrar and verifier services.
 *
 * @example
 * ```ts
 * requestValidationMessage([{ instancePath: '/options', params: { additionalProperty: 'credentialId' } }])
 * // { message: 'options.credentialId: is not accepted here.', details: { field: 'options.credentialId' } }
 * ```
 */
export function requestValidationMessage(validation: unknown, fallback?: string): { message: string; details?: { field: string } } {
  const first = Array.isArray(validation) ? (validation[0] as { instancePath?: string; params?: Record<string, unknown>; message?: string } | undefined) : undefined;
  if (first === undefined) return { message: fallback ?? 'invalid request' };
  const path = (first.instancePath ?? '').split('/').filter(Boolean);
  const extra = first.params?.additionalProperty ?? first.params?.missingProperty;
  if (typeof extra === 'string') path.push(extra);
  const field = path.join('.') || 'body';
  const what = first.params?.additionalProperty !== undefined ? 'is not accepted here' : (first.message ?? 'is invalid');
  return { message: `${field}: ${what}.`, details: { field } };
}
