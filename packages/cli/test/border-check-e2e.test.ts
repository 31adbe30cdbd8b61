// The border check end to end through the real `cradle` command on the real local chain (Hardhat EDR):
// the presenting adult named with the identity document to compare; the absent parent's travel consent;
// and a scan of every transaction and log of that chain for personal data. Each step is a fresh process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainBytes, hexOf } from './helpers/chain-scan.js';
import { cradleWithSecret, realChainTestbed } from './helpers/e2e.js';
import { REPO } from './helpers/run-cradle.js';

const SECRET = 'border-e2e-secret-0123456789abcdef';
const SLOW = 900_000;
const CHALLENGE = ['--nonce', 'n-border-1', '--domain', 'busia-border.example'];

const { cradle, ok } = cradleWithSecret(SECRET);
const bed = realChainTestbed('cradle-border-e2e-', SECRET);

interface Verdict {
  code: number | null;
  result: { outcome: string; errors: { code: string; message: string }[]; facts?: Record<string, unknown> & { guardian?: Record<string, unknown>; consents?: Record<string, unknown>[] } };
}

async function verifyJson(home: string, input: string, extra: string[] = []): Promise<Verdict> {
  const run = await cradle(['checkpoint', 'verify', input, '--home', home, '--json', ...CHALLENGE, ...extra]);
  return { code: run.code, result: JSON.parse(run.stdout.trim()) as Verdict['result'] };
}

