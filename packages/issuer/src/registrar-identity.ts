import type { IKey } from '@veramo/core-types';
import { KmsEthereumSigner } from '@veramo/did-provider-ethr';
import { DIDStore } from '@veramo/data-store';
import { Contract, Wallet, computeAddress, getAddress, parseEther } from 'ethers';
import { CradleError } from '@cradle/core';
import { ANCHOR_DELEGATE_TYPE, ERC1056_ABI, classifyRpcError, createRpcProvider } from '@cradle/ledger';
import { getMeta, setMeta } from './meta-store.js';
import { custodyName, ethrDidPrefix } from './registrar-agent.js';
import type { RegistrarAgent } from './registrar-agent.js';
import type { ResolvedRegistrarConfig } from './registrar-config.js';
import type { RegistrarStore, SqlExecutor } from './storage/registrar-store.js';

/** The registrar's identity, as recorded in `cradle_meta` once `init` has run. */
export interface RegistrarIdentity {
  /** `did:ethr:<chainIdHex>:<address>`. */
  did: string;
  /** The ERC-1056 identity address (the controller key's address at creation). */
  address: string;
  /** Veramo kid of the secp256k1 controller key. */
  controllerKid: string;
  /** Veramo kid of the Ed25519 signing key. */
  signingKid: string;
  /** Verification method id of the signing key in the resolved DID document (the JWS `kid`). */
  verificationMethod: string;
  /** Veramo kid of the secp256k1 key that anchors as a `cradleAnchor` delegate. */
  anchorKid: string;
  /** Address of the anchoring delegate. */
  anchorAddress: string;
}

/** What `init` did. */
export interface InitResult extends RegistrarIdentity {
  /** True when the home was already initialised and nothing was sent. */
  alreadyInitialised: boolean;
  /** Addresses funded from the dev chain's first account (empty on real networks). */
  funded: string[];
  /** Unix seconds until which the signing key and the anchoring delegate are valid on ERC-1056. */
  signingKeyValidUntil: number;
  anchorDelegateValidUntil: number;
}

const META_IDENTITY = 'registrar.identity';
/** Minimum balance (wei) the init transactions need on the controller; a rough, generous bound. */
const MIN_BALANCE = parseEther('0.002');
const DEV_FUNDING = parseEther('10');

/** The identity recorded by a finished `init`, or undefined. */
export async function loadIdentity(db: SqlExecutor): Promise<RegistrarIdentity | undefined> {
  const text = await getMeta(db, META_IDENTITY);
  return text === undefined ? undefined : (JSON.parse(text) as RegistrarIdentity);
}

async function step<T>(db: SqlExecutor, name: string, run: () => Promise<T>): Promise<T> {
  const done = await getMeta(db, `init.${name}`);
  if (done !== undefined) return JSON.parse(done) as T;
  const value = await run();
  await setMeta(db, `init.${name}`, JSON.stringify(value ?? null));
  return value;
}

async function createKey(agent: RegistrarAgent, type: 'Secp256k1' | 'Ed25519'): Promise<IKey> {
  return agent.keyManagerCreate({ kms: await custodyName(agent), type });
}

/**
 * Create the registrar on the ledger. Each step is recorded in `cradle_meta`, so an interrupted init (an
 * unfunded account, an RPC outage) resumes where it stopped when run again:
 *
 * 1. secp256k1 controller key, created in the key custody (never imported), and
 *    `did:ethr:<chain>:<address>` in Veramo's DID store;
 * 2. a second secp256k1 key for anchoring;
 * 3. funding: from `ledger.devAccounts[0]` on a dev chain, else the operator must fund the addresses
 *    (`INSUFFICIENT_FUNDS` names them);
 * 4. the Ed25519 signing key published as `did/pub/Ed25519/veriKey/hex` through Veramo's
 *    did:ethr provider **with an explicit validity** (never its one-day default);
 * 5. the anchoring key added as a `cradleAnchor` delegate (explicit validity), so the controller key can
 *    go cold after init;
 * 6. the DID resolved once to find the verification-method id of the signing key (the JWS `kid`).
 */
