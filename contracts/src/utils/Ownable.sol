// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title Single-owner access control (storage-based so it works behind a proxy).
/// @notice Storage: `_owner` then a 49-slot gap (as OpenZeppelin's OwnableUpgradeable). After
///         Initializable, `_owner` packs into Initializable's slot, so the two take 50 slots.
abstract contract Ownable {
    address private _owner;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots.
    uint256[49] private __gap;

    /// @notice Ownership moved from `previousOwner` to `newOwner` (zero: renounced).
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice `account` called an owner-only function without being the owner.
    error OwnableUnauthorizedAccount(address account);
    /// @notice transferOwnership to the zero address (renounceOwnership is the way to give it up).
    error OwnableInvalidOwner(address owner);

    modifier onlyOwner() {
        if (msg.sender != _owner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    /// @notice The current owner.
    function owner() public view virtual returns (address) {
        return _owner;
    }

    /// @notice Hands ownership to `newOwner` (not zero). Owner only; emits OwnershipTransferred.
    function transferOwnership(address newOwner) public virtual onlyOwner {
        if (newOwner == address(0)) revert OwnableInvalidOwner(address(0));
        _transferOwnership(newOwner);
    }

    /// @notice Leaves the contract without owner: owner-only functions become unreachable. Owner only.
    function renounceOwnership() public virtual onlyOwner {
        _transferOwnership(address(0));
    }

    function _transferOwnership(address newOwner) internal {
        address prev = _owner;
        _owner = newOwner;
        emit OwnershipTransferred(prev, newOwner);
    }
}
