// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "../interfaces/IStrategy.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title Storage of StrategyBase: the underlying token and the total shares, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract StrategyBaseStorage is IStrategy {
    /// @notice The token this strategy holds.
    IERC20 public underlyingToken;
    /// @notice Shares in existence.
    uint256 public totalShares;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (2 used + 48 = 50).
    uint256[48] private __GAP;
}
