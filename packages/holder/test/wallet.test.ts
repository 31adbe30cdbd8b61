import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { base64UrlEncode, encodeQrPayload } from '@cradle/core';
import { createWallet, groupByChild } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { openBackup } from '../src/backup-file.js';
import { parseBackupContents } from '../src/backup-contents.js';
import { NOW, PASSPHRASE, SECRET, fixedNow, issue, tempDir } from './fixtures.js';

const open: Wallet[] = [];
async function newWallet(home?: string, secret: string | undefined = SECRET): Promise<Wallet> {
  const wallet = await createWallet({ home: home ?? (await tempDir()), secret, now: fixedNow });
  open.push(wallet);
  return wallet;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

describe('opening a wallet', () => {
  it('refuses to open without a secret (SECRET_MISSING)', async () => {
    const home = await tempDir();
    await expect(createWallet({ home, secret: undefined })).rejects.toMatchObject({ code: 'SECRET_MISSING' });
    await expect(createWallet({ home, secret: '  ' })).rejects.toMatchObject({ code: 'SECRET_MISSING' });
  });

  it('detects a wrong secret when the wallet is opened (SECRET_WRONG), and the right one still opens it', async () => {
    const home = await tempDir();
    const wallet = await createWallet({ home, secret: SECRET });
    const { did } = await wallet.createDid();
    await wallet.close();
    const err = await createWallet({ home, secret: 'not-the-secret' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SECRET_WRONG' });
    expect((err as Error).message).toMatch(/CRADLE_SECRET/);
    const again = await newWallet(home);
    expect((await again.listDids()).map((d) => d.did)).toEqual([did]);
  });

  it('the wallet database (it holds the keys) is created mode 0600, in a directory created 0700', async () => {
    const home = join(await tempDir(), 'new-wallet');
    const wallet = await createWallet({ home, secret: SECRET });
    await wallet.createDid();
    await wallet.close();
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const files = await readdir(home);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect([f, (await stat(join(home, f))).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('with ifMissing: "error", a missing wallet is NOT_FOUND and nothing is created', async () => {
    const home = await tempDir();
    await expect(createWallet({ home, secret: SECRET, ifMissing: 'error' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await readdir(home)).toEqual([]);
  });

  it('keeps its state in <home>/wallet.sqlite', async () => {
    const home = await tempDir();
    const wallet = await newWallet(home);
    expect(wallet.databasePath).toBe(join(home, 'wallet.sqlite'));
    expect(wallet.created).toBe(true);
  });
});

describe('DIDs', () => {
  it('creates Ed25519 did:key DIDs with local labels', async () => {
    const wallet = await newWallet();
    const { did: guardian } = await wallet.createDid({ label: 'Mother' });
    const { did: child } = await wallet.createDid({ label: 'Amina' });
    expect(guardian).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
    const dids = await wallet.listDids();
    expect(dids.map((d) => [d.did, d.label])).toEqual([
      [guardian, 'Mother'],
      [child, 'Amina'],
    ]);
    expect(await wallet.resolveDid('Amina')).toBe(child);
    await expect(wallet.resolveDid('Nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(wallet.createDid({ label: 'did:key:z6Mkfoo' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('never stores a private key in plaintext (scans the SQLite file bytes)', async () => {
    const home = await tempDir();
    const wallet = await newWallet(home);
    for (let i = 0; i < 3; i++) await wallet.createDid({ label: `child ${i}` });
    // The only way out for key material is an encrypted backup: open one to learn the keys.
    const backupPath = join(home, 'wallet.backup');
    await wallet.backup(backupPath, PASSPHRASE);
    const contents = parseBackupContents(await openBackup(await readFile(backupPath, 'utf8'), PASSPHRASE));
    const secrets = contents.dids.flatMap((d) => d.keys.map((k) => k.privateKeyHex));
    expect(secrets).toHaveLength(3);
    await wallet.close();

    const files = (await readdir(home)).filter((f) => f.startsWith('wallet.sqlite'));
    const bytes = Buffer.concat(await Promise.all(files.map((f) => readFile(join(home, f)))));
    const haystackLatin1 = bytes.toString('latin1');
    for (const hex of secrets) {
      const seed = Buffer.from(hex.slice(0, 64), 'hex');
      for (const needle of [hex.slice(0, 64), hex.slice(0, 64).toUpperCase(), seed.toString('base64'), base64UrlEncode(seed)]) {
        expect(haystackLatin1.includes(needle), `found ${needle} in the database`).toBe(false);
      }
      expect(bytes.includes(seed), 'found the raw seed bytes in the database').toBe(false);
    }
    expect(haystackLatin1.includes(SECRET)).toBe(false);
  });
});

describe('importing credentials', () => {
  async function walletWithFamily(): Promise<{ wallet: Wallet; child: string; guardian: string }> {
    const wallet = await newWallet();
    const { did: guardian } = await wallet.createDid({ label: 'Mother' });
    const { did: child } = await wallet.createDid({ label: 'Amina' });
    return { wallet, child, guardian };
  }

  it('imports a birth-registration credential addressed to a child held here', async () => {
    const { wallet, child } = await walletWithFamily();
    const jwt = await issue({ type: 'BirthRegistrationCredential', subject: child });
    const { credential, created } = await wallet.importCredential(jwt);
    expect(created).toBe(true);
    expect(credential).toMatchObject({
      jwt,
      type: 'BirthRegistrationCredential',
      format: 'vc+jwt',
      subject: child,
      issuer: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      validFrom: '2026-11-01T00:00:00.000Z',
      importedAt: NOW.toISOString(),
    });
    expect(credential.id).toMatch(/^urn:uuid:/);
    expect(await wallet.getCredential(credential.id)).toEqual(credential);
    expect((await wallet.listDids()).find((d) => d.did === child)?.roles).toEqual(['child']);
  });

  it('refuses a credential addressed to a DID this wallet does not hold, and stores nothing', async () => {
    const { wallet } = await walletWithFamily();
    const foreign = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const err = await wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: foreign })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SUBJECT_NOT_IN_WALLET' });
    expect((err as Error).message).toContain(foreign);
    await expect(
      wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: foreign, guardians: [{ id: foreign, role: 'mother' }] })),
    ).rejects.toMatchObject({ code: 'SUBJECT_NOT_IN_WALLET' });
    expect(await wallet.listCredentials()).toEqual([]);
  });

  it('accepts a guardianship credential when its child, or one of its guardians, is held here', async () => {
    const { wallet, child, guardian } = await walletWithFamily();
    const elsewhere = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const forChild = await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: elsewhere, role: 'father' }] });
    const forGuardian = await issue({ type: 'GuardianshipCredential', subject: elsewhere, guardians: [{ id: guardian, role: 'mother' }] });
    expect((await wallet.importCredential(forChild)).created).toBe(true);
    const { credential } = await wallet.importCredential(forGuardian);
    expect(credential.guardians).toEqual([{ id: guardian, role: 'mother' }]);
    expect((await wallet.listDids()).find((d) => d.did === guardian)?.roles).toEqual(['guardian']);
  });

  it('imports a QR payload (CRADLE5:…) the same as the compact JWS', async () => {
    const { wallet, child } = await walletWithFamily();
    const jwt = await issue({ type: 'BirthRegistrationCredential', subject: child });
    const { credential } = await wallet.importCredential(encodeQrPayload(jwt));
    expect(credential.jwt).toBe(jwt);
  });

  it('imports the VCDM 1.1 JWT-VC format (typ JWT)', async () => {
    const { wallet, child } = await walletWithFamily();
    const jwt = await issue({ type: 'BirthRegistrationCredential', subject: child, format: 'jwt-vc' });
    const { credential } = await wallet.importCredential(jwt);
    expect(credential).toMatchObject({ format: 'jwt-vc', subject: child, type: 'BirthRegistrationCredential' });
  });

  it('is idempotent for the same credential, and refuses a different one reusing its id', async () => {
    const { wallet, child } = await walletWithFamily();
    const jwt = await issue({ type: 'BirthRegistrationCredential', subject: child, id: 'urn:uuid:11111111-1111-4111-8111-111111111111' });
    await wallet.importCredential(jwt);
    const again = await wallet.importCredential(`  ${jwt}\n`);
    expect(again.created).toBe(false);
    expect(await wallet.listCredentials()).toHaveLength(1);
    const other = await issue({
      type: 'BirthRegistrationCredential',
      subject: child,
      id: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      validFrom: new Date('2026-11-02T00:00:00Z'),
    });
    await expect(wallet.importCredential(other)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses what is not a Cradle credential, with a clear code', async () => {
    const { wallet, child } = await walletWithFamily();
    await expect(wallet.importCredential('hello')).rejects.toMatchObject({ code: expect.any(String) });
    await expect(wallet.importCredential('')).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(wallet.importCredential(await issue({ type: 'PassportCredential', subject: child }))).rejects.toMatchObject({
      code: 'CREDENTIAL_TYPE_UNSUPPORTED',
    });
    await expect(
      wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child, claims: { iss: 'did:ethr:0x1:0xabc' } })),
    ).rejects.toMatchObject({ code: 'ISSUER_MISMATCH' });
    await expect(
      wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child, claims: { sub: 'did:key:z6Mkother' } })),
    ).rejects.toMatchObject({ code: 'SUBJECT_MISMATCH' });
    await expect(
      wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child, typ: 'vp+jwt' })),
    ).rejects.toMatchObject({ code: 'TYP_UNEXPECTED' });
    await expect(
      wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [] })),
    ).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(wallet.importCredential('x'.repeat(70_000))).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await wallet.listCredentials()).toEqual([]);
  });

  it('deletes a credential', async () => {
    const { wallet, child } = await walletWithFamily();
    const { credential } = await wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child }));
    expect(await wallet.deleteCredential(credential.id)).toBe(true);
    expect(await wallet.deleteCredential(credential.id)).toBe(false);
    expect(await wallet.getCredential(credential.id)).toBeUndefined();
  });

  it('custodial mode: one wallet holds many children, listed by child', async () => {
    const wallet = await newWallet();
    const { did: ngo } = await wallet.createDid({ label: 'NGO caseworker' });
    const children: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { did } = await wallet.createDid({ label: `child ${i}` });
      children.push(did);
      await wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: did }));
      await wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: did, guardians: [{ id: ngo, role: 'custodian' }] }));
    }
    expect(await wallet.listCredentials()).toHaveLength(10);
    const mine = await wallet.listCredentials({ subject: children[2] });
    expect(mine.map((c) => c.type).sort()).toEqual(['BirthRegistrationCredential', 'GuardianshipCredential']);
    const groups = groupByChild(await wallet.listCredentials());
    expect(groups.map((g) => g.child).sort()).toEqual([...children].sort());
    expect(groups.every((g) => g.birth.length === 1 && g.guardianship.length === 1)).toBe(true);
  });
});
