// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IPauserRegistry} from "./PauserRegistry.sol";

/// @title EigenLayer-style bit-flag pausing: bit i set = function group i paused.
abstract contract Pausable {
    IPauserRegistry public pauserRegistry;
    uint256 private _paused;

    uint256 internal constant UNPAUSE_ALL = 0;
    uint256 internal constant PAUSE_ALL = type(uint256).max;

    event Paused(address indexed account, uint256 newPausedStatus);
    event Unpaused(address indexed account, uint256 newPausedStatus);
    event PauserRegistrySet(IPauserRegistry pauserRegistry, IPauserRegistry newPauserRegistry);

    modifier onlyPauser() {
        require(pauserRegistry.isPauser(msg.sender), "msg.sender is not permissioned as pauser");
        _;
    }

    modifier onlyUnpauser() {
        require(msg.sender == pauserRegistry.unpauser(), "msg.sender is not permissioned as unpauser");
        _;
    }

    modifier whenNotPaused() {
        require(_paused == 0, "Pausable: contract is paused");
        _;
    }

    modifier onlyWhenNotPaused(uint8 index) {
        require(!paused(index), "Pausable: index is paused");
        _;
    }

    function _initializePauser(IPauserRegistry registry, uint256 initialPausedStatus) internal {
        require(
            address(pauserRegistry) == address(0) && address(registry) != address(0),
            "Pausable._initializePauser: _initializePauser() can only be called once"
        );
        _paused = initialPausedStatus;
        emit Paused(msg.sender, initialPausedStatus);
        _setPauserRegistry(registry);
    }

    /// @notice Sets more bits; cannot clear any.
    function pause(uint256 newPausedStatus) external onlyPauser {
        require((_paused & newPausedStatus) == _paused, "Pausable.pause: invalid attempt to unpause functionality");
        _paused = newPausedStatus;
        emit Paused(msg.sender, newPausedStatus);
    }

    function pauseAll() external onlyPauser {
        _paused = PAUSE_ALL;
        emit Paused(msg.sender, PAUSE_ALL);
    }

    /// @notice Clears bits; cannot set any.
    function unpause(uint256 newPausedStatus) external onlyUnpauser {
        require(((~_paused) & (~newPausedStatus)) == (~_paused), "Pausable.unpause: invalid attempt to pause functionality");
        _paused = newPausedStatus;
        emit Unpaused(msg.sender, newPausedStatus);
    }

    function paused() public view virtual returns (uint256) {
        return _paused;
    }

    function paused(uint8 index) public view virtual returns (bool) {
        return (_paused >> index) & 1 == 1;
    }

    function setPauserRegistry(IPauserRegistry newPauserRegistry) external onlyUnpauser {
        _setPauserRegistry(newPauserRegistry);
    }

    function _setPauserRegistry(IPauserRegistry newPauserRegistry) internal {
        require(address(newPauserRegistry) != address(0), "Pausable._setPauserRegistry: newPauserRegistry cannot be the zero address");
        emit PauserRegistrySet(pauserRegistry, newPauserRegistry);
        pauserRegistry = newPauserRegistry;
    }
}
