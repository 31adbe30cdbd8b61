// SD-JWT VC at the checkpoint: the same trust, status and freshness rules as vc+jwt, judged on what the
// holder disclosed, with the key binding tied to the checkpoint's nonce and domain. Credentials are built by
// Cradle's core module and, for interop, by @sd-jwt/sd-jwt-vc (OpenWallet Foundation).
import { createHash } from 'node:crypto';
import {
  SD_JWT_VC_DISCLOSABLE,
  VCT_BIRTH_REGISTRATION,
  VCT_GUARDIANSHIP,
  base64UrlDecode,
  base64UrlEncode,
  buildSdJwtVc,
  encodeQrPayload,
  envelopeCredential,
  presentSdJwtVc,
  utf8Decode,
  utf8Encode,
} from '@cradle/core';
import type { BitstringStatusListEntry } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import type { VerificationResult } from '../src/result.js';
import { verify } from '../src/verify.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { DAY, NOW, NOW_S, birthClaims, makeDidKey, makeRegistrar, present, world } from './helpers/fixtures.js';
import type { Signer, World } from './helpers/fixtures.js';
import { readableText } from '../../core/test/helpers/readable-text.js';

const codes = (r: VerificationResult): string[] => r.errors.map((e) => e.code);
const CHALLENGE = { nonce: 'n-0123456789', domain: 'border-post-7.example' };
const jwkOf = (s: Signer) => ({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(s.publicKey) });

