import { afterEach, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import QRCode from 'qrcode';
import { base64UrlDecode, decodeJws, decodeQrPayload } from '@cradle/core';
import { createWallet, ed25519PublicKeyFromDidKey, parseCheckpointChallenge, qrSegments } from '../src/index.js';
import type { Wallet } from '../src/index.js';
import { NOW, SECRET, fixedNow, issue, tempDir } from './fixtures.js';

const open: Wallet[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

async function family(): Promise<{ wallet: Wallet; child: string; guardian: string; birth: string; guardianship: string }> {
  const wallet = await createWallet({ home: await tempDir(), secret: SECRET, now: fixedNow });
  open.push(wallet);
  const { did: guardian } = await wallet.createDid({ label: 'Mother' });
  const { did: child } = await wallet.createDid({ label: 'Amina' });
  const birth = await issue({ type: 'BirthRegistrationCredential', subject: child });
  const guardianship = await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: guardian, role: 'mother' }] });
  await wallet.importCredential(birth);
  await wallet.importCredential(guardianship);
  return { wallet, child, guardian, birth, guardianship };
}

const NONCE = 'n-8f3a1c2e9b7d';
const DOMAIN = 'checkpoint.busia-border.example';

describe('checkpoint presentation', () => {
  it('has exactly the vp+jwt shape of docs/formats.md', async () => {
    const { wallet, child, guardian, birth, guardianship } = await family();
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN });
    const { header, payload } = decodeJws(p.jwt, { expectedTyp: 'vp+jwt' });
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vp+jwt', kid: `${guardian}#${guardian.slice('did:key:'.length)}` });
    const iat = Math.floor(NOW.getTime() / 1000);
    expect(payload).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: guardian,
      verifiableCredential: [
        { '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${birth}` },
        { '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${guardianship}` },
      ],
      iss: guardian,
      aud: DOMAIN,
      nonce: NONCE,
      iat,
      exp: iat + 300,
    });
    // Same member order as the format page.
    expect(Object.keys(payload as object)).toEqual(['@context', 'type', 'holder', 'verifiableCredential', 'iss', 'aud', 'nonce', 'iat', 'exp']);
    expect(p).toMatchObject({ child, guardian, expiresAt: new Date((iat + 300) * 1000).toISOString() });
  });

  it("is signed by the guardian's did:key (EdDSA), and a changed byte fails verification", async () => {
    const { wallet, child, guardian } = await family();
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN });
    const { signingInput, signature } = decodeJws(p.jwt, { expectedTyp: 'vp+jwt' });
    const publicKey = ed25519PublicKeyFromDidKey(guardian);
    expect(ed25519.verify(signature, signingInput, publicKey)).toBe(true);
    const tampered = Uint8Array.from(signingInput);
    tampered[0] = tampered[0]! ^ 1;
    expect(ed25519.verify(signature, tampered, publicKey)).toBe(false);
    // and not by the child's key
    expect(ed25519.verify(signature, signingInput, ed25519PublicKeyFromDidKey(child))).toBe(false);
  });

  it('travels as a CRADLE5: QR payload that decodes to the same JWS, its digits in QR numeric mode', async () => {
    const { wallet, child } = await family();
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN, png: true });
    expect(p.qr.startsWith('CRADLE5:')).toBe(true);
    expect(decodeQrPayload(p.qr)).toBe(p.jwt);
    const code = QRCode.create(qrSegments(p.qr), { errorCorrectionLevel: 'M' });
    expect(code.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric', 'Numeric']);
    // In byte mode the same payload needs a bigger symbol, or does not fit in a QR code at all.
    let byteVersion = Number.POSITIVE_INFINITY;
    try {
      byteVersion = QRCode.create([{ data: new TextEncoder().encode(p.qr), mode: 'byte' }], { errorCorrectionLevel: 'M' }).version;
    } catch (e) {
      expect((e as Error).message).toMatch(/too big/);
    }
    expect(code.version).toBeLessThan(byteVersion);
    expect(Buffer.from(p.png!.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
  });

  it('binds the given ttl, and refuses bad nonce, domain or ttl', async () => {
    const { wallet, child } = await family();
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN, ttlSeconds: 60 });
    const { payload } = decodeJws(p.jwt, { expectedTyp: 'vp+jwt' });
    const { iat, exp } = payload as { iat: number; exp: number };
    expect(exp - iat).toBe(60);
    for (const bad of [
      { nonce: '', domain: DOMAIN },
      { nonce: '   ', domain: DOMAIN },
      { nonce: NONCE, domain: '' },
      { nonce: 'x'.repeat(257), domain: DOMAIN },
      { nonce: NONCE, domain: 'd'.repeat(257) },
      { nonce: 'a\nb', domain: DOMAIN },
      { nonce: NONCE, domain: DOMAIN, ttlSeconds: 0 },
      { nonce: NONCE, domain: DOMAIN, ttlSeconds: 86_400 },
      { nonce: NONCE, domain: DOMAIN, ttlSeconds: 1.5 },
    ]) {
      await expect(wallet.present({ child, ...bad }), JSON.stringify(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('accepts the child by label', async () => {
    const { wallet, child } = await family();
    expect((await wallet.present({ child: 'Amina', nonce: NONCE, domain: DOMAIN })).child).toBe(child);
  });

  it('needs a guardianship credential listing a guardian held here', async () => {
    const wallet = await createWallet({ home: await tempDir(), secret: SECRET, now: fixedNow });
    open.push(wallet);
    const { did: child } = await wallet.createDid();
    const { did: guardian } = await wallet.createDid();
    const other = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    await wallet.importCredential(await issue({ type: 'BirthRegistrationCredential', subject: child }));
    await expect(wallet.present({ child, nonce: NONCE, domain: DOMAIN })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: other, role: 'father' }] }));
    const err = await wallet.present({ child, nonce: NONCE, domain: DOMAIN }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    expect((err as Error).message).toMatch(/guardianship/);
    await expect(wallet.present({ child, nonce: NONCE, domain: DOMAIN, guardian: other })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await wallet.importCredential(await issue({ type: 'GuardianshipCredential', subject: child, guardians: [{ id: guardian, role: 'aunt' }] }));
    expect((await wallet.present({ child, nonce: NONCE, domain: DOMAIN, guardian })).guardian).toBe(guardian);
  });

  it('needs a birth-registration credential that has not expired, and takes the newest', async () => {
    const { wallet, child } = await family();
    const expired = await issue({
      type: 'BirthRegistrationCredential',
      subject: child,
      validFrom: new Date('2026-11-10T00:00:00Z'),
      validUntil: new Date('2026-11-20T00:00:00Z'),
    });
    const newer = await issue({ type: 'BirthRegistrationCredential', subject: child, validFrom: new Date('2026-11-05T00:00:00Z') });
    await wallet.importCredential(expired);
    await wallet.importCredential(newer);
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN });
    const { payload } = decodeJws(p.jwt, { expectedTyp: 'vp+jwt' });
    expect((payload as { verifiableCredential: { id: string }[] }).verifiableCredential[0]?.id).toBe(`data:application/vc+jwt,${newer}`);
  });

  it('prefers a vc+jwt credential; a JWT-VC travels as data:application/jwt,', async () => {
    const { wallet, child, birth } = await family();
    const legacy = await issue({ type: 'BirthRegistrationCredential', subject: child, format: 'jwt-vc', validFrom: new Date('2026-11-20T00:00:00Z') });
    await wallet.importCredential(legacy);
    const ids = async (): Promise<string[]> => {
      const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN });
      return (decodeJws(p.jwt, { expectedTyp: 'vp+jwt' }).payload as { verifiableCredential: { id: string }[] }).verifiableCredential.map((v) => v.id);
    };
    expect((await ids())[0]).toBe(`data:application/vc+jwt,${birth}`);
    const stored = await wallet.listCredentials({ subject: child });
    await wallet.deleteCredential(stored.find((c) => c.jwt === birth)!.id);
    expect((await ids())[0]).toBe(`data:application/jwt,${legacy}`);
  });

  it('refuses a child it holds no credential for', async () => {
    const { wallet } = await family();
    const { did: stranger } = await wallet.createDid();
    await expect(wallet.present({ child: stranger, nonce: NONCE, domain: DOMAIN })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the signature bytes are the EdDSA signature over the signing input (base64url in the JWS)', async () => {
    const { wallet, child } = await family();
    const p = await wallet.present({ child, nonce: NONCE, domain: DOMAIN });
    const parts = p.jwt.split('.');
    expect(parts).toHaveLength(3);
    expect(base64UrlDecode(parts[2]!)).toHaveLength(64);
  });
});

describe("the checkpoint's challenge QR", () => {
  it('reads {"nonce","domain"} as the checkpoint app shows it, and the presentation answers it', async () => {
    const { wallet, child } = await family();
    const challenge = parseCheckpointChallenge(JSON.stringify({ nonce: NONCE, domain: DOMAIN }));
    expect(challenge).toEqual({ nonce: NONCE, domain: DOMAIN });
    const p = await wallet.present({ child, ...challenge });
    expect(decodeJws(p.jwt, { expectedTyp: 'vp+jwt' }).payload).toMatchObject({ nonce: NONCE, aud: DOMAIN });
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'hello',
      '[]',
      '{"nonce":"a"}',
      '{"nonce":1,"domain":"d"}',
      '{"nonce":"a","domain":""}',
      '{"nonce":"a","nonce":"b","domain":"d"}',
      JSON.stringify({ nonce: 'n'.repeat(300), domain: 'd' }),
      JSON.stringify({ nonce: 'n', domain: 'd', pad: 'x'.repeat(3000) }),
    ]) {
      expect(() => parseCheckpointChallenge(bad), bad.slice(0, 40)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
