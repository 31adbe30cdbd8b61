import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode } from '@cradle/core';
import { didKeyFromEd25519PublicKey, signTrustList } from '@cradle/verifier';
import type { VerificationResult } from '@cradle/verifier';
import { parseDuration } from '../src/commands/checkpoint/home.js';
import { VERIFY_EXIT, formatResult } from '../src/commands/checkpoint/verify.js';
import { offlineLedgerFile } from './helpers/e2e.js';

describe('cradle checkpoint helpers', () => {
  it('durations: 24h, 7d, 90m, 3600s, 3600; anything else is a clear error', () => {
    expect([parseDuration('24h'), parseDuration('7d'), parseDuration('90m'), parseDuration('3600s'), parseDuration('3600'), parseDuration('1w')]).toEqual([
      86_400, 604_800, 5_400, 3_600, 3_600, 604_800,
    ]);
    for (const bad of ['', '0', '-1h', '1.5h', '24 hours', 'h']) expect(() => parseDuration(bad)).toThrow(/not a duration/);
  });

  it('exit status: 0 valid, 1 invalid, 2 indeterminate, 3 child-protection alert', () => {
    expect(VERIFY_EXIT).toEqual({ valid: 0, invalid: 1, indeterminate: 2, alert: 3 });
  });

  it('human output: a clear headline, the facts, and every failed check', () => {
    const result: VerificationResult = {
      outcome: 'invalid',
      verified: false,
      kind: 'presentation',
      bearer: false,
      errors: [
        { code: 'REVOKED', message: 'Credential #2 in the presentation has been revoked by the registrar: do not accept it.', where: 'credential[1]' },
        { code: 'CHALLENGE_MISMATCH', message: 'The presentation was made for another request (wrong nonce).', where: 'presentation' },
      ],
      facts: {
        child: { givenName: 'Amina', familyName: 'Otieno', birthDate: '2025-03-14', ageYears: 1 },
        registrationNumber: 'KSM-2025-004217',
        registrar: { did: 'did:ethr:0x7a69:0xabc', trusted: true },
        guardian: { did: 'did:key:z6MkG', isListedGuardian: false },
      },
      statusAge: { seconds: 7200, asOf: '2026-11-23T10:00:00.000Z' },
    };
    const text = formatResult(result);
    expect(text.split('\n')[0]).toBe('INVALID: do not accept this presentation.');
    expect(text).toContain('Amina Otieno, born 2025-03-14 (1 year old)');
    expect(text).toContain('NOT a confirmed guardian');
    expect(text).toContain('Status data:         2 hours old');
    expect(text).toContain('[REVOKED] (credential[1])');
    expect(text).toContain('[CHALLENGE_MISMATCH] The presentation');
    expect(formatResult({ ...result, outcome: 'indeterminate', errors: [] }).split('\n')[0]).toMatch(/^CANNOT CONFIRM/);
    expect(formatResult({ ...result, kind: 'credential', bearer: true, outcome: 'valid', errors: [] })).toContain('bare credential');
  });
});

const REPO = resolve(import.meta.dirname, '../../..');

function cradle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(REPO, 'packages/cli/src/bin.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('cradle checkpoint trust import (CLI)', () => {
  it('imports a governance-signed trust list; a de-accredited registrar shows in trust list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-trust-'));
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const governance = didKeyFromEd25519PublicKey(base64UrlDecode(publicKey.export({ format: 'jwk' }).x!));
    const ledger = await offlineLedgerFile(dir);
    const deaccredited = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111';
    const jwt = await signTrustList({
      issuer: governance,
      kid: `${governance}#${governance.slice(8)}`,
      version: 2,
      registrars: [{ did: deaccredited, status: 'revoked' }],
      sign: (data) => new Uint8Array(sign(null, data, privateKey)),
    });
    await writeFile(join(dir, 'trust.jwt'), jwt);
    const home = join(dir, 'cp');
    const init = await cradle(['checkpoint', 'init', '--ledger', ledger, '--governance', governance, '--home', home, '--json']);
    expect(init.code, init.stderr).toBe(0);
    const imported = await cradle(['checkpoint', 'trust', 'import', join(dir, 'trust.jwt'), '--home', home, '--json']);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ version: 2, deaccredited: [deaccredited] });
    const list = await cradle(['checkpoint', 'trust', 'list', '--home', home, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ trusted: [], deaccredited: [deaccredited], governanceListVersion: 2 });
  }, 300_000);
});

describe('cradle checkpoint bundle export --sign-key (CLI)', () => {
  it('a bundle signed by the governance key brings its trusted registrars to a checkpoint that requires signed bundles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-cli-bundle-'));
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const governance = didKeyFromEd25519PublicKey(base64UrlDecode(publicKey.export({ format: 'jwk' }).x!));
    await writeFile(join(dir, 'gov.jwk'), JSON.stringify(privateKey.export({ format: 'jwk' })), { mode: 0o600 });
    const ledger = await offlineLedgerFile(dir);
    const registrar = 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222';
    const hq = join(dir, 'hq');
    const field = join(dir, 'field');
    expect((await cradle(['checkpoint', 'init', '--ledger', ledger, '--home', hq])).code).toBe(0);
    expect((await cradle(['checkpoint', 'trust', 'add', registrar, '--home', hq])).code).toBe(0);
    const bundle = join(dir, 'b.json');
    const exported = await cradle(['checkpoint', 'bundle', 'export', bundle, '--home', hq, '--sign-key', join(dir, 'gov.jwk'), '--json']);
    expect(exported.code, exported.stderr + exported.stdout).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ signedBy: governance });
    expect((await cradle(['checkpoint', 'init', '--ledger', ledger, '--governance', governance, '--home', field])).code).toBe(0);
    const imported = await cradle(['checkpoint', 'bundle', 'import', bundle, '--home', field, '--json']);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ signed: true, signedBy: governance, trustedIssuers: [registrar] });
    // The same bundle unsigned is refused there.
    const plain = join(dir, 'plain.json');
    expect((await cradle(['checkpoint', 'bundle', 'export', plain, '--home', hq])).code).toBe(0);
    const refused = await cradle(['checkpoint', 'bundle', 'import', plain, '--home', field, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.message).toMatch(/only accepts bundles signed/);
  }, 300_000);
});
