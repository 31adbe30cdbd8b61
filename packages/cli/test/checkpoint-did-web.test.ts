// Through the real `cradle` command: trust a did:web issuer served on 127.0.0.1, sync (which fetches its
// did.json), then verify its credentials offline (the did.json server stopped). The credentials are
// signed with node:crypto (OpenSSL), not with Cradle's code.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeLedgerConfig } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { afterAll, describe, expect, it } from 'vitest';
import { birthClaims, makeDidKey } from '../../verifier/test/helpers/fixtures.js';
import { runCradle } from './helpers/run-cradle.js';

const SLOW = 300_000;
let chain: DevChain | undefined;
afterAll(async () => {
  await chain?.stop();
});

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('cradle checkpoint trust add did:web + sync, then verify offline', () => {
  it(
    'a did:web issuer\'s ES256 credential is valid after trust add + sync, and a tampered one is invalid',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cradle-did-web-'));
      chain = await startDevChain();
      const ledgerFile = join(dir, 'ledger.json');
      await writeFile(ledgerFile, serializeLedgerConfig(chain.config));
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const files = new Map<string, string>();
      const hits: string[] = [];
      const server = createServer((req, res) => {
        hits.push(req.url ?? '');
        const body = files.get(req.url ?? '');
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/did+json' }).end(body);
      });
      const port = await new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
      const did = `did:web:127.0.0.1%3A${port}:civil-registry`;
      const kid = `${did}#key-1`;
      files.set(
        '/civil-registry/did.json',
        JSON.stringify({ id: did, verificationMethod: [{ id: kid, type: 'JsonWebKey', controller: did, publicKeyJwk: publicKey.export({ format: 'jwk' }) }], assertionMethod: [kid] }),
      );
      const child = makeDidKey(7).did;
      const now = Math.floor(Date.now() / 1000) - 3600;
      const id = 'urn:uuid:6a7e0a54-3f2b-4c39-9d8e-0d4f2b8c1a11';
      const payload = {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
        id,
        type: ['VerifiableCredential', 'BirthRegistrationCredential'],
        issuer: did,
        validFrom: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        credentialSubject: { id: child, ...birthClaims() },
        iss: did,
        sub: child,
        jti: id,
        iat: now,
        nbf: now,
      };
      const input = `${b64({ alg: 'ES256', typ: 'vc+jwt', kid })}.${b64(payload)}`;
      const jwt = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
      const tampered = `${b64({ alg: 'ES256', typ: 'vc+jwt', kid })}.${b64({ ...payload, credentialSubject: { ...payload.credentialSubject, birthDate: '2019-01-01' } })}.${jwt.split('.')[2]}`;

      const cp = join(dir, 'checkpoint');
      const run = async (args: string[]) => runCradle([...args, '--home', cp, '--json']);
      // This third-party did:web issuer publishes no revocation list: the checkpoint accepts that explicitly.
      expect((await run(['checkpoint', 'init', '--ledger', ledgerFile, '--allow-missing-revocation-entry'])).code).toBe(0);
      expect((await run(['checkpoint', 'trust', 'add', did])).code).toBe(0);
      const synced = await run(['checkpoint', 'sync']);
      expect(synced.code, synced.stdout + synced.stderr).toBe(0);
      expect((JSON.parse(synced.stdout) as { didDocuments: unknown[] }).didDocuments).toEqual([{ did, outcome: 'updated' }]);
      expect(hits).toEqual(['/civil-registry/did.json']);
      await new Promise<void>((done) => server.close(() => done()));

      const valid = await run(['checkpoint', 'verify', jwt]);
      expect(valid.code, valid.stdout + valid.stderr).toBe(0);
      expect(JSON.parse(valid.stdout)).toMatchObject({ outcome: 'valid', facts: { registrar: { did, trusted: true } } });
      const bad = await run(['checkpoint', 'verify', tampered]);
      expect(bad.code).toBe(1);
      expect((JSON.parse(bad.stdout) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID']);
      expect(hits).toHaveLength(1); // verification never fetched anything
    },
    SLOW,
  );
});
