import { base64UrlDecode, base64UrlEncode, encodeQrPayload, utf8Decode, utf8Encode } from '@cradle/core';
import { p256 } from '@noble/curves/p256';
import { secp256k1 } from '@noble/curves/secp256k1';
import { hmac } from '@noble/hashes/hmac';
import { keccak_256 } from '@noble/hashes/sha3';
import { sha256 } from '@noble/hashes/sha256';
import { describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { nobleSignatureVerifier } from '../src/signature-verifier.js';
import type { VerificationResult } from '../src/result.js';
import { verifyCredential } from '../src/verify-credential.js';
import { DAY, NOW, NOW_S, cached, issue, listUrl, makeDidKey, makeRegistrar, signList, signRaw, world } from './helpers/fixtures.js';

const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);

/** Re-encode a token's payload without re-signing (a tampering attacker). */
function tamper(token: string, change: (p: Record<string, unknown>) => void): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = JSON.parse(utf8Decode(base64UrlDecode(p))) as Record<string, unknown>;
  change(payload);
  return `${h}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}.${s}`;
}

function header(token: string): Record<string, unknown> {
  return JSON.parse(utf8Decode(base64UrlDecode(token.split('.')[0]!))) as Record<string, unknown>;
}
function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(utf8Decode(base64UrlDecode(token.split('.')[1]!))) as Record<string, unknown>;
}

describe('verifyCredential: nothing is remembered per token (every check runs on every call)', () => {
  it('the same token is judged by the store as it is now: valid, then REVOKED after a sync, with the new sync time', async () => {
    const w = await world();
    const first = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(first.outcome).toBe('valid');
    expect(first.statusAge).toEqual({ seconds: 3600, asOf: new Date((NOW_S - 3600) * 1000).toISOString() });
    const revoked = await signList({ registrar: w.registrar, url: w.revocation.url, purpose: 'revocation', version: 4, set: [w.revIndex] });
    // A sync a minute ago: both lists and the registrar's keys (the answer's age is the oldest of them).
    await w.store.write({
      statusLists: [cached(revoked, w.registrar.did, NOW_S - 60), cached(w.suspension, w.registrar.did, NOW_S - 60)],
      anchors: [revoked.anchor],
      didDocuments: [{ did: w.registrar.did, document: w.registrar.document, fetchedAt: NOW_S - 60, blockNumber: 130 }],
    });
    const second = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(second)).toEqual(['REVOKED']);
    expect(second.statusAge).toEqual({ seconds: 60, asOf: new Date((NOW_S - 60) * 1000).toISOString() });
  });

  it('a valid token, then a signed one whose claims break the schema, alternately: each gets its own answer', async () => {
    const w = await world();
    const bad = issue({
      issuer: w.registrar,
      subject: w.child.did,
      status: w.status,
      mutate: (p) => void ((p.credentialSubject as Record<string, unknown>).placeOfBirth = { locality: 'Kisumu', country: 'XX' }),
    });
    const answers = [];
    for (const token of [w.credential, bad, w.credential, bad]) answers.push(codes(await verifyCredential(token, { store: w.store, now: NOW })));
    expect(answers).toEqual([[], ['SCHEMA_INVALID'], [], ['SCHEMA_INVALID']]);
  });

  it('dates are judged on every call: the same token is valid, EXPIRED after its validUntil, then valid again at the earlier time', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, validUntil: NOW_S + DAY });
    const at = async (ms: number): Promise<string[]> => codes(await verifyCredential(token, { store: w.store, now: ms, maxStatusAge: 1000 * DAY }));
    expect(await at(NOW)).toEqual([]);
    expect(await at(NOW + 2 * DAY * 1000)).toEqual(['EXPIRED']);
    expect(await at(NOW)).toEqual([]);
  });
});

