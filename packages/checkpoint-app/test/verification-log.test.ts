import { describe, expect, it } from 'vitest';
import { logEntryFor } from '../src/verification-log.js';
import type { CheckpointResult } from '../src/verifier-adapter.js';

describe('the on-device log', () => {
  it('keeps outcome, each failed check once, registrar and status age, and nothing about the child', () => {
    const result: CheckpointResult = {
      outcome: 'invalid',
      phoneNotSetUp: false,
      alerts: [],
      verified: false,
      kind: 'presentation',
      bearer: false,
      // A presentation with two credentials can fail the same way twice: the log says it once.
      errors: [{ code: 'REVOKED', message: 'revoked', where: 'credential[0]' }, { code: 'REVOKED', message: 'revoked', where: 'credential[1]' }],
      facts: {
        child: { givenName: 'Amina', familyName: 'Example-Otieno', birthDate: '2025-03-14', ageYears: 1, sex: 'female' },
        registrationNumber: 'KSM-2025-004217',
        registeringOffice: 'Kisumu Civil Registration Office',
        registrar: { did: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111', trusted: true },
        guardian: { did: 'did:key:z6MkGuardian', isListedGuardian: true },
      },
      statusAge: { seconds: 120, asOf: '2026-11-23T10:00:00Z' },
    };
    const entry = logEntryFor(result, new Date('2026-11-23T10:02:00Z'));
    expect(entry).toEqual({
      at: '2026-11-23T10:02:00.000Z',
      outcome: 'invalid',
      kind: 'presentation',
      bearer: false,
      codes: ['REVOKED'],
      registrar: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111',
      statusAgeSeconds: 120,
    });
    expect(JSON.stringify(entry)).not.toMatch(/Amina|Otieno|2025-03-14|KSM-|Kisumu|female|z6MkGuardian/);
  });
});
