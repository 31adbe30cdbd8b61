/**
 * JSON Schema (draft-07) for one `credentialStatus` entry (W3C Bitstring Status List v1.0) as Cradle
 * issues it. `statusListIndex` is only checked for shape here; range is checked against the list
 * with `parseStatusListIndex`.
 */
export const bitstringStatusListEntrySchema = {
  $id: 'https://w3id.org/cradle/schemas/bitstring-status-list-entry.json',
  title: 'Bitstring status list entry',
  type: 'object',
  required: ['id', 'type', 'statusPurpose', 'statusListIndex', 'statusListCredential'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 2048, description: 'a URL' },
    type: { type: 'string', const: 'BitstringStatusListEntry', description: 'BitstringStatusListEntry' },
    statusPurpose: { type: 'string', enum: ['revocation', 'suspension'], description: 'revocation or suspension' },
    statusListIndex: {
      type: 'string',
      pattern: '^(?:0|[1-9][0-9]{0,14})$',
      description: 'a string of decimal digits without leading zeros',
    },
    statusListCredential: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://[^\\s]+$',
      description: 'an http(s) URL',
    },
  },
} as const;
