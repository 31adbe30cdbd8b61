// Rule (#12): a registrar credential without a revocation entry could never be revoked, so a checkpoint
// refuses it by default (STATUS_MISSING, outcome invalid). Relaxing it is an explicit policy: the library
// option `requireRevocationEntry: false` or the checkpoint config (`checkpoint init
// --allow-missing-revocation-entry`). The attack tokens are signed with `jose`, not our own encoder.
import { base64UrlEncode } from '@cradle/core';
import { SignJWT, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { VerificationResult } from '../src/result.js';
import { verifyCredential } from '../src/verify-credential.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { DAY, NOW, NOW_S, birthClaims, issueGuardianship, present, world } from './helpers/fixtures.js';
import type { Registrar, World } from './helpers/fixtures.js';

const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);

/** A birth credential signed by the registrar's real key through `jose`, with `credentialStatus` as given. */
async function joseBirth(w: World, credentialStatus: unknown): Promise<string> {
  const r: Registrar = w.registrar;
  const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(r.publicKey), d: base64UrlEncode(r.secretKey) }, 'EdDSA');
  const vc: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:6f1c2a90-7d3b-4c55-8e0a-2b9d4c1e7f00',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: r.did,
    validFrom: new Date((NOW_S - 30 * DAY) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: w.child.did, ...birthClaims() },
    ...(credentialStatus === undefined ? {} : { credentialStatus }),
  };
  return new SignJWT({ ...vc, iss: r.did, sub: w.child.did, iat: NOW_S - 30 * DAY, nbf: NOW_S - 30 * DAY })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: r.kid })
    .sign(key);
}

const entry = (w: World, purpose: string, index = 7): Record<string, unknown> => ({
  id: `${purpose === 'suspension' ? w.suspension.url : w.revocation.url}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: purpose,
  statusListIndex: String(index),
  statusListCredential: purpose === 'suspension' ? w.suspension.url : w.revocation.url,
});

describe('a registrar credential must carry a revocation entry (STATUS_MISSING by default)', () => {
  it('a credential with no credentialStatus at all is invalid (STATUS_MISSING)', async () => {
    const w = await world();
    const r = await verifyCredential(await joseBirth(w, undefined), { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['STATUS_MISSING']);
    expect(r.outcome).toBe('invalid');
    expect(r.errors[0]!.message).toMatch(/no revocation entry.*could never revoke it/);
  });

  it('an empty credentialStatus array is invalid (STATUS_MISSING)', async () => {
    const w = await world();
    expect(codes(await verifyCredential(await joseBirth(w, []), { store: w.store, now: NOW }))).toEqual(['STATUS_MISSING']);
  });

  it('only a "message" entry is not a revocation entry (STATUS_MISSING)', async () => {
    const w = await world();
    const token = await joseBirth(w, [{ ...entry(w, 'revocation'), statusPurpose: 'message' }]);
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['STATUS_MISSING']);
  });

  it('only a suspension entry is not a revocation entry (STATUS_MISSING)', async () => {
    const w = await world();
    const token = await joseBirth(w, [entry(w, 'suspension')]);
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['STATUS_MISSING']);
  });

  it('a single revocation entry (not in an array) satisfies the rule', async () => {
    const w = await world();
    const r = await verifyCredential(await joseBirth(w, entry(w, 'revocation')), { store: w.store, now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('valid');
  });

  it('a guardianship without a revocation entry does not vouch for the presenter', async () => {
    const w = await world();
    const guardianship = issueGuardianship({ issuer: w.registrar, subject: w.child.did, guardians: [w.guardian.did] });
    const vp = present({ holder: w.guardian, credentials: [w.credential, guardianship] });
    const r = await verifyPresentation(vp, { store: w.store, now: NOW, nonce: 'n-0123456789', domain: 'border-post-7.example' });
    expect(r.errors.map((e) => [e.code, e.where])).toEqual([['STATUS_MISSING', 'credential[1]']]);
    expect(r.outcome).toBe('invalid');
  });
});

describe('relaxing the rule is an explicit policy', () => {
  it('the library option requireRevocationEntry: false accepts a credential without one', async () => {
    const w = await world();
    const r = await verifyCredential(await joseBirth(w, undefined), { store: w.store, now: NOW, requireRevocationEntry: false });
    expect(r.outcome).toBe('valid');
  });

  it("the checkpoint's config (requireRevocationEntry: false) relaxes it; the option overrides the config", async () => {
    const w = await world({ config: { requireRevocationEntry: false } });
    const token = await joseBirth(w, []);
    expect((await verifyCredential(token, { store: w.store, now: NOW })).outcome).toBe('valid');
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW, requireRevocationEntry: true }))).toEqual(['STATUS_MISSING']);
  });

  it('relaxing never hides a revocation: a revoked credential stays REVOKED', async () => {
    const w = await world({ revoked: [7], config: { requireRevocationEntry: false } });
    const token = await joseBirth(w, [entry(w, 'revocation', 7)]);
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['REVOKED']);
  });

  it('a policy value that is not a boolean is a caller error (thrown), not a silent default', async () => {
    const w = await world();
    await expect(verifyCredential(w.credential, { store: w.store, now: NOW, requireRevocationEntry: 'no' as never })).rejects.toThrow(/requireRevocationEntry/);
  });
});
