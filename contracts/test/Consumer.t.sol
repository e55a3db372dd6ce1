// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ConfirmFixture} from "./Confirm.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {IMultiProverServiceManager as IM} from "../src/interfaces/IMultiProverServiceManager.sol";
import {RollupBridge} from "../src/examples/RollupBridge.sol";

/// @notice The example consumer: a bridge accepts a state root only once the committee confirmed it.
contract ConsumerTest is ConfirmFixture {
    uint256 internal constant CHAIN = 167012;

    function _blockHeader(uint256 n, bytes32 blockHash, bytes32 root) internal pure returns (IM.StateHeader memory h) {
        h.committeeId = 3;
        h.metadata = abi.encodePacked(keccak256(abi.encodePacked(CHAIN, n)));
        h.state = abi.encode(blockHash, root);
        h.quorumNumbers = hex"00";
        h.quorumThresholdPercentages = hex"42";
        h.referenceBlockNumber = 105;
    }

    function _confirmBlock(Op[] memory ops, uint256 n, bytes32 blockHash, bytes32 root) internal {
        IM.StateHeader memory h = _blockHeader(n, blockHash, root);
        bool[] memory signs = new bool[](ops.length);
        for (uint256 i = 0; i < ops.length; i++) signs[i] = true;
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, signs, h);
        vm.prank(address(this), address(this));
        sm.confirmStateWithSequence(h, n, p);
    }

    function test_bridgeAcceptsOnlyConfirmedRoots() external {
        Op[] memory ops = _setup(2);
        sm.setCommitteeOrdering(3, IM.Ordering.CHAIN_BLOCK, CHAIN);
        RollupBridge bridge = new RollupBridge(sm, 3, CHAIN);
        assertEq(bridge.metadataOf(7), abi.encodePacked(keccak256(abi.encodePacked(CHAIN, uint256(7)))), "metadata");

        vm.expectRevert(abi.encodeWithSelector(RollupBridge.StateNotConfirmed.selector, uint256(7)));
        bridge.acceptStateRoot(7, bytes32("h7"), bytes32("r7"));
        vm.expectRevert(abi.encodeWithSelector(RollupBridge.StateNotConfirmed.selector, uint256(0)));
        bridge.syncLatest();

        _confirmBlock(ops, 7, bytes32("h7"), bytes32("r7"));
        vm.expectRevert(abi.encodeWithSelector(RollupBridge.StateMismatch.selector, uint256(7)));
        bridge.acceptStateRoot(7, bytes32("h7"), bytes32("forged root"));
        vm.expectEmit(true, true, true, true, address(bridge));
        emit RollupBridge.StateRootAccepted(7, bytes32("h7"), bytes32("r7"));
        bridge.acceptStateRoot(7, bytes32("h7"), bytes32("r7"));
        assertEq(bridge.stateRootAt(7), bytes32("r7"), "accepted");
        assertEq(bridge.latestBlockNumber(), 7, "latest 7");

        // the committee confirms 12, then (late) 9: syncLatest follows the latest, which never goes back
        _confirmBlock(ops, 12, bytes32("h12"), bytes32("r12"));
        _confirmBlock(ops, 9, bytes32("h9"), bytes32("r9"));
        (uint256 n, bytes32 root) = bridge.syncLatest();
        assertEq(n, 12, "synced block");
        assertEq(root, bytes32("r12"), "synced root");
        bridge.acceptStateRoot(9, bytes32("h9"), bytes32("r9"));
        assertEq(bridge.stateRootAt(9), bytes32("r9"), "older block accepted by number");
        assertEq(bridge.latestBlockNumber(), 12, "latest stays 12");
    }
}
