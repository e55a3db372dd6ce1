// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ConfirmFixture} from "./Confirm.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {Ownable} from "../src/utils/Ownable.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {IMultiProverServiceManager as IM} from "../src/interfaces/IMultiProverServiceManager.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";
import {IStakeRegistry} from "../src/interfaces/IStakeRegistry.sol";

/// @notice On-chain thresholds, exact quorum sets, duplicate refusal (issue #17 attack 6) and the confirmed-state
///         records with their ordering (issue #15 consumer API).
contract ConfirmationsTest is ConfirmFixture {
    uint256 internal constant CHAIN = 167012;

    function confirmSeqExternal(IM.StateHeader memory h, uint256 seq, IBLSSignatureChecker.NonSignerStakesAndSignature memory p)
        external
    {
        require(msg.sender == address(this));
        vm.prank(address(this), address(this));
        sm.confirmStateWithSequence(h, seq, p);
    }

    function _signs(uint256 n, uint256 signers) internal pure returns (bool[] memory s) {
        s = new bool[](n);
        for (uint256 i = 0; i < signers; i++) s[i] = true;
    }

    function _with(bytes memory metadata, bytes memory state, uint8 threshold) internal pure returns (IM.StateHeader memory h) {
        h.committeeId = 3;
        h.metadata = metadata;
        h.state = state;
        h.quorumNumbers = hex"00";
        h.quorumThresholdPercentages = abi.encodePacked(threshold);
        h.referenceBlockNumber = 105;
    }

    function _blockMeta(uint256 n) internal pure returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encodePacked(CHAIN, n)));
    }

    /// @notice Attack 6: every operator a non-signer, threshold 0. The BLS check alone accepts it (the
    ///         aggregate of nobody verifies); the stored minimum and the non-zero signed stake refuse it.
    function test_zeroSignersZeroThreshold_refused() external {
        Op[] memory ops = _setup(2);
        IM.StateHeader memory h = _header(105, 0);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, _signs(2, 0), h);
        (IBLSSignatureChecker.QuorumStakeTotals memory t,) = sm.checkSignatures(_digest(h), h.quorumNumbers, 105, p);
        assertEq(uint256(t.signedStakeForQuorum[0]), 0, "the empty aggregate passes checkSignatures");
        vm.expectRevert(abi.encodeWithSelector(IM.ThresholdBelowMinimum.selector, uint8(0), uint8(0), uint8(1)));
        this.confirmExternal(h, p);
        // at the minimum (1%): nobody signed, so the signed stake is below it
        h.quorumThresholdPercentages = hex"01";
        vm.expectRevert(IM.InsufficientThreshold.selector);
        this.confirmExternal(h, p);
        assertEq(uint256(sm.taskId()), 0, "nothing confirmed");
    }

    function test_minimumThresholds() external {
        deployStack(false);
        assertEq(uint256(sm.minimumThresholdPercentage(3, 0)), 50, "default on addCommittee");
        assertEq(uint256(sm.DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE()), 50, "default");
        Op[] memory ops = _ops(2);
        vm.roll(100);
        for (uint256 i = 0; i < 2; i++) registerOp(ops[i]);
        vm.roll(110);

        // setter: owner only, 1..100, a quorum of the committee, an existing committee
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        sm.setMinimumThreshold(3, 0, 60);
        vm.expectRevert(IM.InvalidThreshold.selector);
        sm.setMinimumThreshold(3, 0, 0);
        vm.expectRevert(IM.InvalidThreshold.selector);
        sm.setMinimumThreshold(3, 0, 101);
        vm.expectRevert(IM.InvalidThreshold.selector);
        sm.setMinimumThreshold(3, 1, 60);
        vm.expectRevert(IM.CommitteeNotExist.selector);
        sm.setMinimumThreshold(9, 0, 60);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.MinimumThresholdUpdated(3, 0, 50, 70);
        sm.setMinimumThreshold(3, 0, 70);
        assertEq(uint256(sm.minimumThresholdPercentage(3, 0)), 70, "set");

        // below the minimum refused before any signature work; at the minimum accepted
        IM.StateHeader memory h = _header(105, 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, _signs(2, 2), h);
        vm.expectRevert(abi.encodeWithSelector(IM.ThresholdBelowMinimum.selector, uint8(0), uint8(66), uint8(70)));
        this.confirmExternal(h, p);
        h.quorumThresholdPercentages = hex"46"; // 70, not part of the signed digest
        this.confirmExternal(h, p);
        assertEq(uint256(sm.taskId()), 1, "confirmed at the minimum");

        // updateCommittee keeps the minimum of a quorum it keeps; removeCommittee clears it, a new binding gets the default
        sm.updateCommittee(IM.Committee(3, "renamed", "", hex"00"));
        assertEq(uint256(sm.minimumThresholdPercentage(3, 0)), 70, "kept across update");
        sm.removeCommittee(3);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.MinimumThresholdUpdated(3, 0, 0, 50);
        sm.addCommittee(IM.Committee(3, "again", "", hex"00"));
        assertEq(uint256(sm.minimumThresholdPercentage(3, 0)), 50, "default again");
    }

    function test_quorumSetMismatch() external {
        Op[] memory ops = _setup(2);
        IM.StateHeader memory h = _header(105, 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, _signs(2, 2), h);
        // a quorum twice
        IM.StateHeader memory hd = _header(105, 66);
        hd.quorumNumbers = hex"0000";
        hd.quorumThresholdPercentages = hex"4242";
        vm.expectRevert(IM.QuorumsMismatch.selector);
        this.confirmExternal(hd, p);
        // no quorum
        hd = _header(105, 66);
        hd.quorumNumbers = "";
        hd.quorumThresholdPercentages = "";
        vm.expectRevert(IM.QuorumsMismatch.selector);
        this.confirmExternal(hd, p);

        // committee 3 on quorums 0 and 1: a header with quorum 0 only misses one
        IStakeRegistry.StrategyParams[] memory sp = new IStakeRegistry.StrategyParams[](1);
        sp[0] = IStakeRegistry.StrategyParams(strategy, 1 ether);
        rc.createQuorum(IRegistryCoordinator.OperatorSetParam(50, 11000, 200), MIN_STAKE, sp);
        sm.addTEEQuorum(IM.TEEQuorum(IM.TEE.AWS_NITRO, 1));
        sm.updateCommittee(IM.Committee(3, "two quorums", "", hex"0001"));
        vm.expectRevert(IM.QuorumsMismatch.selector);
        this.confirmExternal(h, p);
        // quorum 1 twice instead of 0 and 1
        hd = _header(105, 66);
        hd.quorumNumbers = hex"0101";
        hd.quorumThresholdPercentages = hex"4242";
        vm.expectRevert(IM.QuorumsMismatch.selector);
        this.confirmExternal(hd, p);
        // a quorum of another committee
        sm.updateCommittee(IM.Committee(3, "quorum 0", "", hex"00"));
        sm.addCommittee(IM.Committee(4, "quorum 1", "", hex"01"));
        hd = _header(105, 66);
        hd.quorumNumbers = hex"01";
        vm.expectRevert(IM.InvalidQuorum.selector);
        this.confirmExternal(hd, p);
        // the committee's exact set goes through
        this.confirmExternal(h, p);
        assertEq(uint256(sm.taskId()), 1, "confirmed");
    }

    function test_duplicateRefused() external {
        Op[] memory ops = _setup(2);
        IM.StateHeader memory h = _with(bytes("meta-1"), bytes("state-a"), 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, _signs(2, 2), h);
        this.confirmExternal(h, p);
        vm.expectRevert(IM.StateAlreadyConfirmed.selector);
        this.confirmExternal(h, p);
        // another state for the same metadata, validly signed, and another reference block: still refused
        vm.roll(120);
        IM.StateHeader memory h2 = _with(bytes("meta-1"), bytes("state-b"), 66);
        h2.referenceBlockNumber = 115;
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p2 = _params(ops, _signs(2, 2), h2);
        vm.expectRevert(IM.StateAlreadyConfirmed.selector);
        this.confirmExternal(h2, p2);
        // the same metadata under another committee is another record
        assertEq(uint256(sm.taskId()), 1, "one confirmation");
        assertEq(sm.getConfirmedState(3, bytes("meta-1")).state, bytes("state-a"), "first one kept");
    }

    function test_recordsAndEvents() external {
        Op[] memory ops = _setup(2);
        (bytes32 none, IM.ConfirmedState memory empty) = sm.latestConfirmedState(3);
        assertEq(none, bytes32(0), "no latest yet");
        assertEq(uint256(empty.blockNumber), 0, "empty record");
        assertEq(uint256(sm.getConfirmedState(3, bytes("m1")).blockNumber), 0, "not confirmed");

        IM.StateHeader memory h = _with(bytes("m1"), bytes("s1"), 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, _signs(2, 2), h);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.StateConfirmed(3, bytes("m1"), bytes("s1"));
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.ConfirmedStateRecorded(3, keccak256("m1"), 0, 0, true);
        this.confirmExternal(h, p);

        IM.ConfirmedState memory c = sm.getConfirmedState(3, bytes("m1"));
        assertEq(c.state, bytes("s1"), "state");
        assertEq(uint256(c.blockNumber), block.number, "block");
        assertEq(uint256(c.taskId), 0, "task id");
        assertEq(uint256(c.referenceBlockNumber), 105, "reference block");
        assertEq(c.sequence, 0, "unordered: sequence 0");
        (bytes32 mh, IM.ConfirmedState memory l) = sm.latestConfirmedState(3);
        assertEq(mh, keccak256("m1"), "latest hash");
        assertEq(l.state, bytes("s1"), "latest state");

        // Ordering.NONE: the latest is the last confirmed; a sequence is refused (it would be unsigned)
        h = _with(bytes("m0"), bytes("s0"), 66);
        p = _params(ops, _signs(2, 2), h);
        vm.expectRevert(IM.SequenceMismatch.selector);
        this.confirmSeqExternal(h, 1, p);
        this.confirmExternal(h, p);
        (mh,) = sm.latestConfirmedState(3);
        assertEq(mh, keccak256("m0"), "unordered: last confirmed is latest");
        assertEq(uint256(sm.getConfirmedState(3, bytes("m1")).taskId), 0, "earlier still readable");
    }

    /// @notice Ordering.CHAIN_BLOCK: metadata = keccak256(chainId ‖ N), N given and checked; latest never goes back.
    function test_monotonicChainBlock() external {
        Op[] memory ops = _setup(2);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        sm.setCommitteeOrdering(3, IM.Ordering.CHAIN_BLOCK, CHAIN);
        vm.expectRevert(IM.CommitteeNotExist.selector);
        sm.setCommitteeOrdering(9, IM.Ordering.CHAIN_BLOCK, CHAIN);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.CommitteeOrderingUpdated(3, IM.Ordering.CHAIN_BLOCK, CHAIN);
        sm.setCommitteeOrdering(3, IM.Ordering.CHAIN_BLOCK, CHAIN);
        (IM.Ordering o, uint256 cid) = sm.committeeOrdering(3);
        assertTrue(o == IM.Ordering.CHAIN_BLOCK && cid == CHAIN, "ordering stored");

        IM.StateHeader memory h20 = _with(_blockMeta(20), abi.encode(bytes32("h20"), bytes32("r20")), 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p20 = _params(ops, _signs(2, 2), h20);
        vm.expectRevert(IM.SequenceMismatch.selector);
        this.confirmExternal(h20, p20); // no sequence
        vm.expectRevert(IM.SequenceMismatch.selector);
        this.confirmSeqExternal(h20, 21, p20); // not the metadata's block
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.ConfirmedStateRecorded(3, keccak256(_blockMeta(20)), 0, 20, true);
        this.confirmSeqExternal(h20, 20, p20);

        // an older block is kept (readable by metadata) but does not become the latest
        IM.StateHeader memory h10 = _with(_blockMeta(10), abi.encode(bytes32("h10"), bytes32("r10")), 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p10 = _params(ops, _signs(2, 2), h10);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IM.ConfirmedStateRecorded(3, keccak256(_blockMeta(10)), 1, 10, false);
        this.confirmSeqExternal(h10, 10, p10);
        (bytes32 mh, IM.ConfirmedState memory l) = sm.latestConfirmedState(3);
        assertEq(mh, keccak256(_blockMeta(20)), "latest stays at block 20");
        assertEq(l.sequence, 20, "latest sequence");
        assertEq(sm.getConfirmedState(3, _blockMeta(10)).sequence, 10, "block 10 readable");

        IM.StateHeader memory h30 = _with(_blockMeta(30), abi.encode(bytes32("h30"), bytes32("r30")), 66);
        this.confirmSeqExternal(h30, 30, _params(ops, _signs(2, 2), h30));
        (, l) = sm.latestConfirmedState(3);
        assertEq(l.sequence, 30, "latest moves forward");
        assertEq(uint256(l.taskId), 2, "task id 2");
    }
}
