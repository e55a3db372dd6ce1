// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title EigenLayer middleware IndexRegistry: operator lists per quorum.
interface IIndexRegistry {
    /// @notice Appends the operator to each quorum; returns the new operator counts. RegistryCoordinator only.
    function registerOperator(bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint32[] memory);
    /// @notice Removes the operator from each quorum (the last operator takes its index). RegistryCoordinator only.
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    /// @notice Starts a quorum's count history. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber) external;
    /// @notice A quorum's current operator count.
    function totalOperatorsForQuorum(uint8 quorumNumber) external view returns (uint32);
    /// @notice A quorum's operator ids at `blockNumber`, by index.
    function getOperatorListAtBlockNumber(uint8 quorumNumber, uint32 blockNumber) external view returns (bytes32[] memory);
}
