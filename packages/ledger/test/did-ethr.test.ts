import { Wallet, encodeBase58, hexlify } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevChain } from '../src/devchain.js';
import type { DevChain } from '../src/devchain.js';
import {
  ANCHOR_DELEGATE_TYPE_LABEL,
  connectDidRegistry,
  connectLedger,
  createResolver,
  ed25519Methods,
  ethrDid,
  identityOfEthrDid,
  statusListId,
} from '../src/index.js';
import type { DidRegistryClient } from '../src/index.js';

let chain: DevChain;
let registrar: DidRegistryClient;
let identity: string;
const YEAR = 365 * 24 * 3600;

async function ed25519PublicKey(): Promise<Uint8Array> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
}

beforeAll(async () => {
  chain = await startDevChain({ port: 0 });
  identity = chain.accounts[0]!.address;
  registrar = await connectDidRegistry(chain.config, { signer: new Wallet(chain.accounts[0]!.privateKey) });
});

afterAll(async () => {
  await chain?.stop();
});

describe('did:ethr registrars', () => {
  it('uses did:ethr:<chainId hex>:<lowercase address> and maps it back to the identity', () => {
    const did = ethrDid(chain.config, identity);
    expect(did).toBe(`did:ethr:0x7a69:${identity.toLowerCase()}`);
    expect(identityOfEthrDid(chain.config, did)).toBe(identity);
    expect(() => identityOfEthrDid(chain.config, `did:ethr:0x1:${identity}`)).toThrow(/network 0x1/);
    expect(() => identityOfEthrDid(chain.config, 'did:key:z6Mk')).toThrow(/Not a did:ethr/);
  });

  it('resolves with the published Ed25519 key, referenced from assertionMethod', async () => {
    const key = await ed25519PublicKey();
    await registrar.publishEd25519Key({ identity, publicKey: key, validitySeconds: YEAR });
    const did = ethrDid(chain.config, identity);
    const { didDocument, didResolutionMetadata } = await createResolver(chain.config).resolve(did);
    expect(didResolutionMetadata.error).toBeUndefined();
    const vm = didDocument?.verificationMethod?.find((m) => m.type === 'Ed25519VerificationKey2018');
    expect(vm?.publicKeyBase58).toBe(encodeBase58(key));
    expect(didDocument?.assertionMethod).toContain(vm?.id);
    const methods = ed25519Methods(didDocument);
    expect(methods).toHaveLength(1);
    expect(hexlify(methods[0]!.publicKey)).toBe(hexlify(key));
    expect(methods[0]).toMatchObject({ id: vm?.id, assertion: true });
  });

  it('after rotation resolves with the new key and not the revoked one', async () => {
    const did = ethrDid(chain.config, identity);
    const resolver = createResolver(chain.config);
    const [old] = ed25519Methods((await resolver.resolve(did)).didDocument);
    const next = await ed25519PublicKey();
    await registrar.rotateSigningKey({ identity, oldPublicKey: old!.publicKey, newPublicKey: next, validitySeconds: YEAR });
    const keys = ed25519Methods((await resolver.resolve(did)).didDocument).map((m) => hexlify(m.publicKey));
    expect(keys).toEqual([hexlify(next)]);
  });

  it('requires an explicit, sane validity', async () => {
    const key = await ed25519PublicKey();
    for (const validitySeconds of [undefined, 0, -5, 1.5, 100 * YEAR]) {
      await expect(registrar.publishEd25519Key({ identity, publicKey: key, validitySeconds: validitySeconds as number })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    await expect(registrar.publishEd25519Key({ identity, publicKey: key.slice(1), validitySeconds: YEAR })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('adds a cradleAnchor delegate that can anchor, and revokes it', async () => {
    const delegate = chain.accounts[1]!;
    await registrar.addDelegate({ identity, delegateType: ANCHOR_DELEGATE_TYPE_LABEL, delegate: delegate.address, validitySeconds: 3600 });
    expect(await registrar.validDelegate({ identity, delegateType: ANCHOR_DELEGATE_TYPE_LABEL, delegate: delegate.address })).toBe(true);
    const ledger = await connectLedger(chain.config, { signer: new Wallet(delegate.privateKey) });
    const uri = 'https://registrar.example/status/delegated';
    await ledger.anchor({ identity, listId: statusListId(uri), version: 1, digest: hexlify(await ed25519PublicKey()), uri });
    // The anchoring key is not a verification method: it can never sign credentials.
    const doc = (await createResolver(chain.config).resolve(ethrDid(chain.config, identity))).didDocument;
    expect(JSON.stringify(doc)).not.toContain(delegate.address.slice(2).toLowerCase());
    await registrar.revokeDelegate({ identity, delegateType: ANCHOR_DELEGATE_TYPE_LABEL, delegate: delegate.address });
    expect(await ledger.canAnchor(identity, delegate.address)).toBe(false);
    ledger.close();
  });

  it('changeOwner hands control to a new key; the old one can no longer publish', async () => {
    const moved = chain.accounts[8]!;
    const newOwner = chain.accounts[9]!;
    const first = await connectDidRegistry(chain.config, { signer: new Wallet(moved.privateKey) });
    await first.changeOwner({ identity: moved.address, newOwner: newOwner.address });
    expect(await first.identityOwner(moved.address)).toBe(newOwner.address);
    await expect(first.publishEd25519Key({ identity: moved.address, publicKey: await ed25519PublicKey(), validitySeconds: 60 })).rejects.toMatchObject({
      code: 'RPC_REVERTED',
      details: { reason: 'bad_actor' },
    });
    const second = await connectDidRegistry(chain.config, { signer: new Wallet(newOwner.privateKey) });
    const key = await ed25519PublicKey();
    await second.publishEd25519Key({ identity: moved.address, publicKey: key, validitySeconds: 60 });
    const methods = ed25519Methods((await createResolver(chain.config).resolve(ethrDid(chain.config, moved.address))).didDocument);
    expect(methods.map((m) => hexlify(m.publicKey))).toEqual([hexlify(key)]);
  });

  it('ed25519Methods skips malformed entries of a hostile document', () => {
    expect(ed25519Methods(null)).toEqual([]);
    expect(
      ed25519Methods({
        id: 'did:ethr:0x7a69:0x0',
        verificationMethod: [
          { id: '#a', type: 'Ed25519VerificationKey2018', controller: 'x', publicKeyBase58: '0OIl' },
          { id: '#b', type: 'Ed25519VerificationKey2018', controller: 'x', publicKeyHex: 'zz' } as never,
        ],
      }),
    ).toEqual([]);
  });
});
