import { statusTypeMatches } from '@digitalbazaar/vc-bitstring-status-list';
import { createAgent } from '@veramo/core';
import type { ICredentialPlugin, IResolver } from '@veramo/core-types';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import { isCradleError } from '@cradle/core';
import type { Registrar } from '../src/index.js';
import { BASE_URL, CHILD, GUARDIAN, TestClock, chain, decodeJwt, initRegistrar, queryDatabase, sampleClaims, tempHome, verifyEd25519Jws } from './helpers.js';

let devChain: DevChain;
let registrar: Registrar;
let cleanup: () => void;
let home: string;
const clock = new TestClock();

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  home = t.home;
  registrar = await initRegistrar(devChain, home, { now: clock.now });
});

afterAll(async () => {
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

async function rowCounts(): Promise<{ credentials: number; allocations: number; lists: number }> {
  const [row] = await queryDatabase<{ credentials: number; allocations: number; lists: number }>(
    home,
    'SELECT (SELECT COUNT(*) FROM cradle_credential) AS credentials, (SELECT COUNT(*) FROM cradle_status_allocation) AS allocations, (SELECT COUNT(*) FROM cradle_status_list) AS lists',
  );
  return row!;
}

describe('init', () => {
  it('creates did:ethr:<chain>:<address> with the Ed25519 key as an assertion method, with an explicit validity', async () => {
    const id = registrar.identity()!;
    expect(id.did).toMatch(/^did:ethr:0x7a69:0x[0-9a-fA-F]{40}$/);
    expect(id.did.endsWith(id.address)).toBe(true);
    const { didDocument } = await registrar.agent.resolveDid({ didUrl: id.did });
    const vm = didDocument!.verificationMethod!.find((m) => m.id === id.verificationMethod)!;
    expect(vm.type).toBe('Ed25519VerificationKey2018');
    expect(didDocument!.assertionMethod).toContain(id.verificationMethod);
    const again = await registrar.init();
    expect(again.alreadyInitialised).toBe(true);
    expect(again.signingKeyValidUntil - Math.floor(clock.ms / 1000)).toBe(5 * 365 * 24 * 3600);
  });
});

describe('issueBirthRegistration (vc+jwt)', () => {
  it('signs a VCDM 2.0 credential with the header and claims of docs/formats.md', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const { header, payload } = decodeJwt(issued.jwt);
    const id = registrar.identity()!;
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: id.verificationMethod });
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1']);
    expect(payload.type).toEqual(['VerifiableCredential', 'BirthRegistrationCredential']);
    expect(payload.issuer).toBe(id.did);
    expect(payload.iss).toBe(id.did);
    expect(payload.sub).toBe(CHILD);
    expect(payload.jti).toBe(issued.id);
    expect(payload.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(payload.validFrom).toBe('2026-11-23T10:00:00Z');
    expect(payload.nbf).toBe(Date.parse('2026-11-23T10:00:00Z') / 1000);
    expect(payload.issuanceDate).toBeUndefined();
    expect(payload.credentialSubject).toEqual({ id: CHILD, ...sampleClaims() });
    const status = payload.credentialStatus as Record<string, string>[];
    expect(status.map((s) => s.statusPurpose)).toEqual(['revocation', 'suspension']);
    for (const s of status) {
      expect(s.type).toBe('BitstringStatusListEntry');
      expect(s.statusListCredential).toMatch(new RegExp(`^${BASE_URL}/status/[0-9a-f]{32}$`));
      expect(s.id).toBe(`${s.statusListCredential}#${s.statusListIndex}`);
      expect(Number(s.statusListIndex)).toBeLessThan(131072);
    }
  });

  it('the signature verifies with the key published in the DID document', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const { didDocument } = await registrar.agent.resolveDid({ didUrl: registrar.identity()!.did });
    const vm = didDocument!.verificationMethod!.find((m) => m.id === registrar.identity()!.verificationMethod)!;
    expect(verifyEd25519Jws(issued.jwt, vm.publicKeyHex!)).toBe(true);
    const tampered = issued.jwt.replace(/\.([A-Za-z0-9_-])/, (_m, c: string) => `.${c === 'e' ? 'f' : 'e'}`);
    expect(verifyEd25519Jws(tampered, vm.publicKeyHex!)).toBe(false);
  });

  it('format jwt-vc is the VCDM 1.1 JWT-VC that a stock Veramo agent verifies and reads as the credential we meant', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims(), format: 'jwt-vc' });
    const { header, payload } = decodeJwt(issued.jwt);
    const id = registrar.identity()!;
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: id.verificationMethod });
    expect(payload).toMatchObject({ iss: id.did, sub: CHILD, jti: issued.id, nbf: Date.parse('2026-11-23T10:00:00Z') / 1000 });
    expect(payload).not.toHaveProperty('iat'); // as Veramo's credential-jwt encodes it
    const vc = payload.vc as Record<string, unknown>;
    expect(vc.type).toEqual(['VerifiableCredential', 'BirthRegistrationCredential']);
    expect((await registrar.get(issued.id))?.format).toBe('jwt-vc');

    // Veramo's own JWT-VC verifier (did-jwt-vc), resolving the registrar's did:ethr on the dev chain.
    const veramo = createAgent<IResolver & ICredentialPlugin>({
      plugins: [
        new DIDResolverPlugin({ resolver: { resolve: (didUrl: string) => registrar.agent.resolveDid({ didUrl }) } }),
        new CredentialPlugin([new CredentialProviderJWT()]),
      ],
    });
    // Status is Cradle's to check (Veramo has no Bitstring Status List plugin here).
    const result = await veramo.verifyCredential({ credential: issued.jwt, policies: { credentialStatus: false } });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    const { proof: _proof, ...read } = result.verifiableCredential as unknown as Record<string, unknown>;
    expect(read).toMatchObject({
      id: issued.id,
      issuer: { id: id.did },
      issuanceDate: '2026-11-23T10:00:00.000Z',
      credentialSubject: { id: CHILD, ...sampleClaims() },
      type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    });
    // A signature by another key is refused by the same verifier.
    const forged = `${issued.jwt.slice(0, issued.jwt.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect((await veramo.verifyCredential({ credential: forged, policies: { credentialStatus: false } })).verified).toBe(false);
  });

  it('a VCDM 1.1 JWT-VC carries the Bitstring status context, so a third-party status processor recognises its entries', async () => {
    const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims(), format: 'jwt-vc' });
    const vc = decodeJwt(issued.jwt).payload.vc as Record<string, unknown>;
    expect(vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1', 'https://w3id.org/cradle/v1']);
    expect(statusTypeMatches({ credential: vc })).toBe(true);
    // The rule it checks: without the status context, Digital Bazaar's library ignores the entry.
    expect(statusTypeMatches({ credential: { ...vc, '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/cradle/v1'] } })).toBe(false);
  });

  it('invalid claims are refused with the field named, and nothing is written', async () => {
    const before = await rowCounts();
    const attempts: [string, () => Promise<unknown>][] = [
      ['subject', () => registrar.issueBirthRegistration({ subject: 'not-a-did', claims: sampleClaims() })],
      ['claims', () => registrar.issueBirthRegistration({ subject: CHILD, claims: 'nope' })],
      ['placeOfBirth.country', () => registrar.issueBirthRegistration({ subject: CHILD, claims: { ...sampleClaims(), placeOfBirth: { locality: 'Kisumu', country: 'XX' } } })],
      ['birthDate', () => registrar.issueBirthRegistration({ subject: CHILD, claims: { ...sampleClaims(), birthDate: '2027-01-01', registrationDate: '2027-01-02' } })],
      ['guardians', () => registrar.issueGuardianship({ subject: CHILD, guardians: [] })],
      ['guardians[0].id', () => registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: 'x', role: 'mother' }] })],
    ];
    for (const [field, run] of attempts) {
      const e = await run().catch((err: unknown) => err);
      expect(isCradleError(e, 'INVALID_CLAIMS'), String(e)).toBe(true);
      expect((e as { details: { field: string } }).details.field).toBe(field);
      expect((e as Error).message).toContain(field);
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('issueGuardianship', () => {
  it('links the child to its guardians', async () => {
    const issued = await registrar.issueGuardianship({ subject: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
    const { payload } = decodeJwt(issued.jwt);
    expect(payload.type).toEqual(['VerifiableCredential', 'GuardianshipCredential']);
    expect(payload.credentialSubject).toEqual({ id: CHILD, guardians: [{ id: GUARDIAN, role: 'mother' }] });
  });
  it("records each guardian's name and identity document when given, schema-checked before signing", async () => {
    const grace = { id: GUARDIAN, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } };
    const issued = await registrar.issueGuardianship({ subject: CHILD, guardians: [grace] });
    expect(decodeJwt(issued.jwt).payload.credentialSubject).toEqual({ id: CHILD, guardians: [grace] });
    const e = await registrar.issueGuardianship({ subject: CHILD, guardians: [{ ...grace, document: { ...grace.document, country: 'Kenya' } }] }).catch((err: unknown) => err);
    expect((e as { details: { field: string } }).details.field).toBe('guardians[0].document.country');
  });
});

describe('status allocation', () => {
  it('200 concurrent issuances never share an index', async () => {
    const issued = await Promise.all(Array.from({ length: 200 }, () => registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() })));
    for (const purpose of ['revocation', 'suspension'] as const) {
      const keys = issued.map((c) => c.status.find((s) => s.purpose === purpose)!).map((s) => `${s.listName}#${s.index}`);
      expect(new Set(keys).size).toBe(200);
    }
    expect(new Set(issued.map((c) => c.id)).size).toBe(200);
  });

  it('a full list is closed and a new random-named one starts; the caller never sees STATUS_LIST_FULL', async () => {
    const t = tempHome();
    const small = await initRegistrar(devChain, t.home, { now: clock.now, statusListCapacity: 3 });
    try {
      const issued = await Promise.all(Array.from({ length: 8 }, () => small.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() })));
      const byList = new Map<string, number>();
      for (const c of issued) byList.set(c.status[0]!.listName, (byList.get(c.status[0]!.listName) ?? 0) + 1);
      expect([...byList.values()].sort()).toEqual([2, 3, 3]);
      const lists = await queryDatabase<{ name: string; full: number; purpose: string }>(t.home, 'SELECT name, "full", purpose FROM cradle_status_list');
      expect(lists.filter((l) => l.purpose === 'revocation').map((l) => l.full).sort()).toEqual([0, 1, 1]);
      expect((await small.publish()).length).toBe(6);
    } finally {
      await small.close();
      t.cleanup();
    }
  });

  it('indices are spread at random over the list, not sequential', async () => {
    const issued = await Promise.all(Array.from({ length: 50 }, () => registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() })));
    const indices = issued.map((c) => c.status[0]!.index);
    expect(Math.max(...indices) - Math.min(...indices)).toBeGreaterThan(50_000);
  });
});

