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

    /// @notice Whether `operator` registered as an operator.
    function isOperator(address) external view returns (bool);
    /// @notice `operator`'s delegated shares in each of `strategies`.
    function getOperatorShares(address operator, IStrategy[] memory strategies) external view returns (uint256[] memory);
    /// @notice The minimum withdrawal delay in blocks (BLSSignatureChecker bounds stake staleness with it).
    function minWithdrawalDelayBlocks() external view returns (uint256);
    /// @notice Adds a deposit's shares to the staker's operator. StrategyManager only.
    function increaseDelegatedShares(address staker, IStrategy strategy, uint256 shares) external;
}
