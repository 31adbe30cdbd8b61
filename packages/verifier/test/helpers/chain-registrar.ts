// A registrar on the real local chain (Hardhat EDR via @cradle/ledger/devchain): its did:ethr, its
// Ed25519 signing key published in ERC-1056, and anchoring of signed lists with the anchor contract.
import { connectDidRegistry, connectLedger, ethrDid } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import type { DevChain } from '@cradle/ledger/devchain';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { utf8Encode } from '@cradle/core';
import type { SignedList } from './fixtures.js';
import { signList } from './fixtures.js';
import type { Registrar } from './fixtures.js';

export interface ChainRegistrar extends Registrar {
  config: LedgerConfig;
  publish(list: SignedList): Promise<void>;
  anchorRaw(a: { listId: string; version: number; digest: string; uri: string }): Promise<void>;
}

/** Account `index` of the chain becomes a registrar with a published Ed25519 key. */
export async function chainRegistrar(chain: DevChain, index: number, seed: number): Promise<ChainRegistrar> {
  const signer = chain.signer(index);
  const address = signer.address;
  const secretKey = sha256(utf8Encode(`cradle-chain-registrar-${seed}`));
  const publicKey = ed25519.getPublicKey(secretKey);
  const registry = await connectDidRegistry(chain.config, { signer });
  await registry.publishEd25519Key({ identity: address, publicKey, validitySeconds: 365 * 86_400 });
  const did = ethrDid(chain.config, address);
  const ledger = await connectLedger(chain.config, { signer });
  return {
    did,
    kid: `${did}#delegate-1`,
    address: address.toLowerCase(),
    secretKey,
    publicKey,
    document: {},
    config: chain.config,
    sign: (d) => ed25519.sign(d, secretKey),
    async publish(list) {
      await ledger.anchor({ identity: address, listId: list.anchor.listId, version: list.anchor.version, digest: list.digest, uri: list.url });
    },
    async anchorRaw(a) {
      await ledger.anchor({ identity: address, ...a });
    },
  };
}

export { signList };
