import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519';
import { signJws, TYP_JWT, TYP_VC_JWT, VC_CONTEXT_V1, VC_CONTEXT_V2 } from '@cradle/core';

/** A registrar as the issuer package will be: did:ethr identity, Ed25519 signing key published as a delegate. */
export const REGISTRAR = {
  did: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  kid: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266#delegate-1',
  privateKey: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
};
export const CRADLE_CONTEXT_URL = 'https://w3id.org/cradle/v1';

/** A fixed clock: 2026-11-23T10:00:00Z. */
export const NOW = new Date('2026-11-23T10:00:00Z');
export const fixedNow = (): Date => NOW;

let counter = 0;

export interface IssueOptions {
  type: 'BirthRegistrationCredential' | 'GuardianshipCredential' | string;
  subject: string;
  guardians?: { id: string; role: string }[];
  id?: string;
  validFrom?: Date;
  validUntil?: Date;
  format?: 'vc+jwt' | 'jwt-vc';
  /** Overrides of the JWT claims (to build broken credentials). */
  claims?: Record<string, unknown>;
  typ?: string;
}

/** Sign a credential exactly as docs/formats.md says the issuer does (compact JWS, EdDSA). */
export async function issue(options: IssueOptions): Promise<string> {
  counter += 1;
  const id = options.id ?? `urn:uuid:00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
  const validFrom = options.validFrom ?? new Date('2026-11-01T00:00:00Z');
  const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);
  const credentialSubject =
    options.type === 'GuardianshipCredential'
      ? { id: options.subject, guardians: options.guardians ?? [] }
      : {
          id: options.subject,
          givenName: 'Amina',
          familyName: 'Example',
          birthDate: '2026-10-30',
          placeOfBirth: { locality: 'Example Town', country: 'KE' },
          registrationNumber: 'REG-2026-000123',
        };
  const sign = (data: Uint8Array): Uint8Array => ed25519.sign(data, REGISTRAR.privateKey);
  if (options.format === 'jwt-vc') {
    const payload = {
      vc: {
        '@context': [VC_CONTEXT_V1, CRADLE_CONTEXT_URL],
        type: ['VerifiableCredential', options.type],
        credentialSubject: { ...credentialSubject, id: undefined },
        ...(options.validUntil ? { expirationDate: options.validUntil.toISOString() } : {}),
      },
      iss: REGISTRAR.did,
      sub: options.subject,
      jti: id,
      nbf: seconds(validFrom),
      ...(options.validUntil ? { exp: seconds(options.validUntil) } : {}),
      ...options.claims,
    };
    return signJws({ alg: 'EdDSA', typ: options.typ ?? TYP_JWT, kid: REGISTRAR.kid }, JSON.parse(JSON.stringify(payload)), sign);
  }
  const payload = {
    '@context': [VC_CONTEXT_V2, CRADLE_CONTEXT_URL],
    id,
    type: ['VerifiableCredential', options.type],
    issuer: REGISTRAR.did,
    validFrom: validFrom.toISOString().replace('.000Z', 'Z'),
    ...(options.validUntil ? { validUntil: options.validUntil.toISOString().replace('.000Z', 'Z') } : {}),
    credentialSubject,
    credentialStatus: [
      {
        id: 'https://registrar.example/status/k3j2h#8123',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '8123',
        statusListCredential: 'https://registrar.example/status/k3j2h',
      },
    ],
    iss: REGISTRAR.did,
    sub: options.subject,
    jti: id,
    iat: seconds(validFrom),
    nbf: seconds(validFrom),
    ...(options.validUntil ? { exp: seconds(options.validUntil) } : {}),
    ...options.claims,
  };
  return signJws({ alg: 'EdDSA', typ: options.typ ?? TYP_VC_JWT, kid: REGISTRAR.kid }, payload, sign);
}

/** A fresh temporary directory. */
export async function tempDir(prefix = 'cradle-holder-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export const SECRET = 'test-secret-for-the-wallet-0123456789';
export const PASSPHRASE = 'correct horse battery staple';
