/**
 * True for a JSON object (not `null`, not an array): the one guard every reader of untrusted JSON uses.
 *
 * @example
 * ```ts
 * isRecord(JSON.parse('{"a":1}')) // true
 * isRecord([]) // false
 * ```
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
