import { ethrDidPrefix as ethrDidPrefixOf, ethrNetworkId } from '@cradle/core';
import { createAgent } from '@veramo/core';
import type { IDIDManager, IKeyManager, IResolver, TAgent } from '@veramo/core-types';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { Resolver } from 'did-resolver';
import type { ResolverRegistry } from 'did-resolver';
import { getResolver as getEthrResolver } from 'ethr-did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';
import type { DataSource } from 'typeorm';
import { createRpcProvider } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import { CachedDIDStore, CachedKeyStore } from './cached-stores.js';
import type { KeyCustody } from './key-custody.js';

/**
 * The Veramo agent type of a registrar: keys, DIDs and resolution. It has no credential plugin: credentials
 * and status lists are built by `@cradle/core` and signed through the key manager (sign-credential.ts).
 */
export type RegistrarAgent = TAgent<IKeyManager & IDIDManager & IResolver>;

/** The KMS name of the registrar agent's only key-management system (its {@link KeyCustody}). */
export async function custodyName(agent: RegistrarAgent): Promise<string> {
  const [name] = await agent.keyManagerGetKeyManagementSystems();
  return name!;
}

/** `did:ethr:<chainIdHex>` of a ledger config: the DID prefix and Veramo provider name. */
export function ethrDidPrefix(config: LedgerConfig): string {
  return ethrDidPrefixOf(config.chainId);
}

/** What {@link createRegistrarAgent} returns: the agent and the private key store (to clear on close). */
export interface RegistrarAgentParts {
  agent: RegistrarAgent;
  destroy(): void;
  /** Forget the cached DID document record of `did` (its keys changed in another process). */
  forgetDid(did: string): void;
}

/**
 * The registrar's Veramo agent: KeyManager over the registrar's {@link KeyCustody} (by default kms-local
 * with SecretBox-encrypted private keys in the registrar database),
 * DIDManager for did:ethr (the configured chain) and did:key, and a resolver for both.
 */
export function createRegistrarAgent(db: DataSource, custody: KeyCustody, ledger: LedgerConfig): RegistrarAgentParts {
  const prefix = ethrDidPrefix(ledger);
  const chainHex = ethrNetworkId(ledger.chainId);
  const provider = createRpcProvider(ledger.rpcUrl, ledger.chainId, { timeoutMs: 15_000 });
  const didStore = new CachedDIDStore(db);
  const agent = createAgent<IKeyManager & IDIDManager & IResolver>({
    plugins: [
      new KeyManager({ store: new CachedKeyStore(db), kms: { [custody.name]: custody.kms } }),
      new DIDManager({
        store: didStore,
        defaultProvider: prefix,
        providers: {
          [prefix]: new EthrDIDProvider({
            defaultKms: custody.name,
            networks: [{ chainId: chainHex, rpcUrl: ledger.rpcUrl, registry: ledger.registry, provider }],
          }),
          'did:key': new KeyDIDProvider({ defaultKms: custody.name }),
        },
      }),
      new DIDResolverPlugin({
        resolver: new Resolver({
          ...(getEthrResolver({ networks: [{ chainId: ledger.chainId, rpcUrl: ledger.rpcUrl, registry: ledger.registry }] }) as ResolverRegistry),
          ...(getKeyResolver() as ResolverRegistry),
        }),
      }),
    ],
  });
  return {
    agent,
    forgetDid: (did) => didStore.forget(did),
    destroy: () => {
      custody.close?.();
      provider.destroy();
    },
  };
}
