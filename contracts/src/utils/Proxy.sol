// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title Minimal upgradeable proxy for the devnet stack.
/// @notice The admin (set at construction) may call upgradeTo/upgradeToAndCall; every other call,
///         including other calls by the admin, is delegated to the implementation. The
///         implementation address lives in the EIP-1967 slot.
contract Proxy {
    bytes32 private constant IMPL_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 private constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    /// @notice The implementation is now `implementation` (EIP-1967).
    event Upgraded(address indexed implementation);
    /// @notice The admin changed (EIP-1967).
    event AdminChanged(address previousAdmin, address newAdmin);

    /// @notice upgradeTo/upgradeToAndCall/the constructor named an address without code.
    error ImplementationNotContract(address implementation);
    /// @notice A call reached the proxy before any implementation was set.
    error NoImplementation();

    constructor(address implementation, address admin) {
        _setAdmin(admin);
        if (implementation != address(0)) _setImpl(implementation);
    }

    function _admin() private view returns (address a) {
        bytes32 s = ADMIN_SLOT;
        assembly { a := sload(s) }
    }

    function _impl() private view returns (address a) {
        bytes32 s = IMPL_SLOT;
        assembly { a := sload(s) }
    }

    function _setAdmin(address a) private {
        emit AdminChanged(_admin(), a);
        bytes32 s = ADMIN_SLOT;
        assembly { sstore(s, a) }
    }

    function _setImpl(address a) private {
        if (a.code.length == 0) revert ImplementationNotContract(a);
        bytes32 s = IMPL_SLOT;
        assembly { sstore(s, a) }
        emit Upgraded(a);
    }

    /// @notice The admin's upgradeTo(address) 0x3659cfe6, upgradeToAndCall(address,bytes) 0x4f1ef286
    ///         (delegatecalls the data into the new implementation) and changeAdmin(address) 0x8f283970;
    ///         every other call is delegated to the implementation.
    fallback() external payable {
        if (msg.sender == _admin()) {
            bytes4 sig = msg.sig;
            if (sig == 0x4f1ef286) { // upgradeToAndCall(address,bytes)
                (address impl, bytes memory data) = abi.decode(msg.data[4:], (address, bytes));
                _setImpl(impl);
                if (data.length != 0) {
                    (bool ok, bytes memory ret) = impl.delegatecall(data);
                    if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
                }
                return;
            }
            if (sig == 0x3659cfe6) { // upgradeTo(address)
                _setImpl(abi.decode(msg.data[4:], (address)));
                return;
            }
            if (sig == 0x8f283970) { // changeAdmin(address)
                _setAdmin(abi.decode(msg.data[4:], (address)));
                return;
            }
        }
        address target = _impl();
        if (target == address(0)) revert NoImplementation();
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @notice Plain value transfers are delegated to the implementation too.
    receive() external payable {
        address target = _impl();
        if (target == address(0)) revert NoImplementation();
        assembly {
            let ok := delegatecall(gas(), target, 0, 0, 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}

/// @title A contract with no behaviour: placeholder for unused core components (Slasher, EigenPodManager).
contract EmptyContract {
    /// @notice Does nothing (returns 0); gives the placeholder code.
    function foo() external pure returns (uint256) {
        return 0;
    }
}
