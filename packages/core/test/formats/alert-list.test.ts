import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode } from '../../src/base64url.js';
import {
  ALERT_INSTRUCTION,
  ALERT_LIST_PADDING_BLOCK,
  ALERT_STATUS_MESSAGES,
  alertKindOf,
  alertNotice,
  alertValue,
  generateAlertKeyPair,
  isSealedAlertList,
  openAlertList,
  readAlertKey,
  sealAlertList,
} from '../../src/formats/alert-list.js';

// A stand-in signed list: the format carries any compact JWS; its signature is checked by the verifier.
const SIGNED = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6Imh0dHBzOi8vcmVnLmV4YW1wbGUvYWxlcnRzL2FiYyJ9.c2lnbmF0dXJl';

/**
 * Decrypt one recipient of a General JSON JWE with OpenSSL (node:crypto) only: ECDH on P-256, the
 * RFC 7518 §4.6 Concat KDF, AES key unwrap (RFC 3394), AES-256-GCM with the protected header as AAD.
 * Nothing of jose is used, so this proves the ciphertext is standard JWE, not just what jose reads back.
 */
function opensslDecrypt(sealed: string, privateJwk: Record<string, unknown>): string {
  const jwe = JSON.parse(sealed) as { protected: string; recipients: { header: { kid: string; epk?: Record<string, unknown>; alg: string }; encrypted_key: string }[]; iv: string; ciphertext: string; tag: string };
  const r = jwe.recipients.find((x) => x.header.kid === privateJwk.kid)!;
  // With one recipient jose puts the ephemeral key in the protected header, with several in each recipient's.
  const epk = r.header.epk ?? (JSON.parse(Buffer.from(base64UrlDecode(jwe.protected)).toString()) as { epk: Record<string, unknown> }).epk;
  const z = diffieHellman({ privateKey: createPrivateKey({ key: privateJwk as never, format: 'jwk' }), publicKey: createPublicKey({ key: epk as never, format: 'jwk' }) });
  const alg = Buffer.from(r.header.alg);
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const otherInfo = Buffer.concat([u32(alg.length), alg, u32(0), u32(0), u32(256)]);
  const kek = createHash('sha256').update(Buffer.concat([u32(1), z, otherInfo])).digest();
  const unwrap = createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const cek = Buffer.concat([unwrap.update(base64UrlDecode(r.encrypted_key)), unwrap.final()]);
  const gcm = createDecipheriv('aes-256-gcm', cek, base64UrlDecode(jwe.iv));
  gcm.setAAD(Buffer.from(jwe.protected, 'ascii'));
  gcm.setAuthTag(base64UrlDecode(jwe.tag));
  const plain = Buffer.concat([gcm.update(base64UrlDecode(jwe.ciphertext)), gcm.final()]).toString('utf8');
  return (JSON.parse(plain) as { list: string }).list;
}

