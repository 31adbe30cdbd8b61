// Child-protection alerts through the governance trust list, end to end with the real `cradle` command on
// the real local chain (Hardhat EDR): the trust list distributes the checkpoints' alert public key to the
// registrar (no `--alert-recipient`) and accredits a child-protection authority for that registrar; the
// authority's signed request raises the alert, an unaccredited authority's request is refused and changes
// nothing, a replayed request is refused; the checkpoint that holds the distributed key answers "alert".
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { base64UrlDecode } from '@cradle/core';
import { didKeyFromEd25519PublicKey, signTrustList } from '@cradle/verifier';
import { describe, expect, it } from 'vitest';
import { cradleWithSecret, realChainTestbed } from './helpers/e2e.js';
import { REPO } from './helpers/run-cradle.js';

const SECRET = 'alert-authority-e2e-secret-0123456789';
const SLOW = 900_000;
const AMINA = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const BARAKA = 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG';

const { cradle, ok } = cradleWithSecret(SECRET);
const bed = realChainTestbed('cradle-alert-authority-e2e-', SECRET);

/** An Ed25519 key written as a private JWK file, with its did:key and a signer (a governance authority, an alert authority). */
async function ed25519(dir: string, name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromEd25519PublicKey(base64UrlDecode((publicKey.export({ format: 'jwk' }) as { x: string }).x));
  const file = join(dir, `${name}.jwk`);
  await writeFile(file, JSON.stringify(privateKey.export({ format: 'jwk' })));
  return { did, kid: `${did}#${did.slice('did:key:'.length)}`, file, sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) };
}

describe('alerts through the governance trust list, via the CLI on the real chain', () => {
  it(
    "the trust list's checkpoint key turns alerts on at the registrar; an accredited authority's request raises an alert checkpoints see (exit 3); an unaccredited one's is refused and changes nothing",
    async () => {
      const { dir, ledgerFile, baseUrl: base } = await bed.start();
      const reg = join(dir, 'registrar');

      const { kid: checkpointKid, publicJwk } = (await ok(['checkpoint', 'alert-key', '--out', join(dir, 'alert.jwk'), '--public-out', join(dir, 'alert.pub.jwk')])) as { kid: string; publicJwk: Record<string, unknown> };
      const governance = await ed25519(dir, 'governance');
      const unit = await ed25519(dir, 'child-protection-unit');
      const rogue = await ed25519(dir, 'rogue');

      // The registrar is set up WITHOUT any alert key of its own.
      const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', base])) as { did: string };
      const trustList = (signer: { did: string; kid: string; sign: (d: Uint8Array) => Uint8Array }, version: number) =>
        signTrustList({
          issuer: governance.did,
          kid: signer.kid,
          version,
          registrars: [{ did: registrar, status: 'accredited', name: 'Kisumu Civil Registration Office (fictional)', country: 'KE' }],
          alerts: {
            recipients: [publicJwk as { kty: 'EC'; crv: 'P-256'; x: string; y: string }],
            authorities: [{ did: unit.did, name: 'Child Protection Unit (fictional)', registrars: [registrar] }],
          },
          sign: signer.sign,
        });
      // A list "from" the governance authority but signed by someone else is refused, and changes nothing.
      await writeFile(join(dir, 'forged-list.jwt'), await trustList(rogue, 1));
      const forged = await cradle(['registrar', 'trust-list', join(dir, 'forged-list.jwt'), '--governance', governance.did, '--home', reg, '--json']);
      expect(forged.code).toBe(1);
      expect(forged.stdout + forged.stderr).toMatch(/trust list was refused/);
      await writeFile(join(dir, 'trust-list.jwt'), await trustList(governance, 2));
      expect(await ok(['registrar', 'trust-list', join(dir, 'trust-list.jwt'), '--governance', governance.did, '--home', reg])).toMatchObject({
        version: 2,
        alertRecipients: 1,
        alertAuthorities: [unit.did],
      });
      // An older list is a rollback: refused.
      await writeFile(join(dir, 'old-list.jwt'), await trustList(governance, 1));
      expect((await cradle(['registrar', 'trust-list', join(dir, 'old-list.jwt'), '--governance', governance.did, '--home', reg])).code).toBe(1);

      // Alerts are on: every new birth credential carries an alert entry.
      const claims = join(REPO, 'examples/data/birth-registration.json');
      const amina = (await ok(['registrar', 'issue', '--home', reg, '--subject', AMINA, '--claims', claims])) as { id: string; jwt: string };
      const baraka = (await ok(['registrar', 'issue', '--home', reg, '--subject', BARAKA, '--claims', claims])) as { id: string; jwt: string };
      const entries = JSON.parse(Buffer.from(amina.jwt.split('.')[1]!, 'base64url').toString()) as { credentialStatus: { statusPurpose: string }[] };
      expect(entries.credentialStatus.map((e) => e.statusPurpose)).toContain('message');

      // An authority the list does not accredit: its well-signed request is refused (FORBIDDEN), nothing changes.
      const rogueRequest = join(dir, 'rogue-request.jwt');
      await ok(['authority', 'alert-request', '--key', rogue.file, '--registrar', registrar, '--credential', baraka.id, '--kind', 'missing', '--reason', 'not ours to say', '--out', rogueRequest]);
      const refused = await cradle(['registrar', 'alert', '--request', rogueRequest, '--home', reg, '--json']);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toMatch(/FORBIDDEN[\s\S]*not accredited by the governance trust list/);

      // The accredited authority's request raises the alert, once.
      const request = join(dir, 'request.jwt');
      await ok(['authority', 'alert-request', '--key', unit.file, '--registrar', registrar, '--credential', amina.id, '--kind', 'missing', '--reason', 'Reported missing, case CPU/2026/118', '--out', request]);
      expect(await ok(['registrar', 'alert', '--request', request, '--home', reg])).toMatchObject({ id: amina.id, kind: 'missing', previous: null, authority: unit.did });
      const replay = await cradle(['registrar', 'alert', '--request', request, '--home', reg, '--json']);
      expect(replay.code).toBe(1);
      expect(replay.stdout + replay.stderr).toMatch(/already applied/);
      await ok(['registrar', 'publish', '--home', reg]);

      await bed.serve(reg);

      // The checkpoint holding the key the trust list distributed reads the alert list.
      const cp = join(dir, 'checkpoint');
      expect(await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d', '--alert-key', join(dir, 'alert.jwk')])).toMatchObject({ alertKeyId: checkpointKid });
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
      expect(((await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean }).ok).toBe(true);
      const flagged = await cradle(['checkpoint', 'verify', amina.jwt, '--home', cp, '--json']);
      expect(flagged.code).toBe(3);
      expect((JSON.parse(flagged.stdout) as { alerts: { code: string }[] }).alerts.map((a) => a.code)).toEqual(['ALERT_MISSING_CHILD']);
      // The unaccredited authority's request raised nothing.
      const clear = await cradle(['checkpoint', 'verify', baraka.jwt, '--home', cp, '--json']);
      expect(clear.code, clear.stdout).toBe(0);
      expect(JSON.parse(clear.stdout)).toMatchObject({ outcome: 'valid', facts: { alertCheck: 'checked' } });
    },
    SLOW,
  );
});
