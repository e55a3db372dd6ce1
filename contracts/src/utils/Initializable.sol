// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title One-shot initialisation for contracts used behind Proxy (versions 1..255).
abstract contract Initializable {
    uint8 private _initialized;
    bool private _initializing;

    event Initialized(uint8 version);

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
        require(_initializing, "Initializable: contract is not initializing");
        _;
    }

    function _beginInit(uint8 version) private {
        require(!_initializing && _initialized < version, "Initializable: contract is already initialized");
        _initialized = version;
        _initializing = true;
    }

    function _endInit(uint8 version) private {
        _initializing = false;
        emit Initialized(version);
    }

    /// @notice Locks an implementation so that it can only be used through a proxy.
    function _disableInitializers() internal {
        require(!_initializing, "Initializable: contract is initializing");
        if (_initialized != type(uint8).max) {
            _initialized = type(uint8).max;
            emit Initialized(type(uint8).max);
        }
    }
}