describe('the border check through the CLI, on the real chain', () => {
  it(
    'presenter named with the document to check; travel consent required, shown, refused; nothing personal on the chain',
    async () => {
      const { dir, ledgerFile, port, chain } = await bed.start();
      const reg = join(dir, 'registrar');
      const cp = join(dir, 'checkpoint');
      const family = join(dir, 'family-wallet'); // the child's and the travelling father's keys

      const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', `http://127.0.0.1:${port}`])) as { did: string };
      await ok(['wallet', 'init', '--home', family]);
      const { did: child } = (await ok(['wallet', 'create-did', '--home', family, '--label', 'Amina'])) as { did: string };
      const { did: father } = (await ok(['wallet', 'create-did', '--home', family, '--label', 'Peter'])) as { did: string };
      const mothersWallet = join(dir, 'mother-wallet');
      await ok(['wallet', 'init', '--home', mothersWallet]);
      const { did: mother } = (await ok(['wallet', 'create-did', '--home', mothersWallet, '--label', 'Grace'])) as { did: string };

      const guardiansFile = join(dir, 'guardians.json');
      const people = [
        { id: mother, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } },
        { id: father, role: 'father', name: 'Peter Ochieng Otieno', document: { type: 'national-id', country: 'KE', number: 'KE30556172' } },
      ];
      await writeFile(guardiansFile, JSON.stringify(people));
      const birth = (await ok(['registrar', 'issue', '--home', reg, '--subject', child, '--claims', join(REPO, 'examples/data/birth-registration.json')])) as { id: string; jwt: string };
      const guardianship = (await ok(['registrar', 'guardianship', '--home', reg, '--subject', child, '--guardians', guardiansFile])) as { jwt: string };
      // A bad file is refused with the field named, before anything is signed.
      const badFile = join(dir, 'bad-guardians.json');
      await writeFile(badFile, JSON.stringify([{ ...people[0], document: { type: 'passport', country: 'Kenya', number: 'AK1234567' } }]));
      const bad = await cradle(['registrar', 'guardianship', '--home', reg, '--subject', child, '--guardians', badFile, '--json']);
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toMatch(/guardians\[0\]\.document\.country/);

      for (const jwt of [birth.jwt, guardianship.jwt]) await ok(['wallet', 'import', jwt, '--home', family]);
      await ok(['registrar', 'publish', '--home', reg]);
      await bed.serve(reg);
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d']);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
      expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);

      // 1. The father presents: the verdict names him and the document to compare.
      const vp = (await ok(['wallet', 'present', '--home', family, '--child', child, '--guardian', father, ...CHALLENGE])) as { qr: string };
      const verdict = await verifyJson(cp, vp.qr);
      expect(verdict.result.errors).toEqual([]);
      expect(verdict.code).toBe(0);
      expect(verdict.result.facts?.guardian).toEqual({
        did: father,
        isListedGuardian: true,
        role: 'father',
        name: 'Peter Ochieng Otieno',
        document: { type: 'national-id', country: 'KE', number: 'KE30556172' },
      });
      const human = await cradle(['checkpoint', 'verify', vp.qr, '--home', cp, ...CHALLENGE]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain("Check the adult's national ID card (KE): number KE30556172, name Peter Ochieng Otieno");

      // 2. Travel consent. This checkpoint now requires it (same home: init rewrites the policy, keeps the data).
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d', '--require-travel-consent']);
      const missing = await verifyJson(cp, vp.qr, ['--destination', 'UG']);
      expect(missing.code).toBe(1);
      expect(missing.result.outcome).toBe('invalid');
      expect(missing.result.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
      expect(missing.result.errors[0]!.message).toMatch(/the mother \(Grace Akinyi Otieno\)/);

      // The mother, in her own wallet, consents to a trip with the father to Uganda and Tanzania.
      const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const consent = (await ok(['wallet', 'consent', '--home', mothersWallet, '--child', child, '--by', 'Grace', '--traveller', father, '--countries', 'UG,TZ', '--until', until])) as { jwt: string; id: string };
      expect(consent.jwt.split('.')).toHaveLength(3);
      await ok(['wallet', 'import', consent.jwt, '--home', family]);
      const withConsent = (await ok(['wallet', 'present', '--home', family, '--child', child, '--guardian', father, ...CHALLENGE])) as { qr: string; consentIds: string[] };
      expect(withConsent.consentIds).toEqual([consent.id]);
      const allowed = await verifyJson(cp, withConsent.qr, ['--destination', 'UG']);
      expect(allowed.result.errors).toEqual([]);
      expect(allowed.code).toBe(0);
      expect(allowed.result.facts?.consents).toEqual([expect.objectContaining({ by: mother, byRole: 'mother', countries: ['UG', 'TZ'], counts: true })]);
      const allowedText = await cradle(['checkpoint', 'verify', withConsent.qr, '--home', cp, ...CHALLENGE, '--destination', 'UG']);
      expect(allowedText.stdout).toMatch(/from the mother Grace Akinyi Otieno: given/);
      // The same consent does not take the child to Rwanda.
      const rwanda = await verifyJson(cp, withConsent.qr, ['--destination', 'RW']);
      expect(rwanda.code).toBe(1);
      expect(rwanda.result.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
      expect(rwanda.result.facts?.consents?.[0]).toMatchObject({ counts: false, reason: { code: 'CONSENT_DESTINATION_MISMATCH' } });

      // Consents that do not count: one signed by a stranger (not a listed guardian), one that expires.
      await ok(['wallet', 'delete', consent.id, '--home', family]);
      const strangersWallet = join(dir, 'stranger-wallet');
      await ok(['wallet', 'init', '--home', strangersWallet]);
      const { did: stranger } = (await ok(['wallet', 'create-did', '--home', strangersWallet])) as { did: string };
      const forged = (await ok(['wallet', 'consent', '--home', strangersWallet, '--child', child, '--by', stranger, '--traveller', father, '--countries', 'UG', '--until', until])) as { jwt: string };
      // Ends in 10 minutes: long enough to be carried even on a loaded machine, short enough to check after it ends (below).
      const shortUntil = Math.floor(Date.now() / 1000) * 1000 + 600_000;
      const shortLived = (await ok(['wallet', 'consent', '--home', mothersWallet, '--child', child, '--by', mother, '--traveller', father, '--countries', 'UG', '--until', new Date(shortUntil).toISOString()])) as { jwt: string };
      for (const jwt of [forged.jwt, shortLived.jwt]) await ok(['wallet', 'import', jwt, '--home', family]);
      const refused = (await ok(['wallet', 'present', '--home', family, '--child', child, '--guardian', father, '--ttl', '3600', ...CHALLENGE])) as { qr: string; expiresAt: string; consentIds: string[] };
      expect(refused.consentIds).toHaveLength(2);
      const notFromGuardian = await verifyJson(cp, refused.qr, ['--destination', 'UG']);
      expect(notFromGuardian.code).toBe(0); // the mother's short-lived consent still counts now
      expect(notFromGuardian.result.facts?.consents).toEqual(
        expect.arrayContaining([expect.objectContaining({ by: stranger, counts: false, reason: expect.objectContaining({ code: 'CONSENT_NOT_FROM_GUARDIAN' }) })]),
      );
      // Later, the mother's consent has expired (past the 5-minute clock skew allowance) while the
      // presentation is still young enough (made after the consent was signed, so less than 10 minutes before shortUntil).
      const later = new Date(shortUntil + 301_000).toISOString();
      const expired = await verifyJson(cp, refused.qr, ['--destination', 'UG', '--at', later]);
      expect(expired.result.errors.map((e) => e.code)).toEqual(['TRAVEL_CONSENT_MISSING']);
      expect(expired.code).toBe(1);
      expect(expired.result.facts?.consents?.map((c) => (c.reason as { code: string } | undefined)?.code).sort()).toEqual(['CONSENT_NOT_FROM_GUARDIAN', 'EXPIRED']);

      // Nothing personal on the ledger: no name, document number or child DID in any transaction or log.
      const onChain = await chainBytes(chain.url);
      expect(onChain.length).toBeGreaterThan(1000);
      const secrets = [child, mother, father, ...people.flatMap((p) => [p.name, p.document.number]), 'Amina Wanjiru', 'KSM-2025-004217'];
      for (const s of secrets) {
        expect(onChain, s).not.toContain(hexOf(s).toLowerCase());
        expect(onChain, s).not.toContain(hexOf(s.toLowerCase()));
      }
      // The scan can see: a registrar string that is on the chain is found (the scan is not blind).
      expect(onChain).toContain(hexOf(`http://127.0.0.1:${port}/status/`));
    },
    SLOW,
  );
});
