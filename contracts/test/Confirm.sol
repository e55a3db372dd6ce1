// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {Fixture} from "./Fixture.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {IMultiProverServiceManager} from "../src/interfaces/IMultiProverServiceManager.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";

/// @dev The stack with registered operators and the confirmState parameters built the way the aggregator
///      builds them (shared by Stack.t.sol, Confirmations.t.sol and Consumer.t.sol).
abstract contract ConfirmFixture is Fixture {
    uint256 internal _batch;

    function _ops(uint256 n) internal returns (Op[] memory ops) {
        ops = new Op[](n);
        for (uint256 i = 0; i < n; i++) {
            ops[i] = makeOp(0xA000 + i, 1000003 + 7919 * i);
            fundAndDelegate(ops[i], 1 ether + i * 1e16);
        }
    }

    /// @dev A header of committee 3 on quorum 0; every call gets new metadata (batch_id counts up), since a
    ///      (committee, metadata) can be confirmed only once.
    function _header(uint32 ref, uint8 threshold) internal returns (IMultiProverServiceManager.StateHeader memory h) {
        h.committeeId = 3;
        h.metadata = abi.encodePacked('{"batch_id":', _u(++_batch), ',"start_block":10,"end_block":20}');
        h.state = bytes('{"state_hash":"0x01"}');
        h.quorumNumbers = hex"00";
        h.quorumThresholdPercentages = abi.encodePacked(threshold);
        h.referenceBlockNumber = ref;
    }

    function _digest(IMultiProverServiceManager.StateHeader memory h) internal view returns (bytes32) {
        return sm._hashReducedStateHeader(IMultiProverServiceManager.ReducedStateHeader(h.committeeId, h.metadata, h.state, h.referenceBlockNumber));
    }

    /// @dev Builds the checkSignatures params the way the aggregator does (sorted non-signers, retriever indices).
    function _params(Op[] memory ops, bool[] memory signs, IMultiProverServiceManager.StateHeader memory h)
        internal
        view
        returns (IBLSSignatureChecker.NonSignerStakesAndSignature memory p)
    {
        uint256 n;
        for (uint256 i = 0; i < ops.length; i++) if (!signs[i]) n++;
        bytes32[] memory ids = new bytes32[](n);
        p.nonSignerPubkeys = new BN254.G1Point[](n);
        uint256 k;
        for (uint256 i = 0; i < ops.length; i++) {
            if (signs[i]) continue;
            // insertion sort by operatorId
            uint256 j = k++;
            while (j > 0 && uint256(ids[j - 1]) > uint256(ops[i].id)) {
                ids[j] = ids[j - 1];
                p.nonSignerPubkeys[j] = p.nonSignerPubkeys[j - 1];
                j--;
            }
            ids[j] = ops[i].id;
            p.nonSignerPubkeys[j] = ops[i].pk1;
        }
        OperatorStateRetriever.CheckSignaturesIndices memory idx =
            osr.getCheckSignaturesIndices(IRegistryCoordinator(address(rc)), h.referenceBlockNumber, h.quorumNumbers, ids);
        p.nonSignerQuorumBitmapIndices = idx.nonSignerQuorumBitmapIndices;
        p.quorumApkIndices = idx.quorumApkIndices;
        p.totalStakeIndices = idx.totalStakeIndices;
        p.nonSignerStakeIndices = idx.nonSignerStakeIndices;
        p.quorumApks = new BN254.G1Point[](1);
        p.quorumApks[0] = blsApkRegistry.getApk(0);
        (p.apkG2, p.sigma) = signAll(ops, signs, _digest(h));
    }

    function _setup(uint256 n) internal returns (Op[] memory ops) {
        deployStack(false);
        ops = _ops(n);
        vm.roll(100);
        for (uint256 i = 0; i < n; i++) registerOp(ops[i]);
        vm.roll(110);
        // the signature-checking tests use low thresholds; the minimum tests raise it again
        sm.setMinimumThreshold(3, 0, 1);
    }

    function _confirm(IMultiProverServiceManager.StateHeader memory h, IBLSSignatureChecker.NonSignerStakesAndSignature memory p)
        internal
        returns (uint256 gasUsed)
    {
        vm.prank(address(this), address(this));
        uint256 g = gasleft();
        sm.confirmState(h, p);
        gasUsed = g - gasleft();
    }

    function confirmExternal(IMultiProverServiceManager.StateHeader memory h, IBLSSignatureChecker.NonSignerStakesAndSignature memory p) external {
        require(msg.sender == address(this));
        vm.prank(address(this), address(this));
        sm.confirmState(h, p);
    }

}
