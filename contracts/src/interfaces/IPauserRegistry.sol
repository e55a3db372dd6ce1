// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title EigenLayer PauserRegistry: who may pause and unpause.
interface IPauserRegistry {
    /// @notice Whether `pauser` may pause.
    function isPauser(address pauser) external view returns (bool);
    /// @notice The single account that may unpause.
    function unpauser() external view returns (address);
}