describe('verifyCredential: the happy path', () => {
  it('a genuine, current credential from a trusted registrar is valid, with the facts an officer needs', async () => {
    const w = await world();
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', verified: true, kind: 'credential', bearer: true });
    expect(r.facts).toEqual({
      child: { givenName: 'Amina Wanjiru', familyName: 'Example-Otieno', birthDate: '2025-03-14', ageYears: 1, sex: 'female' },
      childDid: w.child.did,
      registrationNumber: 'KSM-2025-004217',
      registeringOffice: 'Kisumu Civil Registration Office (fictional)',
      registrar: { did: w.registrar.did, trusted: true },
    });
    expect(r.statusAge).toEqual({ seconds: 3600, asOf: new Date((NOW_S - 3600) * 1000).toISOString() });
    // The order members are printed in (JSON output of the CLI and the verifier service).
    expect(Object.keys(r)).toEqual(['outcome', 'verified', 'kind', 'bearer', 'errors', 'facts', 'statusAge']);
    expect(Object.keys(r.facts!)).toEqual(['child', 'childDid', 'registrationNumber', 'registeringOffice', 'registrar']);
    expect(Object.keys(r.facts!.child!)).toEqual(['givenName', 'familyName', 'birthDate', 'ageYears', 'sex']);
  });

  it('the pure-JS signature backend gives the same answer', async () => {
    const w = await world();
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW, signatureVerifier: nobleSignatureVerifier });
    expect(r.outcome).toBe('valid');
  });

  it('the QR payload of a credential verifies like the token itself', async () => {
    const w = await world();
    const r = await verifyCredential(encodeQrPayload(w.credential), { store: w.store, now: NOW });
    expect(r.outcome).toBe('valid');
  });

  it('a did:ethr written with an EIP-55 checksummed address is the same registrar (addresses are case-insensitive)', async () => {
    const w = await world();
    const upper = { ...w.registrar, did: w.registrar.did.replace(/0x([0-9a-f]{40})$/, (_, a: string) => `0x${a.toUpperCase()}`) };
    const token = issue({ issuer: { ...upper, kid: `${upper.did}#delegate-1` }, subject: w.child.did, status: { revocation: { url: w.revocation.url, index: 5 } } });
    expect((await verifyCredential(token, { store: w.store, now: NOW })).errors).toEqual([]);
  });

  it('surrounding whitespace (a pasted token) is ignored', async () => {
    const w = await world();
    expect((await verifyCredential(`\n  ${w.credential}\n`, { store: w.store, now: NOW })).outcome).toBe('valid');
  });
});

