import { CradleError, ethrDidOf, ethrNetworkId } from '@cradle/core';
import { Resolver } from 'did-resolver';
import type { DIDDocument, ResolverRegistry, VerificationMethod } from 'did-resolver';
import { Contract, decodeBase58, encodeBytes32String, getBytes, hexlify, isHexString, toBeHex } from 'ethers';
import type { Provider, Signer } from 'ethers';
import { getResolver, interpretIdentifier } from 'ethr-did-resolver';
import type { ConfirmedTransaction } from './anchor-client.js';
import { connectLedger } from './anchor-client.js';
import { assertAddress } from './anchor-input.js';
import { ERC1056_ABI } from './erc1056-abi.js';
import type { LedgerConfig } from './ledger-config.js';
import { classifyRpcError } from './rpc-errors.js';
import { createRpcProvider } from './rpc-provider.js';

/** ERC-1056 attribute under which a registrar publishes its Ed25519 credential-signing key. */
export const ED25519_KEY_ATTRIBUTE = 'did/pub/Ed25519/veriKey/base58';
/** Longest validity accepted for a key or delegate: 10 years. Anything longer is almost surely a unit mistake. */
export const MAX_VALIDITY_SECONDS = 10 * 365 * 24 * 3600;

export { ethrNetworkId } from '@cradle/core';

/**
 * The canonical DID of an identity address on the configured chain:
 * `did:ethr:<chainId hex>:<lowercase address>` (docs/formats.md). Compare DIDs in this form only.
 *
 * @example
 * ```ts
 * ethrDid(config, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266') // 'did:ethr:0x7a69:0xf39fd6e5…'
 * ```
 */
export function ethrDid(config: Pick<LedgerConfig, 'chainId'>, identity: string): string {
  return ethrDidOf(config.chainId, assertAddress(identity, 'identity'));
}

/**
 * The identity address behind a `did:ethr` on the configured chain (address or public-key form). Throws
 * `INVALID_ARGUMENT` for another method, a malformed DID or a DID on another network.
 */
export function identityOfEthrDid(config: Pick<LedgerConfig, 'chainId'>, did: string): string {
  const m = /^did:ethr:(?:([^:]+):)?(0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{66})$/.exec(did);
  if (m === null) throw new CradleError('INVALID_ARGUMENT', `Not a did:ethr DID: ${did.slice(0, 120)}`);
  const network = m[1] ?? 'mainnet';
  if (network.toLowerCase() !== ethrNetworkId(config.chainId) && !(network === 'mainnet' && config.chainId === 1)) {
    throw new CradleError('INVALID_ARGUMENT', `${did.slice(0, 120)} is on network ${network}, not on chain ${ethrNetworkId(config.chainId)}.`);
  }
  return interpretIdentifier(m[2] ?? '').address;
}

/** Options for the resolver helpers. */
export interface EthrResolverOptions {
  /** Use this provider (e.g. an in-process chain) instead of a fail-fast one built from `rpcUrl`. */
  provider?: Provider;
}

/**
 * `ethr-did-resolver` configuration for the ledger's chain. Only the canonical network id (hex chain id)
 * is registered, and the provider is a fail-fast one (ethr-did-resolver's own would retry forever when
 * the RPC is down).
 */
export function ethrResolverConfig(config: LedgerConfig, opts: EthrResolverOptions = {}) {
  const provider = opts.provider ?? createRpcProvider(config.rpcUrl, config.chainId);
  return { networks: [{ name: ethrNetworkId(config.chainId), chainId: config.chainId, registry: config.registry, provider }] };
}

/**
 * A did-resolver `Resolver` for `did:ethr` on the ledger's chain.
 *
 * @example
 * ```ts
 * const { didDocument } = await createResolver(config).resolve(ethrDid(config, identity));
 * ```
 */
export function createResolver(config: LedgerConfig, opts: EthrResolverOptions = {}): Resolver {
  // ethr-did-resolver is CommonJS and typed against did-resolver 5 and ethers' CommonJS types; the shapes
  // are the same at runtime, so the casts only bridge the duplicate type declarations.
  const methods = getResolver(ethrResolverConfig(config, opts) as unknown as Parameters<typeof getResolver>[0]);
  return new Resolver(methods as unknown as ResolverRegistry);
}

/** An Ed25519 key found in a DID document. */
export interface Ed25519Method {
  /** Full verification method id (`did:ethr:…#delegate-N`): the JWS `kid`. */
  id: string;
  publicKey: Uint8Array;
  /** Whether the method is referenced from `assertionMethod` (may sign credentials). */
  assertion: boolean;
}

