// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";

/// @title Storage of StrategyManager: the whitelister, stakers' shares and strategy lists, the deposit whitelist, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract StrategyManagerStorage is IStrategyManager {
    address public strategyWhitelister;
    mapping(address => mapping(IStrategy => uint256)) public stakerStrategyShares;
    mapping(address => IStrategy[]) public stakerStrategyList;
    mapping(IStrategy => bool) public strategyIsWhitelistedForDeposit;
    mapping(IStrategy => bool) public thirdPartyTransfersForbidden;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
