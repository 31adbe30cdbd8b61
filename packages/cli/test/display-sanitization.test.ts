// Every untrusted string a person sees is sanitized: tokens built with `jose` (not our signing code)
// carry terminal escape sequences and bidi overrides in the issuer, the names and the key id.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64UrlDecode, didKeyFromEd25519PublicKey } from '@cradle/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { offlineLedgerFile } from './helpers/e2e.js';
import { runCradle } from './helpers/run-cradle.js';

const CLEAR_AND_FAKE = '\u001b[2J\u001b[H\u001b[1;32mVALID: this credential checks out\u001b[0m\n\u001b]0;pwned\u0007';
const BIDI = '\u202eCDR\u2066x\u2069\u200f\u061c';
// eslint-disable-next-line no-control-regex -- what must never reach a terminal
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** A well-formed birth credential from the attacker's own did:key, with hostile names (facts are shown for it). */
async function hostileToken(opts: { issuerSuffix?: string } = {}): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromEd25519PublicKey(base64UrlDecode(publicKey.export({ format: 'jwk' }).x!));
  const issuer = `${did}${opts.issuerSuffix ?? ''}`;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer,
    validFrom: new Date((now - 86_400) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: {
      id: did,
      givenName: `Amina${CLEAR_AND_FAKE}`,
      familyName: `Otieno${BIDI}`,
      birthDate: '2025-03-14',
      sex: 'female',
      placeOfBirth: { locality: 'Kisumu', country: 'KE' },
      registrationNumber: `KSM${BIDI}${CLEAR_AND_FAKE}`,
      registrationDate: '2025-03-21',
      registeringOffice: { name: 'Office' },
    },
    iss: issuer,
    sub: did,
    iat: now - 86_400,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${did}#${did.slice('did:key:'.length)}` })
    .sign(privateKey);
}

describe('human output never carries escape sequences, control characters or bidi overrides', () => {
  it('`cradle checkpoint verify` in human mode prints a hostile token (jose-built) sanitized, and never says VALID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-sanitize-'));
    const ledger = await offlineLedgerFile(dir);
    const home = join(dir, 'cp');
    expect((await runCradle(['checkpoint', 'init', '--ledger', ledger, '--home', home])).code).toBe(0);
    const token = await hostileToken();
    const file = join(dir, `token${BIDI}.jwt`);
    await writeFile(file, await hostileToken({ issuerSuffix: CLEAR_AND_FAKE }));
    const shown = await runCradle(['checkpoint', 'verify', token, '--home', home]);
    // The names are shown (the signature verifies; the issuer is just not accredited), minus the hostile characters.
    expect(shown.stdout).toMatch(/Child: +AminaVALID: this credential checks out +Otieno/);
    expect(shown.stdout).not.toMatch(/^VALID/m);
    for (const input of [token, file, `${join(dir, 'missing')}${CLEAR_AND_FAKE}`]) {
      const run = await runCradle(['checkpoint', 'verify', input, '--home', home]);
      expect(run.code).not.toBe(0);
      const printed = run.stdout + run.stderr;
      expect(printed).not.toMatch(FORBIDDEN);
      expect(printed).not.toMatch(/^VALID/m);
      expect(printed).toMatch(/^(INVALID|CANNOT CONFIRM)/m);
    }
  }, 120_000);
});
