// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStakeRegistry} from "./IStakeRegistry.sol";
import {IBLSApkRegistry} from "./IBLSApkRegistry.sol";
import {IIndexRegistry} from "./IIndexRegistry.sol";

/// @title EigenLayer middleware RegistryCoordinator: operator registration across the registries.
interface IRegistryCoordinator {
    enum OperatorStatus {
        NEVER_REGISTERED,
        REGISTERED,
        DEREGISTERED
    }

    struct OperatorInfo {
        bytes32 operatorId;
        OperatorStatus status;
    }

    struct QuorumBitmapUpdate {
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
        uint192 quorumBitmap;
    }

    struct OperatorSetParam {
        uint32 maxOperatorCount;
        uint16 kickBIPsOfOperatorStake;
        uint16 kickBIPsOfTotalStake;
    }

    struct OperatorKickParam {
        uint8 quorumNumber;
        address operator;
    }

    /// @notice The owner.
    function owner() external view returns (address);
    /// @notice Number of quorums created.
    function quorumCount() external view returns (uint8);
    /// @notice The StakeRegistry.
    function stakeRegistry() external view returns (IStakeRegistry);
    /// @notice The BLSApkRegistry.
    function blsApkRegistry() external view returns (IBLSApkRegistry);
    /// @notice The IndexRegistry.
    function indexRegistry() external view returns (IIndexRegistry);
    /// @notice `operator`'s status (0 never registered, 1 registered, 2 deregistered).
    function getOperatorStatus(address operator) external view returns (OperatorStatus);
    /// @notice An operator's current quorum bitmap.
    function getCurrentQuorumBitmap(bytes32 operatorId) external view returns (uint192);
    /// @notice Block of the last updateOperatorsForQuorum of a quorum.
    function quorumUpdateBlockNumber(uint8 quorumNumber) external view returns (uint256);
    /// @notice An operator's bitmap update `index`, checked to be the one in force at `blockNumber`.
    function getQuorumBitmapAtBlockNumberByIndex(bytes32 operatorId, uint32 blockNumber, uint256 index) external view returns (uint192);
    /// @notice For each operator id, the index of its bitmap update in force at `blockNumber`.
    function getQuorumBitmapIndicesAtBlockNumber(uint32 blockNumber, bytes32[] memory operatorIds) external view returns (uint32[] memory);
    /// @notice The operator with this id.
    function getOperatorFromId(bytes32 operatorId) external view returns (address);
}
