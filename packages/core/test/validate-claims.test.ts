import { describe, expect, it } from 'vitest';
import { CradleError } from '../src/errors.js';
import {
  assertBirthRegistrationClaims,
  assertGuardianshipClaims,
  validateBirthRegistrationClaims,
  validateGuardianshipClaims,
} from '../src/validate-claims.js';
import { GUARDIAN_DID, birthClaims } from './fixtures/credentials.js';

const now = new Date('2026-11-23T10:00:00Z');
const valid = (): Record<string, unknown> => structuredClone(birthClaims);

function errorsFor(claims: unknown): { field: string; message: string }[] {
  const r = validateBirthRegistrationClaims(claims, { now });
  return r.ok ? [] : r.errors;
}

function expectFieldError(claims: unknown, field: string, message?: RegExp): void {
  const errors = errorsFor(claims);
  const hit = errors.find((e) => e.field === field);
  expect(hit, `expected an error on ${field}, got ${JSON.stringify(errors)}`).toBeDefined();
  expect(hit!.message.startsWith(field) || hit!.message.includes(field)).toBe(true);
  if (message) expect(hit!.message).toMatch(message);
}

describe('validateBirthRegistrationClaims', () => {
  it('accepts the sample record (examples/data/birth-registration.json)', () => {
    const r = validateBirthRegistrationClaims(valid(), { now });
    expect(r).toEqual({ ok: true, claims: birthClaims });
  });
  it('accepts an empty parents list and omitted optional fields', () => {
    const c = valid();
    c.parents = [];
    c.placeOfBirth = { locality: 'Kisumu', country: 'KE' };
    c.registeringOffice = { name: 'Kisumu Civil Registration Office (fictional)' };
    expect(errorsFor(c)).toEqual([]);
  });
  it('accepts non-Latin names', () => {
    expect(errorsFor({ ...valid(), givenName: 'Thị Lan', familyName: 'Nguyễn' })).toEqual([]);
  });
  for (const field of ['givenName', 'familyName', 'birthDate', 'sex', 'placeOfBirth', 'registrationNumber', 'registrationDate', 'registeringOffice', 'parents']) {
    it(`requires ${field}`, () => {
      const c = valid();
      delete c[field];
      expectFieldError(c, field, /is required/);
    });
  }
  it('requires placeOfBirth.locality and placeOfBirth.country', () => {
    expectFieldError({ ...valid(), placeOfBirth: { country: 'KE' } }, 'placeOfBirth.locality', /required/);
    expectFieldError({ ...valid(), placeOfBirth: { locality: 'Kisumu' } }, 'placeOfBirth.country', /required/);
  });
  it('rejects unknown fields at any level', () => {
    expectFieldError({ ...valid(), nationalId: '123' }, 'nationalId', /not an allowed field/);
    expectFieldError({ ...valid(), placeOfBirth: { locality: 'K', country: 'KE', gps: '1,2' } }, 'placeOfBirth.gps', /not an allowed field/);
  });
  it('rejects empty and padded names', () => {
    expectFieldError({ ...valid(), givenName: '' }, 'givenName', /must not be empty/);
    expectFieldError({ ...valid(), familyName: ' Otieno' }, 'familyName');
    expectFieldError({ ...valid(), givenName: 'Amina\u0000' }, 'givenName');
  });
  it('limits string lengths', () => {
    expectFieldError({ ...valid(), givenName: 'A'.repeat(101) }, 'givenName', /at most 100/);
    expectFieldError({ ...valid(), registrationNumber: 'R'.repeat(65) }, 'registrationNumber', /at most 64/);
  });
  it('requires YYYY-MM-DD dates that exist', () => {
    expectFieldError({ ...valid(), birthDate: '14/03/2025' }, 'birthDate', /YYYY-MM-DD/);
    expectFieldError({ ...valid(), birthDate: '2025-02-29' }, 'birthDate', /not a real calendar date/);
    expectFieldError({ ...valid(), birthDate: '2025-3-14' }, 'birthDate', /YYYY-MM-DD/);
    expect(errorsFor({ ...valid(), birthDate: '2024-02-29' })).toEqual([]);
  });
  it('knows the calendar: month lengths, leap years (every 4th, not every 100th, every 400th)', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2025-01-31', '2025-04-30', '2025-12-31']) expect(errorsFor({ ...valid(), birthDate: d, registrationDate: '2026-01-01' }), d).toEqual([]);
    for (const d of ['2025-02-29', '1900-02-29', '2025-04-31', '2025-06-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-01-32']) {
      expectFieldError({ ...valid(), birthDate: d }, 'birthDate', /not a real calendar date/);
    }
  });
  it('judges "in the future" by each call\'s clock, whatever day was judged before', () => {
    const record = { ...valid(), birthDate: '2026-12-01', registrationDate: '2026-12-01' };
    const at = (iso: string) => validateBirthRegistrationClaims(record, { now: new Date(iso) }).ok;
    expect([at('2026-11-30T00:00:00Z'), at('2026-12-01T00:00:00Z'), at('2026-11-30T00:00:00Z'), at('2026-11-30T10:00:00Z')]).toEqual([false, true, false, true]);
  });
  it('rejects a birth date in the future relative to the injected clock', () => {
    expectFieldError({ ...valid(), birthDate: '2026-12-01', registrationDate: '2026-12-02' }, 'birthDate', /in the future/);
    // The same record is valid once the clock has moved on.
    expect(validateBirthRegistrationClaims({ ...valid(), birthDate: '2026-12-01', registrationDate: '2026-12-02' }, { now: new Date('2027-01-01T00:00:00Z') }).ok).toBe(true);
  });
  it('allows "today" anywhere on Earth (up to UTC+14)', () => {
    const late = new Date('2026-11-23T11:00:00Z'); // already 24 November in Kiribati
    expect(validateBirthRegistrationClaims({ ...valid(), birthDate: '2026-11-24', registrationDate: '2026-11-24' }, { now: late }).ok).toBe(true);
    expect(validateBirthRegistrationClaims({ ...valid(), birthDate: '2026-11-25', registrationDate: '2026-11-25' }, { now: late }).ok).toBe(false);
  });
  it('rejects a registration date before the birth date', () => {
    expectFieldError({ ...valid(), registrationDate: '2025-03-13' }, 'registrationDate', /must not be before birthDate/);
  });
  it('rejects a registration date in the future', () => {
    expectFieldError({ ...valid(), registrationDate: '2027-01-01' }, 'registrationDate', /in the future/);
  });
  it('rejects birth dates before 1900', () => {
    expectFieldError({ ...valid(), birthDate: '1890-01-01' }, 'birthDate', /before 1900/);
  });
  it('accepts only the recorded sex values', () => {
    for (const sex of ['female', 'male', 'other', 'unknown']) expect(errorsFor({ ...valid(), sex })).toEqual([]);
    expectFieldError({ ...valid(), sex: 'F' }, 'sex', /female, male, other or unknown/);
  });
  it('requires an assigned ISO 3166-1 alpha-2 country code', () => {
    expectFieldError({ ...valid(), placeOfBirth: { locality: 'K', country: 'XX' } }, 'placeOfBirth.country', /ISO 3166-1/);
    expectFieldError({ ...valid(), placeOfBirth: { locality: 'K', country: 'ke' } }, 'placeOfBirth.country');
    expectFieldError({ ...valid(), placeOfBirth: { locality: 'K', country: 'KEN' } }, 'placeOfBirth.country');
  });
  it('requires parents by reference (DID or URN), never by name', () => {
    expectFieldError({ ...valid(), parents: [{ role: 'mother', reference: 'Mary Achieng' }] }, 'parents[0].reference', /never a name/);
    expect(errorsFor({ ...valid(), parents: [{ role: 'guardian', reference: GUARDIAN_DID }] })).toEqual([]);
  });
  it('restricts parent roles and list size, and rejects the same parent twice', () => {
    expectFieldError({ ...valid(), parents: [{ role: 'aunt', reference: GUARDIAN_DID }] }, 'parents[0].role', /mother, father, parent, guardian/);
    expectFieldError({ ...valid(), parents: Array.from({ length: 9 }, (_, i) => ({ role: 'parent', reference: `urn:x:${i}` })) }, 'parents', /at most 8/);
    const p = { role: 'mother', reference: GUARDIAN_DID };
    expectFieldError({ ...valid(), parents: [p, { ...p }] }, 'parents', /twice/);
  });
  it('reports every problem at once, one message per field', () => {
    const errors = errorsFor({ ...valid(), givenName: '', sex: 'x', placeOfBirth: { locality: 'K', country: 'XX' } });
    expect(errors.map((e) => e.field).sort()).toEqual(['givenName', 'placeOfBirth.country', 'sex']);
  });
  it('rejects non-objects', () => {
    for (const v of [null, 'claims', 42, []]) expect(validateBirthRegistrationClaims(v, { now }).ok).toBe(false);
  });
});