function base58ToBytes32(value: string): Uint8Array | undefined {
  try {
    const n = decodeBase58(value);
    if (n >= 1n << 256n) return undefined;
    return getBytes(toBeHex(n, 32));
  } catch {
    return undefined;
  }
}

/**
 * The Ed25519 keys in a resolved `did:ethr` document (`Ed25519VerificationKey2018`, base58 or hex).
 * Never throws on a hostile document: malformed entries are skipped.
 */
export function ed25519Methods(doc: DIDDocument | null | undefined): Ed25519Method[] {
  if (doc === null || doc === undefined || !Array.isArray(doc.verificationMethod)) return [];
  const assertion = new Set((Array.isArray(doc.assertionMethod) ? doc.assertionMethod : []).map((r) => (typeof r === 'string' ? r : r.id)));
  const out: Ed25519Method[] = [];
  for (const vm of doc.verificationMethod as (VerificationMethod & { publicKeyHex?: unknown })[]) {
    if (vm.type !== 'Ed25519VerificationKey2018' && vm.type !== 'Ed25519VerificationKey2020') continue;
    let key: Uint8Array | undefined;
    if (typeof vm.publicKeyBase58 === 'string') key = base58ToBytes32(vm.publicKeyBase58);
    else if (typeof vm.publicKeyHex === 'string' && /^[0-9a-fA-F]{64}$/.test(vm.publicKeyHex)) key = getBytes(`0x${vm.publicKeyHex}`);
    if (key === undefined || key.length !== 32) continue;
    out.push({ id: vm.id.startsWith('#') ? `${doc.id}${vm.id}` : vm.id, publicKey: key, assertion: assertion.has(vm.id) });
  }
  return out;
}

function assertValidity(seconds: unknown, field = 'validitySeconds'): number {
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_VALIDITY_SECONDS) {
    throw new CradleError('INVALID_ARGUMENT', `${field} is required: a whole number of seconds between 1 and ${MAX_VALIDITY_SECONDS} (10 years).`, {
      details: { field },
    });
  }
  return seconds;
}

function assertEd25519PublicKey(key: unknown, field = 'publicKey'): string {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new CradleError('INVALID_ARGUMENT', `${field} must be a 32-byte Ed25519 public key.`, { details: { field } });
  return hexlify(key);
}

function delegateTypeBytes(type: string): string {
  if (isHexString(type, 32)) return type;
  try {
    return encodeBytes32String(type);
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', 'delegateType must be a label of at most 31 bytes (e.g. "cradleAnchor", "veriKey") or a bytes32.', { cause });
  }
}

/** Writes to the ERC-1056 registry for identities the signer owns. Create with {@link connectDidRegistry}. */
export class DidRegistryClient {
  readonly config: LedgerConfig;
  private readonly registry: Contract;
  private readonly confirm: (txHash: string) => Promise<ConfirmedTransaction>;

  /** @internal */
  constructor(config: LedgerConfig, registry: Contract, confirm: (txHash: string) => Promise<ConfirmedTransaction>) {
    this.config = config;
    this.registry = registry;
    this.confirm = confirm;
  }

  private async send(method: string, args: unknown[]): Promise<ConfirmedTransaction> {
    let hash: string;
    try {
      hash = (await this.registry.getFunction(method).send(...args)).hash;
    } catch (e) {
      throw classifyRpcError(e);
    }
    return this.confirm(hash);
  }

  /** The current ERC-1056 owner (controller) of `identity`. */
  async identityOwner(identity: string): Promise<string> {
    try {
      return (await this.registry.getFunction('identityOwner').staticCall(assertAddress(identity, 'identity'))) as string;
    } catch (e) {
      throw classifyRpcError(e);
    }
  }

  /**
   * Publish an Ed25519 credential-signing key as `did/pub/Ed25519/veriKey/base58`, valid for exactly
   * `validitySeconds` (required: there is no silent default). It resolves as an
   * `Ed25519VerificationKey2018` referenced from `assertionMethod`.
   */
  async publishEd25519Key(opts: { identity: string; publicKey: Uint8Array; validitySeconds: number }): Promise<ConfirmedTransaction> {
    const value = assertEd25519PublicKey(opts.publicKey);
    const validity = assertValidity(opts.validitySeconds);
    return this.send('setAttribute', [assertAddress(opts.identity, 'identity'), encodeBytes32String(ED25519_KEY_ATTRIBUTE), value, validity]);
  }

