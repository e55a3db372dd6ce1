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

    function owner() external view returns (address);
    function quorumCount() external view returns (uint8);
    function stakeRegistry() external view returns (IStakeRegistry);
    function blsApkRegistry() external view returns (IBLSApkRegistry);
    function indexRegistry() external view returns (IIndexRegistry);
    function getOperatorStatus(address operator) external view returns (OperatorStatus);
    function getCurrentQuorumBitmap(bytes32 operatorId) external view returns (uint192);
    function quorumUpdateBlockNumber(uint8 quorumNumber) external view returns (uint256);
    function getQuorumBitmapAtBlockNumberByIndex(bytes32 operatorId, uint32 blockNumber, uint256 index) external view returns (uint192);
    function getQuorumBitmapIndicesAtBlockNumber(uint32 blockNumber, bytes32[] memory operatorIds) external view returns (uint32[] memory);
    function getOperatorFromId(bytes32 operatorId) external view returns (address);
}
