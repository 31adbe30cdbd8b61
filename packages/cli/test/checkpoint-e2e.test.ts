// End to end through the real `cradle` command on the real local chain (Hardhat EDR): a registrar
// issues and publishes, a checkpoint syncs, then verifies with the chain stopped. Each step is a fresh
// `node --import tsx` process, as an operator would run it.
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { base64UrlDecode, didKeyFromEd25519PublicKey, encodeQrPayload, readBundle } from '@cradle/core';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { cradleWithSecret, realChainTestbed } from './helpers/e2e.js';
import { REPO } from './helpers/run-cradle.js';

const SECRET = 'checkpoint-e2e-secret-0123456789abcdef';
const SLOW = 900_000;
const DAY_MS = 86_400_000;

const { cradle, ok } = cradleWithSecret(SECRET);
const bed = realChainTestbed('cradle-checkpoint-e2e-', SECRET);

async function verifyRun(home: string, input: string, extra: string[] = [], stdin?: string): Promise<{ code: number | null; result: { outcome: string; verified: boolean; errors: { code: string; message: string }[]; facts?: Record<string, unknown>; statusAge?: { seconds: number } } }> {
  const run = await cradle(['checkpoint', 'verify', input, '--home', home, '--json', ...extra], stdin);
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return { code: run.code, result: JSON.parse(lines[0]!) };
}

