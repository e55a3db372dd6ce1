// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "./IERC20.sol";

/// @title EigenLayer M2 strategy: holds one token, accounts deposits in shares.
interface IStrategy {
    function deposit(IERC20 token, uint256 amount) external returns (uint256);
    function underlyingToken() external view returns (IERC20);
    function totalShares() external view returns (uint256);
    function sharesToUnderlyingView(uint256 shares) external view returns (uint256);
}
