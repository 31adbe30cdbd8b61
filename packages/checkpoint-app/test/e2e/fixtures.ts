/**
 * Signed artefacts for the browser tests: a registrar key, a trust bundle, and credentials (valid,
 * revoked, forged) as the QR texts a wallet would show.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StatusList, base64UrlEncode, utf8Encode } from '@cradle/core';

/** What the scenarios need. */
export interface AppFixtures {
  bundlePath: string;
  registrarDid: string;
  child: { givenName: string; familyName: string; birthDate: string };
  qr: { valid: string; revoked: string; forged: string };
}

function signJwsEd25519(header: object, payload: object, privateKey: Parameters<typeof sign>[2]): string {
  const input = `${base64UrlEncode(utf8Encode(JSON.stringify(header)))}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}`;
  return `${input}.${base64UrlEncode(new Uint8Array(sign(null, Buffer.from(input), privateKey)))}`;
}

/** Creates the fixtures in `dir`, as of `now`. */
export async function createFixtures(dir: string, now: Date): Promise<AppFixtures> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const registrarDid = `did:ethr:0x7a69:0x${randomBytes(20).toString('hex')}`;
  const kid = `${registrarDid}#delegate-1`;
  const base = 'https://registrar.example/status';
  const revocationUrl = `${base}/${randomBytes(8).toString('hex')}`;
  const suspensionUrl = `${base}/${randomBytes(8).toString('hex')}`;
  const revocation = StatusList.create();
  const suspension = StatusList.create();
  const validIndex = 8123;
  const revokedIndex = 99_001;
  revocation.set(revokedIndex, 1);

  const child = { givenName: 'Amina', familyName: 'Okafor', birthDate: '2016-04-12' };
  const iat = Math.floor(now.getTime() / 1000) - 86_400;
  const credential = (index: number, subject: object) => {
    const id = `urn:uuid:${randomUUID()}`;
    const childDid = `did:key:z6Mk${randomBytes(16).toString('hex')}`;
    return signJwsEd25519(
      { alg: 'EdDSA', typ: 'vc+jwt', kid },
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
        id,
        type: ['VerifiableCredential', 'BirthRegistrationCredential'],
        issuer: registrarDid,
        validFrom: new Date(iat * 1000).toISOString(),
        credentialSubject: { id: childDid, ...subject, registrationNumber: 'KN-2016-004512' },
        credentialStatus: [
          { id: `${revocationUrl}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
            statusListIndex: String(index), statusListCredential: revocationUrl },
          { id: `${suspensionUrl}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'suspension',
            statusListIndex: String(index), statusListCredential: suspensionUrl },
        ],
        iss: registrarDid,
        sub: childDid,
        jti: id,
        iat,
        nbf: iat,
      },
      privateKey,
    );
  };
  const valid = credential(validIndex, child);
  const revoked = credential(revokedIndex, { ...child, givenName: 'Chidi' });
  // Forged: a genuine credential whose birth date was edited after signing.
  const [h, p, s] = valid.split('.') as [string, string, string];
  const edited = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { credentialSubject: { birthDate: string } };
  edited.credentialSubject.birthDate = '2004-04-12';
  const forged = `${h}.${base64UrlEncode(utf8Encode(JSON.stringify(edited)))}.${s}`;

  const bundle = {
    format: 'cradle-interim-bundle',
    asOf: now.toISOString(),
    registrars: [{ did: registrarDid, name: 'Kano State Civil Registry', publicKeyJwk: publicKey.export({ format: 'jwk' }) }],
    statusLists: [
      { url: revocationUrl, purpose: 'revocation', encodedList: await revocation.encode() },
      { url: suspensionUrl, purpose: 'suspension', encodedList: await suspension.encode() },
    ],
  };
  const bundlePath = path.join(dir, 'trust-bundle.json');
  await writeFile(bundlePath, JSON.stringify(bundle));
  return { bundlePath, registrarDid, child, qr: { valid, revoked, forged } };
}
