// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title RollupStandIn — emits the L1 events the aggregator's task sources follow, for the C
/// integration test of libmpavs's tasksrc module: ScrollChain's CommitBatch (from the two commit
/// entry points whose calldata the aggregator decodes) and LineaRollup's DataFinalized.
/// Nothing is validated: the test sends malformed chunks on purpose.
contract RollupStandIn {
    /// @notice A batch was committed (Scroll ScrollChain event).
    event CommitBatch(uint256 indexed batchIndex, bytes32 indexed batchHash);
    /// @notice Blocks were finalized (Linea LineaRollup event).
    event DataFinalized(
        uint256 indexed lastBlockFinalized, bytes32 indexed startingRootHash, bytes32 indexed finalRootHash, bool withProof
    );

    /// @notice Index of the last committed batch.
    uint256 public lastBatchIndex;

    function _commit(bytes calldata parentBatchHeader, bytes[] calldata chunks) internal {
        uint256 index = lastBatchIndex + 1;
        lastBatchIndex = index;
        emit CommitBatch(index, keccak256(abi.encode(parentBatchHeader, chunks)));
    }

    /// @notice Commits a batch (Scroll commitBatch calldata) and emits CommitBatch.
    function commitBatch(uint8, bytes calldata parentBatchHeader, bytes[] calldata chunks, bytes calldata) external {
        _commit(parentBatchHeader, chunks);
    }

    /// @notice Commits a batch (Scroll commitBatchWithBlobProof calldata) and emits CommitBatch.
    function commitBatchWithBlobProof(
        uint8,
        bytes calldata parentBatchHeader,
        bytes[] calldata chunks,
        bytes calldata,
        bytes calldata
    ) external {
        _commit(parentBatchHeader, chunks);
    }

    /// Set the next batch index (minus one), e.g. to exercise GenTaskSampling.
    function setLastBatchIndex(uint256 index) external {
        lastBatchIndex = index;
    }

    /// @notice Emits DataFinalized for the blocks up to `lastBlock`.
    function finalize(uint256 lastBlock, bytes32 startRoot, bytes32 finalRoot) external {
        emit DataFinalized(lastBlock, startRoot, finalRoot, true);
    }

    /// Two finalizations in one transaction (the second follows the first in the same block).
    function finalizeTwice(uint256 lastBlock1, bytes32 startRoot, bytes32 midRoot, uint256 lastBlock2, bytes32 finalRoot)
        external
    {
        emit DataFinalized(lastBlock1, startRoot, midRoot, true);
        emit DataFinalized(lastBlock2, midRoot, finalRoot, true);
    }
}

/// Calls a RollupStandIn's commitBatch from another contract (the commit transaction is then not
/// a direct call to the contract that emits CommitBatch).
contract CommitForwarder {
    /// @notice Calls target.commitBatch from this contract (a commit sent through another contract).
    function forward(RollupStandIn target, bytes[] calldata chunks) external {
        target.commitBatch(0, "", chunks, "");
    }
}
