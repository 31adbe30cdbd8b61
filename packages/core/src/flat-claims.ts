import type { BirthRegistrationClaims } from './formats/credential-types.js';

/** Most parents a flat (CSV) record can carry: `parents[0]` .. `parents[3]`. */
export const FLAT_MAX_PARENTS = 4;

/** Column holding the child's DID in batch files (not a claim; empty = let the issuer assign one). */
export const CHILD_DID_COLUMN = 'childDid';

/**
 * Columns of a flat birth-registration record (CSV header), in order. Names are the field paths the
 * validator reports, so an error like `placeOfBirth.country must be ...` names the CSV column.
 */
export const flattenedClaimsColumns: readonly string[] = [
  'givenName',
  'familyName',
  'birthDate',
  'sex',
  'placeOfBirth.locality',
  'placeOfBirth.region',
  'placeOfBirth.country',
  'placeOfBirth.facility',
  'registrationNumber',
  'registrationDate',
  'registeringOffice.name',
  'registeringOffice.code',
  ...Array.from({ length: FLAT_MAX_PARENTS }, (_, i) => [`parents[${i}].role`, `parents[${i}].reference`]).flat(),
];

const KNOWN = new Set(flattenedClaimsColumns);
const PARENT_COLUMN = /^parents\[([0-9]+)\]\.(role|reference)$/;

/**
 * Turn one flat record (a CSV row keyed by header) into a claims object for
 * `validateBirthRegistrationClaims`. Cells are trimmed; empty cells are omitted (so a missing required
 * field is reported as required); `parents[i]` appears only when its role or reference is filled.
 * `childDid` is ignored (it is not a claim). Unknown columns are copied through under their own name
 * so validation reports them as not allowed instead of silently dropping data.
 *
 * @example
 * ```ts
 * claimsFromFlatRecord({ givenName: 'Amina', 'placeOfBirth.country': 'KE', ... })
 * // { givenName: 'Amina', placeOfBirth: { country: 'KE', ... }, parents: [], ... }
 * ```
 */
export function claimsFromFlatRecord(record: Readonly<Record<string, string | undefined>>): unknown {
  const claims: Record<string, unknown> = {};
  const parents: Record<string, string>[] = [];
  for (const [column, raw] of Object.entries(record)) {
    if (column === CHILD_DID_COLUMN) continue;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === undefined || value === '') continue;
    const parent = PARENT_COLUMN.exec(column);
    if (parent) {
      const index = Number(parent[1]);
      if (index < FLAT_MAX_PARENTS) {
        (parents[index] ??= {})[parent[2]!] = value;
        continue;
      }
    }
    if (!KNOWN.has(column)) {
      claims[column] = value;
      continue;
    }
    const dot = column.indexOf('.');
    if (dot < 0) {
      claims[column] = value;
    } else {
      const group = column.slice(0, dot);
      ((claims[group] ??= {}) as Record<string, string>)[column.slice(dot + 1)] = value;
    }
  }
  claims.parents = parents.filter((p) => p !== undefined);
  return claims;
}

/**
 * The inverse of {@link claimsFromFlatRecord}: claims to a flat record with every column of
 * {@link flattenedClaimsColumns} (empty string for absent optional fields).
 */
export function flattenClaims(claims: BirthRegistrationClaims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of flattenedClaimsColumns) {
    const parent = PARENT_COLUMN.exec(column);
    let value: unknown;
    if (parent) {
      value = claims.parents[Number(parent[1])]?.[parent[2] as 'role' | 'reference'];
    } else {
      const [group, key] = column.split('.') as [string, string | undefined];
      const top = (claims as unknown as Record<string, unknown>)[group];
      value = key === undefined ? top : (top as Record<string, unknown> | undefined)?.[key];
    }
    out[column] = typeof value === 'string' ? value : '';
  }
  return out;
}
