// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";

/// @title Storage of StakeRegistry: minimum stakes, stake histories and strategy weights per quorum, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract StakeRegistryStorage is IStakeRegistry {
    /// @notice Quorum => minimum weighted stake to register.
    mapping(uint8 => uint96) public minimumStakeForQuorum;
    mapping(uint8 => StakeUpdate[]) internal _totalStakeHistory;
    mapping(bytes32 => mapping(uint8 => StakeUpdate[])) internal operatorStakeHistory;
    /// @notice Quorum => its strategies and multipliers.
    mapping(uint8 => StrategyParams[]) public strategyParams;
    /// @notice Quorum => its strategies.
    mapping(uint8 => IStrategy[]) public strategiesPerQuorum;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
