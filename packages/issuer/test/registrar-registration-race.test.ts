import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { createRegistrar, localEncryptedCustody } from '../src/index.js';
import type { IssuedCredential, KeyCustodyFactory, Registrar, RegistrarConfig } from '../src/index.js';
import { BASE_URL, CHILD, SECRET, TestClock, chain, databaseFor, initRegistrar, queryDatabase, sampleClaims, tempHome } from './helpers.js';

// One child per birth registration, decided by the database (issue #19): two registrars (two processes'
// worth of connections, as two replicas have) on ONE database issue the same registration number to two
// different children at the same instant. A barrier in the signing step holds each issuance until the
// other has also passed its "is this registration taken?" look, so both looks see it free: only the
// database can stop the second one. Runs on SQLite (two connections to one file) and on PostgreSQL.
const OTHER_CHILD = 'did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH';
const THIRD_CHILD = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';
const ROUNDS = 6;

let devChain: DevChain;
let home: string;
let cleanup: () => void;
const clock = new TestClock();

/** Holds the first `parties` signatures until all have arrived; later ones (retries) pass at once. */
class Barrier {
  #waiting: (() => void)[] = [];
  #open = true;
  constructor(readonly parties: number) {}
  /** Arm for one round: the next `parties` signatures meet here. */
  arm(): void {
    this.#open = false;
  }
  async arrive(): Promise<void> {
    if (this.#open) return;
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      if (this.#waiting.length === this.parties) {
        this.#open = true;
        for (const go of this.#waiting.splice(0)) go();
      }
    });
  }
}
const barrier = new Barrier(2);

/** The default custody, with every EdDSA signature (a credential) passing the barrier first. */
const meetingCustody: KeyCustodyFactory = (ctx) => {
  const inner = localEncryptedCustody(ctx);
  const kms = new Proxy(inner.kms, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'sign') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return async (args: { algorithm?: string }) => {
        if (args.algorithm === 'EdDSA' || args.algorithm === 'Ed25519') await barrier.arrive();
        return target.sign(args as Parameters<typeof target.sign>[0]);
      };
    },
  });
  return { ...inner, kms };
};

async function replica(extra: Partial<RegistrarConfig>): Promise<Registrar> {
  return createRegistrar({ home, ...(await databaseFor(home)), secret: SECRET, ledger: devChain.config, baseUrl: BASE_URL, now: clock.now, keyCustody: meetingCustody, ...extra });
}

function claimsWith(registrationNumber: string): Record<string, unknown> {
  return { ...sampleClaims(), registrationNumber };
}

/** Live birth credentials per child of a registration number, from the database. */
async function liveChildren(number: string): Promise<string[]> {
  const rows = await queryDatabase<{ subject: string }>(
    home,
    `SELECT DISTINCT "subject" FROM "cradle_credential" WHERE "registration_number" = ? AND "revoked_at" IS NULL AND "type" = 'BirthRegistrationCredential'`,
    [number],
  );
  return rows.map((r) => r.subject).sort();
}

/** Issue `number` to CHILD through `a` and to OTHER_CHILD through `b`, both held at the barrier. */
async function race(a: Registrar, b: Registrar, number: string): Promise<[PromiseSettledResult<IssuedCredential>, PromiseSettledResult<IssuedCredential>]> {
  barrier.arm();
  const [x, y] = await Promise.allSettled([
    a.issueBirthRegistration({ subject: CHILD, claims: claimsWith(number) }),
    b.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith(number) }),
  ]);
  return [x!, y!];
}

beforeAll(async () => {
  devChain = await chain();
  ({ home, cleanup } = tempHome());
  const first = await initRegistrar(devChain, home, { now: clock.now, keyCustody: meetingCustody });
  await first.close();
});

afterAll(async () => {
  await devChain?.stop();
  cleanup?.();
});