describe('verifyCredential: RFC 8725 attacks on the JOSE layer', () => {
  it('alg "none" is refused (ALG_NOT_ALLOWED)', async () => {
    const w = await world();
    const [, p] = w.credential.split('.');
    const h = base64UrlEncode(utf8Encode(JSON.stringify({ alg: 'none', typ: 'vc+jwt' })));
    const r = await verifyCredential(`${h}.${p}.`, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['ALG_NOT_ALLOWED']);
    expect(r.outcome).toBe('invalid');
  });

  it('an unsecured token (empty signature, valid alg) is refused (MALFORMED)', async () => {
    const w = await world();
    const [h, p] = w.credential.split('.');
    expect(codes(await verifyCredential(`${h}.${p}.`, { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });

  it('algorithm confusion: HS256 keyed with the registrar public key is refused (ALG_NOT_ALLOWED)', async () => {
    const w = await world();
    const forged = signRaw({ alg: 'HS256', typ: 'vc+jwt', kid: w.registrar.kid }, payloadOf(w.credential), (d) => hmac(sha256, w.registrar.publicKey, d));
    const r = await verifyCredential(forged, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['ALG_NOT_ALLOWED']);
  });

  it('an unexpected typ is refused (TYP_UNEXPECTED): a presentation typ, a missing typ, a foreign typ', async () => {
    const w = await world();
    for (const typ of ['vp+jwt', undefined, 'at+jwt']) {
      const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { typ } });
      expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['TYP_UNEXPECTED']);
    }
  });

  it('a nested token (cty: JWT) is refused (MALFORMED)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { cty: 'JWT' } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });

  it('a JWE (5 segments) is refused (MALFORMED)', async () => {
    const w = await world();
    expect(codes(await verifyCredential('a.b.c.d.e', { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });

  it('a key embedded in the header (jwk) is never used: refused (ALG_NOT_ALLOWED)', async () => {
    const w = await world();
    const attacker = makeDidKey(66);
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(attacker.publicKey) };
    const forged = signRaw({ alg: 'EdDSA', typ: 'vc+jwt', kid: w.registrar.kid, jwk }, payloadOf(w.credential), attacker.sign);
    expect(codes(await verifyCredential(forged, { store: w.store, now: NOW }))).toEqual(['ALG_NOT_ALLOWED']);
  });

  it('a remote key reference (jku) is refused (ALG_NOT_ALLOWED)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { jku: 'https://evil.example/keys' } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['ALG_NOT_ALLOWED']);
  });

  it('critical extensions (crit) are refused (MALFORMED)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { crit: ['exp'] } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });

  it('a kid pointing at another DID (the attacker\'s own key) is refused (KEY_NOT_ISSUERS)', async () => {
    const w = await world();
    const attacker = makeDidKey(66);
    const forged = signRaw({ alg: 'EdDSA', typ: 'vc+jwt', kid: attacker.kid }, payloadOf(w.credential), attacker.sign);
    const r = await verifyCredential(forged, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['KEY_NOT_ISSUERS']);
    expect(r.facts).toBeUndefined();
  });

  it('a kid naming a key the registrar does not have is refused (KEY_NOT_ISSUERS)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { kid: `${w.registrar.did}#delegate-9` } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['KEY_NOT_ISSUERS']);
  });

  it('a kid names the registrar\'s key as a full DID URL, a relative "#fragment" or with a checksummed address; a DID that only starts with the registrar\'s is another DID (KEY_NOT_ISSUERS)', async () => {
    const w = await world();
    const fragment = w.registrar.kid.slice(w.registrar.kid.indexOf('#'));
    const checksummed = w.registrar.did.replace(/0x([0-9a-f]{40})$/, (_, a: string) => `0x${a.toUpperCase()}`);
    expect(checksummed).not.toBe(w.registrar.did);
    const withKid = (kid: string) => issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { kid } });
    for (const kid of [w.registrar.kid, fragment, `${checksummed}${fragment}`]) {
      expect((await verifyCredential(withKid(kid), { store: w.store, now: NOW })).errors, kid).toEqual([]);
    }
    for (const kid of [`${w.registrar.did}0${fragment}`, `${w.registrar.did}:x${fragment}`, `${w.registrar.did.slice(0, -1)}${fragment}`, fragment.slice(1), `#${w.registrar.kid}`]) {
      expect(codes(await verifyCredential(withKid(kid), { store: w.store, now: NOW })), kid).toEqual(['KEY_NOT_ISSUERS']);
    }
  });

  it('a key of the registrar that may not sign credentials (authentication only) is refused (KEY_NOT_ISSUERS)', async () => {
    const w = await world();
    const doc = { ...w.registrar.document, assertionMethod: [`${w.registrar.did}#controller`], authentication: [w.registrar.kid] };
    await w.store.write({ didDocuments: [{ did: w.registrar.did, document: doc, fetchedAt: NOW_S - 60 }] });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['KEY_NOT_ISSUERS']);
  });

  it('an EdDSA signature claimed for the registrar\'s secp256k1 controller key fails (SIGNATURE_INVALID)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { kid: `${w.registrar.did}#controller` } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['SIGNATURE_INVALID']);
  });

  it('a signature by another key under the registrar\'s kid fails (SIGNATURE_INVALID)', async () => {
    const w = await world();
    const attacker = makeDidKey(66);
    const forged = signRaw(header(w.credential), payloadOf(w.credential), attacker.sign);
    expect(codes(await verifyCredential(forged, { store: w.store, now: NOW }))).toEqual(['SIGNATURE_INVALID']);
  });

  it('a tampered payload fails (SIGNATURE_INVALID) and no facts from it are shown', async () => {
    const w = await world();
    const forged = tamper(w.credential, (p) => {
      (p.credentialSubject as Record<string, unknown>).birthDate = '2004-01-01';
    });
    const r = await verifyCredential(forged, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['SIGNATURE_INVALID']);
    expect(r.facts).toBeUndefined();
  });

  it('duplicate JSON members (two parsers could disagree on what was signed) are refused (MALFORMED)', async () => {
    const w = await world();
    const [h, p, s] = w.credential.split('.') as [string, string, string];
    const json = utf8Decode(base64UrlDecode(p)).replace(/^\{/, '{"iss":"did:key:zEvil",');
    const r = await verifyCredential(`${h}.${base64UrlEncode(utf8Encode(json))}.${s}`, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['MALFORMED']);
  });
});

describe('verifyCredential: claims consistency', () => {
  it('iss different from issuer is refused (ISSUER_MISMATCH)', async () => {
    const w = await world();
    const other = makeRegistrar(2);
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => (p.iss = other.did) });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toContain('ISSUER_MISMATCH');
  });

  it('sub different from credentialSubject.id is refused (SUBJECT_MISMATCH)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => (p.sub = makeDidKey(9).did) });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['SUBJECT_MISMATCH']);
  });

  it('claims that break the schema are refused (SCHEMA_INVALID)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => delete (p.credentialSubject as Record<string, unknown>).birthDate });
    const r = await verifyCredential(token, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['SCHEMA_INVALID']);
    expect(r.errors[0]!.message).toContain('birthDate');
  });

  it('a credential type the checkpoint does not check is refused (SCHEMA_INVALID)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => (p.type = ['VerifiableCredential', 'LibraryCard']) });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['SCHEMA_INVALID']);
  });
});

