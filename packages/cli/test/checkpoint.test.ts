import { describe, expect, it } from 'vitest';
import type { VerificationResult } from '@cradle/verifier';
import { VERIFY_EXIT, formatResult, parseDuration } from '../src/commands/checkpoint.js';

describe('cradle checkpoint helpers', () => {
  it('durations: 24h, 7d, 90m, 3600s, 3600; anything else is a clear error', () => {
    expect([parseDuration('24h'), parseDuration('7d'), parseDuration('90m'), parseDuration('3600s'), parseDuration('3600'), parseDuration('1w')]).toEqual([
      86_400, 604_800, 5_400, 3_600, 3_600, 604_800,
    ]);
    for (const bad of ['', '0', '-1h', '1.5h', '24 hours', 'h']) expect(() => parseDuration(bad)).toThrow(/not a duration/);
  });

  it('exit status: 0 valid, 1 invalid, 2 indeterminate', () => {
    expect(VERIFY_EXIT).toEqual({ valid: 0, invalid: 1, indeterminate: 2 });
  });

  it('human output: a clear headline, the facts, and every failed check', () => {
    const result: VerificationResult = {
      outcome: 'invalid',
      verified: false,
      kind: 'presentation',
      bearer: false,
      errors: [
        { code: 'REVOKED', message: 'Credential #2 in the presentation has been revoked by the registrar: do not accept it.', where: 'credential[1]' },
        { code: 'CHALLENGE_MISMATCH', message: 'The presentation was made for another request (wrong nonce).', where: 'presentation' },
      ],
      facts: {
        child: { givenName: 'Amina', familyName: 'Otieno', birthDate: '2025-03-14', ageYears: 1 },
        registrationNumber: 'KSM-2025-004217',
        registrar: { did: 'did:ethr:0x7a69:0xabc', trusted: true },
        guardian: { did: 'did:key:z6MkG', isListedGuardian: false },
      },
      statusAge: { seconds: 7200, asOf: '2026-11-23T10:00:00.000Z' },
    };
    const text = formatResult(result);
    expect(text.split('\n')[0]).toBe('INVALID: do not accept this presentation.');
    expect(text).toContain('Amina Otieno, born 2025-03-14 (1 year old)');
    expect(text).toContain('NOT a confirmed guardian');
    expect(text).toContain('Status data:         2 hours old');
    expect(text).toContain('[REVOKED] (credential[1])');
    expect(text).toContain('[CHALLENGE_MISMATCH] The presentation');
    expect(formatResult({ ...result, outcome: 'indeterminate', errors: [] }).split('\n')[0]).toMatch(/^CANNOT CONFIRM/);
    expect(formatResult({ ...result, kind: 'credential', bearer: true, outcome: 'valid', errors: [] })).toContain('bare credential');
  });
});
