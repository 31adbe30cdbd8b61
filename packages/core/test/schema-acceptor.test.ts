import { describe, expect, it } from 'vitest';
import { birthRegistrationClaimsSchema } from '../src/schemas/birth-registration-claims.js';
import { validateBirthRegistrationClaimsSchema, validateGuardianshipClaimsSchema } from '../src/schemas/compiled-validators.js';
import { guardianshipClaimsSchema } from '../src/schemas/guardianship-claims.js';
import { compileSchemaAcceptor } from '../src/schemas/schema-acceptor.js';
import { validateBirthRegistrationClaims, validateGuardianshipClaims } from '../src/validate-claims.js';
import { GUARDIAN_DID, birthClaims } from './fixtures/credentials.js';

// The acceptor answers "valid?" for verification's hot path; Ajv's generated validator stays the reference.
// Every variant below (each member removed, replaced by hostile values, an extra member, nested the same
// way) must get Ajv's answer. Deterministic: no random data.

const HOSTILE: readonly unknown[] = [
  undefined, null, 0, 1.5, true, '', ' ', ' x', 'x ', 'x\u0000y', 'x\u007fy', 'a\nb', 'KE', 'ke', 'XX', 'female', 'mother',
  'did:key:z6Mk', 'did:Key:z6Mk', 'urn:cradle:x:1', 'urn:-x:1', 'KSM-2025-004217', 'KSM-', '-KSM', '2025-03-14', '2025-3-14',
  '2025-03-14T00:00:00Z', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(150), 'x'.repeat(151),
  '😀'.repeat(100), '😀'.repeat(101), '\ud83d', 'court-order', 'Court-Order', 'a--b', [], ['x'], {}, { x: 1 },
];

type Json = unknown;

/** Every variant of `value`: each path deleted, replaced by each hostile value, or given an extra member. */
function variants(value: Json): Json[] {
  const out: Json[] = [];
  const walk = (v: Json, rebuild: (x: Json) => Json): void => {
    for (const h of HOSTILE) out.push(rebuild(structuredClone(h)));
    if (Array.isArray(v)) {
      out.push(rebuild([...v, structuredClone(v[0])])); // a duplicate item
      out.push(rebuild(v.slice(1)));
      out.push(rebuild([...v, ...v, ...v, ...v, ...v].slice(0, 9))); // past maxItems
      v.forEach((item, i) => walk(item, (x) => rebuild(v.map((y, j) => (j === i ? x : structuredClone(y))))));
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      out.push(rebuild({ ...structuredClone(o), extra: 'x' }));
      out.push(rebuild(JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(o).slice(1)}`)));
      for (const k of Object.keys(o)) {
        const { [k]: _drop, ...rest } = structuredClone(o);
        out.push(rebuild(rest));
        walk(o[k], (x) => rebuild({ ...structuredClone(o), [k]: x }));
      }
    }
  };
  walk(value, (x) => x);
  return out;
}

const birth = structuredClone(birthClaims) as Record<string, unknown>;
const guardianship = {
  guardians: [
    { id: GUARDIAN_DID, role: 'mother', name: 'Achieng Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } },
    { id: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', role: 'legal-guardian' },
  ],
  basis: 'court-order',
};

describe('schema acceptor (fast valid/invalid answer compiled from the claim schemas)', () => {
  for (const [name, sample, schema, ajv] of [
    ['birth registration', birth, birthRegistrationClaimsSchema, validateBirthRegistrationClaimsSchema],
    ['guardianship', guardianship, guardianshipClaimsSchema, validateGuardianshipClaimsSchema],
  ] as const) {
    it(`${name}: gives Ajv's answer for the sample and every variant of it`, () => {
      const accepts = compileSchemaAcceptor(schema);
      const all = variants(sample);
      expect(all.length).toBeGreaterThan(600);
      let valid = 0;
      const reference = ajv as (x: unknown) => boolean;
      for (const v of all) {
        // Never "valid" where Ajv says invalid (also for non-JSON values such as a member set to undefined,
        // where a "no" only means Ajv is asked)…
        if (accepts(v)) expect(reference(v), JSON.stringify(v)).toBe(true);
        // …and on JSON (all a verifier ever sees) exactly Ajv's answer.
        const json: unknown = v === undefined ? undefined : JSON.parse(JSON.stringify(v));
        expect(accepts(json), JSON.stringify(json)).toBe(reference(json));
        if (reference(json)) valid++;
      }
      // Both answers occur many times: the comparison is not one-sided.
      expect(valid).toBeGreaterThan(50);
      expect(all.length - valid).toBeGreaterThan(400);
    });
  }

  it('refuses to compile a keyword it does not implement (a schema change cannot be half-checked)', () => {
    expect(() => compileSchemaAcceptor({ type: 'string', format: 'date' })).toThrow('unsupported keyword "format"');
    expect(() => compileSchemaAcceptor({ type: 'object', properties: {} })).toThrow('additionalProperties: false');
    expect(() => compileSchemaAcceptor({ type: 'number' })).toThrow('unsupported type');
  });

  it('leaves objects that are not plain JSON objects to Ajv (inherited members)', () => {
    const accepts = compileSchemaAcceptor(birthRegistrationClaimsSchema);
    const inherited = Object.assign(Object.create({ extra: 'x' }) as object, birth);
    expect(accepts(inherited)).toBe(false);
    expect(validateBirthRegistrationClaimsSchema(inherited)).toBe(false);
  });

  it('the claims validators still report every schema error through Ajv when the acceptor says no', () => {
    const r = validateBirthRegistrationClaims({ ...birth, sex: 'f', placeOfBirth: { locality: 'Kisumu', country: 'XX' } }, { now: new Date('2026-11-23T10:00:00Z') });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['sex', 'placeOfBirth.country']);
    const g = validateGuardianshipClaims({ guardians: [{ id: GUARDIAN_DID, role: 'aunt' }] });
    expect(g.ok ? [] : g.errors.map((e) => e.field)).toEqual(['guardians[0].role']);
  });
});
