// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {TestBase} from "./Base.sol";
import {DelegationManagerV1} from "../src/core/DelegationManagerV1.sol";
import {AllocationManagerV1} from "../src/core/AllocationManagerV1.sol";

/// @dev The slashing-release DelegationManager stand-in: registration, approver and URI changes,
///      the allocation delay's configuration delay, permissions.
contract DelegationManagerV1Test is TestBase {
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event DelegationApproverUpdated(address indexed operator, address newDelegationApprover);
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    event AllocationDelaySet(address operator, uint32 delay, uint32 effectBlock);

    DelegationManagerV1 internal dm;
    AllocationManagerV1 internal am;
    address internal constant OP = address(0xA11CE);
    address internal constant APPROVER = address(0xB0B);
    address internal constant OTHER = address(0xCAFE);

    function setUp() external {
        dm = new DelegationManagerV1(5);
        am = dm.allocationManager();
    }

    function test_register() external {
        vm.roll(100);
        vm.expectEmit(true, false, false, true, address(am));
        emit AllocationDelaySet(OP, 42, 106);
        vm.expectEmit(true, false, false, true, address(dm));
        emit OperatorRegistered(OP, APPROVER);
        vm.expectEmit(true, false, false, true, address(dm));
        emit OperatorMetadataURIUpdated(OP, "https://op.example/m.json");
        vm.prank(OP);
        dm.registerAsOperator(APPROVER, 42, "https://op.example/m.json");
        assertTrue(dm.isOperator(OP) && dm.isDelegated(OP), "registered");
        assertEq(dm.delegatedTo(OP), OP, "self-delegated");
        assertEq(dm.delegationApprover(OP), APPROVER, "approver");
        assertEq(address(am.delegation()), address(dm), "allocation manager's delegation");
        assertEq(am.ALLOCATION_CONFIGURATION_DELAY(), 5, "configuration delay");
        // the delay is not in effect before block 106
        (bool isSet, uint32 d) = am.getAllocationDelay(OP);
        assertTrue(!isSet && d == 0, "pending at registration");
        vm.roll(105);
        (isSet, d) = am.getAllocationDelay(OP);
        assertTrue(!isSet && d == 0, "pending one block before");
        vm.roll(106);
        (isSet, d) = am.getAllocationDelay(OP);
        assertTrue(isSet, "set at the effect block");
        assertEq(d, 42, "delay");
        vm.prank(OP);
        vm.expectRevert(DelegationManagerV1.ActivelyDelegated.selector);
        dm.registerAsOperator(address(0), 1, "");
    }

    function test_zeroDelayIsSet() external {
        vm.prank(OP);
        dm.registerAsOperator(address(0), 0, "");
        vm.roll(block.number + 6);
        (bool isSet, uint32 d) = am.getAllocationDelay(OP);
        assertTrue(isSet && d == 0, "a zero delay takes effect too");
    }

    function test_modifyAndUri() external {
        vm.prank(OP);
        dm.registerAsOperator(address(0), 7, "");
        vm.expectEmit(true, false, false, true, address(dm));
        emit DelegationApproverUpdated(OP, APPROVER);
        vm.prank(OP);
        dm.modifyOperatorDetails(OP, APPROVER);
        assertEq(dm.delegationApprover(OP), APPROVER, "approver changed");
        vm.expectEmit(true, false, false, true, address(dm));
        emit OperatorMetadataURIUpdated(OP, "u2");
        vm.prank(OP);
        dm.updateOperatorMetadataURI(OP, "u2");
        // another account may not act for the operator
        vm.prank(OTHER);
        vm.expectRevert(DelegationManagerV1.InvalidPermissions.selector);
        dm.modifyOperatorDetails(OP, OTHER);
        vm.prank(OTHER);
        vm.expectRevert(DelegationManagerV1.InvalidPermissions.selector);
        dm.updateOperatorMetadataURI(OP, "x");
        // a non-operator acting for itself
        vm.prank(OTHER);
        vm.expectRevert(DelegationManagerV1.OperatorNotRegistered.selector);
        dm.modifyOperatorDetails(OTHER, OTHER);
        vm.prank(OTHER);
        vm.expectRevert(DelegationManagerV1.OperatorNotRegistered.selector);
        dm.updateOperatorMetadataURI(OTHER, "x");
    }

    function test_setAllocationDelayLater() external {
        vm.roll(10);
        vm.prank(OP);
        dm.registerAsOperator(address(0), 7, "");
        vm.roll(20);
        vm.prank(OP);
        am.setAllocationDelay(OP, 9);
        (bool isSet, uint32 d) = am.getAllocationDelay(OP);
        assertTrue(isSet, "first delay in effect");
        assertEq(d, 7, "old delay until the new one takes effect");
        vm.roll(26);
        (, d) = am.getAllocationDelay(OP);
        assertEq(d, 9, "new delay");
        vm.prank(OTHER);
        vm.expectRevert(AllocationManagerV1.InvalidPermissions.selector);
        am.setAllocationDelay(OP, 1);
        vm.prank(OTHER);
        vm.expectRevert(AllocationManagerV1.OperatorNotRegistered.selector);
        am.setAllocationDelay(OTHER, 1);
    }
}
