// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IMultiProverServiceManager} from "../interfaces/IMultiProverServiceManager.sol";

/// @title Example consumer of confirmed states: a bridge that accepts a state root of a proven chain only
///        once the AVS committee confirmed it.
/// @notice For a type-3 (chain state) committee: metadata = keccak256(abi.encodePacked(uint256 chainId,
///         uint256 N)) and state = abi.encode(bytes32 blockHash, bytes32 stateRoot) of block N
///         (docs/protocol.md). Not deployed by mpavs; an illustration with a forge test
///         (test/Consumer.t.sol). A real bridge would verify withdrawals against the accepted roots.
contract RollupBridge {
    /// @notice The AVS contract whose confirmed states this bridge trusts.
    IMultiProverServiceManager public immutable serviceManager;
    /// @notice The committee (task type) confirming the proven chain's states.
    uint256 public immutable committeeId;
    /// @notice The proven chain's id (part of the confirmed metadata).
    uint256 public immutable chainId;

    /// @notice Block number => accepted state root (0: none accepted).
    mapping(uint256 => bytes32) public stateRootAt;
    /// @notice Highest block number accepted so far.
    uint256 public latestBlockNumber;

    /// @notice The state root of block `blockNumber` was accepted, as confirmed by the committee.
    event StateRootAccepted(uint256 indexed blockNumber, bytes32 blockHash, bytes32 stateRoot);

    /// @notice The committee confirmed no state for that block.
    error StateNotConfirmed(uint256 blockNumber);
    /// @notice The committee confirmed another block hash or state root for that block.
    error StateMismatch(uint256 blockNumber);

    constructor(IMultiProverServiceManager _serviceManager, uint256 _committeeId, uint256 _chainId) {
        serviceManager = _serviceManager;
        committeeId = _committeeId;
        chainId = _chainId;
    }

    /// @notice The metadata the committee confirms block `blockNumber` under.
    function metadataOf(uint256 blockNumber) public view returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encodePacked(chainId, blockNumber)));
    }

    /// @notice Accepts (blockHash, stateRoot) for block `blockNumber` if the committee confirmed exactly that
    ///         state; anyone may call. Emits StateRootAccepted.
    function acceptStateRoot(uint256 blockNumber, bytes32 blockHash, bytes32 stateRoot) external {
        IMultiProverServiceManager.ConfirmedState memory c =
            serviceManager.getConfirmedState(committeeId, metadataOf(blockNumber));
        if (c.blockNumber == 0) revert StateNotConfirmed(blockNumber);
        if (keccak256(c.state) != keccak256(abi.encode(blockHash, stateRoot))) revert StateMismatch(blockNumber);
        _accept(blockNumber, blockHash, stateRoot);
    }

    /// @notice Accepts the committee's latest confirmed state (its sequence is the block number under the
    ///         CHAIN_BLOCK ordering); anyone may call. Returns the block number and state root.
    function syncLatest() external returns (uint256 blockNumber, bytes32 stateRoot) {
        (bytes32 metadataHash, IMultiProverServiceManager.ConfirmedState memory c) =
            serviceManager.latestConfirmedState(committeeId);
        blockNumber = c.sequence;
        if (c.blockNumber == 0 || metadataHash != keccak256(metadataOf(blockNumber))) revert StateNotConfirmed(blockNumber);
        bytes32 blockHash;
        (blockHash, stateRoot) = abi.decode(c.state, (bytes32, bytes32));
        _accept(blockNumber, blockHash, stateRoot);
    }

    function _accept(uint256 blockNumber, bytes32 blockHash, bytes32 stateRoot) internal {
        stateRootAt[blockNumber] = stateRoot;
        if (blockNumber > latestBlockNumber) latestBlockNumber = blockNumber;
        emit StateRootAccepted(blockNumber, blockHash, stateRoot);
    }
}
