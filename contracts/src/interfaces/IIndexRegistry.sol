// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title EigenLayer middleware IndexRegistry: operator lists per quorum.
interface IIndexRegistry {
    function registerOperator(bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint32[] memory);
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    function initializeQuorum(uint8 quorumNumber) external;
    function totalOperatorsForQuorum(uint8 quorumNumber) external view returns (uint32);
    function getOperatorListAtBlockNumber(uint8 quorumNumber, uint32 blockNumber) external view returns (bytes32[] memory);
}
