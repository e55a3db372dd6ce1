// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title The DelegationManager view an AllocationManager needs: whether an account is an operator.
interface IOperatorRegistryView {
    /// @notice Whether `operator` registered as an operator.
    function isOperator(address operator) external view returns (bool);
}
