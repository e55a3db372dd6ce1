// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";

/// @title Storage of DelegationManager: operator details, delegations, delegated shares and withdrawal delays, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract DelegationManagerStorage is IDelegationManager {
    /// @notice Operator => strategy => shares delegated to it.
    mapping(address => mapping(IStrategy => uint256)) public operatorShares;
    mapping(address => OperatorDetails) internal _operatorDetails;
    /// @notice Staker => the operator it delegates to (operators: themselves).
    mapping(address => address) public delegatedTo;
    /// @notice Minimum withdrawal delay in blocks.
    uint256 public minWithdrawalDelayBlocks;
    /// @notice Strategy => its withdrawal delay in blocks.
    mapping(IStrategy => uint256) public strategyWithdrawalDelayBlocks;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