describe('verifyCredential: validity window with bounded clock skew', () => {
  it('an expired credential is invalid (EXPIRED)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, validUntil: NOW_S - 3600 });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['EXPIRED']);
  });

  it('a credential not yet valid is invalid (NOT_YET_VALID)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, validFrom: NOW_S + 3600 });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['NOT_YET_VALID']);
  });

  it('clock differences within the skew are tolerated, beyond it they are not', async () => {
    const w = await world();
    const soon = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, validFrom: NOW_S + 120 });
    expect((await verifyCredential(soon, { store: w.store, now: NOW, clockSkew: 300 })).outcome).toBe('valid');
    expect(codes(await verifyCredential(soon, { store: w.store, now: NOW, clockSkew: 60 }))).toEqual(['NOT_YET_VALID']);
  });

  it('an nbf later than validFrom counts (the stricter bound wins)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => (p.nbf = NOW_S + DAY) });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['NOT_YET_VALID']);
  });
});

describe('verifyCredential: accreditation', () => {
  it('a registrar not in the trust store is refused (ISSUER_NOT_TRUSTED)', async () => {
    const w = await world({ trust: { operator: [], removed: [] } });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['ISSUER_NOT_TRUSTED']);
    expect(r.facts?.registrar).toEqual({ did: w.registrar.did, trusted: false });
  });

  it('a registrar de-accredited by the governance list is refused even if the operator trusts it (ISSUER_NOT_TRUSTED)', async () => {
    const registrar = makeRegistrar(1);
    const w = await world({
      trust: {
        operator: [{ did: registrar.did, addedAt: 0 }],
        removed: [],
        governanceList: { jwt: 'x', issuer: 'did:key:zGov', version: 2, checkedAt: NOW_S, registrars: [{ did: registrar.did, status: 'revoked' }] },
      },
    });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['ISSUER_NOT_TRUSTED']);
    expect(r.errors[0]!.message).toContain('lost its accreditation');
  });

  it('a trusted registrar whose keys were never synced gives "cannot confirm" (ISSUER_UNKNOWN, indeterminate)', async () => {
    const w = await world();
    const fresh = new MemoryVerifierStore({ ...(await w.store.load()), didDocuments: [] });
    const r = await verifyCredential(w.credential, { store: fresh, now: NOW });
    expect(codes(r)).toEqual(['ISSUER_UNKNOWN']);
    expect(r.outcome).toBe('indeterminate');
  });
});