describe('assertBirthRegistrationClaims', () => {
  it('returns the claims when valid', () => {
    expect(assertBirthRegistrationClaims(valid(), { now })).toEqual(birthClaims);
  });
  it('throws INVALID_CLAIMS listing the fields, with details.errors', () => {
    try {
      assertBirthRegistrationClaims({ ...valid(), sex: 'F', placeOfBirth: { locality: 'K', country: 'XX' } }, { now });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CradleError);
      const err = e as CradleError;
      expect(err.code).toBe('INVALID_CLAIMS');
      expect(err.message).toMatch(/sex must be/);
      expect(err.message).toMatch(/placeOfBirth\.country must be/);
      expect((err.details?.errors as unknown[]).length).toBe(2);
    }
  });
});

describe('validateGuardianshipClaims', () => {
  const g = (id: string, role = 'mother') => ({ id, role });
  it('accepts 1..8 guardians with roles and an optional basis', () => {
    expect(validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID)] }).ok).toBe(true);
    expect(validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID), g('did:ethr:0x7a69:0xabc', 'custodial-organisation')], basis: 'court-order' }).ok).toBe(true);
  });
  it('requires at least one guardian and at most 8', () => {
    const r = validateGuardianshipClaims({ guardians: [] });
    expect(r.ok ? [] : r.errors).toEqual([{ field: 'guardians', message: 'guardians must list at least 1 item(s)' }]);
    const many = Array.from({ length: 9 }, (_, i) => g(`did:key:z6Mk${i}`));
    expect(validateGuardianshipClaims({ guardians: many }).ok).toBe(false);
  });
  it('requires each guardian id to be a DID', () => {
    const r = validateGuardianshipClaims({ guardians: [g('Mary Achieng')] });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['guardians[0].id']);
  });
  it('rejects the same guardian DID twice, even with different roles', () => {
    const r = validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID, 'mother'), g(GUARDIAN_DID, 'legal-guardian')] });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['guardians[1].id']);
  });
  it('restricts roles and basis', () => {
    expect(validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID, 'uncle')] }).ok).toBe(false);
    expect(validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID)], basis: 'Because I said so' }).ok).toBe(false);
    expect(validateGuardianshipClaims({ guardians: [g(GUARDIAN_DID)], extra: 1 }).ok).toBe(false);
  });
  const grace = { id: GUARDIAN_DID, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } };
  it("accepts a guardian's name and identity document as the registrar recorded them", () => {
    expect(validateGuardianshipClaims({ guardians: [grace] })).toEqual({ ok: true, claims: { guardians: [grace] } });
    const other = { ...grace, document: { type: 'national-id', country: 'UG', number: 'CM 9012/77' } };
    expect(validateGuardianshipClaims({ guardians: [other] }).ok).toBe(true);
  });
  it('requires a document to have a known type, an ISO country and a plain number', () => {
    const bad = (document: unknown) => {
      const r = validateGuardianshipClaims({ guardians: [{ ...grace, document }] });
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(bad({ type: 'driving-licence', country: 'KE', number: 'AK1' })).toEqual(['guardians[0].document.type']);
    expect(bad({ type: 'passport', country: 'Kenya', number: 'AK1' })).toEqual(['guardians[0].document.country']);
    expect(bad({ type: 'passport', country: 'KE', number: 'AK1\u202e' })).toEqual(['guardians[0].document.number']);
    expect(bad({ type: 'passport', country: 'KE' })).toEqual(['guardians[0].document.number']);
    expect(bad({ type: 'passport', country: 'KE', number: 'AK1', expires: '2030-01-01' })).toEqual(['guardians[0].document.expires']);
  });
  it('refuses a guardian name with control characters or surrounding spaces', () => {
    for (const name of ['', ' Grace', 'Grace\u0007', 'x'.repeat(201)]) {
      const r = validateGuardianshipClaims({ guardians: [{ ...grace, name }] });
      expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['guardians[0].name']);
    }
  });
  it('assertGuardianshipClaims throws INVALID_CLAIMS', () => {
    expect(() => assertGuardianshipClaims({ guardians: [] })).toThrow(CradleError);
  });
});
