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

    function delegation() external view returns (IDelegationManager);
    function registerOperator(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external returns (uint96[] memory, uint96[] memory);
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    function updateOperatorStake(address operator, bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint192);
    function initializeQuorum(uint8 quorumNumber, uint96 minimumStake, StrategyParams[] memory strategyParams) external;
    function getTotalStakeHistoryLength(uint8 quorumNumber) external view returns (uint256);
    function getTotalStakeAtBlockNumberFromIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (uint96);
    function getStakeAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, bytes32 operatorId, uint256 index) external view returns (uint96);
    function getStakeAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint96);
    function getTotalStakeIndicesAtBlockNumber(uint32 blockNumber, bytes calldata quorumNumbers) external view returns (uint32[] memory);
    function getStakeUpdateIndexAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint32);
    function strategyParamsLength(uint8 quorumNumber) external view returns (uint256);
    function strategyParamsByIndex(uint8 quorumNumber, uint256 index) external view returns (StrategyParams memory);
}
