// A fast yes/no check compiled from the same JSON Schema objects the Ajv validators are generated from, for
// the common case: a verifier checks thousands of valid credentials, and Ajv's generated code (allErrors,
// verbose: it collects every error with its schema) spends its time on a 249-entry country enum compared
// one deepEqual at a time. This answers only "valid or not", with the schema's own rules; on "not",
// validate-claims.ts runs the Ajv validator for the messages (so a "no" for something Ajv accepts costs time,
// never correctness; a "yes" must never be wrong). A differential test holds it to Ajv's answer.
import { deepEqual, ucs2length } from './validator-runtime.js';

/** True when `value` satisfies the schema the acceptor was compiled from (same answer as Ajv). */
export type SchemaAcceptor = (value: unknown) => boolean;

type Schema = Readonly<Record<string, unknown>>;

// Keywords that only annotate (no effect on validity).
const ANNOTATIONS = new Set(['$id', 'title', 'description']);
const KNOWN = new Set([...ANNOTATIONS, 'type', 'additionalProperties', 'required', 'properties', 'minLength', 'maxLength', 'pattern', 'enum', 'minItems', 'maxItems', 'uniqueItems', 'items']);

/**
 * Compile `schema` (the subset of draft-07 the claim schemas use: `type` object/string/array, `properties`,
 * `required`, `additionalProperties: false`, `minLength`, `maxLength`, `pattern` (with the `u` flag, as
 * Ajv), string `enum`, `items`, `minItems`, `maxItems`, `uniqueItems`). Any other keyword throws here, at
 * module load, so a schema change can never be half-checked.
 *
 * @example
 * ```ts
 * const accepts = compileSchemaAcceptor(birthRegistrationClaimsSchema);
 * accepts(claims) // true exactly when Ajv finds no error
 * ```
 */
export function compileSchemaAcceptor(schema: Schema): SchemaAcceptor {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema-acceptor: unsupported keyword "${k}"`);
  switch (schema.type) {
    case 'object':
      return objectAcceptor(schema);
    case 'string':
      return stringAcceptor(schema);
    case 'array':
      return arrayAcceptor(schema);
    default:
      throw new Error(`schema-acceptor: unsupported type ${JSON.stringify(schema.type)}`);
  }
}

function only(schema: Schema, allowed: readonly string[]): void {
  for (const k of Object.keys(schema)) {
    if (!ANNOTATIONS.has(k) && k !== 'type' && !allowed.includes(k)) throw new Error(`schema-acceptor: "${k}" on a ${String(schema.type)}`);
  }
}

function objectAcceptor(schema: Schema): SchemaAcceptor {
  only(schema, ['additionalProperties', 'required', 'properties']);
  if (schema.additionalProperties !== false) throw new Error('schema-acceptor: objects must have additionalProperties: false');
  const props = new Map<string, SchemaAcceptor>(Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([k, s]) => [k, compileSchemaAcceptor(s)]));
  const required = new Set((schema.required ?? []) as readonly string[]);
  for (const r of required) if (!props.has(r)) throw new Error(`schema-acceptor: required "${r}" has no schema`);
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    // Ajv reads members with `for…in` and `data.x === undefined`; on a plain object (what JSON.parse builds)
    // own keys give the same answer. Anything else (arrays, class instances, inherited members) is left to Ajv.
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    const o = value as Record<string, unknown>;
    let present = 0;
    // for…in over a plain object: its own enumerable keys (no array of them is built).
    for (const key in o) {
      const accept = props.get(key);
      if (accept === undefined || !accept(o[key])) return false;
      if (required.has(key)) present++;
    }
    return present === required.size;
  };
}

function stringAcceptor(schema: Schema): SchemaAcceptor {
  only(schema, ['minLength', 'maxLength', 'pattern', 'enum']);
  const min = schema.minLength as number | undefined;
  const max = schema.maxLength as number | undefined;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  let allowed: ReadonlySet<string> | undefined;
  if (schema.enum !== undefined) {
    const values = schema.enum as readonly unknown[];
    if (!values.every((v) => typeof v === 'string')) throw new Error('schema-acceptor: only string enums');
    allowed = new Set(values as readonly string[]);
  }
  return (value) => {
    if (typeof value !== 'string') return false;
    if (min !== undefined || max !== undefined) {
      // Lengths count code points (as Ajv's ucs2length); UTF-16 length is an upper bound of it.
      const n = value.length <= (max ?? Infinity) && value.length >= 2 * (min ?? 0) ? -1 : ucs2length(value);
      if (n >= 0 && ((min !== undefined && n < min) || (max !== undefined && n > max))) return false;
    }
    if (allowed !== undefined && !allowed.has(value)) return false;
    return pattern === undefined || pattern.test(value);
  };
}

function arrayAcceptor(schema: Schema): SchemaAcceptor {
  only(schema, ['items', 'minItems', 'maxItems', 'uniqueItems']);
  const items = schema.items === undefined ? undefined : compileSchemaAcceptor(schema.items as Schema);
  const min = schema.minItems as number | undefined;
  const max = schema.maxItems as number | undefined;
  const unique = schema.uniqueItems === true;
  return (value) => {
    if (!Array.isArray(value)) return false;
    if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max)) return false;
    if (items !== undefined) for (const v of value as unknown[]) if (!items(v)) return false;
    if (unique) for (let i = 1; i < value.length; i++) for (let j = 0; j < i; j++) if (deepEqual(value[i], value[j])) return false;
    return true;
  };
}
