// Building blocks shared by the claim schemas. `description` doubles as the plain-English expectation
// used in validation messages ("<field> must be <description>"), so phrase it to follow "must be".

/** No control characters, no leading or trailing whitespace. */
const TEXT_PATTERN = '^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$';

/** A short human text field (names, places) of at most `max` characters. */
export function textSchema(max: number, description: string) {
  return { type: 'string', minLength: 1, maxLength: max, pattern: TEXT_PATTERN, description } as const;
}

/** `YYYY-MM-DD` (calendar validity and ordering are checked in code). */
export const dateSchema = {
  type: 'string',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'a date in the form YYYY-MM-DD (for example 2025-03-14)',
} as const;

/** Register numbers and office codes: letters, digits, and . / _ - or spaces inside. */
export function codeSchema(max: number, description: string) {
  return {
    type: 'string',
    minLength: 1,
    maxLength: max,
    pattern: '^[A-Za-z0-9](?:[A-Za-z0-9 ./_-]*[A-Za-z0-9])?$',
    description,
  } as const;
}

/** A DID without fragment, query or path (a subject or guardian identifier). */
export const didSchema = {
  type: 'string',
  maxLength: 256,
  pattern: '^did:[a-z0-9]+:[A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*$',
  description: 'a DID such as did:key:z6Mk...',
} as const;

/** A DID or a registry URN: a reference to a person, never a name. */
export const referenceSchema = {
  type: 'string',
  maxLength: 256,
  pattern:
    "^(?:did:[a-z0-9]+:[A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,.:=@;$_!*'%/?#-]+)$",
  description: 'a DID (did:...) or a registry reference (urn:...), never a name',
} as const;
