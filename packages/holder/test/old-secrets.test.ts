// A wallet's key-encryption record and a backup written before the shared scrypt helper (@cradle/core/node;
// they were derived with @noble/hashes' scrypt) still open with the same secret, and still refuse a wrong one.
import { describe, expect, it } from 'vitest';
import { openBackup } from '../src/backup-file.js';
import { openKeyEncryption } from '../src/key-encryption.js';

const OLD_SECRET = 'old-wallet-secret-0123456789abcdef';
const OLD_RECORD = {"kdf": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": "KU07VLjbR7dD2HiXOWf_BQ", "canary": "cf9c5d2753abb0a479c84e03564de37ef1925cf42b3abf65e801a6becbb1a94ec247dd477ba3f07cc93250794d790f018db124fd8e2f826734da07907e016182dda2cc8d10b86be848279f8a3afd"} as const;
const OLD_BACKUP_PASSPHRASE = 'old backup passphrase';
const OLD_BACKUP = "{\n  \"format\": \"cradle-wallet-backup\",\n  \"version\": 1,\n  \"kdf\": \"scrypt\",\n  \"kdfParams\": {\n    \"N\": 1024,\n    \"r\": 8,\n    \"p\": 1\n  },\n  \"salt\": \"ER32jBGk_NkHEcCThB__uQ\",\n  \"cipher\": \"aes-256-gcm\",\n  \"nonce\": \"3NVmBb62VfydA9To\",\n  \"ciphertext\": \"KnpLjIBp06CFTFGhQdSBFElhdC7ReuLV5_SfngBz3Yoiya6eerC0teSr_8Gb3J27qG7ZBK3Nf8aLxHkBKaXRFw\"\n}\n";

describe('wallet files written before @cradle/core/node still open', () => {
  it('the key-encryption record opens with its secret (the canary decrypts), and a wrong secret is SECRET_WRONG', async () => {
    const box = await openKeyEncryption(OLD_SECRET, { ...OLD_RECORD, params: { ...OLD_RECORD.params } });
    expect(typeof (await box.encrypt('x'))).toBe('string');
    await expect(openKeyEncryption('another-secret-0123456789abcdef', { ...OLD_RECORD, params: { ...OLD_RECORD.params } })).rejects.toMatchObject({ code: 'SECRET_WRONG' });
  });

  it('a backup opens with its passphrase', async () => {
    expect(new TextDecoder().decode(await openBackup(OLD_BACKUP, OLD_BACKUP_PASSPHRASE))).toBe('a wallet backup written before @cradle/core/node');
  });
});
