import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWallet } from '../src/index.js';
import { openBackup, sealBackup } from '../src/backup-file.js';
import { parseBackupContents } from '../src/backup-contents.js';
import type { Wallet } from '../src/index.js';
import { NOW, PASSPHRASE, SECRET, fixedNow, issue, tempDir } from './fixtures.js';

const open: Wallet[] = [];
async function walletAt(home: string, secret = SECRET): Promise<Wallet> {
  const wallet = await createWallet({ home, secret, now: fixedNow });
  open.push(wallet);
  return wallet;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

async function backedUpFamily(): Promise<{ wallet: Wallet; child: string; guardian: string; file: string; birth: string }> {
  const wallet = await walletAt(await tempDir());
  const { did: guardian } = await wallet.createDid({ label: 'Mother' });
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  const birth = await issue({ type: 'BirthRegistrationCredential', subject: child });
  await wallet.importCredential(birth);
  await wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: guardian, role: 'mother' }] }));
  const file = join(await tempDir(), 'family.cradle-backup');
  const summary = await wallet.backup(file, PASSPHRASE);
  expect(summary).toEqual({ path: file, dids: 2, credentials: 2 });
  return { wallet, child, guardian, file, birth };
}

describe('backup and restore', () => {
  it('restores onto a fresh home (another secret), and the same presentation can be made', async () => {
    const { wallet, child, file } = await backedUpFamily();
    const before = await wallet.present({ child, nonce: 'n-1', domain: 'checkpoint.example' });

    const restoredHome = await tempDir();
    const restored = await walletAt(restoredHome, 'a-different-secret-on-the-new-phone');
    expect(await restored.restore(file, PASSPHRASE)).toEqual({ path: file, dids: 2, credentials: 2 });
    // The restored keys are encrypted under the new wallet's secret, never written in the clear.
    const seeds = parseBackupContents(await openBackup(await readFile(file, 'utf8'), PASSPHRASE)).dids.map((d) => d.keys[0]!.privateKeyHex.slice(0, 64));
    const database = await readFile(join(restoredHome, 'wallet.sqlite'));
    for (const seed of seeds) {
      expect(database.toString('latin1').includes(seed)).toBe(false);
      expect(database.includes(Buffer.from(seed, 'hex'))).toBe(false);
    }
    expect((await restored.listDids()).map((d) => [d.did, d.label]).sort()).toEqual(
      (await wallet.listDids()).map((d) => [d.did, d.label]).sort(),
    );
    expect(await restored.listCredentials()).toEqual(await wallet.listCredentials());
    // Ed25519 signatures are deterministic: same key, same clock, same inputs -> the same bytes.
    const after = await restored.present({ child, nonce: 'n-1', domain: 'checkpoint.example' });
    expect(after.jwt).toBe(before.jwt);
  });

  it('a wrong passphrase is BACKUP_PASSPHRASE_WRONG and changes nothing', async () => {
    const { file, child } = await backedUpFamily();
    const home = await tempDir();
    const target = await walletAt(home);
    const err = await target.restore(file, 'wrong passphrase!').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BACKUP_PASSPHRASE_WRONG' });
    expect((err as Error).message).toMatch(/Nothing was restored/);
    expect(await target.listDids()).toEqual([]);
    expect(await target.listCredentials()).toEqual([]);
    // The wallet is still usable and the right passphrase still works.
    await target.restore(file, PASSPHRASE);
    expect((await target.present({ child, nonce: 'n', domain: 'd' })).child).toBe(child);
  });

  it('refuses to restore into a wallet that already holds something, all or nothing', async () => {
    const { file } = await backedUpFamily();
    const target = await walletAt(await tempDir());
    const { did } = await target.createDid({ label: 'existing' });
    await expect(target.restore(file, PASSPHRASE)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await target.listDids()).map((d) => d.did)).toEqual([did]);
  });

  it('the file is versioned, names its KDF and cipher, and holds no key or credential in the clear', async () => {
    const { file, birth } = await backedUpFamily();
    const text = await readFile(file, 'utf8');
    const header = JSON.parse(text) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'cradle-wallet-backup',
      version: 1,
      kdf: 'scrypt',
      kdfParams: { N: 131072, r: 8, p: 1 },
      cipher: 'aes-256-gcm',
    });
    expect(Object.keys(header).sort()).toEqual(['cipher', 'ciphertext', 'format', 'kdf', 'kdfParams', 'nonce', 'salt', 'version']);
    expect(text).not.toContain(birth.slice(0, 40));
    expect(text).not.toContain('did:key');
  });

  it('a modified header or ciphertext does not open; a file that is not a backup is BACKUP_INVALID', async () => {
    const { file } = await backedUpFamily();
    const target = await walletAt(await tempDir());
    const header = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const lowered = join(await tempDir(), 'lowered-cost.json');
    await writeFile(lowered, JSON.stringify({ ...header, kdfParams: { N: 2 ** 14, r: 8, p: 1 } }));
    await expect(target.restore(lowered, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE_WRONG' });
    const flipped = join(await tempDir(), 'flipped.json');
    const ct = header.ciphertext as string;
    await writeFile(flipped, JSON.stringify({ ...header, ciphertext: (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1) }));
    await expect(target.restore(flipped, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE_WRONG' });
    const future = join(await tempDir(), 'future.json');
    await writeFile(future, JSON.stringify({ ...header, version: 2 }));
    await expect(target.restore(future, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    const costly = join(await tempDir(), 'costly.json');
    await writeFile(costly, JSON.stringify({ ...header, kdfParams: { N: 2 ** 30, r: 8, p: 1 } }));
    await expect(target.restore(costly, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    const notBackup = join(await tempDir(), 'hello.txt');
    await writeFile(notBackup, 'hello');
    await expect(target.restore(notBackup, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await target.listDids()).toEqual([]);
  });

  it('restores in one transaction: a bad entry late in the file leaves the wallet as it was', async () => {
    const { file } = await backedUpFamily();
    const contents = parseBackupContents(await openBackup(await readFile(file, 'utf8'), PASSPHRASE));
    // Keys and DIDs are written first; the same credential twice makes the last insert fail.
    contents.credentials.push(contents.credentials[0]!);
    const broken = join(await tempDir(), 'broken.cradle-backup');
    await writeFile(broken, await sealBackup(new TextEncoder().encode(JSON.stringify(contents)), PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 }));
    const target = await walletAt(await tempDir());
    await expect(target.restore(broken, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await target.listDids()).toEqual([]);
    expect(await target.listCredentials()).toEqual([]);
  });

  it('refuses a backup holding an unreadable credential before writing anything', async () => {
    const { file } = await backedUpFamily();
    const contents = parseBackupContents(await openBackup(await readFile(file, 'utf8'), PASSPHRASE));
    contents.credentials.push({ id: 'urn:uuid:broken', jwt: 'not-a-credential', importedAt: NOW.toISOString() });
    const broken = join(await tempDir(), 'unreadable.cradle-backup');
    await writeFile(broken, await sealBackup(new TextEncoder().encode(JSON.stringify(contents)), PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 }));
    const target = await walletAt(await tempDir());
    await expect(target.restore(broken, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await target.listDids()).toEqual([]);
  });

  it('refuses a backed-up key that does not match its DID', async () => {
    const { file } = await backedUpFamily();
    const contents = parseBackupContents(await openBackup(await readFile(file, 'utf8'), PASSPHRASE));
    const [first, second] = contents.dids;
    first!.keys[0]!.privateKeyHex = second!.keys[0]!.privateKeyHex;
    const swapped = join(await tempDir(), 'swapped.cradle-backup');
    await writeFile(swapped, await sealBackup(new TextEncoder().encode(JSON.stringify(contents)), PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 }));
    const target = await walletAt(await tempDir());
    await expect(target.restore(swapped, PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await target.listDids()).toEqual([]);
  });

  it('refuses a short passphrase when writing a backup', async () => {
    const wallet = await walletAt(await tempDir());
    await expect(wallet.backup(join(await tempDir(), 'b'), 'short')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('restored credentials keep their import time', async () => {
    const { file } = await backedUpFamily();
    const target = await walletAt(await tempDir());
    await target.restore(file, PASSPHRASE);
    expect((await target.listCredentials()).every((c) => c.importedAt === NOW.toISOString())).toBe(true);
  });
});
