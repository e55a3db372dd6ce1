// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ITEELivenessVerifier} from "../src/interfaces/ITEELivenessVerifier.sol";
import {IMultiProverServiceManager} from "../src/interfaces/IMultiProverServiceManager.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {Fixture} from "./Fixture.sol";
import {QuoteBuilder} from "./Quotes.sol";
import {Proxy} from "../src/utils/Proxy.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {MultiProverServiceManager} from "../src/avs/MultiProverServiceManager.sol";
import {TEELivenessVerifier} from "../src/avs/TEELivenessVerifier.sol";
import {AttestationVerifier} from "../src/avs/AttestationVerifier.sol";
import {SgxQuoteVerifier} from "../src/avs/SgxQuoteVerifier.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";

interface IProxyUpgrade {
    function upgradeToAndCall(address impl, bytes calldata data) external;
}

/// @notice The flow of the C integration test, in forge: deploy everything, two operators register
///         (PoP + AVSDirectory signature), each submits a liveness proof for its BLS key, the
///         aggregator-side checks use verifyLivenessProof, then a state is confirmed with both
///         signers and with one non-signer.
contract EndToEndTest is Fixture, QuoteBuilder {
    function test_endToEnd() external {
        deployStack(true);
        SgxQuoteVerifier qv = new SgxQuoteVerifier(QE_MRSIGNER, 1);
        (uint256 px, uint256 py) = vm.publicKeyP256(PCK_KEY);
        qv.addPckKey(bytes32(px), bytes32(py), bytes6(0x00606a000000), 0);
        AttestationVerifier av = new AttestationVerifier(address(qv));
        av.setMrEnclave(MRENCLAVE, true);
        TEELivenessVerifier tlv = TEELivenessVerifier(address(new Proxy(address(empty), address(this))));
        IProxyUpgrade(address(tlv)).upgradeToAndCall(
            address(new TEELivenessVerifier()),
            abi.encodeCall(TEELivenessVerifier.initialize, (address(this), address(av), 20, 3600))
        );

        Op[] memory ops = new Op[](2);
        vm.roll(100);
        vm.warp(1_700_000_000);
        for (uint256 i = 0; i < 2; i++) {
            ops[i] = makeOp(0xE000 + i, 123456789 + i);
            fundAndDelegate(ops[i], 1 ether);
            sm.whitelistOperator(ops[i].addr);
            registerOp(ops[i]);
            // liveness: REPORTDATA = 0^12 || prover address || keccak256(abi.encode(ReportDataV2))
            ITEELivenessVerifier.ReportDataV2 memory d = ITEELivenessVerifier.ReportDataV2(
                ITEELivenessVerifier.Pubkey(bytes32(ops[i].pk1.X), bytes32(ops[i].pk1.Y)),
                block.number - 1, blockhash(block.number - 1), keccak256("MultiProverAVShttp://prover")
            );
            address prover = address(uint160(0xBEEF00 + i));
            bytes memory q = _quote(abi.encodePacked(bytes12(0), prover, keccak256(abi.encode(d))), _defaults(), bytes32(i));
            // authorized by the operator's BLS key: sk * hashToG1(livenessAuthorizationDigest(d, prover))
            tlv.submitLivenessProofV3(d, q, ops[i].pk2, BN254.scalar_mul(tlv.livenessAuthorizationMessageHash(d, prover), ops[i].sk));
            assertTrue(tlv.verifyLivenessProof(bytes32(ops[i].pk1.X), bytes32(ops[i].pk1.Y)), "live");
            assertTrue(tlv.verifyLivenessProofV2(bytes32(ops[i].pk1.X), bytes32(ops[i].pk1.Y), prover), "live v2");
            // prover key = operatorId
            assertEq(keccak256(abi.encode(bytes32(ops[i].pk1.X), bytes32(ops[i].pk1.Y))), ops[i].id, "proverKey == operatorId");
            vm.roll(block.number + 1);
        }
        vm.roll(block.number + 3);
        uint32 ref = uint32(block.number - 1);

        // all signers, then one non-signer
        for (uint256 round = 0; round < 2; round++) {
            bool[] memory signs = new bool[](2);
            signs[0] = true;
            signs[1] = round == 0;
            IMultiProverServiceManager.StateHeader memory h;
            h.committeeId = 3;
            h.metadata = round == 0 ? bytes('{"batch_id":7,"start_block":1,"end_block":2}') : bytes('{"batch_id":8,"start_block":3,"end_block":4}');
            h.state = bytes('{"state_hash":"0x02"}');
            h.quorumNumbers = hex"00";
            h.quorumThresholdPercentages = round == 0 ? bytes(hex"42") : bytes(hex"32");
            h.referenceBlockNumber = ref;
            bytes32 digest = sm._hashReducedStateHeader(IMultiProverServiceManager.ReducedStateHeader(3, h.metadata, h.state, ref));
            IBLSSignatureChecker.NonSignerStakesAndSignature memory p;
            bytes32[] memory ids = new bytes32[](round == 0 ? 0 : 1);
            p.nonSignerPubkeys = new BN254.G1Point[](ids.length);
            if (round == 1) {
                ids[0] = ops[1].id;
                p.nonSignerPubkeys[0] = ops[1].pk1;
            }
            OperatorStateRetriever.CheckSignaturesIndices memory idx =
                osr.getCheckSignaturesIndices(IRegistryCoordinator(address(rc)), ref, h.quorumNumbers, ids);
            p.nonSignerQuorumBitmapIndices = idx.nonSignerQuorumBitmapIndices;
            p.quorumApkIndices = idx.quorumApkIndices;
            p.totalStakeIndices = idx.totalStakeIndices;
            p.nonSignerStakeIndices = idx.nonSignerStakeIndices;
            // quorum apk at ref rebuilt from getOperatorState, as eigensdk-go does
            OperatorStateRetriever.Operator[][] memory st = osr.getOperatorState(IRegistryCoordinator(address(rc)), h.quorumNumbers, ref);
            p.quorumApks = new BN254.G1Point[](1);
            for (uint256 j = 0; j < st[0].length; j++) {
                (uint256 x, uint256 y) = blsApkRegistry.operatorToPubkey(st[0][j].operator);
                p.quorumApks[0] = BN254.plus(p.quorumApks[0], BN254.G1Point(x, y));
            }
            (p.apkG2, p.sigma) = signAll(ops, signs, digest);
            vm.prank(address(this), address(this));
            sm.confirmState(h, p);
        }
        assertEq(uint256(sm.taskId()), 2, "two confirmations");
        (, IMultiProverServiceManager.ConfirmedState memory latest) = sm.latestConfirmedState(3);
        assertEq(uint256(latest.taskId), 1, "latest = the second confirmation");
    }
}
