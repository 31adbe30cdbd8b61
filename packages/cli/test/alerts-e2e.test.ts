// Child-protection alerts end to end through the real `cradle` command on the real local chain (Hardhat
// EDR), every step a fresh process: alert raised -> publish -> sync -> outcome "alert", exit 3; a
// checkpoint without the key, or with another key, cannot read it; stale alert data is not "valid";
// cleared -> valid again; and what a holder and the ledger can see says nothing about who is flagged.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainBytes, hexOf } from './helpers/chain-scan.js';
import { cradleWithSecret, realChainTestbed } from './helpers/e2e.js';
import { REPO } from './helpers/run-cradle.js';

const SECRET = 'alerts-e2e-secret-0123456789abcdef';
const SLOW = 900_000;
const AMINA = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const BARAKA = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';
const INSTRUCTION = 'Do not let the child leave. Call the child-protection desk.';
const REASON = 'Reported missing by her mother, Kisumu Central police OB 41/11/2026';

const { cradle, ok } = cradleWithSecret(SECRET);
const bed = realChainTestbed('cradle-alerts-e2e-', SECRET);

interface Verdict {
  code: number | null;
  result: { outcome: string; alerts?: { code: string; message: string }[]; errors: { code: string; message: string }[]; facts?: Record<string, unknown> };
}

async function verify(home: string, jwt: string, extra: string[] = []): Promise<Verdict> {
  const run = await cradle(['checkpoint', 'verify', jwt, '--home', home, '--json', ...extra]);
  return { code: run.code, result: JSON.parse(run.stdout.trim()) as Verdict['result'] };
}

const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { credentialStatus: Record<string, unknown>[] };
const alertEntry = (jwt: string) => payload(jwt).credentialStatus.find((e) => e.statusPurpose === 'message')!;