describe('verifyCredential: status from the cached, anchored lists', () => {
  it('a revoked credential is invalid (REVOKED)', async () => {
    const w = await world({ revoked: [94_567] });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['REVOKED']);
    expect(r.errors[0]!.message).toBe('This credential has been revoked by the registrar: do not accept it.');
  });

  it('a suspended credential is invalid (SUSPENDED)', async () => {
    const w = await world({ suspended: [1_234] });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['SUSPENDED']);
  });

  it('other entries being set does not affect this credential', async () => {
    const w = await world({ revoked: [94_566, 94_568], suspended: [1_233] });
    expect((await verifyCredential(w.credential, { store: w.store, now: NOW })).outcome).toBe('valid');
  });

  it('status data older than the limit is never valid: STATUS_STALE, indeterminate, with the age shown', async () => {
    const w = await world();
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW + 9 * DAY * 1000 });
    expect(r.outcome).toBe('indeterminate');
    expect(codes(r)).toEqual(['STATUS_STALE']);
    expect(r.errors[0]!.message).toBe('Status data is 9 days old (limit 1 day): sync before relying on this answer.');
    expect(r.statusAge!.seconds).toBe(9 * DAY + 3600);
  });

  it('the operator limit comes from the checkpoint config, and an explicit option overrides it', async () => {
    const w = await world({ config: { maxStatusAge: 600 } });
    expect(codes(await verifyCredential(w.credential, { store: w.store, now: NOW }))).toEqual(['STATUS_STALE']);
    expect((await verifyCredential(w.credential, { store: w.store, now: NOW, maxStatusAge: 7200 })).outcome).toBe('valid');
  });

  it('revocation is final: a revoked bit in old data still answers REVOKED (invalid)', async () => {
    const w = await world({ revoked: [94_567] });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW + 9 * DAY * 1000 });
    expect(codes(r)).toEqual(['REVOKED', 'STATUS_STALE']);
    expect(r.outcome).toBe('invalid');
  });

  it('a suspension seen in stale data is "cannot confirm" (it may have been lifted), and says so', async () => {
    const w = await world({ suspended: [1_234] });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW + 9 * DAY * 1000 });
    expect(codes(r)).toEqual(['STATUS_STALE']);
    expect(r.errors[0]!.message).toContain('suspended');
  });

  it('a list superseded by a newer anchor this device could not fetch is stale (STATUS_STALE)', async () => {
    const w = await world();
    await w.store.write({ anchors: [{ ...w.revocation.anchor, version: 4, digest: `0x${'ab'.repeat(32)}`, blockNumber: 130 }] });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['STATUS_STALE']);
    expect(r.errors[0]!.message).toContain('Newer status data has been published');
  });

  it('a list that was never synced gives "cannot confirm" (STATUS_UNKNOWN, indeterminate)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: { revocation: { url: listUrl('unknownList'), index: 5 } } });
    const r = await verifyCredential(token, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['STATUS_UNKNOWN']);
    expect(r.outcome).toBe('indeterminate');
  });

  it('a credential pointing at a list of another registrar cannot be confirmed (STATUS_UNKNOWN)', async () => {
    const w = await world();
    const other = makeRegistrar(2);
    const foreign = await signList({ registrar: other, url: 'https://other.example/status/x', purpose: 'revocation', version: 1 });
    await w.store.write({ statusLists: [cached(foreign, other.did)], anchors: [foreign.anchor] });
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: { revocation: { url: foreign.url, index: 5 } } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['STATUS_UNKNOWN']);
  });

  it('an index outside the list is refused (STATUS_INDEX_OUT_OF_RANGE)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: { revocation: { url: w.revocation.url, index: 131_072 } } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['STATUS_INDEX_OUT_OF_RANGE']);
  });

  it('a non-canonical index ("0123", "1e3", -1) is refused (MALFORMED)', async () => {
    const w = await world();
    for (const bad of ['0123', '1e3', '-1', ' 5']) {
      const token = issue({
        issuer: w.registrar,
        subject: w.child.did,
        mutate: (p) => {
          p.credentialStatus = [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: bad, statusListCredential: w.revocation.url }];
        },
      });
      expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
    }
  });

  it('the registrar\'s keys age like the status data: old key data is STATUS_STALE', async () => {
    const w = await world();
    await w.store.write({ didDocuments: [{ did: w.registrar.did, document: w.registrar.document, fetchedAt: NOW_S - 3 * DAY }] });
    const r = await verifyCredential(w.credential, { store: w.store, now: NOW });
    expect(codes(r)).toEqual(['STATUS_STALE']);
    expect(r.errors[0]!.message).toContain("registrar's key data is 3 days old");
  });
});

