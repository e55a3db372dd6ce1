// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";

/// @title EigenLayer-style bit-flag pausing: bit i set = function group i paused.
/// @notice Storage: `pauserRegistry`, `_paused`, then a 48-slot gap (50 slots, as EigenLayer's Pausable).
abstract contract Pausable {
    /// @notice Who may pause (any pauser) and unpause (the unpauser).
    IPauserRegistry public pauserRegistry;
    uint256 private _paused;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots.
    uint256[48] private __gap;

    uint256 internal constant UNPAUSE_ALL = 0;
    uint256 internal constant PAUSE_ALL = type(uint256).max;

    /// @notice `account` set paused bits: the paused status is now `newPausedStatus`.
    event Paused(address indexed account, uint256 newPausedStatus);
    /// @notice `account` cleared paused bits: the paused status is now `newPausedStatus`.
    event Unpaused(address indexed account, uint256 newPausedStatus);
    /// @notice The pauser registry changed from `pauserRegistry` to `newPauserRegistry`.
    event PauserRegistrySet(IPauserRegistry pauserRegistry, IPauserRegistry newPauserRegistry);

    /// @notice The caller is not a pauser of the registry.
    error OnlyPauser();
    /// @notice The caller is not the registry's unpauser.
    error OnlyUnpauser();
    /// @notice The contract (or the function group's bit) is paused.
    error CurrentlyPaused();
    /// @notice pause() would clear a bit, or unpause() would set one.
    error InvalidNewPausedStatus();
    /// @notice A zero pauser registry, or a second initialisation of the pauser.
    error InvalidPauserRegistry();

    modifier onlyPauser() {
        if (!pauserRegistry.isPauser(msg.sender)) revert OnlyPauser();
        _;
    }

    modifier onlyUnpauser() {
        if (msg.sender != pauserRegistry.unpauser()) revert OnlyUnpauser();
        _;
    }

    modifier whenNotPaused() {
        if (_paused != 0) revert CurrentlyPaused();
        _;
    }

    modifier onlyWhenNotPaused(uint8 index) {
        if (paused(index)) revert CurrentlyPaused();
        _;
    }

    function _initializePauser(IPauserRegistry registry, uint256 initialPausedStatus) internal {
        if (address(pauserRegistry) != address(0) || address(registry) == address(0)) revert InvalidPauserRegistry();
        _paused = initialPausedStatus;
        emit Paused(msg.sender, initialPausedStatus);
        _setPauserRegistry(registry);
    }

    /// @notice Sets the paused status to `newPausedStatus`, which must keep every bit already set. Pausers only.
    function pause(uint256 newPausedStatus) external onlyPauser {
        if ((_paused & newPausedStatus) != _paused) revert InvalidNewPausedStatus();
        _paused = newPausedStatus;
        emit Paused(msg.sender, newPausedStatus);
    }

    /// @notice Pauses every function group. Pausers only.
    function pauseAll() external onlyPauser {
        _paused = PAUSE_ALL;
        emit Paused(msg.sender, PAUSE_ALL);
    }

    /// @notice Sets the paused status to `newPausedStatus`, which must set no bit that is clear now. Unpauser only.
    function unpause(uint256 newPausedStatus) external onlyUnpauser {
        if (((~_paused) & (~newPausedStatus)) != (~_paused)) revert InvalidNewPausedStatus();
        _paused = newPausedStatus;
        emit Unpaused(msg.sender, newPausedStatus);
    }

    /// @notice The paused status (bit i set: function group i paused).
    function paused() public view virtual returns (uint256) {
        return _paused;
    }

    /// @notice Whether function group `index` is paused.
    function paused(uint8 index) public view virtual returns (bool) {
        return (_paused >> index) & 1 == 1;
    }

    /// @notice Replaces the pauser registry (not zero). Unpauser only; emits PauserRegistrySet.
    function setPauserRegistry(IPauserRegistry newPauserRegistry) external onlyUnpauser {
        _setPauserRegistry(newPauserRegistry);
    }

    function _setPauserRegistry(IPauserRegistry newPauserRegistry) internal {
        if (address(newPauserRegistry) == address(0)) revert InvalidPauserRegistry();
        emit PauserRegistrySet(pauserRegistry, newPauserRegistry);
        pauserRegistry = newPauserRegistry;
    }
}
