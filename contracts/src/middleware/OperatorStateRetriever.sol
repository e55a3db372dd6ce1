// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BitmapUtils} from "../libraries/BitmapUtils.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {IIndexRegistry} from "../interfaces/IIndexRegistry.sol";

/// @title Stateless views that assemble operator sets and checkSignatures indices.
contract OperatorStateRetriever {
    struct Operator {
        address operator;
        bytes32 operatorId;
        uint96 stake;
    }

    struct CheckSignaturesIndices {
        uint32[] nonSignerQuorumBitmapIndices;
        uint32[] quorumApkIndices;
        uint32[] totalStakeIndices;
        uint32[][] nonSignerStakeIndices;
    }

    /// @notice The operators (address, id, stake) of each quorum at `blockNumber` (the overload taking an operator id also returns its quorum bitmap).
    function getOperatorState(IRegistryCoordinator registryCoordinator, bytes32 operatorId, uint32 blockNumber)
        external
        view
        returns (uint256 quorumBitmap, Operator[][] memory state)
    {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = operatorId;
        uint256 index = registryCoordinator.getQuorumBitmapIndicesAtBlockNumber(blockNumber, ids)[0];
        quorumBitmap = registryCoordinator.getQuorumBitmapAtBlockNumberByIndex(operatorId, blockNumber, index);
        state = getOperatorState(registryCoordinator, BitmapUtils.bitmapToBytesArray(quorumBitmap), blockNumber);
    }

    /// @notice The operators (address, id, stake) of each quorum at `blockNumber` (the overload taking an operator id also returns its quorum bitmap).
    function getOperatorState(IRegistryCoordinator registryCoordinator, bytes memory quorumNumbers, uint32 blockNumber)
        public
        view
        returns (Operator[][] memory state)
    {
        IStakeRegistry sr = registryCoordinator.stakeRegistry();
        IIndexRegistry ir = registryCoordinator.indexRegistry();
        IBLSApkRegistry br = registryCoordinator.blsApkRegistry();
        state = new Operator[][](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            bytes32[] memory ids = ir.getOperatorListAtBlockNumber(q, blockNumber);
            state[i] = new Operator[](ids.length);
            for (uint256 j = 0; j < ids.length; j++) {
                state[i][j] = Operator(br.getOperatorFromPubkeyHash(ids[j]), ids[j], sr.getStakeAtBlockNumber(ids[j], q, blockNumber));
            }
        }
    }

    /// @notice The history indices checkSignatures needs for these non-signers at `referenceBlockNumber`.
    function getCheckSignaturesIndices(
        IRegistryCoordinator registryCoordinator,
        uint32 referenceBlockNumber,
        bytes calldata quorumNumbers,
        bytes32[] calldata nonSignerOperatorIds
    ) external view returns (CheckSignaturesIndices memory r) {
        IStakeRegistry sr = registryCoordinator.stakeRegistry();
        r.nonSignerQuorumBitmapIndices = registryCoordinator.getQuorumBitmapIndicesAtBlockNumber(referenceBlockNumber, nonSignerOperatorIds);
        r.totalStakeIndices = sr.getTotalStakeIndicesAtBlockNumber(referenceBlockNumber, quorumNumbers);
        r.nonSignerStakeIndices = new uint32[][](quorumNumbers.length);
        uint256[] memory bitmaps = new uint256[](nonSignerOperatorIds.length);
        for (uint256 j = 0; j < nonSignerOperatorIds.length; j++) {
            bitmaps[j] = registryCoordinator.getQuorumBitmapAtBlockNumberByIndex(
                nonSignerOperatorIds[j], referenceBlockNumber, r.nonSignerQuorumBitmapIndices[j]
            );
        }
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            r.nonSignerStakeIndices[i] = _stakeIndices(sr, uint8(quorumNumbers[i]), referenceBlockNumber, nonSignerOperatorIds, bitmaps);
        }
        r.quorumApkIndices = registryCoordinator.blsApkRegistry().getApkIndicesAtBlockNumber(quorumNumbers, referenceBlockNumber);
    }

    function _stakeIndices(IStakeRegistry sr, uint8 q, uint32 referenceBlockNumber, bytes32[] calldata ids, uint256[] memory bitmaps)
        internal
        view
        returns (uint32[] memory out)
    {
        uint256 n = 0;
        for (uint256 j = 0; j < ids.length; j++) {
            if (BitmapUtils.isSet(bitmaps[j], q)) n++;
        }
        out = new uint32[](n);
        n = 0;
        for (uint256 j = 0; j < ids.length; j++) {
            if (BitmapUtils.isSet(bitmaps[j], q)) out[n++] = sr.getStakeUpdateIndexAtBlockNumber(ids[j], q, referenceBlockNumber);
        }
    }

    /// @notice Each operator's quorum bitmap at `blockNumber`.
    function getQuorumBitmapsAtBlockNumber(IRegistryCoordinator registryCoordinator, bytes32[] memory operatorIds, uint32 blockNumber)
        external
        view
        returns (uint256[] memory bitmaps)
    {
        uint32[] memory idx = registryCoordinator.getQuorumBitmapIndicesAtBlockNumber(blockNumber, operatorIds);
        bitmaps = new uint256[](operatorIds.length);
        for (uint256 i = 0; i < operatorIds.length; i++) {
            bitmaps[i] = registryCoordinator.getQuorumBitmapAtBlockNumberByIndex(operatorIds[i], blockNumber, idx[i]);
        }
    }
}
