/**
 * The part of the ERC-1056 `EthereumDIDRegistry` ABI Cradle uses (human-readable, so the main entry
 * stays small and browser-friendly; deployment takes the full artifact from `ethr-did-registry`).
 */
export const ERC1056_ABI = [
  'function identityOwner(address identity) view returns (address)',
  'function validDelegate(address identity, bytes32 delegateType, address delegate) view returns (bool)',
  'function changed(address identity) view returns (uint256)',
  'function changeOwner(address identity, address newOwner)',
  'function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity)',
  'function revokeDelegate(address identity, bytes32 delegateType, address delegate)',
  'function setAttribute(address identity, bytes32 name, bytes value, uint256 validity)',
  'function revokeAttribute(address identity, bytes32 name, bytes value)',
  'event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange)',
  'event DIDDelegateChanged(address indexed identity, bytes32 delegateType, address delegate, uint256 validTo, uint256 previousChange)',
  'event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value, uint256 validTo, uint256 previousChange)',
] as const;
