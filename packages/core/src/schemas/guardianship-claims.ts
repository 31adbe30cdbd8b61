import { codeSchema, didSchema, textSchema } from './common.js';
import { ISO_3166_ALPHA2 } from './country-codes.js';

/**
 * JSON Schema (draft-07) for {@link GuardianshipClaims}: the `credentialSubject` (the child) of a
 * `GuardianshipCredential` without `id`. Each guardian may carry the name and identity document the
 * registrar recorded (what a border officer compares with the adult in front of them). Unique guardian
 * DIDs are checked by `validateGuardianshipClaims` on top of this schema.
 */
export const guardianshipClaimsSchema = {
  $id: 'https://w3id.org/cradle/schemas/guardianship-claims.json',
  title: 'Guardianship claims',
  type: 'object',
  additionalProperties: false,
  required: ['guardians'],
  properties: {
    guardians: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      description: 'a list of 1 to 8 guardians',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'role'],
        properties: {
          id: didSchema,
          role: {
            type: 'string',
            enum: ['mother', 'father', 'parent', 'legal-guardian', 'custodial-organisation'],
            description: 'one of mother, father, parent, legal-guardian, custodial-organisation',
          },
          name: textSchema(200, "the adult's full name as on their identity document, 1 to 200 characters without control characters"),
          document: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'country', 'number'],
            description: 'an identity document {type, country, number}',
            properties: {
              type: {
                type: 'string',
                enum: ['passport', 'national-id', 'other'],
                description: 'one of passport, national-id, other',
              },
              country: {
                type: 'string',
                enum: ISO_3166_ALPHA2,
                description: 'the two-letter ISO 3166-1 code of the issuing country, in capitals (for example KE)',
              },
              number: codeSchema(40, 'the document number: 1 to 40 letters and digits (. / _ - or spaces inside)'),
            },
          },
        },
      },
    },
    basis: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
      description: 'a short lower-case label such as birth-registration, court-order or custodial-care',
    },
  },
} as const;
