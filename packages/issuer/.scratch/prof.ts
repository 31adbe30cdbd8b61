import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';

const chain = await startDevChain({ port: 0 });
const home = mkdtempSync(join(tmpdir(), 'cradle-reg-'));
const r = await createRegistrar({ home, secret: 'pw', ledger: chain.config, baseUrl: 'https://registrar.example' });
await r.init();
const id = r.identity()!;
const sub = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
for (let k = 0; k < 2; k++) {
let t = performance.now();
const N = 300;
for (let i = 0; i < N; i++) await r.agent.keyManagerSign({ keyRef: id.signingKid, data: 'abc', algorithm: 'EdDSA' });
console.log('keyManagerSign ms', ((performance.now() - t) / N).toFixed(3));
t = performance.now();
for (let i = 0; i < N; i++) await r.agent.createVerifiableCredential({ credential: { issuer: id.did, validFrom: '2026-01-01T00:00:00Z', credentialSubject: { id: sub } } as never, proofFormat: 'vc+jwt', keyRef: id.signingKid });
console.log('createVC ms', ((performance.now() - t) / N).toFixed(3));
const db = (r as unknown as { agent: unknown }).agent;
void db;
t = performance.now();
for (let i = 0; i < N; i++) await r.issueBirthRegistration({ subject: sub, claims: { givenName: 'A' } });
console.log('issue seq ms', ((performance.now() - t) / N).toFixed(3));
}
await r.close();
await chain.stop();
