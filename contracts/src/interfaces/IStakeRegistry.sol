// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "./IStrategy.sol";
import {IDelegationManager} from "./IDelegationManager.sol";

/// @title EigenLayer middleware StakeRegistry: stake histories per quorum.
interface IStakeRegistry {
    struct StrategyParams {
        IStrategy strategy;
        uint96 multiplier;
    }

    struct StakeUpdate {
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
        uint96 stake;
    }

    /// @notice The DelegationManager stakes are read from.
    function delegation() external view returns (IDelegationManager);
    /// @notice Records the operator's stakes in `quorumNumbers` (each at least the minimum); returns its stakes and the quorums' totals. RegistryCoordinator only.
    function registerOperator(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external returns (uint96[] memory, uint96[] memory);
    /// @notice Zeroes the operator's stakes in `quorumNumbers`. RegistryCoordinator only.
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    /// @notice Re-reads the operator's stakes; returns the bitmap of quorums where it fell below the minimum. RegistryCoordinator only.
    function updateOperatorStake(address operator, bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint192);
    /// @notice Creates a quorum's stake history with its minimum stake and strategies. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber, uint96 minimumStake, StrategyParams[] memory strategyParams) external;
    /// @notice Number of a quorum's total-stake updates (0: no such quorum).
    function getTotalStakeHistoryLength(uint8 quorumNumber) external view returns (uint256);
    /// @notice A quorum's total-stake update `index`, checked to be in force at `blockNumber`.
    function getTotalStakeAtBlockNumberFromIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (uint96);
    /// @notice An operator's stake update `index`, checked to be in force at `blockNumber`.
    function getStakeAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, bytes32 operatorId, uint256 index) external view returns (uint96);
    /// @notice An operator's stake in a quorum at `blockNumber`.
    function getStakeAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint96);
    /// @notice For each quorum, the index of its total-stake update in force at `blockNumber`.
    function getTotalStakeIndicesAtBlockNumber(uint32 blockNumber, bytes calldata quorumNumbers) external view returns (uint32[] memory);
    /// @notice Index of an operator's stake update in force at `blockNumber`.
    function getStakeUpdateIndexAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint32);
    /// @notice Number of strategies of a quorum.
    function strategyParamsLength(uint8 quorumNumber) external view returns (uint256);
    /// @notice A quorum's strategy `index` and multiplier.
    function strategyParamsByIndex(uint8 quorumNumber, uint256 index) external view returns (StrategyParams memory);
}
