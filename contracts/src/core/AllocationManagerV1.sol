// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IOperatorRegistryView} from "../interfaces/IOperatorRegistryView.sol";

/// @title The allocation-delay part of the EigenLayer slashing release's AllocationManager (a test stand-in).
/// @notice Only what operator registration touches: an operator's allocation delay (blocks between
///         allocating magnitude and it becoming slashable), set by the DelegationManager at
///         registration or by the operator later; a new delay takes effect
///         ALLOCATION_CONFIGURATION_DELAY + 1 blocks after it is set, and getAllocationDelay reports
///         isSet = false until a first delay took effect. Allocations, operator sets and slashing
///         are not modelled. Deployed by DelegationManagerV1's constructor, not behind a proxy.
contract AllocationManagerV1 {
    /// @notice The caller may not act for `operator` (only the operator itself or the DelegationManager).
    error InvalidPermissions();
    /// @notice `operator` is not a registered operator.
    error OperatorNotRegistered();

    /// @notice `operator`'s allocation delay becomes `delay` blocks at block `effectBlock`.
    event AllocationDelaySet(address operator, uint32 delay, uint32 effectBlock);

    /// @notice The DelegationManager that registers operators.
    IOperatorRegistryView public immutable delegation;
    /// @notice Blocks between setting an allocation delay and it taking effect (minus one).
    uint32 public immutable ALLOCATION_CONFIGURATION_DELAY;

    struct AllocationDelayInfo {
        uint32 delay;
        bool isSet;
        uint32 pendingDelay;
        uint32 effectBlock;
    }

    mapping(address => AllocationDelayInfo) internal _allocationDelayInfo;

    constructor(IOperatorRegistryView _delegation, uint32 _allocationConfigurationDelay) {
        delegation = _delegation;
        ALLOCATION_CONFIGURATION_DELAY = _allocationConfigurationDelay;
    }

    /// @notice Sets `operator`'s allocation delay (blocks), effective ALLOCATION_CONFIGURATION_DELAY + 1
    ///         blocks from now. The DelegationManager (at registration) or the operator itself only.
    function setAllocationDelay(address operator, uint32 delay) external {
        if (msg.sender != address(delegation)) {
            if (!(msg.sender == operator)) revert InvalidPermissions();
            if (!(delegation.isOperator(operator))) revert OperatorNotRegistered();
        }
        AllocationDelayInfo memory info = _allocationDelayInfo[operator];
        if (info.effectBlock != 0 && block.number >= info.effectBlock) {
            info.delay = info.pendingDelay;
            info.isSet = true;
        }
        info.pendingDelay = delay;
        info.effectBlock = uint32(block.number) + ALLOCATION_CONFIGURATION_DELAY + 1;
        _allocationDelayInfo[operator] = info;
        emit AllocationDelaySet(operator, delay, info.effectBlock);
    }

    /// @notice `operator`'s allocation delay in effect now; isSet is false until a first delay took effect.
    function getAllocationDelay(address operator) external view returns (bool isSet, uint32 delay) {
        AllocationDelayInfo memory info = _allocationDelayInfo[operator];
        if (info.effectBlock != 0 && block.number >= info.effectBlock) return (true, info.pendingDelay);
        return (info.isSet, info.delay);
    }
}