describe('verifyCredential: every failed check is reported, not just the first', () => {
  it('expired + untrusted + revoked are all listed', async () => {
    const w = await world({ revoked: [94_567], trust: { operator: [], removed: [] } });
    const token = issue({
      issuer: w.registrar,
      subject: w.child.did,
      validUntil: NOW_S - DAY,
      status: { revocation: { url: w.revocation.url, index: 94_567 } },
    });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW })).sort()).toEqual(['EXPIRED', 'ISSUER_NOT_TRUSTED', 'REVOKED']);
  });
});

describe('verifyCredential: hostile input never throws', () => {
  it('oversized input is refused before decoding (TOO_LARGE)', async () => {
    const w = await world();
    expect(codes(await verifyCredential('x'.repeat(1_000_000), { store: w.store, now: NOW }))).toEqual(['TOO_LARGE']);
    const big = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, mutate: (p) => (p.padding = 'y'.repeat(40_000)) });
    expect(codes(await verifyCredential(big, { store: w.store, now: NOW }))).toEqual(['TOO_LARGE']);
  });

  it('a QR compression bomb is stopped while inflating (TOO_LARGE)', async () => {
    const w = await world();
    const [h, , sig] = w.credential.split('.') as [string, string, string];
    const bomb = encodeQrPayload(`${h}.${base64UrlEncode(new Uint8Array(8 * 1024 * 1024))}.${sig}`);
    expect(bomb.length).toBeLessThan(40_000);
    expect(codes(await verifyCredential(bomb, { store: w.store, now: NOW }))).toEqual(['TOO_LARGE']);
  });

  it('a damaged QR payload is MALFORMED', async () => {
    const w = await world();
    expect(codes(await verifyCredential('CRADLE1:%%%%', { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });

  it('garbage gives MALFORMED results, not exceptions', async () => {
    const w = await world();
    for (const junk of ['', '...', 'a.b.c', 'eyJ.eyJ.AA', '{"alg":"EdDSA"}', '\u0000\u0001', 42 as unknown as string, null as unknown as string]) {
      const r = await verifyCredential(junk, { store: w.store, now: NOW });
      expect(r.outcome).toBe('invalid');
      expect(r.errors.length).toBeGreaterThan(0);
    }
  });

  it('a missing store is a caller mistake and throws', async () => {
    await expect(verifyCredential('x', {} as never)).rejects.toThrow(/store/);
  });
});

describe('verifyCredential: VCDM 1.1 JWT-VC', () => {
  it('a JWT-VC (typ JWT, vc claim) from a trusted did:key issuer verifies', async () => {
    const w = await world();
    const issuer = makeDidKey(50);
    await w.store.write({ trust: { operator: [{ did: issuer.did, addedAt: 0 }], removed: [] } });
    const token = signRaw(
      { alg: 'EdDSA', typ: 'JWT' },
      {
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', 'BirthRegistrationCredential'],
          credentialSubject: payloadOf(w.credential).credentialSubject as Record<string, unknown>,
        },
        sub: w.child.did,
        nbf: NOW_S - DAY,
        iss: issuer.did,
      },
      issuer.sign,
    );
    // This issuer publishes no status list: the test is about the format, so the policy is relaxed explicitly.
    const r = await verifyCredential(token, { store: w.store, now: NOW, requireRevocationEntry: false });
    expect(r.errors).toEqual([]);
    expect(r.facts?.registrar).toEqual({ did: issuer.did, trusted: true });
  });

  it('a VCDM 2.0 payload under typ JWT is refused (one typ per artefact)', async () => {
    const w = await world();
    const token = issue({ issuer: w.registrar, subject: w.child.did, status: w.status, header: { typ: 'JWT' } });
    expect(codes(await verifyCredential(token, { store: w.store, now: NOW }))).toEqual(['MALFORMED']);
  });
});

describe('verifyCredential: other allowed algorithms', () => {
  it('ES256K by the registrar\'s Ethereum controller (EcdsaSecp256k1RecoveryMethod2020) verifies by recovering the address', async () => {
    const sk = sha256(new TextEncoder().encode('controller-key'));
    const pub = secp256k1.getPublicKey(sk, false);
    const address = `0x${Buffer.from(keccak_256(pub.subarray(1)).subarray(12)).toString('hex')}`;
    const did = `did:ethr:0x7a69:${address}`;
    const doc = {
      id: did,
      verificationMethod: [{ id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${address}` }],
      authentication: [`${did}#controller`],
      assertionMethod: [`${did}#controller`],
    };
    const w = await world();
    await w.store.write({ didDocuments: [{ did, document: doc, fetchedAt: NOW_S - 60 }], trust: { operator: [{ did, addedAt: 0 }], removed: [] } });
    const signer = { did, kid: `${did}#controller`, secretKey: sk, publicKey: pub, sign: (d: Uint8Array) => secp256k1.sign(sha256(d), sk).toCompactRawBytes() };
    const token = issue({ issuer: signer, subject: w.child.did, header: { alg: 'ES256K' } });
    // This issuer publishes no status list: the test is about the algorithm, so the policy is relaxed explicitly.
    const noStatusPolicy = { requireRevocationEntry: false } as const;
    expect((await verifyCredential(token, { store: w.store, now: NOW, ...noStatusPolicy })).errors).toEqual([]);
    const other = sha256(new TextEncoder().encode('someone-else'));
    const forged = issue({ issuer: { ...signer, sign: (d: Uint8Array) => secp256k1.sign(sha256(d), other).toCompactRawBytes() }, subject: w.child.did, header: { alg: 'ES256K' } });
    expect(codes(await verifyCredential(forged, { store: w.store, now: NOW, ...noStatusPolicy }))).toEqual(['SIGNATURE_INVALID']);
  });

  it('ES256 with a P-256 JsonWebKey2020 key verifies', async () => {
    const sk = p256.utils.randomPrivateKey();
    const pub = p256.getPublicKey(sk, false);
    const w = await world();
    const did = 'did:web:registrar.example';
    const jwk = { kty: 'EC', crv: 'P-256', x: base64UrlEncode(pub.subarray(1, 33)), y: base64UrlEncode(pub.subarray(33)) };
    const doc = { id: did, verificationMethod: [{ id: `${did}#k1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }], assertionMethod: [`${did}#k1`] };
    await w.store.write({ didDocuments: [{ did, document: doc, fetchedAt: NOW_S - 60 }], trust: { operator: [{ did, addedAt: 0 }], removed: [] } });
    const signer = { did, kid: `${did}#k1`, secretKey: sk, publicKey: pub, sign: (d: Uint8Array) => p256.sign(sha256(d), sk).toCompactRawBytes() };
    const token = issue({ issuer: signer, subject: w.child.did, header: { alg: 'ES256' } });
    for (const signatureVerifier of [nobleSignatureVerifier, undefined]) {
      const policy = { requireRevocationEntry: false, ...(signatureVerifier ? { signatureVerifier } : {}) }; // no status list: about the algorithm
      expect((await verifyCredential(token, { store: w.store, now: NOW, ...policy })).errors).toEqual([]);
    }
  });
});
