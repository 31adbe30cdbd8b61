import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { VC_CONTEXT_V2, decodeJws, signJws } from '@cradle/core';
import { ed25519PublicKeyFromDidKey } from '@cradle/holder';
import { runCradle } from './helpers/run-cradle.js';
import type { Run } from './helpers/run-cradle.js';

const SECRET = 'cli-test-secret-0123456789abcdef';
const REGISTRAR = 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const REGISTRAR_KEY = generateKeyPairSync('ed25519').privateKey;

// Each step is a fresh `node --import tsx` process (seconds each on a loaded machine).
const SLOW = 600_000;

function cradle(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
  return runCradle(args, { env: { CRADLE_SECRET: SECRET, CRADLE_BACKUP_PASSPHRASE: undefined, ...env }, ...(stdin === undefined ? {} : { stdin }) });
}

function json(run: Run): Record<string, unknown> {
  expect(run.stdout.trim().split('\n'), run.stderr).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

async function issue(type: string, subject: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const t = Date.parse('2026-01-01T00:00:00Z') / 1000;
  const credentialSubject = { id: subject, ...extra };
  return signJws(
    { alg: 'EdDSA', typ: 'vc+jwt', kid: `${REGISTRAR}#delegate-1` },
    {
      '@context': [VC_CONTEXT_V2, 'https://w3id.org/cradle/v1'],
      id,
      type: ['VerifiableCredential', type],
      issuer: REGISTRAR,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject,
      iss: REGISTRAR,
      sub: subject,
      jti: id,
      iat: t,
      nbf: t,
    },
    (data) => new Uint8Array(sign(null, data, REGISTRAR_KEY)),
  );
}

describe('cradle wallet (CLI)', () => {
  it('init, create-did, import, list, show, present, backup, restore', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-wallet-'));
    const home = join(dir, 'wallet');

    const init = await cradle(['wallet', 'init', '--home', home, '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(json(init)).toMatchObject({ created: true, database: join(home, 'wallet.sqlite') });

    const guardian = json(await cradle(['wallet', 'create-did', '--home', home, '--label', 'Mother', '--json'])).did as string;
    const child = json(await cradle(['wallet', 'create-did', '--home', home, '--label', 'Amina', '--json'])).did as string;
    expect(guardian).toMatch(/^did:key:z6Mk/);
    expect(child).toMatch(/^did:key:z6Mk/);

    // from a file
    const birthFile = join(dir, 'birth.jwt');
    await writeFile(birthFile, `${await issue('BirthRegistrationCredential', child, { givenName: 'Amina' })}\n`);
    const imported = await cradle(['wallet', 'import', birthFile, '--home', home, '--json']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const birthId = json(imported).id as string;
    // from stdin, as `cradle registrar guardianship --json` prints it
    const guardianship = await issue('GuardianshipCredential', child, { guardians: [{ id: guardian, role: 'mother' }] });
    const viaStdin = await cradle(['wallet', 'import', '-', '--home', home, '--json'], {}, JSON.stringify({ id: 'x', jwt: guardianship }));
    expect(viaStdin.code, viaStdin.stdout + viaStdin.stderr).toBe(0);
    expect(json(viaStdin)).toMatchObject({ type: 'GuardianshipCredential', subject: child, created: true });

    // a credential for someone else is refused with a clear code and exit 1
    const foreign = await cradle(['wallet', 'import', await issue('BirthRegistrationCredential', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'), '--home', home, '--json']);
    expect(foreign.code).toBe(1);
    expect(json(foreign)).toMatchObject({ error: { code: 'SUBJECT_NOT_IN_WALLET' } });

    const list = json(await cradle(['wallet', 'list', '--home', home, '--json']));
    expect((list.dids as { did: string }[]).map((d) => d.did)).toEqual([guardian, child]);
    expect(list.children).toMatchObject([{ child, label: 'Amina', credentials: [{ id: birthId }, { type: 'GuardianshipCredential' }] }]);
    const listText = await cradle(['wallet', 'list', '--home', home]);
    expect(listText.stdout).toContain('Amina');

    const show = json(await cradle(['wallet', 'show', birthId, '--home', home, '--json']));
    expect(show).toMatchObject({ credential: { id: birthId, subject: child, credentialSubject: { givenName: 'Amina' } } });

    const png = join(dir, 'qr.png');
    const present = await cradle(['wallet', 'present', '--child', child, '--nonce', 'abc123', '--domain', 'checkpoint.example', '--png', png, '--home', home, '--json']);
    expect(present.code, present.stdout + present.stderr).toBe(0);
    const { jwt, qr } = json(present) as { jwt: string; qr: string };
    expect(qr.startsWith('CRADLE5:')).toBe(true);
    const decoded = decodeJws(jwt, { expectedTyp: 'vp+jwt' });
    expect(decoded.payload).toMatchObject({ iss: guardian, holder: guardian, aud: 'checkpoint.example', nonce: 'abc123' });
    const guardianKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(ed25519PublicKeyFromDidKey(guardian)).toString('base64url') }, format: 'jwk' });
    expect(verify(null, decoded.signingInput, guardianKey, decoded.signature)).toBe(true);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');

    // backup: the passphrase is never an argument
    const backupFile = join(dir, 'wallet.backup');
    const noPassphrase = await cradle(['wallet', 'backup', backupFile, '--home', home, '--json']);
    expect(noPassphrase.code).toBe(1);
    expect(json(noPassphrase)).toMatchObject({ error: { code: 'SECRET_MISSING' } });
    const backup = await cradle(['wallet', 'backup', backupFile, '--home', home, '--json'], { CRADLE_BACKUP_PASSPHRASE: 'a long backup passphrase' });
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    expect(json(backup)).toMatchObject({ dids: 2, credentials: 2 });

    const home2 = join(dir, 'restored');
    const passFile = join(dir, 'passphrase');
    await writeFile(passFile, 'wrong passphrase\n');
    const wrong = await cradle(['wallet', 'restore', backupFile, '--home', home2, '--passphrase-file', passFile, '--json'], { CRADLE_SECRET: 'new-phone-secret' });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toMatchObject({ error: { code: 'BACKUP_PASSPHRASE_WRONG' } });
    expect(existsSync(join(home2, 'wallet.sqlite')), 'a failed restore leaves no wallet behind').toBe(false);
    await writeFile(passFile, 'a long backup passphrase\n');
    const restore = await cradle(['wallet', 'restore', backupFile, '--home', home2, '--passphrase-file', passFile, '--json'], { CRADLE_SECRET: 'new-phone-secret' });
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    // the restored wallet answers the checkpoint's challenge QR text, read from stdin
    const again = json(
      await cradle(
        ['wallet', 'present', '--child', 'Amina', '--challenge', '-', '--home', home2, '--json'],
        { CRADLE_SECRET: 'new-phone-secret' },
        JSON.stringify({ nonce: 'n2', domain: 'd2' }),
      ),
    ) as { jwt: string };
    const answer = decodeJws(again.jwt, { expectedTyp: 'vp+jwt' });
    expect(answer.header.kid).toBe(decoded.header.kid);
    expect(answer.payload).toMatchObject({ nonce: 'n2', aud: 'd2' });
  }, SLOW);

  it('a wrong or missing CRADLE_SECRET is a clear error, and a missing wallet says to run init', async () => {
    const home = join(await mkdtemp(join(tmpdir(), 'cradle-cli-wallet-')), 'w');
    const missing = await cradle(['wallet', 'list', '--home', home]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND.*cradle wallet init/);
    expect((await cradle(['wallet', 'init', '--home', home])).code).toBe(0);
    const wrong = await cradle(['wallet', 'list', '--home', home, '--json'], { CRADLE_SECRET: 'nope' });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toMatchObject({ error: { code: 'SECRET_WRONG' } });
    const none = await cradle(['wallet', 'list', '--home', home], { CRADLE_SECRET: undefined });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/SECRET_MISSING/);
  }, SLOW);
});
