import { ISO_3166_ALPHA2 } from './country-codes.js';
import { codeSchema, dateSchema, referenceSchema, textSchema } from './common.js';

/**
 * JSON Schema (draft-07) for {@link BirthRegistrationClaims}: the `credentialSubject` of a
 * `BirthRegistrationCredential` without `id`. Checks that need a clock or compare fields (real
 * calendar dates, not in the future, registration not before birth) are done by
 * `validateBirthRegistrationClaims` on top of this schema.
 */
export const birthRegistrationClaimsSchema = {
  $id: 'https://w3id.org/cradle/schemas/birth-registration-claims.json',
  title: 'Birth registration claims',
  type: 'object',
  additionalProperties: false,
  required: [
    'givenName',
    'familyName',
    'birthDate',
    'sex',
    'placeOfBirth',
    'registrationNumber',
    'registrationDate',
    'registeringOffice',
    'parents',
  ],
  properties: {
    givenName: textSchema(100, 'the given name(s) as recorded, 1 to 100 characters'),
    familyName: textSchema(100, 'the family name as recorded, 1 to 100 characters'),
    birthDate: dateSchema,
    sex: {
      type: 'string',
      enum: ['female', 'male', 'other', 'unknown'],
      description: 'one of female, male, other or unknown (the sex as recorded in the register)',
    },
    placeOfBirth: {
      type: 'object',
      additionalProperties: false,
      required: ['locality', 'country'],
      properties: {
        locality: textSchema(100, 'the town or village of birth, 1 to 100 characters'),
        region: textSchema(100, 'the region, province or county, 1 to 100 characters'),
        country: {
          type: 'string',
          enum: ISO_3166_ALPHA2,
          description: 'a two-letter ISO 3166-1 country code in capitals (for example KE)',
        },
        facility: textSchema(150, 'the hospital or clinic name, 1 to 150 characters'),
      },
    },
    registrationNumber: codeSchema(64, "the register's number: letters and digits, with . / _ - or spaces inside, at most 64 characters"),
    registrationDate: dateSchema,
    registeringOffice: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: textSchema(150, 'the registering office name, 1 to 150 characters'),
        code: codeSchema(32, 'the office code: letters and digits, with . / _ - or spaces inside, at most 32 characters'),
      },
    },
    parents: {
      type: 'array',
      maxItems: 8,
      uniqueItems: true,
      description: 'a list of at most 8 parents or guardians',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'reference'],
        properties: {
          role: {
            type: 'string',
            enum: ['mother', 'father', 'parent', 'guardian'],
            description: 'one of mother, father, parent, guardian',
          },
          reference: referenceSchema,
        },
      },
    },
  },
} as const;
