// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "./IStrategy.sol";

/// @title EigenLayer M2 StrategyManager: deposits into strategies.
interface IStrategyManager {
    /// @notice A staker's strategies and shares.
    function getDeposits(address staker) external view returns (IStrategy[] memory, uint256[] memory);
}