function statusOf(w: World): BitstringStatusListEntry[] {
  return [
    { id: `${w.revocation.url}#${w.revIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(w.revIndex), statusListCredential: w.revocation.url },
    { id: `${w.suspension.url}#${w.susIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'suspension', statusListIndex: String(w.susIndex), statusListCredential: w.suspension.url },
  ];
}

/** What the registrar issues in SD-JWT VC form: a birth registration and a guardianship, bound to the child's key. */
async function issued(w: World, overrides: { issuer?: Signer & { did: string; kid: string }; birth?: Record<string, unknown> } = {}): Promise<{ birth: string; guardianship: string }> {
  const issuer = overrides.issuer ?? w.registrar;
  const common = { alg: 'EdDSA' as const, kid: issuer.kid, issuer: issuer.did, subject: w.child.did, issuedAt: NOW_S - 30 * DAY, notBefore: NOW_S - 30 * DAY, holderKey: jwkOf(w.child), status: statusOf(w), sign: issuer.sign };
  return {
    birth: await buildSdJwtVc({ ...common, id: 'urn:uuid:7f1c0e6a-2b7d-4a8e-9f4e-1d2c3b4a5f60', vct: VCT_BIRTH_REGISTRATION, claims: overrides.birth ?? birthClaims(), disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'] }),
    guardianship: await buildSdJwtVc({
      ...common,
      id: 'urn:uuid:0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
      vct: VCT_GUARDIANSHIP,
      claims: { guardians: [{ id: w.guardian.did, role: 'mother', name: 'Grace Example-Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } }] },
      disclosable: SD_JWT_VC_DISCLOSABLE.guardianship,
    }),
  };
}

interface Binding {
  nonce?: string;
  audience?: string;
  issuedAt?: number;
  key?: Signer;
  none?: boolean;
  /** What a dishonest holder does to the presented birth credential before wrapping it. */
  tamper?: (presented: string) => string;
}

/** The wallet's side: name, date of birth and guardians disclosed, each credential bound to this checkpoint. */
async function presentation(w: World, creds: { birth: string; guardianship: string }, b: Binding = {}): Promise<string> {
  const kb = b.none === true ? undefined : { alg: 'EdDSA' as const, audience: b.audience ?? CHALLENGE.domain, nonce: b.nonce ?? CHALLENGE.nonce, issuedAt: b.issuedAt ?? NOW_S - 5, sign: (b.key ?? w.child).sign };
  const shown = await presentSdJwtVc(creds.birth, { disclose: ['givenName', 'familyName', 'birthDate'], ...(kb === undefined ? {} : { keyBinding: kb }) });
  const birth = b.tamper === undefined ? shown : b.tamper(shown);
  const guardianship = await presentSdJwtVc(creds.guardianship, { disclose: ['guardians'], ...(kb === undefined ? {} : { keyBinding: kb }) });
  return present({
    holder: w.guardian,
    credentials: [],
    mutate: (p) => {
      p.verifiableCredential = [envelopeCredential(birth, 'sd-jwt-vc'), envelopeCredential(guardianship, 'sd-jwt-vc')];
    },
  });
}

describe('SD-JWT VC at the checkpoint: name, date of birth and guardianship disclosed', () => {
  it('verifies offline as valid, and the checkpoint never receives the undisclosed claims', async () => {
    const w = await world();
    const vp = await presentation(w, await issued(w));
    const r = await verifyPresentation(encodeQrPayload(vp), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', kind: 'presentation' });
    expect(r.facts?.child).toMatchObject({ givenName: 'Amina Wanjiru', familyName: 'Example-Otieno', birthDate: '2025-03-14' });
    expect(r.facts?.guardian).toMatchObject({ did: w.guardian.did, isListedGuardian: true, role: 'mother', document: { number: 'AK1234567' } });
    const received = readableText(vp);
    for (const withheld of ['KSM-2025-004217', 'Kisumu', 'KSM-P-118842', 'female', '2025-03-21', 'registrationNumber', 'placeOfBirth', 'parents']) {
      expect(received).not.toContain(withheld);
      expect(JSON.stringify(r)).not.toContain(withheld);
    }
    expect(r.facts).not.toHaveProperty('registrationNumber');
  });

  it('is invalid after revocation (the anchored Bitstring Status List, as for vc+jwt)', async () => {
    const fresh = await world();
    const w = await world({ revoked: [fresh.revIndex] });
    const r = await verifyPresentation(await presentation(w, await issued(w)), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('invalid');
    expect(codes(r)).toEqual(['REVOKED', 'REVOKED']);
  });

  it('cannot confirm status with stale data (fail closed: indeterminate)', async () => {
    const w = await world({ config: { maxStatusAge: 600 } }); // the lists were synced an hour ago
    const r = await verifyPresentation(await presentation(w, await issued(w)), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('indeterminate');
    expect(codes(r)).toContain('STATUS_STALE');
  });

  it('a bare SD-JWT VC scanned on its own is a bearer check with the same rules', async () => {
    const w = await world();
    const { birth } = await issued(w);
    const shown = await presentSdJwtVc(birth, { disclose: ['givenName', 'birthDate'] });
    const r = await verify(shown, { store: w.store, now: NOW });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ kind: 'credential', bearer: true, outcome: 'valid', facts: { child: { givenName: 'Amina Wanjiru', familyName: '', birthDate: '2025-03-14' } } });
  });
});

describe('SD-JWT VC at the checkpoint: key binding', () => {
  it('a presentation without key-binding JWTs is refused (KEY_BINDING_INVALID)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w), { none: true }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['KEY_BINDING_INVALID', 'KEY_BINDING_INVALID']);
  });

  it('a key binding for another nonce is refused (CHALLENGE_MISMATCH)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w), { nonce: 'n-old' }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['CHALLENGE_MISMATCH', 'CHALLENGE_MISMATCH']);
  });

  it('a key binding for another checkpoint is refused (DOMAIN_MISMATCH)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w), { audience: 'bus-station-2.example' }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['DOMAIN_MISMATCH', 'DOMAIN_MISMATCH']);
  });

  it('an old key binding is refused (PRESENTATION_EXPIRED)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w), { issuedAt: NOW_S - 3600 }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['PRESENTATION_EXPIRED', 'PRESENTATION_EXPIRED']);
  });

  it('a key binding signed by another key than the credential binds (a copied credential) is refused', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w), { key: makeDidKey(77) }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['KEY_BINDING_INVALID', 'KEY_BINDING_INVALID']);
  });
});