describe('cradle checkpoint, end to end on the real chain', () => {
  it(
    'issue -> publish -> sync -> chain stopped -> valid; suspend/unsuspend; revoke -> REVOKED; stale -> STATUS_STALE; presentation; bundle; QR image',
    async () => {
      const { dir, ledgerFile, port } = await bed.start();
      const reg = join(dir, 'registrar');
      const cp = join(dir, 'checkpoint');
      const wallet = join(dir, 'wallet');

      // Registrar, wallet (child + guardian DIDs), credentials.
      const { did: registrar } = (await ok(['registrar', 'init', '--ledger', ledgerFile, '--home', reg, '--base-url', `http://127.0.0.1:${port}`])) as { did: string };
      await ok(['wallet', 'init', '--home', wallet]);
      const { did: guardian } = (await ok(['wallet', 'create-did', '--home', wallet, '--label', 'Mother'])) as { did: string };
      const { did: child } = (await ok(['wallet', 'create-did', '--home', wallet, '--label', 'Child'])) as { did: string };
      const claims = join(REPO, 'examples/data/birth-registration.json');
      const birth = (await ok(['registrar', 'issue', '--home', reg, '--subject', child, '--claims', claims])) as { id: string; jwt: string };
      const other = (await ok(['registrar', 'issue', '--home', reg, '--subject', child, '--claims', claims])) as { id: string; jwt: string };
      const guardianship = (await ok(['registrar', 'guardianship', '--home', reg, '--subject', child, '--guardian', guardian])) as { jwt: string };
      await ok(['wallet', 'import', birth.jwt, '--home', wallet]);
      await ok(['wallet', 'import', guardianship.jwt, '--home', wallet]);
      await ok(['registrar', 'publish', '--home', reg]);
      await bed.serve(reg);

      // Checkpoint: init, trust, sync.
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', cp, '--max-status-age', '1d']);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', cp]);
      expect(((await ok(['checkpoint', 'trust', 'list', '--home', cp])) as { trusted: { did: string }[] }).trusted.map((t) => t.did)).toHaveLength(1);
      const synced = (await ok(['checkpoint', 'sync', '--home', cp])) as { ok: boolean; lists: unknown[] };
      expect(synced.ok).toBe(true);
      expect(synced.lists.length).toBeGreaterThanOrEqual(2);

      const first = await verifyRun(cp, birth.jwt);
      expect(first.result.errors).toEqual([]);
      expect(first).toMatchObject({ code: 0, result: { outcome: 'valid', verified: true } });

      // Suspension is reversible.
      await ok(['registrar', 'suspend', birth.id, '--home', reg]);
      await ok(['registrar', 'publish', '--home', reg]);
      await ok(['checkpoint', 'sync', '--home', cp]);
      const suspended = await verifyRun(cp, birth.jwt);
      expect(suspended.code).toBe(1);
      expect(suspended.result.errors.map((e) => e.code)).toEqual(['SUSPENDED']);
      await ok(['registrar', 'unsuspend', birth.id, '--home', reg]);
      await ok(['registrar', 'publish', '--home', reg]);
      await ok(['checkpoint', 'sync', '--home', cp]);
      expect((await verifyRun(cp, birth.jwt)).code).toBe(0);

      // Revocation of the second credential.
      await ok(['registrar', 'revoke', other.id, '--home', reg]);
      await ok(['registrar', 'publish', '--home', reg]);
      await ok(['checkpoint', 'sync', '--home', cp]);

      // A presentation from the guardian's wallet, with this checkpoint's nonce and domain.
      const vp = (await ok(['wallet', 'present', '--home', wallet, '--child', child, '--nonce', 'n-4711', '--domain', 'border-7.example'])) as { jwt: string; qr: string };

      // The chain and the status server go away: everything below is offline.
      await bed.goOffline();
      const offline = await verifyRun(cp, birth.jwt);
      expect(offline).toMatchObject({ code: 0, result: { outcome: 'valid' } });
      expect(offline.result.facts).toMatchObject({ child: { givenName: 'Amina Wanjiru' }, registrar: { trusted: true } });
      const revoked = await verifyRun(cp, other.jwt);
      expect(revoked.code).toBe(1);
      expect(revoked.result.errors.map((e) => e.code)).toEqual(['REVOKED']);
      expect(revoked.result.errors[0]!.message).toMatch(/revoked by the registrar/);

      const presented = await verifyRun(cp, vp.qr, ['--nonce', 'n-4711', '--domain', 'border-7.example']);
      expect(presented.result.errors).toEqual([]);
      expect(presented.result.facts).toMatchObject({ guardian: { did: guardian, isListedGuardian: true } });
      const replayed = await verifyRun(cp, vp.jwt, ['--nonce', 'n-other', '--domain', 'border-7.example']);
      expect(replayed.code).toBe(1);
      expect(replayed.result.errors.map((e) => e.code)).toEqual(['CHALLENGE_MISMATCH']);

      // Status data past the operator's limit: cannot confirm, exit 2.
      const later = new Date(Date.now() + 2 * DAY_MS).toISOString();
      const stale = await verifyRun(cp, birth.jwt, ['--at', later]);
      expect(stale.code).toBe(2);
      expect(stale.result.outcome).toBe('indeterminate');
      expect(stale.result.errors.map((e) => e.code)).toContain('STATUS_STALE');

      // A sync with the chain down fails (exit 1) and keeps the cache.
      expect((await cradle(['checkpoint', 'sync', '--home', cp, '--json'])).code).toBe(1);
      expect((await verifyRun(cp, birth.jwt)).code).toBe(0);

      // From a PNG photo of the QR code, and from stdin.
      const png = join(dir, 'credential.png');
      await QRCode.toFile(png, encodeQrPayload(birth.jwt), { errorCorrectionLevel: 'L', margin: 2, scale: 4 });
      expect((await verifyRun(cp, png)).result.outcome).toBe('valid');
      expect((await verifyRun(cp, '-', [], `${birth.jwt}\n`)).result.outcome).toBe('valid');

      // A checkpoint that never connects, from a bundle.
      const bundle = join(dir, 'checkpoint.bundle.json');
      await ok(['checkpoint', 'bundle', 'export', bundle, '--home', cp]);
      const remote = join(dir, 'remote-checkpoint');
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', remote, '--max-status-age', '30d']);
      const imported = (await ok(['checkpoint', 'bundle', 'import', bundle, '--home', remote])) as { trustNotImported: string[] };
      expect(imported.trustNotImported.map((d) => d.toLowerCase())).toEqual([registrar.toLowerCase()]);
      expect((await verifyRun(remote, birth.jwt)).result.errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED', 'STATUS_STALE']);
      await ok(['checkpoint', 'trust', 'add', registrar, '--home', remote]);
      // Unsigned data was never confirmed on the ledger: it can prove revoked, never valid.
      expect((await verifyRun(remote, birth.jwt)).result.errors.map((e) => e.code)).toEqual(['STATUS_STALE']);
      const revokedThere = (await verifyRun(remote, other.jwt)).result;
      expect(revokedThere.outcome).toBe('invalid');
      expect(revokedThere.errors.map((e) => e.code)).toContain('REVOKED');
      // A bundle signed by an operator key pinned at init is trusted: valid offline.
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const operatorKey = didKeyFromEd25519PublicKey(base64UrlDecode(publicKey.export({ format: 'jwk' }).x!));
      await writeFile(join(dir, 'operator.jwk'), JSON.stringify(privateKey.export({ format: 'jwk' })), { mode: 0o600 });
      const signedBundle = join(dir, 'signed.bundle.json');
      await ok(['checkpoint', 'bundle', 'export', signedBundle, '--home', cp, '--sign-key', join(dir, 'operator.jwk')]);
      const pinned = join(dir, 'pinned-checkpoint');
      await ok(['checkpoint', 'init', '--ledger', ledgerFile, '--home', pinned, '--max-status-age', '30d', '--bundle-key', operatorKey]);
      expect(await ok(['checkpoint', 'bundle', 'import', signedBundle, '--home', pinned])).toMatchObject({ signed: true, signedBy: operatorKey });
      expect((await verifyRun(pinned, birth.jwt)).result.outcome).toBe('valid');

      // Caller mistakes: no checkpoint here -> exit 2 with a result-shaped error object.
      const nowhere = await verifyRun(join(dir, 'nope'), birth.jwt);
      expect(nowhere.code).toBe(2);
      expect(nowhere.result.errors[0]!.code).toBe('NOT_FOUND');
      expect(readBundle(new Uint8Array(await readFile(bundle)))).toMatchObject({ signed: false, contents: { chainId: 31337 } });
    },
    SLOW,
  );
});