describe('child-protection alerts through the CLI, on the real chain', () => {
  it(
    'raised -> publish -> sync -> alert (exit 3); no key / wrong key / stale never say valid for a flagged child silently; cleared -> valid; nothing on chain',
    async () => {
      const { dir, ledgerFile, baseUrl: base, chain } = await bed.start();
      const reg = join(dir, 'registrar');

      // The checkpoints' alert key pair (and one that is not a recipient).
      const key = (await ok(['checkpoint', 'alert-key', '--out', join(dir, 'alert.jwk'), '--public-out', join(dir, 'alert.pub.jwk')])) as { kid: string };
      await ok(['checkpoint', 'alert-key', '--out', join(dir, 'other.jwk'), '--public-out', join(dir, 'other.pub.jwk')]);
      // A registrar is given public keys only.
      const refused = await cradle(['registrar', 'init', '--ledger', ledgerFile, '--home', join(dir, 'refused'), '--alert-recipient', join(dir, 'alert.jwk'), '--json']);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toMatch(/PUBLIC key only/);

      const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', base, '--alert-recipient', join(dir, 'alert.pub.jwk')])) as { did: string };
      const claims = join(REPO, 'examples/data/birth-registration.json');
      const flagged = (await ok(['registrar', 'issue', '--home', reg, '--subject', AMINA, '--claims', claims])) as { id: string; jwt: string };
      const other = (await ok(['registrar', 'issue', '--home', reg, '--subject', BARAKA, '--claims', claims])) as { id: string; jwt: string };
      await ok(['registrar', 'publish', '--home', reg]);
      await bed.serve(reg);
      const alertUrl = alertEntry(flagged.jwt).statusListCredential as string;
      const before = await (await fetch(alertUrl)).text();

      // Raised, published (anchored), synced: the checkpoint answers "alert", exit 3, and still shows the facts.
      const raised = await ok(['registrar', 'alert', flagged.id, '--home', reg, '--kind', 'missing', '--reason', REASON]);
      expect(raised).toMatchObject({ id: flagged.id, kind: 'missing', previous: null });
      await ok(['registrar', 'publish', '--home', reg]);
      const after = await (await fetch(alertUrl)).text();

      const cp = join(dir, 'checkpoint');
      expect((await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d', '--alert-key', join(dir, 'alert.jwk')])) as { alertKeyId: string }).toMatchObject({ alertKeyId: key.kid });
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
      expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);
      const alert = await verify(cp, flagged.jwt);
      expect(alert.code).toBe(3);
      expect(alert.result.outcome).toBe('alert');
      expect(alert.result.alerts).toEqual([{ code: 'ALERT_MISSING_CHILD', kind: 'missing', message: `This child is reported missing. ${INSTRUCTION}` }]);
      expect(alert.result.facts).toMatchObject({ childDid: AMINA, alertCheck: 'checked' });
      const human = await cradle(['checkpoint', 'verify', flagged.jwt, '--home', cp]);
      expect(human.code).toBe(3);
      expect(human.stdout).toContain('CHILD-PROTECTION ALERT');
      expect(human.stdout).toContain(INSTRUCTION);
      const clean = await verify(cp, other.jwt);
      expect(clean.code).toBe(0);
      expect(clean.result.facts).toMatchObject({ alertCheck: 'checked' });

      // A checkpoint without the key does not fetch the list and cannot see the alert (the documented limit): it says so.
      const noKey = join(dir, 'checkpoint-no-key');
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', noKey, '--max-status-age', '1d']);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', noKey]);
      expect(((await ok(['checkpoint', 'sync', '--home', noKey])) as { ok: boolean }).ok).toBe(true);
      const blind = await verify(noKey, flagged.jwt);
      expect(blind.result.facts).toMatchObject({ alertCheck: 'no-alert-key' });
      expect((await cradle(['checkpoint', 'verify', flagged.jwt, '--home', noKey])).stdout).toContain('alerts NOT checked: this checkpoint has no alert key');

      // Another checkpoint key cannot read it: sync says so, and the answer is "cannot confirm", not valid.
      const wrong = join(dir, 'checkpoint-wrong-key');
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', wrong, '--max-status-age', '1d', '--alert-key', join(dir, 'other.jwk')]);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', wrong]);
      const wrongSync = await cradle(['checkpoint', 'sync', '--home', wrong, '--json']);
      expect(wrongSync.code).toBe(1);
      expect((JSON.parse(wrongSync.stdout) as { failures: { code: string }[] }).failures.map((f) => f.code)).toEqual(['ALERT_KEY_MISMATCH']);
      const unreadable = await verify(wrong, flagged.jwt);
      expect(unreadable.code).toBe(2);
      expect(unreadable.result.errors.map((e) => e.code)).toEqual(['STATUS_UNKNOWN']);

      // Stale: a newer alert list is anchored but cannot be fetched (the registrar is down): not valid.
      await bed.stopServer();
      await ok(['registrar', 'publish', '--home', reg]);
      const staleSync = await cradle(['checkpoint', 'sync', '--home', cp, '--json']);
      expect(staleSync.code).toBe(1);
      const stale = await verify(cp, other.jwt);
      expect(stale.code).toBe(2);
      expect(stale.result.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
      // ... while the alert already seen still stops the flagged child.
      expect((await verify(cp, flagged.jwt)).code).toBe(3);

      // Cleared, published, synced: valid again.
      await bed.serve(reg);
      await ok(['registrar', 'alert', flagged.id, '--home', reg, '--clear', '--reason', 'Found safe, reunited with her mother']);
      await ok(['registrar', 'publish', '--home', reg]);
      expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);
      const cleared = await verify(cp, flagged.jwt);
      expect(cleared.result.errors).toEqual([]);
      expect(cleared.code).toBe(0);
      expect(cleared.result.outcome).toBe('valid');

      // What a holder sees: both children's alert entries are alike (same list, same messages; only a
      // random index differs), and the list they point at is the same size flagged or not, unreadable.
      const { statusListIndex: ia, id: _ida, ...restA } = alertEntry(flagged.jwt);
      const { statusListIndex: ib, id: _idb, ...restB } = alertEntry(other.jwt);
      expect(restA).toEqual(restB);
      expect(ia).not.toEqual(ib);
      expect(after.length).toBe(before.length);
      expect(after).not.toBe(before);
      const jwe = JSON.parse(after) as { ciphertext: string; protected: string };
      expect(Buffer.from(jwe.protected, 'base64url').toString()).toContain('cradle-alert-list+jwe');

      // What the ledger holds: the digest of the ciphertext, never a credential, a child or a reason.
      const onChain = await chainBytes(chain.url);
      expect(onChain).toContain(createHash('sha256').update(after).digest('hex'));
      expect(onChain).toContain(hexOf(alertUrl)); // the scan is not blind: the anchored URI is found
      for (const s of [AMINA, BARAKA, flagged.id, other.id, REASON, 'missing', 'Amina Wanjiru', 'KSM-2025-004217']) {
        expect(onChain, s).not.toContain(hexOf(s));
      }
      for (const e of [alertEntry(flagged.jwt), alertEntry(other.jwt)]) {
        expect(onChain).not.toContain(hexOf(e.id as string));
      }
    },
    SLOW,
  );
});
