import { didSchema } from './common.js';

/**
 * JSON Schema (draft-07) for {@link GuardianshipClaims}: the `credentialSubject` (the child) of a
 * `GuardianshipCredential` without `id`. Unique guardian DIDs are checked by
 * `validateGuardianshipClaims` on top of this schema.
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
