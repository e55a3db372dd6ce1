// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "./IERC20.sol";

/// @title EigenLayer M2 strategy: holds one token, accounts deposits in shares.
interface IStrategy {
    /// @notice Credits `amount` tokens the StrategyManager moved here; returns the new shares (StrategyManager only).
    function deposit(IERC20 token, uint256 amount) external returns (uint256);
    /// @notice The token this strategy holds.
    function underlyingToken() external view returns (IERC20);
    /// @notice Shares in existence.
    function totalShares() external view returns (uint256);
    /// @notice Tokens `shares` are worth now.
    function sharesToUnderlyingView(uint256 shares) external view returns (uint256);
}
