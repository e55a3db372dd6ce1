// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "./IStrategy.sol";

/// @title EigenLayer M2 DelegationManager: operators and delegated shares.
interface IDelegationManager {
    struct OperatorDetails {
        address earningsReceiver;
        address delegationApprover;
        uint32 stakerOptOutWindowBlocks;
    }

    function isOperator(address) external view returns (bool);
    function getOperatorShares(address operator, IStrategy[] memory strategies) external view returns (uint256[] memory);
    function minWithdrawalDelayBlocks() external view returns (uint256);
    function increaseDelegatedShares(address staker, IStrategy strategy, uint256 shares) external;
}