describe('alert list: encrypted to checkpoint keys, read by one module', () => {
  it('a checkpoint holding a recipient key reads the signed list back', async () => {
    const a = await generateAlertKeyPair();
    const b = await generateAlertKeyPair();
    const sealed = await sealAlertList(SIGNED, [a.publicJwk, b.publicJwk]);
    expect(isSealedAlertList(sealed)).toBe(true);
    expect(await openAlertList(sealed, a.privateJwk)).toEqual({ list: SIGNED });
    expect(await openAlertList(sealed, b.privateJwk)).toEqual({ list: SIGNED });
  });

  it('is standard JWE: OpenSSL alone (no jose) decrypts it', async () => {
    const k = await generateAlertKeyPair();
    const other = await generateAlertKeyPair();
    const sealed = await sealAlertList(SIGNED, [k.publicJwk]);
    expect(opensslDecrypt(sealed, k.privateJwk as Record<string, unknown>)).toBe(SIGNED);
    expect(opensslDecrypt(await sealAlertList(SIGNED, [other.publicJwk, k.publicJwk]), k.privateJwk as Record<string, unknown>)).toBe(SIGNED);
    const header = JSON.parse(Buffer.from(base64UrlDecode((JSON.parse(sealed) as { protected: string }).protected)).toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ enc: 'A256GCM', typ: 'cradle-alert-list+jwe', cty: 'vc+jwt' });
  });

  it('a key the list was not encrypted to cannot read it', async () => {
    const k = await generateAlertKeyPair();
    const other = await generateAlertKeyPair();
    const r = await openAlertList(await sealAlertList(SIGNED, [k.publicJwk]), other.privateJwk);
    expect(r).toMatchObject({ problem: { code: 'ALERT_KEY_MISMATCH' } });
  });

  it('every seal is fresh: same list, unrelated ciphertext (fresh ephemeral key, content key and IV)', async () => {
    const k = await generateAlertKeyPair();
    const one = JSON.parse(await sealAlertList(SIGNED, [k.publicJwk])) as Record<string, unknown>;
    const two = JSON.parse(await sealAlertList(SIGNED, [k.publicJwk])) as Record<string, unknown>;
    expect(one.ciphertext).not.toBe(two.ciphertext);
    expect(one.iv).not.toBe(two.iv);
    expect(JSON.stringify(one.recipients)).not.toBe(JSON.stringify(two.recipients));
  });

  it('the ciphertext length does not tell how many alerts are set (padded plaintext)', async () => {
    const k = await generateAlertKeyPair();
    // A list with alerts compresses less: a longer signed list, same padded size.
    const few = await sealAlertList(SIGNED, [k.publicJwk]);
    const many = await sealAlertList(SIGNED + 'A'.repeat(3000), [k.publicJwk]);
    expect(few.length).toBe(many.length);
    const ct = (s: string) => base64UrlDecode((JSON.parse(s) as { ciphertext: string }).ciphertext).length;
    expect(ct(few) % ALERT_LIST_PADDING_BLOCK).toBe(0);
  });

  it('an altered ciphertext is refused, never thrown', async () => {
    const k = await generateAlertKeyPair();
    const jwe = JSON.parse(await sealAlertList(SIGNED, [k.publicJwk])) as Record<string, string>;
    const flipped = jwe.ciphertext!.startsWith('A') ? 'B' + jwe.ciphertext!.slice(1) : 'A' + jwe.ciphertext!.slice(1);
    expect(await openAlertList(JSON.stringify({ ...jwe, ciphertext: flipped }), k.privateJwk)).toMatchObject({ problem: { code: 'ALERT_KEY_MISMATCH' } });
  });

  it('hostile input never throws and gets a stable code', async () => {
    const k = await generateAlertKeyPair();
    const sealed = JSON.parse(await sealAlertList(SIGNED, [k.publicJwk])) as Record<string, unknown>;
    const wrongTyp = Buffer.from(JSON.stringify({ enc: 'A256GCM', typ: 'JWT' })).toString('base64url');
    for (const input of ['', 'x', '{}', '[]', 'null', '{"protected":"!!","recipients":[{}]}', JSON.stringify({ ...sealed, protected: wrongTyp }), JSON.stringify({ ...sealed, recipients: [] }), SIGNED]) {
      const r = await openAlertList(input, k.privateJwk);
      expect(r).toMatchObject({ problem: { code: 'MALFORMED' } });
    }
    expect(await openAlertList('{' + ' '.repeat(5 * 1024 * 1024) + '}', k.privateJwk)).toMatchObject({ problem: { code: 'TOO_LARGE' } });
    expect(await openAlertList(JSON.stringify(sealed), { kty: 'EC' })).toMatchObject({ problem: { code: 'ALERT_KEY_MISMATCH' } });
  });

  it('a registrar is given public keys only; a checkpoint needs the private key', async () => {
    const k = await generateAlertKeyPair();
    await expect(readAlertKey(k.privateJwk, 'public')).rejects.toThrow(/PUBLIC key only/);
    await expect(readAlertKey(k.publicJwk, 'private')).rejects.toThrow(/no private part/);
    await expect(readAlertKey({ kty: 'OKP', crv: 'X25519', x: 'a' }, 'public')).rejects.toThrow(/EC P-256/);
    await expect(readAlertKey({ ...k.publicJwk, x: k.publicJwk.y, y: k.publicJwk.x }, 'public')).rejects.toThrow(/not a valid P-256 key/);
    expect((await readAlertKey(k.publicJwk, 'public')).kid).toBe(k.kid);
    await expect(sealAlertList(SIGNED, [])).rejects.toThrow(/at least one checkpoint alert key/);
  });

  it('alert kinds map to status values 1..3, each with its code and the officer instruction', () => {
    expect(ALERT_STATUS_MESSAGES).toEqual([
      { status: '0x0', message: 'none' },
      { status: '0x1', message: 'missing' },
      { status: '0x2', message: 'protection-order' },
      { status: '0x3', message: 'verify-with-authority' },
    ]);
    expect(alertValue('protection-order')).toBe(2);
    expect(alertKindOf(0)).toBeUndefined();
    expect(alertKindOf(3)).toBe('verify-with-authority');
    expect(alertNotice('missing')).toEqual({ code: 'ALERT_MISSING_CHILD', message: `This child is reported missing. ${ALERT_INSTRUCTION}` });
    expect(ALERT_INSTRUCTION).toBe('Do not let the child leave. Call the child-protection desk.');
  });
});
