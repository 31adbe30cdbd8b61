// Issuance throughput: stock Veramo (CredentialProviderJWT, kms-local, TypeORM stores) vs Cradle's
// registrar (claims validation + random status allocation + vc+jwt signing + storage), same machine,
// same run. Run from the repo root:  N=300 node --conditions=source --import tsx packages/issuer/bench/issuance-throughput.ts
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent } from '@veramo/core';
import type { ICredentialPlugin, IDataStore, IDIDManager, IKeyManager } from '@veramo/core-types';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DataStore, DIDStore, Entities, KeyStore, PrivateKeyStore, migrations } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { DataSource } from 'typeorm';
import { startDevChain } from '@cradle/ledger/devchain';
import { createRegistrar } from '../src/index.js';

const N = Number(process.env.N ?? 300);
const claims = JSON.parse(readFileSync(new URL('../../../examples/data/birth-registration.json', import.meta.url), 'utf8'));
const child = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

async function stock(save: boolean): Promise<number> {
  const db = new DataSource({ type: 'sqlite', database: join(mkdtempSync(join(tmpdir(), 'stock-')), 'v.sqlite'), entities: Entities, migrations, migrationsRun: true, synchronize: false, logging: false });
  await db.initialize();
  const agent = createAgent<IKeyManager & IDIDManager & ICredentialPlugin & IDataStore>({
    plugins: [
      new KeyManager({ store: new KeyStore(db), kms: { local: new KeyManagementSystem(new PrivateKeyStore(db, new SecretBox(await SecretBox.createSecretKey()))) } }),
      new DIDManager({ store: new DIDStore(db), defaultProvider: 'did:key', providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) } }),
      new CredentialPlugin([new CredentialProviderJWT()]),
      new DataStore(db),
    ],
  });
  const issuer = await agent.didManagerCreate({ provider: 'did:key' });
  const one = async () => {
    const vc = await agent.createVerifiableCredential({
      credential: { issuer: { id: issuer.did }, type: ['VerifiableCredential', 'BirthRegistrationCredential'], credentialSubject: { id: child, ...claims } },
      proofFormat: 'jwt',
    });
    if (save) await agent.dataStoreSaveVerifiableCredential({ verifiableCredential: vc });
  };
  for (let i = 0; i < 20; i++) await one();
  const t = performance.now();
  for (let i = 0; i < N; i++) await one();
  const rate = N / ((performance.now() - t) / 1000);
  await db.destroy();
  return rate;
}

async function ours(concurrent: boolean): Promise<number> {
  const chain = await startDevChain({ port: 0 });
  const r = await createRegistrar({ home: mkdtempSync(join(tmpdir(), 'ours-')), secret: 'pw', ledger: chain.config, baseUrl: 'https://registrar.example' });
  await r.init();
  for (let i = 0; i < 20; i++) await r.issueBirthRegistration({ subject: child, claims });
  const t = performance.now();
  if (concurrent) await Promise.all(Array.from({ length: N }, () => r.issueBirthRegistration({ subject: child, claims })));
  else for (let i = 0; i < N; i++) await r.issueBirthRegistration({ subject: child, claims });
  const rate = N / ((performance.now() - t) / 1000);
  await r.close();
  await chain.stop();
  return rate;
}

const results: Record<string, number> = {};
for (let round = 0; round < 2; round++) {
  results['stock veramo jwt, sign only'] = await stock(false);
  results['stock veramo jwt, sign + dataStoreSave'] = await stock(true);
  results['cradle issue (validate+allocate+sign+store), sequential'] = await ours(false);
  results['cradle issue, 300 concurrent'] = await ours(true);
  console.log(round, Object.fromEntries(Object.entries(results).map(([k, v]) => [k, `${v.toFixed(0)}/s`])));
}
const base = results['stock veramo jwt, sign + dataStoreSave']!;
console.log('ratio sequential vs stock(sign+save):', (results['cradle issue (validate+allocate+sign+store), sequential']! / base).toFixed(2));
console.log('ratio sequential vs stock(sign only):', (results['cradle issue (validate+allocate+sign+store), sequential']! / results['stock veramo jwt, sign only']!).toFixed(2));
