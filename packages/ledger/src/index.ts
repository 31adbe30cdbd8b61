export { connectLedger, LedgerClient } from './anchor-client.js';
/** The anchor shapes are `@cradle/core`'s (one owner); re-exported for ledger users. */
export type { AnchorRecord, AnchorState } from '@cradle/core';
export type {
  AnchorEvent,
  AnchorEventQuery,
  AnchorOptions,
  ConfirmedTransaction,
  LatestAnchor,
  ConnectLedgerOptions,
  SubmittedTransaction,
  TransactionState,
  TxOverrides,
} from './anchor-client.js';
export { MAX_ANCHOR_URI_BYTES } from './anchor-input.js';
export type { AnchorInput } from './anchor-input.js';
export { deployContracts } from './deploy.js';
export {
  DidRegistryClient,
  ED25519_KEY_ATTRIBUTE,
  MAX_VALIDITY_SECONDS,
  connectDidRegistry,
  createResolver,
  ed25519Methods,
  ethrDid,
  ethrNetworkId,
  ethrResolverConfig,
  identityOfEthrDid,
} from './did-ethr.js';
export type { Ed25519Method, EthrResolverOptions } from './did-ethr.js';
export type { DeployOptions, DeployResult } from './deploy.js';
export { ERC1056_ABI } from './erc1056-abi.js';
export { cradleAnchorArtifact } from './generated/cradle-anchor-artifact.js';
export { loadLedgerConfig, parseLedgerConfig, serializeLedgerConfig } from './ledger-config.js';
export type { DevAccount, LedgerConfig } from './ledger-config.js';
export { ANCHOR_DELEGATE_TYPE, ANCHOR_DELEGATE_TYPE_LABEL, TRUST_LIST_ID, randomListId, statusListId } from './list-id.js';
export { classifyRpcError, decodeRevertData } from './rpc-errors.js';
export type { DecodedRevert } from './rpc-errors.js';
export { createRpcProvider } from './rpc-provider.js';
export type { RpcProviderOptions } from './rpc-provider.js';