describe('revoke, suspend, unsuspend', () => {
  it('revocation is irreversible; suspension is reversible', async () => {
    const a = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    expect((await registrar.suspend(a.id)).suspendedAt).not.toBeNull();
    expect((await registrar.unsuspend(a.id)).suspendedAt).toBeNull();
    const revoked = await registrar.revoke(a.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await registrar.revoke(a.id)).revokedAt).toBe(revoked.revokedAt);
    await expect(registrar.unsuspend(a.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(registrar.suspend(a.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(registrar.revoke('urn:uuid:00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('list and get show what was issued, newest first', async () => {
    const page = await registrar.list({ limit: 5 });
    expect(page).toHaveLength(5);
    const one = await registrar.get(page[0]!.id);
    expect(one?.jwt).toBe(page[0]!.jwt);
    expect(await registrar.get('urn:uuid:nope')).toBeUndefined();
  });
});

describe('rotateSigningKey', () => {
  it('publishes a new key with an explicit validity; old and new credentials both verify', async () => {
    const before = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    const old = registrar.identity()!.verificationMethod;
    const rotated = await registrar.rotateSigningKey({ validitySeconds: 365 * 24 * 3600 });
    expect(rotated.previous).toBe(old);
    expect(rotated.verificationMethod).not.toBe(old);
    expect(registrar.identity()!.verificationMethod).toBe(rotated.verificationMethod);
    const after = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
    expect(decodeJwt(after.jwt).header.kid).toBe(rotated.verificationMethod);
    const { didDocument } = await registrar.agent.resolveDid({ didUrl: registrar.identity()!.did });
    const key = (id: string) => didDocument!.verificationMethod!.find((m) => m.id === id)!.publicKeyHex!;
    expect(didDocument!.assertionMethod).toEqual(expect.arrayContaining([old, rotated.verificationMethod]));
    expect(verifyEd25519Jws(before.jwt, key(old))).toBe(true);
    expect(verifyEd25519Jws(after.jwt, key(rotated.verificationMethod))).toBe(true);
    expect(verifyEd25519Jws(after.jwt, key(old))).toBe(false);
    await expect(registrar.rotateSigningKey({ validitySeconds: 5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
