// The registrar's certificate operations on the real local chain (Hardhat EDR) and a real SQLite file:
// printing reuses the stored credential, refuses revoked or suspended ones, and corrections replace.
import type { FastifyInstance } from 'fastify';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerServer } from '../src/index.js';
import type { Registrar } from '../src/index.js';
import { CHILD, GUARDIAN, TestClock, chain, initRegistrar, sampleClaims, tempHome } from './helpers.js';

const TOKEN = 'certificate-test-token-0123456789';
let devChain: DevChain;
let registrar: Registrar;
let app: FastifyInstance;
let cleanup: () => void;
const clock = new TestClock();

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  registrar = await initRegistrar(devChain, t.home, { now: clock.now });
  app = await createIssuerServer(registrar, { token: TOKEN });
});

afterAll(async () => {
  await app?.close();
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

/** The `CRADLE2:` payload drawn in the PDF is not extractable as text; the count of credentials is. */
async function credentialCount(): Promise<number> {
  return (await registrar.list({ limit: 10_000 })).length;
}

describe('registrar.certificate', () => {
  it('printing again issues nothing new and gives the same bytes', async () => {
    const birth = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
    const before = await credentialCount();
    const first = await registrar.certificate(birth.id);
    const second = await registrar.certificate(birth.id);
    expect(await credentialCount()).toBe(before);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(Buffer.from(first.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('an unknown id is NOT_FOUND; a guardianship credential is not a certificate (INVALID_ARGUMENT)', async () => {
    await expect(registrar.certificate('urn:uuid:00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const g = await registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
    await expect(registrar.certificate(g.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('birth registration') });
  });

  it('a suspended credential is refused with the reason and how to lift it', async () => {
    const birth = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await registrar.suspend(birth.id);
    await expect(registrar.certificate(birth.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/suspended.*not printed/) });
    await registrar.unsuspend(birth.id);
    await expect(registrar.certificate(birth.id)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('a correction issues a new credential to the same child, revokes the old one, and the old one is refused naming the child\'s current ones', async () => {
    const old = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const { revoked, issued } = await registrar.correct(old.id, { ...sampleClaims(), givenName: 'Amina Wanjiku' });
    expect(revoked).toMatchObject({ id: old.id, revokedAt: expect.any(String) });
    expect((await registrar.get(issued.id))?.subject).toBe(CHILD);
    const refusal = registrar.certificate(old.id);
    await expect(refusal).rejects.toMatchObject({ code: 'CONFLICT', details: { current: expect.arrayContaining([issued.id]) } });
    await expect(refusal).rejects.toThrow(/revoked.*not printed/);
    await expect(registrar.certificate(issued.id)).resolves.toBeInstanceOf(Uint8Array);
    await expect(registrar.correct(old.id, sampleClaims())).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('corrected claims are validated before anything changes', async () => {
    const old = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    await expect(registrar.correct(old.id, { ...sampleClaims(), birthDate: '2031-01-01' })).rejects.toMatchObject({ code: 'INVALID_CLAIMS' });
    expect((await registrar.get(old.id))?.revokedAt).toBeNull();
  });
});

describe('GET /credentials/:id/certificate', () => {
  it('needs the bearer token, serves application/pdf, and maps refusals to 404/409/400', async () => {
    const birth = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const url = `/credentials/${encodeURIComponent(birth.id)}/certificate`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'GET', url: `${url}?lang=fr&paper=a5`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    expect(ok.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await app.inject({ method: 'GET', url: `${url}?lang=xx`, headers: auth })).json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await app.inject({ method: 'GET', url: `${url}?paper=letter`, headers: auth })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/credentials/urn%3Auuid%3Anope/certificate', headers: auth })).statusCode).toBe(404);
    await registrar.revoke(birth.id);
    const refused = await app.inject({ method: 'GET', url, headers: auth });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('revoked') });
  });
});
