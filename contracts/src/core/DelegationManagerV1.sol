// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {AllocationManagerV1} from "./AllocationManagerV1.sol";
import {IOperatorRegistryView} from "../interfaces/IOperatorRegistryView.sol";

/// @title Operator registration of the EigenLayer slashing release's DelegationManager (a test stand-in).
/// @notice The operator-facing ABI of the DelegationManager live on mainnet, Hoodi and Sepolia since
///         the slashing release: registerAsOperator(initDelegationApprover, allocationDelay,
///         metadataURI) (the allocation delay goes to the AllocationManager),
///         modifyOperatorDetails(operator, newDelegationApprover), updateOperatorMetadataURI(operator,
///         metadataURI) and the views allocationManager(), isOperator, delegationApprover,
///         delegatedTo. The PermissionController is not modelled: only the operator itself may act for
///         it. Deposits, delegation of stakers, withdrawals and slashing are not modelled either; the
///         devnet stack keeps its M2-form DelegationManager. Used by tests only, deployed directly
///         (not behind a proxy), so it has no storage contract or gap.
contract DelegationManagerV1 is IOperatorRegistryView {
    /// @notice The caller is delegated (or an operator) already.
    error ActivelyDelegated();
    /// @notice `operator` is not a registered operator.
    error OperatorNotRegistered();
    /// @notice The caller may not act for `operator` (only the operator itself).
    error InvalidPermissions();

    /// @notice An operator registered, with its delegation approver.
    event OperatorRegistered(address indexed operator, address delegationApprover);
    /// @notice An operator's delegation approver changed.
    event DelegationApproverUpdated(address indexed operator, address newDelegationApprover);
    /// @notice An operator's metadata URI was set (the URI is emitted, never stored).
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    /// @notice `staker` delegated to `operator`.
    event StakerDelegated(address indexed staker, address indexed operator);

    /// @notice The AllocationManager that keeps allocation delays (deployed by the constructor).
    AllocationManagerV1 public immutable allocationManager;

    /// @notice The operator each staker is delegated to (an operator to itself).
    mapping(address => address) public delegatedTo;
    mapping(address => address) internal _delegationApprover;

    /// @param allocationConfigurationDelay the AllocationManager's ALLOCATION_CONFIGURATION_DELAY (blocks)
    constructor(uint32 allocationConfigurationDelay) {
        allocationManager = new AllocationManagerV1(this, allocationConfigurationDelay);
    }

    modifier onlyOperatorItself(address operator) {
        if (!(msg.sender == operator)) revert InvalidPermissions();
        if (!(isOperator(operator))) revert OperatorNotRegistered();
        _;
    }

    /// @notice Registers the caller as an operator delegated to itself, sets its delegation approver
    ///         and its allocation delay (AllocationManager.setAllocationDelay) and emits the metadata URI.
    function registerAsOperator(address initDelegationApprover, uint32 allocationDelay, string calldata metadataURI)
        external
    {
        if (!(delegatedTo[msg.sender] == address(0))) revert ActivelyDelegated();
        allocationManager.setAllocationDelay(msg.sender, allocationDelay);
        _setDelegationApprover(msg.sender, initDelegationApprover);
        delegatedTo[msg.sender] = msg.sender;
        emit StakerDelegated(msg.sender, msg.sender);
        emit OperatorRegistered(msg.sender, initDelegationApprover);
        emit OperatorMetadataURIUpdated(msg.sender, metadataURI);
    }

    /// @notice Replaces `operator`'s delegation approver. The operator itself only.
    function modifyOperatorDetails(address operator, address newDelegationApprover)
        external
        onlyOperatorItself(operator)
    {
        _setDelegationApprover(operator, newDelegationApprover);
    }

    /// @notice Emits `operator`'s metadata URI. The operator itself only.
    function updateOperatorMetadataURI(address operator, string calldata metadataURI)
        external
        onlyOperatorItself(operator)
    {
        emit OperatorMetadataURIUpdated(operator, metadataURI);
    }

    function _setDelegationApprover(address operator, address approver) internal {
        _delegationApprover[operator] = approver;
        emit DelegationApproverUpdated(operator, approver);
    }

    /// @notice Whether `operator` registered as an operator.
    function isOperator(address operator) public view returns (bool) {
        return operator != address(0) && delegatedTo[operator] == operator;
    }

    /// @notice Whether `staker` is delegated.
    function isDelegated(address staker) external view returns (bool) {
        return delegatedTo[staker] != address(0);
    }

    /// @notice `operator`'s delegation approver (zero: anyone may delegate).
    function delegationApprover(address operator) external view returns (address) {
        return _delegationApprover[operator];
    }
}
