// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";

/// @title Storage of StrategyManager: the whitelister, stakers' shares and strategy lists, the deposit whitelist, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract StrategyManagerStorage is IStrategyManager {
    /// @notice The account that manages the deposit whitelist.
    address public strategyWhitelister;
    /// @notice Staker => strategy => shares.
    mapping(address => mapping(IStrategy => uint256)) public stakerStrategyShares;
    /// @notice Staker => the strategies it holds shares in.
    mapping(address => IStrategy[]) public stakerStrategyList;
    /// @notice Strategy => whether it accepts deposits.
    mapping(IStrategy => bool) public strategyIsWhitelistedForDeposit;
    /// @notice Strategy => whether third-party transfers are forbidden.
    mapping(IStrategy => bool) public thirdPartyTransfersForbidden;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
