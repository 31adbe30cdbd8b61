// Rule (#12): `cradle checkpoint verify` refuses a registrar credential that carries no revocation entry
// (STATUS_MISSING, exit 1); accepting one is an explicit policy, per checkpoint (`checkpoint init
// --allow-missing-revocation-entry`) or per check (`checkpoint verify --allow-missing-revocation-entry`).
// The credential is signed with `jose` by an accredited did:key issuer (no chain needed).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64UrlDecode, didKeyFromEd25519PublicKey } from '@cradle/core';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { offlineLedgerFile } from './helpers/e2e.js';
import { runCradle } from './helpers/run-cradle.js';

interface Verdict {
  outcome: string;
  errors: { code: string; message: string }[];
}

let dir: string;
let ledger: string;
let issuerDid: string;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-cli-status-policy-'));
  ledger = await offlineLedgerFile(dir);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  issuerDid = didKeyFromEd25519PublicKey(base64UrlDecode(publicKey.export({ format: 'jwk' }).x!));
  const child = didKeyFromEd25519PublicKey(base64UrlDecode(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!));
  const now = Math.floor(Date.now() / 1000);
  token = await new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: 'urn:uuid:00000000-0000-4000-8000-000000000002',
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: issuerDid,
    validFrom: new Date((now - 86_400) * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: {
      id: child,
      givenName: 'Amina',
      familyName: 'Otieno',
      birthDate: '2025-03-14',
      sex: 'female',
      placeOfBirth: { locality: 'Kisumu', country: 'KE' },
      registrationNumber: 'KSM-2025-000001',
      registrationDate: '2025-03-21',
      registeringOffice: { name: 'Office' },
      parents: [{ role: 'mother', reference: 'urn:cradle:registry:person:KSM-P-1' }],
    },
    iss: issuerDid,
    sub: child,
    iat: now - 86_400,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${issuerDid}#${issuerDid.slice('did:key:'.length)}` })
    .sign(privateKey);
});

async function checkpoint(name: string, initFlags: string[] = []): Promise<string> {
  const home = join(dir, name);
  const init = await runCradle(['checkpoint', 'init', '--ledger', ledger, '--home', home, '--json', ...initFlags]);
  expect(init.code, init.stderr).toBe(0);
  expect(JSON.parse(init.stdout)).toMatchObject({ requireRevocationEntry: initFlags.length === 0 });
  expect((await runCradle(['checkpoint', 'trust', 'add', issuerDid, '--home', home])).code).toBe(0);
  return home;
}

describe('cradle checkpoint verify: a revocation entry is required unless the policy says otherwise', () => {
  it('by default a credential without a revocation entry is INVALID (STATUS_MISSING, exit 1); --allow-missing-revocation-entry accepts it for one check', async () => {
    const home = await checkpoint('strict');
    const refused = await runCradle(['checkpoint', 'verify', token, '--home', home, '--json']);
    expect(refused.code).toBe(1);
    const verdict = JSON.parse(refused.stdout) as Verdict;
    expect(verdict.outcome).toBe('invalid');
    expect(verdict.errors.map((e) => e.code)).toEqual(['STATUS_MISSING']);
    const human = await runCradle(['checkpoint', 'verify', token, '--home', home]);
    expect(human.stdout).toMatch(/^INVALID/m);
    expect(human.stdout).toMatch(/\[STATUS_MISSING\].*no revocation entry/);

    const relaxed = await runCradle(['checkpoint', 'verify', token, '--home', home, '--json', '--allow-missing-revocation-entry']);
    expect(relaxed.code, relaxed.stdout).toBe(0);
    expect((JSON.parse(relaxed.stdout) as Verdict).outcome).toBe('valid');
  }, 120_000);

  it('a checkpoint set up with --allow-missing-revocation-entry accepts it on every check', async () => {
    const home = await checkpoint('relaxed', ['--allow-missing-revocation-entry']);
    const run = await runCradle(['checkpoint', 'verify', token, '--home', home, '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect((JSON.parse(run.stdout) as Verdict).outcome).toBe('valid');
  }, 120_000);
});
