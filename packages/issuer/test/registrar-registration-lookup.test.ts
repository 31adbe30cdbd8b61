import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { registrationOf, registrationOfClaims } from '../src/registration-lookup.js';
import { BASE_URL, CHILD, GUARDIAN, SECRET, TestClock, chain, databaseFor, initRegistrar, sampleClaims, tempHome } from './helpers.js';

// `find` by registration number, and the same registration going to a second child (issue #19 item 4).
let devChain: DevChain;
let registrar: Registrar;
let home: string;
let cleanup: () => void;
const clock = new TestClock();
const OTHER_CHILD = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';

function claimsWith(registrationNumber: string): Record<string, unknown> {
  return { ...sampleClaims(), registrationNumber };
}

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  registrar = await initRegistrar(devChain, home, { now: clock.now });
});

afterAll(async () => {
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

describe('find by registration number', () => {
  it('finds the birth credentials of a registration number, case-insensitively, revoked ones too', async () => {
    const first = await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('FIND-2025-000001') });
    await registrar.revoke(first.id, { reason: 'error-in-record' });
    const second = await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('FIND-2025-000001'), format: 'jwt-vc' });
    await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('FIND-2025-000002') });
    const found = await registrar.findByRegistrationNumber('find-2025-000001');
    expect(found.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    expect(found.find((c) => c.id === first.id)?.revokedAt).not.toBeNull();
    expect(await registrar.findByRegistrationNumber('NOT-ISSUED-1')).toEqual([]);
  });

  it('the registration read back from a stored credential (both formats) is the one it was issued with', async () => {
    for (const format of ['vc+jwt', 'jwt-vc'] as const) {
      const claims = claimsWith(format === 'vc+jwt' ? 'READ-2025-A' : 'READ-2025-B');
      const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims, format });
      expect(registrationOf(issued.jwt, format)).toEqual(registrationOfClaims(claims));
    }
    const guardianship = await registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
    expect(registrationOf(guardianship.jwt, 'vc+jwt')).toBeUndefined();
  });
});

describe('the same registration for a second child', () => {
  it('is issued with a REGISTRATION_ALREADY_ISSUED warning naming the existing credential (default: warn)', async () => {
    const first = await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('DUP-2025-000001') });
    const again = await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('DUP-2025-000001') });
    expect(again.warnings).toBeUndefined();
    const other = await registrar.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('dup-2025-000001') });
    expect(other.warnings).toEqual([expect.objectContaining({ code: 'REGISTRATION_ALREADY_ISSUED', credentialId: expect.stringMatching(new RegExp(`^(${first.id}|${again.id})$`)) })]);
  });

  it('is refused (CONFLICT, nothing stored) with duplicateRegistration: refuse; a revoked credential does not count', async () => {
    await registrar.close();
    registrar = await createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now, duplicateRegistration: 'refuse' });
    const first = await registrar.issueBirthRegistration({ subject: CHILD, claims: claimsWith('REF-2025-000001') });
    const before = (await registrar.list({ limit: 10_000 })).length;
    await expect(registrar.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('REF-2025-000001') })).rejects.toMatchObject({ code: 'CONFLICT', details: { credentialId: first.id } });
    expect((await registrar.list({ limit: 10_000 })).length).toBe(before);
    await registrar.revoke(first.id, { reason: 'error-in-record' });
    const corrected = await registrar.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('REF-2025-000001') });
    expect(corrected.warnings).toBeUndefined();
  });
});
