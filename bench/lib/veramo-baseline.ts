import { createAgent } from '@veramo/core';
import type { ICredentialPlugin, IDIDManager, IKeyManager, IResolver, TAgent, VerifiableCredential } from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { Resolver } from 'did-resolver';
import { getResolver as keyDidResolver } from 'key-did-resolver';

export type BaselineAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

/**
 * Stock Veramo 7, configured as its docs show: in-memory stores, did:key (Ed25519) issuer, the JWT
 * credential provider. This is the baseline the benchmark compares against, in the same process.
 */
export async function createBaselineAgent(): Promise<{ agent: BaselineAgent; issuer: string }> {
  const agent = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ resolver: new Resolver({ ...keyDidResolver() }) }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  const identifier = await agent.didManagerCreate({ provider: 'did:key', kms: 'local', options: { keyType: 'Ed25519' } });
  return { agent, issuer: identifier.did };
}

/** Issue a VCDM 1.1 JWT-VC with stock Veramo, carrying the same claims. */
export async function baselineIssue(agent: BaselineAgent, issuer: string, subject: string, claims: Record<string, unknown>): Promise<VerifiableCredential> {
  return agent.createVerifiableCredential({
    credential: {
      issuer: { id: issuer },
      type: ['VerifiableCredential', 'BirthRegistrationCredential'],
      issuanceDate: new Date().toISOString(),
      credentialSubject: { id: subject, ...claims },
    },
    proofFormat: 'jwt',
  });
}