export async function initIdentity(db: RegistrarStore, agent: RegistrarAgent, config: ResolvedRegistrarConfig): Promise<InitResult> {
  const existing = await loadIdentity(db);
  if (existing !== undefined) {
    return {
      ...existing,
      alreadyInitialised: true,
      funded: [],
      signingKeyValidUntil: Number((await getMeta(db, 'init.signingKeyValidUntil')) ?? 0),
      anchorDelegateValidUntil: Number((await getMeta(db, 'init.anchorDelegateValidUntil')) ?? 0),
    };
  }
  const ledger = config.ledger;
  const provider = createRpcProvider(ledger.rpcUrl, ledger.chainId, { timeoutMs: 15_000 });
  try {
    await checkChainId(provider, ledger);
    const controller = await step(db, 'controllerKey', () => createControllerDid(db, agent, ledger));
    const address = addressOf(controller);
    const did = `${ethrDidPrefix(ledger)}:${address}`;
    const anchorKey = await step(db, 'anchorKey', () => createKey(agent, 'Secp256k1'));
    const anchorAddress = addressOf(anchorKey);
    const funded = await step(db, 'funding', () => fundAccounts(provider, ledger, address, anchorAddress));

    const identifier = await agent.didManagerGet({ did });
    const signingKey = await step(db, 'signingKey', () => createKey(agent, 'Ed25519'));
    const nowSeconds = Math.floor(config.now() / 1000);
    await step(db, 'signingKeyPublished', async () => {
      try {
        await agent.didManagerAddKey({ did: identifier.did, key: signingKey, options: { ttl: config.signingKeyValiditySeconds, encoding: 'hex' } });
      } catch (e) {
        throw classifyRpcError(e);
      }
      return true;
    });
    await step(db, 'signingKeyValidUntil', async () => nowSeconds + config.signingKeyValiditySeconds);
    await step(db, 'anchorDelegate', () => addAnchorDelegate(provider, agent, ledger, controller, anchorAddress, config.anchorDelegateValiditySeconds));
    await step(db, 'anchorDelegateValidUntil', async () => nowSeconds + config.anchorDelegateValiditySeconds);

    const verificationMethod = await step(db, 'verificationMethod', () => findVerificationMethod(agent, did, signingKey.publicKeyHex));
    const identity: RegistrarIdentity = {
      did,
      address,
      controllerKid: controller.kid,
      signingKid: signingKey.kid,
      verificationMethod,
      anchorKid: anchorKey.kid,
      anchorAddress,
    };
    await setMeta(db, META_IDENTITY, JSON.stringify(identity));
    return {
      ...identity,
      alreadyInitialised: false,
      funded,
      signingKeyValidUntil: nowSeconds + config.signingKeyValiditySeconds,
      anchorDelegateValidUntil: nowSeconds + config.anchorDelegateValiditySeconds,
    };
  } finally {
    provider.destroy();
  }
}

type RpcProvider = ReturnType<typeof createRpcProvider>;
type Ledger = ResolvedRegistrarConfig['ledger'];

/** The RPC must serve the configured chain (`CHAIN_ID_MISMATCH` otherwise; an unreachable RPC is classified). */
async function checkChainId(provider: RpcProvider, ledger: Ledger): Promise<void> {
  const chainId = await provider.send('eth_chainId', []).catch((e: unknown) => {
    throw classifyRpcError(e);
  });
  if (Number(BigInt(chainId as string)) !== ledger.chainId) {
    throw new CradleError('CHAIN_ID_MISMATCH', `The RPC at ${ledger.rpcUrl} serves chain ${BigInt(chainId as string)}, not ${ledger.chainId}.`);
  }
}

/**
 * The controller key, created INSIDE the key custody (a KMS or HSM creates it and never exports or
 * imports a private key), and the DID is its address: `did:ethr:<chain>:<address>` (docs/formats.md;
 * Veramo's own create would use the public-key form). The DID is recorded in Veramo's DID store
 * directly, because `didManagerImport` would hand the key to the custody's `importKey` again.
 */
async function createControllerDid(db: RegistrarStore, agent: RegistrarAgent, ledger: Ledger): Promise<IKey> {
  const key = await createKey(agent, 'Secp256k1');
  const did = `${ethrDidPrefix(ledger)}:${addressOf(key)}`;
  await new DIDStore(db.dataSource).importDID({ did, provider: ethrDidPrefix(ledger), controllerKeyId: key.kid, keys: [key], services: [] });
  return { kid: key.kid, publicKeyHex: key.publicKeyHex, type: key.type, kms: key.kms, meta: key.meta } as IKey;
}

/**
 * Each account below `MIN_BALANCE` is funded from `ledger.devAccounts[0]` on a dev chain; elsewhere the
 * operator must fund it (`INSUFFICIENT_FUNDS` names both). Returns the addresses funded.
 */
