// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title One-shot initialisation for contracts used behind Proxy (versions 1..255).
/// @notice Storage: one slot (`_initialized` u8 at offset 0, `_initializing` bool at offset 1), as
///         OpenZeppelin's Initializable 4.x; it never grows, so it carries no gap.
abstract contract Initializable {
    uint8 private _initialized;
    bool private _initializing;

    /// @notice The contract was initialised (or locked, version 255) at `version`.
    event Initialized(uint8 version);

    /// @notice An initializer ran twice, ran at a version not above the current one, or ran inside another.
    error InvalidInitialization();
    /// @notice A function reserved to initialisation was called outside it.
    error NotInitializing();

    modifier initializer() {
        _beginInit(1);
        _;
        _endInit(1);
    }

    modifier reinitializer(uint8 version) {
        _beginInit(version);
        _;
        _endInit(version);
    }

    modifier onlyInitializing() {
        if (!_initializing) revert NotInitializing();
        _;
    }

    function _beginInit(uint8 version) private {
        if (_initializing || _initialized >= version) revert InvalidInitialization();
        _initialized = version;
        _initializing = true;
    }

    function _endInit(uint8 version) private {
        _initializing = false;
        emit Initialized(version);
    }

    /// @notice Locks an implementation so that it can only be used through a proxy.
    function _disableInitializers() internal {
        if (_initializing) revert InvalidInitialization();
        if (_initialized != type(uint8).max) {
            _initialized = type(uint8).max;
            emit Initialized(type(uint8).max);
        }
    }
}
