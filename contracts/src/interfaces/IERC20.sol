// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title ERC-20 token (the devnet TestToken and the strategies' underlying tokens).
interface IERC20 {
    /// @notice `value` tokens moved from `from` to `to` (from zero: minted).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice `owner` allowed `spender` `value` tokens.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// @notice Tokens in existence.
    function totalSupply() external view returns (uint256);
    /// @notice An account's balance.
    function balanceOf(address) external view returns (uint256);
    /// @notice Moves `amount` of the caller's tokens to `to`; returns true.
    function transfer(address to, uint256 amount) external returns (bool);
    /// @notice What `spender` may still move of `owner`'s tokens.
    function allowance(address owner, address spender) external view returns (uint256);
    /// @notice Lets `spender` move up to `amount` of the caller's tokens; returns true.
    function approve(address spender, uint256 amount) external returns (bool);
    /// @notice Moves `amount` of `from`'s tokens to `to` within the caller's allowance; returns true.
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}