  /** Revoke a published Ed25519 key at once (e.g. on compromise). */
  async revokeEd25519Key(opts: { identity: string; publicKey: Uint8Array }): Promise<ConfirmedTransaction> {
    return this.revokeAttribute({ identity: opts.identity, name: ED25519_KEY_ATTRIBUTE, value: assertEd25519PublicKey(opts.publicKey) });
  }

  /** Revoke any attribute; `name` and `value` (hex bytes) must equal what was published. */
  async revokeAttribute(opts: { identity: string; name: string; value: string }): Promise<ConfirmedTransaction> {
    if (!isHexString(opts.value)) throw new CradleError('INVALID_ARGUMENT', 'value must be 0x-prefixed hex bytes.');
    let name: string;
    try {
      name = encodeBytes32String(opts.name);
    } catch (cause) {
      throw new CradleError('INVALID_ARGUMENT', 'Attribute names are at most 31 bytes.', { cause });
    }
    return this.send('revokeAttribute', [assertAddress(opts.identity, 'identity'), name, opts.value]);
  }

  /**
   * Rotate the signing key: publish `newPublicKey`, then revoke `oldPublicKey`. Credentials signed with
   * the old key stop verifying once verifiers refresh the DID document (see docs/ledger.md).
   */
  async rotateSigningKey(opts: {
    identity: string;
    oldPublicKey: Uint8Array;
    newPublicKey: Uint8Array;
    validitySeconds: number;
  }): Promise<{ published: ConfirmedTransaction; revoked: ConfirmedTransaction }> {
    assertEd25519PublicKey(opts.oldPublicKey, 'oldPublicKey');
    const published = await this.publishEd25519Key({ identity: opts.identity, publicKey: opts.newPublicKey, validitySeconds: opts.validitySeconds });
    const revoked = await this.revokeEd25519Key({ identity: opts.identity, publicKey: opts.oldPublicKey });
    return { published, revoked };
  }

  /**
   * Add a delegate of `delegateType` (a label such as `cradleAnchor` — see `ANCHOR_DELEGATE_TYPE_LABEL` —
   * or a bytes32) for exactly `validitySeconds`.
   */
  async addDelegate(opts: { identity: string; delegateType: string; delegate: string; validitySeconds: number }): Promise<ConfirmedTransaction> {
    const validity = assertValidity(opts.validitySeconds);
    return this.send('addDelegate', [assertAddress(opts.identity, 'identity'), delegateTypeBytes(opts.delegateType), assertAddress(opts.delegate, 'delegate'), validity]);
  }

  /** Revoke a delegate at once. */
  async revokeDelegate(opts: { identity: string; delegateType: string; delegate: string }): Promise<ConfirmedTransaction> {
    return this.send('revokeDelegate', [assertAddress(opts.identity, 'identity'), delegateTypeBytes(opts.delegateType), assertAddress(opts.delegate, 'delegate')]);
  }

  /** Whether `delegate` is currently a valid delegate of `delegateType` for `identity`. */
  async validDelegate(opts: { identity: string; delegateType: string; delegate: string }): Promise<boolean> {
    try {
      return (await this.registry
        .getFunction('validDelegate')
        .staticCall(assertAddress(opts.identity, 'identity'), delegateTypeBytes(opts.delegateType), assertAddress(opts.delegate, 'delegate'))) as boolean;
    } catch (e) {
      throw classifyRpcError(e);
    }
  }

  /** Hand control of `identity` to `newOwner` (e.g. a cold key or a multisig). Irreversible by the old owner. */
  async changeOwner(opts: { identity: string; newOwner: string }): Promise<ConfirmedTransaction> {
    return this.send('changeOwner', [assertAddress(opts.identity, 'identity'), assertAddress(opts.newOwner, 'newOwner')]);
  }
}

/**
 * Connect a signer to the ledger's ERC-1056 registry, after the same chain-id check as `connectLedger`.
 *
 * @example
 * ```ts
 * const dids = await connectDidRegistry(config, { signer: controllerWallet });
 * await dids.publishEd25519Key({ identity, publicKey, validitySeconds: 365 * 24 * 3600 });
 * ```
 */
export async function connectDidRegistry(config: LedgerConfig, opts: { signer: Signer; provider?: Provider; timeoutMs?: number }): Promise<DidRegistryClient> {
  const ledger = await connectLedger(config, opts);
  const signer = ledger.signer;
  if (signer === undefined) throw new CradleError('INVALID_ARGUMENT', 'connectDidRegistry needs a signer.');
  const registry = new Contract(config.registry, ERC1056_ABI, signer);
  return new DidRegistryClient(config, registry, (hash) => ledger.waitForConfirmations(hash));
}
