// One clock convention (#13 item 4): `now` is a clock, `() => ms since the epoch`; the earlier shapes
// (a Date, a number of ms) still give the same answer, and a bad clock is a caller error, not a verdict.
import { describe, expect, it } from 'vitest';
import { addTrustedIssuer } from '../src/trust.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { verifyCredential } from '../src/verify-credential.js';
import { DAY, NOW, world } from './helpers/fixtures.js';

describe('VerifyOptions.now is a clock', () => {
  it('the clock decides the status age: an hour after sync is valid; three days later the same store cannot confirm status', async () => {
    const w = await world();
    expect((await verifyCredential(w.credential, { store: w.store, now: () => NOW })).outcome).toBe('valid');
    const later = await verifyCredential(w.credential, { store: w.store, now: () => NOW + 3 * DAY * 1000 });
    expect(later.outcome).toBe('indeterminate');
    expect(later.errors.map((e) => e.code)).toContain('STATUS_STALE');
  });

  it('a Date or a number of ms (the earlier shapes) gives the same result as the clock', async () => {
    const w = await world();
    const byClock = await verifyCredential(w.credential, { store: w.store, now: () => NOW });
    expect(await verifyCredential(w.credential, { store: w.store, now: new Date(NOW) })).toEqual(byClock);
    expect(await verifyCredential(w.credential, { store: w.store, now: NOW })).toEqual(byClock);
  });

  it('a clock that does not give a time is the caller\'s mistake: it throws, naming the option', async () => {
    const w = await world();
    await expect(verifyCredential(w.credential, { store: w.store, now: (() => 'noon') as unknown as () => number })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^now must be a clock/) });
  });
});

describe('addTrustedIssuer takes the clock', () => {
  it('the registrar is recorded as trusted at the clock\'s time (seconds)', async () => {
    const store = new MemoryVerifierStore();
    const did = 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
    await addTrustedIssuer(store, did, { now: () => NOW });
    expect((await store.load()).trust.operator).toEqual([{ did, addedAt: NOW / 1000 }]);
  });
});
