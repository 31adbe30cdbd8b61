// A credential issued by a stock Veramo 7 agent (VCDM 1.1 JWT-VC, `proofFormat: 'jwt'`) from a trusted
// did:key issuer verifies offline at a Cradle checkpoint. In-memory Veramo stores; real Ed25519 keys.
import { createAgent } from '@veramo/core';
import type { ICredentialPlugin, IDIDManager, IKeyManager, IResolver } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { Resolver } from 'did-resolver';
import type { ResolverRegistry } from 'did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';
import { describe, expect, it } from 'vitest';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { verifyCredential } from '../src/verify-credential.js';
import { birthClaims, makeDidKey } from './helpers/fixtures.js';

function veramoAgent() {
  return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({ store: new MemoryDIDStore(), defaultProvider: 'did:key', providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) } }),
      new DIDResolverPlugin({ resolver: new Resolver({ ...(getKeyResolver() as ResolverRegistry) }) }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
}

describe('interop: a stock Veramo agent as issuer', () => {
  it('a VCDM 1.1 JWT-VC from a trusted did:key issuer verifies; untrusted, it is refused', async () => {
    const agent = veramoAgent();
    const issuer = await agent.didManagerCreate({ provider: 'did:key', options: { keyType: 'Ed25519' } });
    const child = makeDidKey(1).did;
    const vc = await agent.createVerifiableCredential({
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'BirthRegistrationCredential'],
        issuer: { id: issuer.did },
        issuanceDate: new Date(Date.now() - 60_000).toISOString(),
        credentialSubject: { id: child, ...birthClaims() },
      },
      proofFormat: 'jwt',
    });
    const jwt = (vc.proof as { jwt: string }).jwt;
    const now = Date.now();
    const store = new MemoryVerifierStore({
      // A stock Veramo issuer publishes no status list: this test is about the format, so the policy is relaxed.
      config: { maxStatusAge: 86_400, requireRevocationEntry: false },
      trust: { operator: [{ did: issuer.did, addedAt: 0 }], removed: [] },
      didDocuments: [],
      statusLists: [],
      anchors: [],
    });
    const r = await verifyCredential(jwt, { store, now });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ outcome: 'valid', facts: { registrar: { did: issuer.did, trusted: true }, child: { givenName: 'Amina Wanjiru' } } });

    const untrusted = new MemoryVerifierStore();
    expect((await verifyCredential(jwt, { store: untrusted, now, requireRevocationEntry: false })).errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED']);
  });
});