describe('one child per registration, across replicas', () => {
  it('refuse: of two replicas issuing one registration to two children at once, exactly one succeeds; the other is a CONFLICT naming its credential', async () => {
    const a = await replica({ duplicateRegistration: 'refuse' });
    const b = await replica({ duplicateRegistration: 'refuse' });
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const number = `RACE-R-${round}`;
        const results = await race(a, b, number);
        const won = results.filter((r): r is PromiseFulfilledResult<IssuedCredential> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won.length, `round ${round}`).toBe(1);
        expect(lost.length).toBe(1);
        expect(lost[0]!.reason).toMatchObject({ code: 'CONFLICT', details: { credentialId: won[0]!.value.id } });
        expect((lost[0]!.reason as Error).message).toContain(won[0]!.value.id);
        expect(await liveChildren(number)).toEqual([won[0]!.value.subject]);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('warn: both are issued, and exactly one carries REGISTRATION_ALREADY_ISSUED naming the other', async () => {
    const a = await replica({ duplicateRegistration: 'warn' });
    const b = await replica({ duplicateRegistration: 'warn' });
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const [x, y] = await race(a, b, `RACE-W-${round}`);
        expect(x.status).toBe('fulfilled');
        expect(y.status).toBe('fulfilled');
        const issued = [x, y].map((r) => (r as PromiseFulfilledResult<IssuedCredential>).value);
        const warned = issued.filter((c) => c.warnings !== undefined);
        expect(warned.length, `round ${round}`).toBe(1);
        const first = issued.find((c) => c.warnings === undefined)!;
        expect(warned[0]!.warnings).toEqual([expect.objectContaining({ code: 'REGISTRATION_ALREADY_ISSUED', credentialId: first.id })]);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('revocation and correction hand the registration on', () => {
  it('a revoked holder frees the registration for another child; the same child may always be issued again', async () => {
    const r = await replica({ duplicateRegistration: 'refuse' });
    try {
      const first = await r.issueBirthRegistration({ subject: CHILD, claims: claimsWith('HAND-1') });
      const again = await r.issueBirthRegistration({ subject: CHILD, claims: claimsWith('HAND-1'), format: 'jwt-vc' });
      expect(again.warnings).toBeUndefined();
      await r.revoke(first.id, { reason: 'error-in-record' });
      // The child still holds it through its other live credential.
      await expect(r.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('HAND-1') })).rejects.toMatchObject({ code: 'CONFLICT', details: { credentialId: again.id } });
      await r.revoke(again.id, { reason: 'error-in-record' });
      const other = await r.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('HAND-1') });
      expect(await liveChildren('HAND-1')).toEqual([OTHER_CHILD]);
      expect(other.warnings).toBeUndefined();
    } finally {
      await r.close();
    }
  });

  it('correct() keeps the registration with the child; a corrected number frees the old one; a number held by another child is refused and nothing is revoked', async () => {
    const r = await replica({ duplicateRegistration: 'refuse' });
    try {
      const original = await r.issueBirthRegistration({ subject: CHILD, claims: claimsWith('CORR-1') });
      const { issued, revoked } = await r.correct(original.id, { ...claimsWith('CORR-1'), givenName: 'Achieng' });
      expect(revoked.revokedAt).not.toBeNull();
      await expect(r.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('CORR-1') })).rejects.toMatchObject({ code: 'CONFLICT', details: { credentialId: issued.id } });

      const renumbered = await r.correct(issued.id, claimsWith('CORR-2'));
      expect(await liveChildren('CORR-2')).toEqual([CHILD]);
      await r.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('CORR-1') });

      const taken = await r.issueBirthRegistration({ subject: THIRD_CHILD, claims: claimsWith('CORR-3') });
      await expect(r.correct(renumbered.issued.id, claimsWith('CORR-3'))).rejects.toMatchObject({ code: 'CONFLICT', details: { credentialId: taken.id } });
      expect((await r.get(renumbered.issued.id))?.revokedAt).toBeNull();
    } finally {
      await r.close();
    }
  });

  it('warn: when the holder is revoked, the other child\'s known duplicate holds the registration, and a third child is warned about it', async () => {
    const r = await replica({ duplicateRegistration: 'warn' });
    try {
      const holder = await r.issueBirthRegistration({ subject: CHILD, claims: claimsWith('DUPH-1') });
      const duplicate = await r.issueBirthRegistration({ subject: OTHER_CHILD, claims: claimsWith('DUPH-1') });
      expect(duplicate.warnings?.[0]?.credentialId).toBe(holder.id);
      await r.revoke(holder.id, { reason: 'error-in-record' });
      const third = await r.issueBirthRegistration({ subject: THIRD_CHILD, claims: claimsWith('DUPH-1') });
      expect(third.warnings?.[0]?.credentialId).toBe(duplicate.id);
    } finally {
      await r.close();
    }
  });
});