describe('SD-JWT VC at the checkpoint: tampering and trust', () => {
  it('an altered disclosure is refused (DISCLOSURE_INVALID)', async () => {
    const w = await world();
    const older = (presented: string): string => {
      const parts = presented.split('~');
      const i = parts.findIndex((p, n) => n > 0 && n < parts.length - 1 && utf8Decode(base64UrlDecode(p)).includes('"birthDate"'));
      const [salt] = JSON.parse(utf8Decode(base64UrlDecode(parts[i]!))) as [string];
      parts[i] = base64UrlEncode(utf8Encode(JSON.stringify([salt, 'birthDate', '2005-03-14'])));
      return parts.join('~');
    };
    const r = await verifyPresentation(await presentation(w, await issued(w), { tamper: older }), { store: w.store, now: NOW, ...CHALLENGE });
    expect(r.outcome).toBe('invalid');
    expect(codes(r)).toContain('DISCLOSURE_INVALID');
    expect(JSON.stringify(r)).not.toContain('2005-03-14');
  });

  it('a credential signed by a registrar this checkpoint does not trust is refused (ISSUER_NOT_TRUSTED / ISSUER_UNKNOWN)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w, { issuer: makeRegistrar(9) })), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(expect.arrayContaining(['ISSUER_UNKNOWN', 'ISSUER_NOT_TRUSTED']));
    expect(r.outcome).not.toBe('valid');
  });

  it('a forged issuer signature is refused (SIGNATURE_INVALID)', async () => {
    const w = await world();
    const forger = { ...w.registrar, sign: makeDidKey(5).sign };
    const r = await verifyPresentation(await presentation(w, await issued(w, { issuer: forger })), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['SIGNATURE_INVALID', 'SIGNATURE_INVALID']);
  });

  it('every claim it does disclose must still be valid (SCHEMA_INVALID)', async () => {
    const w = await world();
    const r = await verifyPresentation(await presentation(w, await issued(w, { birth: { ...birthClaims(), birthDate: '14/03/2025' } })), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(r)).toEqual(['SCHEMA_INVALID']);
  });
});

describe('SD-JWT VC at the checkpoint: credentials issued and presented by @sd-jwt/sd-jwt-vc', () => {
  it('verifies their credential with their key binding, from a trusted registrar key, and refuses it with the wrong nonce', async () => {
    const w = await world();
    const b64 = (u: Uint8Array): string => base64UrlEncode(u);
    const sd = new SDJwtVcInstance({
      hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest()),
      hashAlg: 'sha-256',
      saltGenerator: () => b64(globalThis.crypto.getRandomValues(new Uint8Array(16))),
      signAlg: 'EdDSA',
      signer: (data: string) => b64(ed25519.sign(utf8Encode(data), w.registrar.secretKey)),
      kbSignAlg: 'EdDSA',
      kbSigner: (data: string) => b64(ed25519.sign(utf8Encode(data), w.child.secretKey)),
    });
    const common = { iss: w.registrar.did, sub: w.child.did, iat: NOW_S - DAY, cnf: { jwk: jwkOf(w.child) }, status: { bitstring_status_list: statusOf(w) } as never }; // their type models only the Token Status List
    const birth = await sd.issue({ ...common, vct: VCT_BIRTH_REGISTRATION, ...birthClaims() }, { _sd: SD_JWT_VC_DISCLOSABLE['birth-registration'] as never }, { header: { kid: w.registrar.kid } });
    const guardianship = await sd.issue({ ...common, vct: VCT_GUARDIANSHIP, guardians: [{ id: w.guardian.did, role: 'mother' }] }, { _sd: ['guardians'] as never }, { header: { kid: w.registrar.kid } });
    const kb = (nonce: string) => ({ kb: { payload: { iat: NOW_S - 5, aud: CHALLENGE.domain, nonce } } });
    const vpFor = async (nonce: string) => {
      const b = await sd.present(birth, { givenName: true, familyName: true, birthDate: true } as never, kb(nonce));
      const g = await sd.present(guardianship, { guardians: true } as never, kb(nonce));
      return present({ holder: w.guardian, credentials: [], mutate: (p) => { p.verifiableCredential = [envelopeCredential(b, 'sd-jwt-vc'), envelopeCredential(g, 'sd-jwt-vc')]; } });
    };
    const ok = await verifyPresentation(await vpFor(CHALLENGE.nonce), { store: w.store, now: NOW, ...CHALLENGE });
    expect(ok.errors).toEqual([]);
    expect(ok.outcome).toBe('valid');
    const replay = await verifyPresentation(await vpFor('n-other'), { store: w.store, now: NOW, ...CHALLENGE });
    expect(codes(replay)).toEqual(['CHALLENGE_MISMATCH', 'CHALLENGE_MISMATCH']);
  });
});
