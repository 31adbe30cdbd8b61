// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The two read functions of ERC-1056 (EthereumDIDRegistry) that authorise an anchor.
interface IERC1056 {
    function identityOwner(address identity) external view returns (address);

    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool);
}

/// @title CradleAnchor
/// @notice Anchors the digest of the latest signed list (a W3C Bitstring Status List credential, or a
/// governance trust list) published by an ERC-1056 identity. Per (identity, listId) it keeps only the
/// latest (version, digest, timestamp, block); every anchor also emits `Anchored` with the URI where the
/// signed list can be fetched, so the full history is in the logs.
/// @dev Nothing personal belongs here: identities are registrar or governance addresses, list ids are
/// random or derived from non-personal labels, digests are hashes of whole signed lists.
contract CradleAnchor {
    /// @notice ERC-1056 delegate type that may anchor on behalf of an identity ("cradleAnchor", right-padded).
    /// A custom type (not `veriKey`/`sigAuth`) keeps the anchoring key out of the DID document, so it can
    /// never sign credentials.
    bytes32 public constant ANCHOR_DELEGATE_TYPE = "cradleAnchor";

    /// @notice The ERC-1056 registry consulted for owners and delegates.
    IERC1056 public immutable registry;

    /// @dev Two slots per list: the digest, and (version, timestamp, blockNumber) packed into one word.
    struct Anchor {
        bytes32 digest;
        uint64 version;
        uint64 timestamp;
        uint64 blockNumber;
    }

    mapping(address identity => mapping(bytes32 listId => Anchor)) private anchors;

    /// @notice A new version of list `listId` of `identity` was anchored.
    event Anchored(address indexed identity, bytes32 indexed listId, uint64 version, bytes32 digest, string uri);

    /// @notice `sender` is neither the ERC-1056 owner of `identity` nor a valid `cradleAnchor` delegate.
    error NotAuthorized(address identity, address sender);
    /// @notice Versions must strictly increase per (identity, listId).
    error VersionNotIncreasing(bytes32 listId, uint64 current, uint64 given);
    /// @notice A zero digest is never a valid anchor.
    error EmptyDigest(bytes32 listId);
    /// @notice The arrays given to `anchorMany` or `latestMany` differ in length.
    error LengthMismatch();

    constructor(IERC1056 registry_) {
        registry = registry_;
    }

    /// @notice Anchor `digest` as version `version` of list `listId` of `identity`.
    function anchor(address identity, bytes32 listId, uint64 version, bytes32 digest, string calldata uri) external {
        _authorize(identity);
        _store(identity, listId, version, digest, uri);
    }

    /// @notice Anchor several lists of one identity in one transaction (one authorisation check).
    function anchorMany(
        address identity,
        bytes32[] calldata listIds,
        uint64[] calldata versions,
        bytes32[] calldata digests,
        string[] calldata uris
    ) external {
        uint256 n = listIds.length;
        if (versions.length != n || digests.length != n || uris.length != n) revert LengthMismatch();
        _authorize(identity);
        for (uint256 i = 0; i < n; ++i) {
            _store(identity, listIds[i], versions[i], digests[i], uris[i]);
        }
    }

    /// @notice The latest anchor of list `listId` of `identity` (all zero when never anchored).
    function latest(
        address identity,
        bytes32 listId
    ) external view returns (uint64 version, bytes32 digest, uint64 timestamp, uint64 blockNumber) {
        Anchor storage a = anchors[identity][listId];
        return (a.version, a.digest, a.timestamp, a.blockNumber);
    }

    /// @notice `latest` for many (identity, listId) pairs at once, for a verifier's sync.
    function latestMany(
        address[] calldata identities,
        bytes32[] calldata listIds
    ) external view returns (Anchor[] memory result) {
        uint256 n = identities.length;
        if (listIds.length != n) revert LengthMismatch();
        result = new Anchor[](n);
        for (uint256 i = 0; i < n; ++i) {
            result[i] = anchors[identities[i]][listIds[i]];
        }
    }

    /// @notice True when `sender` may anchor for `identity` right now.
    /// @dev The delegate is checked first: in production the registrar's controller key stays cold and a
    /// `cradleAnchor` delegate anchors, so that path costs one registry call instead of two.
    function canAnchor(address identity, address sender) public view returns (bool) {
        return registry.validDelegate(identity, ANCHOR_DELEGATE_TYPE, sender) || sender == registry.identityOwner(identity);
    }

    function _authorize(address identity) private view {
        if (!canAnchor(identity, msg.sender)) revert NotAuthorized(identity, msg.sender);
    }

    function _store(address identity, bytes32 listId, uint64 version, bytes32 digest, string calldata uri) private {
        if (digest == bytes32(0)) revert EmptyDigest(listId);
        Anchor storage a = anchors[identity][listId];
        uint64 current = a.version;
        if (version <= current) revert VersionNotIncreasing(listId, current, version);
        a.digest = digest;
        a.version = version;
        a.timestamp = uint64(block.timestamp);
        a.blockNumber = uint64(block.number);
        emit Anchored(identity, listId, version, digest, uri);
    }
}