async function fundAccounts(provider: RpcProvider, ledger: Ledger, address: string, anchorAddress: string): Promise<string[]> {
  const out: string[] = [];
  const dev = ledger.devAccounts?.[0];
  for (const who of [address, anchorAddress]) {
    const balance = await provider.getBalance(who).catch((e: unknown) => {
      throw classifyRpcError(e);
    });
    if (balance >= MIN_BALANCE) continue;
    if (dev === undefined) {
      throw new CradleError(
        'INSUFFICIENT_FUNDS',
        `Fund the registrar's accounts, then run init again: controller ${address} (pays for the key and delegate registration) and anchoring account ${anchorAddress} (pays for every anchor).`,
        { details: { controller: address, anchor: anchorAddress } },
      );
    }
    const wallet = new Wallet(dev.privateKey, provider);
    try {
      const tx = await wallet.sendTransaction({ to: who, value: DEV_FUNDING });
      await tx.wait(1);
    } catch (e) {
      throw classifyRpcError(e);
    }
    out.push(who);
  }
  return out;
}

/** The anchoring key as a `cradleAnchor` delegate of the identity (explicit validity), signed by the controller key in custody. */
async function addAnchorDelegate(provider: RpcProvider, agent: RegistrarAgent, ledger: Ledger, controller: IKey, anchorAddress: string, validitySeconds: number): Promise<true> {
  const signer = new KmsEthereumSigner(controller, { agent }, provider);
  const registry = new Contract(ledger.registry, ERC1056_ABI, signer);
  try {
    const tx = await registry.getFunction('addDelegate').send(addressOf(controller), ANCHOR_DELEGATE_TYPE, anchorAddress, validitySeconds);
    await tx.wait(1);
  } catch (e) {
    throw classifyRpcError(e);
  }
  return true;
}

/** The Ethereum address of a secp256k1 key. */
export function addressOf(key: Pick<IKey, 'publicKeyHex'>): string {
  return getAddress(computeAddress(`0x${key.publicKeyHex.replace(/^0x/, '')}`));
}

/** Resolve the registrar DID once and return the id of the assertion method holding `publicKeyHex`. */
async function findVerificationMethod(agent: RegistrarAgent, did: string, publicKeyHex: string): Promise<string> {
  const result = await agent.resolveDid({ didUrl: did });
  const doc = result.didDocument;
  const hex = publicKeyHex.toLowerCase().replace(/^0x/, '');
  const vm = doc?.verificationMethod?.find((m) => (m.publicKeyHex ?? '').toLowerCase().replace(/^0x/, '') === hex);
  if (doc === null || vm === undefined) {
    throw new CradleError('RPC_ERROR', `The signing key was published but the DID document of ${did} does not show it yet; run init again.`);
  }
  const asserted = (doc.assertionMethod ?? []).some((ref) => (typeof ref === 'string' ? ref : ref.id) === vm.id);
  if (!asserted) throw new CradleError('RPC_ERROR', `The signing key of ${did} is not an assertion method in its DID document.`);
  return vm.id;
}


/** What {@link rotateSigningKey} did. */
export interface RotationResult {
  /** The new signing key's verification method (the `kid` of credentials issued from now on). */
  verificationMethod: string;
  /** The previous one: still in the DID document until its own validity ends. */
  previous: string;
  /** Unix seconds until which the new key is valid on ERC-1056 (approximate: the registrar's clock). */
  validUntil: number;
}

/**
 * Publish a new Ed25519 signing key (explicit validity) and issue with it from now on. The previous key is
 * left in place, so credentials it signed keep verifying until its validity ends; after a compromise,
 * remove it instead (`agent.didManagerRemoveKey`, which revokes the ERC-1056 attribute) and re-issue.
 * Needs the controller key and a funded controller address.
 */
export async function rotateSigningKey(
  db: RegistrarStore,
  agent: RegistrarAgent,
  config: ResolvedRegistrarConfig,
  identity: RegistrarIdentity,
  validitySeconds = config.signingKeyValiditySeconds,
): Promise<{ identity: RegistrarIdentity; result: RotationResult }> {
  if (!Number.isSafeInteger(validitySeconds) || validitySeconds < 60) {
    throw new CradleError('INVALID_ARGUMENT', 'The signing key validity must be at least 60 seconds.', { details: { field: 'validitySeconds' } });
  }
  const key = await createKey(agent, 'Ed25519');
  try {
    await agent.didManagerAddKey({ did: identity.did, key, options: { ttl: validitySeconds, encoding: 'hex' } });
  } catch (e) {
    throw classifyRpcError(e);
  }
  const verificationMethod = await findVerificationMethod(agent, identity.did, key.publicKeyHex);
  const next: RegistrarIdentity = { ...identity, signingKid: key.kid, verificationMethod };
  const validUntil = Math.floor(config.now() / 1000) + validitySeconds;
  await db.write(async (tx) => {
    await setMeta(tx, META_IDENTITY, JSON.stringify(next));
    await setMeta(tx, 'init.signingKeyValidUntil', JSON.stringify(validUntil));
  });
  return { identity: next, result: { verificationMethod, previous: identity.verificationMethod, validUntil } };
}
