// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";

/// @title Who may pause (any pauser) and unpause (the unpauser).
contract PauserRegistry is IPauserRegistry {
    /// @inheritdoc IPauserRegistry
    mapping(address => bool) public isPauser;
    /// @inheritdoc IPauserRegistry
    address public unpauser;

    /// @notice `pauser` may (`canPause`) or may no longer pause.
    event PauserStatusChanged(address pauser, bool canPause);
    /// @notice The unpauser changed.
    event UnpauserChanged(address previousUnpauser, address newUnpauser);

    /// @notice The caller is not the unpauser.
    error OnlyUnpauser();
    /// @notice A pauser or the unpauser cannot be the zero address.
    error InputAddressZero();

    constructor(address[] memory pausers, address _unpauser) {
        for (uint256 i = 0; i < pausers.length; i++) _setIsPauser(pausers[i], true);
        _setUnpauser(_unpauser);
    }

    modifier onlyUnpauser() {
        if (msg.sender != unpauser) revert OnlyUnpauser();
        _;
    }

    /// @notice Grants or revokes pausing rights of `pauser`. Unpauser only; emits PauserStatusChanged.
    function setIsPauser(address pauser, bool canPause) external onlyUnpauser {
        _setIsPauser(pauser, canPause);
    }

    /// @notice Replaces the unpauser. Unpauser only; emits UnpauserChanged.
    function setUnpauser(address newUnpauser) external onlyUnpauser {
        _setUnpauser(newUnpauser);
    }

    function _setIsPauser(address pauser, bool canPause) internal {
        if (pauser == address(0)) revert InputAddressZero();
        isPauser[pauser] = canPause;
        emit PauserStatusChanged(pauser, canPause);
    }

    function _setUnpauser(address newUnpauser) internal {
        if (newUnpauser == address(0)) revert InputAddressZero();
        emit UnpauserChanged(unpauser, newUnpauser);
        unpauser = newUnpauser;
    }
}
