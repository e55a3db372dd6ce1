// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {Ownable} from "../src/utils/Ownable.sol";
import {ITEELivenessVerifier as IT} from "../src/interfaces/ITEELivenessVerifier.sol";
import {IAttestationVerifier} from "../src/interfaces/IAttestationVerifier.sol";
import {IMultiProverServiceManager as IM} from "../src/interfaces/IMultiProverServiceManager.sol";
import {QuoteBuilder} from "./Quotes.sol";
import {TdBodies} from "./TdBodies.sol";
import {MockDcap} from "./Liveness.t.sol";
import {Proxy} from "../src/utils/Proxy.sol";
import {TEELivenessVerifier} from "../src/avs/TEELivenessVerifier.sol";
import {AttestationVerifier} from "../src/avs/AttestationVerifier.sol";
import {SgxQuoteVerifier} from "../src/avs/SgxQuoteVerifier.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {G2} from "./G2.sol";

interface IProxyUpgrade {
    function upgradeToAndCall(address impl, bytes calldata data) external;
}

/// @notice Per-TEE-quorum policies of the TEELivenessVerifier (issue #15 items 1 and 6): SGX quotes from the
///         real on-chain SgxQuoteVerifier (test P-256 keys), TDX through Automata's output layouts with the
///         TD bodies of real quotes (TdBodies).
contract PolicyTest is QuoteBuilder, TdBodies {
    event log_named_uint(string key, uint256 val);

    uint8 internal constant SGX = 1;
    uint8 internal constant TDX = 5;
    uint8 internal constant QS = 0; // SGX quorum
    uint8 internal constant QT = 1; // TDX quorum

    SgxQuoteVerifier internal qv;
    AttestationVerifier internal av;
    MockDcap internal mock;
    AttestationVerifier internal avTd;
    TEELivenessVerifier internal tlv;
    uint256 internal pckX;
    uint256 internal pckY;

    struct Key {
        uint256 sk;
        BN254.G1Point pk1;
        BN254.G2Point pk2;
    }

    function setUp() external {
        qv = new SgxQuoteVerifier(QE_MRSIGNER, 1);
        (pckX, pckY) = vm.publicKeyP256(PCK_KEY);
        qv.addPckKey(bytes32(pckX), bytes32(pckY), bytes6(0x00906ed50000), 0);
        av = new AttestationVerifier(address(qv));
        av.setAllowListEnforced(false); // the per-quorum policies are what V4 applies
        mock = new MockDcap();
        avTd = new AttestationVerifier(address(mock));
        tlv = TEELivenessVerifier(address(new Proxy(address(0), address(this))));
        IProxyUpgrade(address(tlv)).upgradeToAndCall(
            address(new TEELivenessVerifier()),
            abi.encodeCall(TEELivenessVerifier.initialize, (address(this), address(av), 20, 3600))
        );
        vm.roll(1000);
        vm.warp(1_700_000_000);
        tlv.setQuorumPolicy(QS, SGX, 1); // OK only
        tlv.setQuorumPolicy(QT, TDX, 1);
    }

    // ------------------------------------------------------------ helpers

    function _key(uint256 sk) internal view returns (Key memory k) {
        k.sk = sk;
        k.pk1 = BN254.scalar_mul(BN254.generatorG1(), sk);
        k.pk2 = G2.mul(BN254.generatorG2(), sk);
    }

    function _data(Key memory k) internal view returns (IT.ReportDataV2 memory d) {
        d.pubkey = IT.Pubkey(bytes32(k.pk1.X), bytes32(k.pk1.Y));
        d.referenceBlockNumber = block.number - 1;
        d.referenceBlockHash = blockhash(block.number - 1);
        d.proverAddressHash = keccak256("MultiProverAVShttps://prover");
    }

    function _rd(address prover, IT.ReportDataV2 memory d) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes12(0), prover, keccak256(abi.encode(d)));
    }

    /// @dev The V4 authorization digest written out independently of the contract.
    function _digest4(address prover, IT.ReportDataV2 memory d, uint8 q) internal view returns (bytes32) {
        bytes32 tag = keccak256(
            "MpavsLivenessAuthorizationV4(uint256 chainId,address verifier,address prover,bytes32 reportDataHash,uint8 quorumNumber)"
        );
        return keccak256(abi.encode(tag, block.chainid, address(tlv), prover, keccak256(abi.encode(d)), q));
    }

    function _sig(Key memory k, IT.ReportDataV2 memory d, address prover, uint8 q) internal view returns (BN254.G1Point memory) {
        return BN254.scalar_mul(BN254.hashToG1(_digest4(prover, d, q)), k.sk);
    }

    function _sgxQuote(address prover, IT.ReportDataV2 memory d, uint256 nonce) internal pure returns (bytes memory) {
        return _quote(_rd(prover, d), _defaults(), bytes32(nonce));
    }

    /// @dev Submits V4 with k's authorization of `prover` for quorum q (signed for quorum `signedQ`); when `err`
    ///      is non-empty, expects that revert.
    function _v4(Key memory k, address prover, IT.ReportDataV2 memory d, bytes memory q, uint8 quorum, uint8 signedQ, bytes memory err)
        internal
    {
        BN254.G1Point memory sig = _sig(k, d, prover, signedQ);
        if (err.length != 0) vm.expectRevert(err);
        tlv.submitLivenessProofV4(d, q, k.pk2, sig, quorum);
    }

    function _ok4(Key memory k, address prover, IT.ReportDataV2 memory d, bytes memory q, uint8 quorum) internal {
        _v4(k, prover, d, q, quorum, quorum, "");
    }

    function _live(Key memory k, address prover) internal view returns (bool) {
        return tlv.verifyLivenessProofV2(bytes32(k.pk1.X), bytes32(k.pk1.Y), prover);
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory o) {
        o = new bytes(to - from);
        for (uint256 i = from; i < to; i++) o[i - from] = b[i];
    }

    /// @dev A copy of a TD body with REPORTDATA (520..583) replaced.
    function _td(bytes memory body, bytes memory rd) internal pure returns (bytes memory t) {
        t = _slice(body, 0, body.length);
        for (uint256 i = 0; i < 64; i++) t[520 + i] = rd[i];
    }

    /// @dev Automata output v1.0 (tee 0x81000000) or v1.1 (body type 2 TD1.0 / 3 TD1.5) around a TD body.
    function _tdOut(bytes memory body, bool v11, uint8 tcb) internal pure returns (bytes memory) {
        if (!v11) return abi.encodePacked(uint16(4), bytes4(0x81000000), tcb, bytes6(0x00806f050000), body);
        return abi.encodePacked(uint16(body.length == 648 ? 5 : 4), uint16(body.length == 648 ? 3 : 2), tcb, bytes6(0x00806f050000), body);
    }

    /// @dev keccak256(MRTD ‖ RTMR0..3 ‖ MRCONFIGID) from a TD body, independently of the contracts.
    function _tdId(bytes memory body) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(_slice(body, 136, 184), _slice(body, 328, 520), _slice(body, 184, 232)));
    }

    function _useTd() internal {
        tlv.changeAttestationImpl(address(avTd));
    }

    function _rec(bytes32 key) internal view returns (IT.LivenessPolicyRecord memory r) {
        (bool ok, bytes memory ret) = address(tlv).staticcall(abi.encodeCall(tlv.livenessPolicyRecords, (key)));
        assertTrue(ok && ret.length == 9 * 32, "livenessPolicyRecords");
        r = abi.decode(ret, (IT.LivenessPolicyRecord)); // the getter's static 9-tuple is the struct's encoding
    }

    /// @dev attestedProvers(key).time, what the aggregator and the operator read.
    function _time(bytes32 key) internal view returns (uint256 t) {
        (, t) = tlv.attestedProvers(key);
    }

    function _err(bytes4 sel) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(sel);
    }

    // ------------------------------------------------------------ enum, owner rules, events

    function test_teeEnum_tdxAppended() external pure {
        assertEq(uint256(IM.TEE.INTEL_SGX), 1, "SGX keeps 1");
        assertEq(uint256(IM.TEE.ARM_TRUSTZONE), 4, "TRUSTZONE keeps 4");
        assertEq(uint256(IM.TEE.INTEL_TDX), 5, "TDX appended as 5");
    }

    function test_policy_ownerRulesAndEvents() external {
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumPolicySet(7, TDX, 3, 1);
        tlv.setQuorumPolicy(7, TDX, 3);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumPolicySet(7, TDX, 1, 1); // same type: same epoch
        tlv.setQuorumPolicy(7, TDX, 1);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumPolicySet(7, 0, 0, 2); // removed: new epoch
        tlv.setQuorumPolicy(7, 0, 0);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumMrEnclaveSet(QS, MRENCLAVE, true);
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumSgxSignerSet(QS, MRSIGNER, 0, true, 3);
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, true, 3);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumTdIdentitySet(QT, bytes32(uint256(9)), true);
        tlv.setQuorumTdIdentity(QT, bytes32(uint256(9)), true);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.QuorumPolicyRequiredSet(true);
        tlv.setQuorumPolicyRequired(true);
        (uint8 t, uint16 m, uint32 e) = tlv.quorumPolicies(7);
        assertEq(t + m + e, 2, "policy 7 removed at epoch 2");
        (bool allowed, uint16 minSvn) = tlv.quorumSgxSigners(QS, MRSIGNER, 0);
        assertTrue(allowed && minSvn == 3, "signer rule");
        assertTrue(tlv.quorumMrEnclaveAllowed(QS, MRENCLAVE) && tlv.quorumTdIdentityAllowed(QT, bytes32(uint256(9))), "rules");
        // refused policies: AWS_NITRO, REVOKED / UNRECOGNIZED bits
        vm.expectRevert(_err(IT.InvalidQuorumPolicy.selector));
        tlv.setQuorumPolicy(2, uint8(IM.TEE.AWS_NITRO), 1);
        vm.expectRevert(_err(IT.InvalidQuorumPolicy.selector));
        tlv.setQuorumPolicy(2, SGX, 1 << 6);
        vm.expectRevert(_err(IT.InvalidQuorumPolicy.selector));
        tlv.setQuorumPolicy(2, SGX, 1 << 7);
        // owner only
        bytes memory notOwner = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead));
        vm.prank(address(0xdead));
        vm.expectRevert(notOwner);
        tlv.setQuorumPolicy(2, SGX, 1);
        vm.prank(address(0xdead));
        vm.expectRevert(notOwner);
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, false);
        vm.prank(address(0xdead));
        vm.expectRevert(notOwner);
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, false, 0);
        vm.prank(address(0xdead));
        vm.expectRevert(notOwner);
        tlv.setQuorumTdIdentity(QT, bytes32(0), true);
        vm.prank(address(0xdead));
        vm.expectRevert(notOwner);
        tlv.setQuorumPolicyRequired(false);
    }

    // ------------------------------------------------------------ SGX

    function test_policy_sgxMrEnclave_revocationImmediate() external {
        Key memory k = _key(11);
        address prover = address(0x5151);
        IT.ReportDataV2 memory d = _data(k);
        bytes memory q = _sgxQuote(prover, d, 1);
        _v4(k, prover, d, q, QS, QS, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QS));
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        bytes32 key = keccak256(abi.encode(k.pk1.X, k.pk1.Y));
        BN254.G1Point memory sig = _sig(k, d, prover, QS);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.LivenessProofAuthorized(key, prover, _digest4(prover, d, QS));
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.LivenessProofSubmitted(key, prover, d.pubkey.x, d.pubkey.y, keccak256(q), block.timestamp);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.LivenessProofBound(key, QS, 1, MRENCLAVE, 0);
        uint256 g = gasleft();
        tlv.submitLivenessProofV4(d, q, k.pk2, sig, QS);
        emit log_named_uint("gas submitLivenessProofV4 (SGX, devnet verifier)", g - gasleft());
        g = gasleft();
        assertTrue(_live(k, prover), "live");
        emit log_named_uint("gas verifyLivenessProofV2 (bound proof)", g - gasleft());
        assertTrue(tlv.verifyLivenessProof(d.pubkey.x, d.pubkey.y), "live v1");
        assertTrue(tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QS), "live in quorum 0");
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QT), "not in quorum 1");
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, address(1), QS), "other prover");
        IT.LivenessPolicyRecord memory r = _rec(key);
        assertTrue(r.kind == 1 && r.quorumNumber == QS && r.teeType == SGX && r.tcbStatus == 0, "record");
        assertTrue(r.isvProdId == 0 && r.isvSvn == 1 && r.epoch == 1, "record svn, epoch");
        assertEq(r.identity, MRENCLAVE, "identity");
        assertEq(r.reportHash, keccak256(q), "report hash");
        // revocation: at once, in every view
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, false);
        assertTrue(!_live(k, prover) && !tlv.verifyLivenessProof(d.pubkey.x, d.pubkey.y), "revoked at once");
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QS), "revoked v3");
        assertEq(_time(key), 0, "attestedProvers reads time 0 once revoked");
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        assertTrue(_live(k, prover), "allowed again (same epoch)");
        assertEq(_time(key), block.timestamp, "attestedProvers time back");
        // a TCB status no longer accepted voids it; a type change starts a new epoch (void even when changed back)
        tlv.setQuorumPolicy(QS, SGX, 2);
        assertTrue(!_live(k, prover), "status 0 no longer accepted");
        tlv.setQuorumPolicy(QS, SGX, 1);
        assertTrue(_live(k, prover), "status 0 accepted again");
        tlv.setQuorumPolicy(QS, TDX, 1);
        assertTrue(!_live(k, prover), "quorum type changed");
        tlv.setQuorumPolicy(QS, SGX, 1);
        assertTrue(!_live(k, prover), "other epoch");
        // the same quote cannot come back
        _v4(k, prover, d, q, QS, QS, _err(IT.ReportAlreadyUsed.selector));
    }

    function test_policy_sgxSigner_minIsvSvn() external {
        Key memory k = _key(12);
        address prover = address(0x5252);
        IT.ReportDataV2 memory d = _data(k);
        bytes memory q = _sgxQuote(prover, d, 2); // ISVPRODID 0, ISVSVN 1
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, true, 2);
        _v4(k, prover, d, q, QS, QS, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QS));
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 1, true, 0); // another ISVPRODID does not help
        _v4(k, prover, d, q, QS, QS, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QS));
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, true, 1);
        _ok4(k, prover, d, q, QS);
        IT.LivenessPolicyRecord memory r = _rec(keccak256(abi.encode(k.pk1.X, k.pk1.Y)));
        assertTrue(r.kind == 2 && r.identity == MRSIGNER, "accepted by the signer rule");
        assertTrue(_live(k, prover), "live");
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, true, 2); // minimum raised above the proof's ISVSVN
        assertTrue(!_live(k, prover), "ISVSVN below the new minimum");
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, true, 1);
        assertTrue(_live(k, prover), "minimum lowered");
        tlv.setQuorumSgxSigner(QS, MRSIGNER, 0, false, 0);
        assertTrue(!_live(k, prover), "signer removed");
    }

    function test_policy_sgxTcbStatus() external {
        qv.removePckKey(bytes32(pckX), bytes32(pckY));
        qv.addPckKey(bytes32(pckX), bytes32(pckY), bytes6(0x00906ed50000), 1); // SW_HARDENING_NEEDED
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        Key memory k = _key(13);
        address prover = address(0x5353);
        IT.ReportDataV2 memory d = _data(k);
        bytes memory q = _sgxQuote(prover, d, 3);
        _v4(k, prover, d, q, QS, QS, abi.encodeWithSelector(IT.QuorumTcbStatusNotAllowed.selector, QS, uint8(1)));
        tlv.setQuorumPolicy(QS, SGX, 3);
        _ok4(k, prover, d, q, QS);
        assertTrue(_live(k, prover), "SW_HARDENING_NEEDED accepted");
        tlv.setQuorumPolicy(QS, SGX, 1);
        assertTrue(!_live(k, prover), "minimum raised to OK");
    }

    /// @dev Issue #15 item 6: an SGX measurement is not allowed in the TDX quorum, even when listed there.
    function test_policy_sgxQuoteRefusedInTdxQuorum() external {
        tlv.setQuorumMrEnclave(QT, MRENCLAVE, true);
        tlv.setQuorumSgxSigner(QT, MRSIGNER, 0, true, 0);
        Key memory k = _key(14);
        address prover = address(0x5454);
        IT.ReportDataV2 memory d = _data(k);
        bytes memory q = _sgxQuote(prover, d, 4);
        _v4(k, prover, d, q, QT, QT, abi.encodeWithSelector(IT.TeeTypeMismatch.selector, QT, SGX));
        _v4(k, prover, d, q, 9, 9, abi.encodeWithSelector(IT.QuorumPolicyNotSet.selector, uint8(9)));
        // signed for the TDX quorum, submitted for the SGX one: the quorum is bound in the authorization
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        _v4(k, prover, d, q, QS, QT, _err(IT.InvalidLivenessAuthorization.selector));
        assertEq(tlv.livenessAuthorizationDigestV4(d, prover, QT), _digest4(prover, d, QT), "digest view");
        _ok4(k, prover, d, q, QS);
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QT), "not live for the TDX quorum");
    }

    // ------------------------------------------------------------ TDX

    function _tdSubmit(Key memory k, address prover, bytes memory body, bool v11, uint8 quorum, uint256 nonce, bytes memory err)
        internal
        returns (IT.ReportDataV2 memory d)
    {
        d = _data(k);
        mock.set(true, _tdOut(_td(body, _rd(prover, d)), v11, 0));
        _v4(k, prover, d, abi.encodePacked("td quote", nonce), quorum, quorum, err);
    }

    function test_policy_tdx_realBodies_bothLayouts() external {
        _useTd();
        bytes[] memory bodies = new bytes[](3);
        bodies[0] = V02_TD10;
        bodies[1] = V06_TD10;
        bodies[2] = V08_TD15;
        for (uint256 i = 0; i < 3; i++) {
            bytes memory b = bodies[i];
            bytes32 id = _tdId(b);
            assertEq(tlv.tdIdentityHash(_slice(b, 136, 184), _slice(b, 328, 520), _slice(b, 184, 232)), id, "tdIdentityHash");
            tlv.setQuorumTdIdentity(QT, id, true);
            for (uint256 l = 0; l < 2; l++) {
                if (b.length == 648 && l == 0) continue; // a v5 TD1.5 body comes in the v1.1 layout
                Key memory k = _key(100 + 2 * i + l);
                address prover = address(uint160(0x7000 + 2 * i + l));
                IT.ReportDataV2 memory d = _tdSubmit(k, prover, b, l == 1, QT, 2 * i + l, "");
                assertTrue(_live(k, prover), "TD live");
                IT.LivenessPolicyRecord memory r = _rec(keccak256(abi.encode(d.pubkey.x, d.pubkey.y)));
                assertTrue(r.kind == 3 && r.teeType == TDX && r.identity == id, "TD record");
                IAttestationVerifier.VerifiedQuote memory vq = avTd.verifyQuote("");
                assertTrue(vq.teeType == TDX && vq.tdAttributes == 0x10000000 && vq.tdIdentity == id, "verifyQuote TD fields");
            }
        }
        vm.expectRevert(_err(IT.InvalidTdMeasurementLength.selector));
        tlv.tdIdentityHash(new bytes(48), new bytes(191), new bytes(48));
    }

    /// @dev Issue #15 item 6: RTMR mismatch refused; debug TD refused; SEPT_VE_DISABLE required; TDX in the SGX
    ///      quorum refused; revocation immediate.
    function test_policy_tdx_refusalsAndRevocation() external {
        _useTd();
        tlv.setQuorumTdIdentity(QT, _tdId(V06_TD10), true);
        Key memory k = _key(21);
        address prover = address(0x7d7d);
        bytes memory b = _slice(V06_TD10, 0, 584);
        b[472 + 47] ^= 0x01; // RTMR3, last byte
        _tdSubmit(k, prover, b, true, QT, 1, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QT));
        b = _slice(V06_TD10, 0, 584);
        b[328] ^= 0x80; // RTMR0, first byte
        _tdSubmit(k, prover, b, false, QT, 2, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QT));
        b = _slice(V06_TD10, 0, 584);
        b[184] = 0x01; // MRCONFIGID
        _tdSubmit(k, prover, b, true, QT, 3, abi.encodeWithSelector(IT.MeasurementNotAllowed.selector, QT));
        b = _slice(V06_TD10, 0, 584);
        b[120] |= 0x01; // TUD.DEBUG
        _tdSubmit(k, prover, b, true, QT, 4, _err(AttestationVerifier.DEBUG_ENCLAVE_NOT_ALLOWED.selector));
        b = _slice(V06_TD10, 0, 584);
        b[123] &= 0xef; // SEPT_VE_DISABLE (bit 28) cleared
        _tdSubmit(k, prover, b, true, QT, 5, abi.encodeWithSelector(IT.TdAttributesNotAllowed.selector, uint64(0)));
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        _tdSubmit(k, prover, V06_TD10, true, QS, 6, abi.encodeWithSelector(IT.TeeTypeMismatch.selector, QS, TDX));
        // TCB status of the TDX quorum
        IT.ReportDataV2 memory d = _data(k);
        mock.set(true, _tdOut(_td(V06_TD10, _rd(prover, d)), true, 4)); // OUT_OF_DATE (v06's real verdict)
        _v4(k, prover, d, "td quote 7", QT, QT, abi.encodeWithSelector(IT.QuorumTcbStatusNotAllowed.selector, QT, uint8(4)));
        tlv.setQuorumPolicy(QT, TDX, 1 | (1 << 4));
        _v4(k, prover, d, "td quote 7", QT, QT, "");
        assertTrue(_live(k, prover), "live");
        tlv.setQuorumTdIdentity(QT, _tdId(V06_TD10), false);
        assertTrue(!_live(k, prover), "revoked at once");
    }

    // ------------------------------------------------------------ invalidation with newer collateral

    function test_policy_invalidateWithNewerCollateral() external {
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        Key memory k = _key(31);
        address prover = address(0x3131);
        IT.ReportDataV2 memory d = _data(k);
        bytes memory q = _sgxQuote(prover, d, 31);
        vm.expectRevert(_err(IT.NoBoundLivenessProof.selector));
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, q);
        _ok4(k, prover, d, q, QS);
        vm.prank(address(0xBEEF));
        vm.expectRevert(_err(IT.LivenessProofInPolicy.selector));
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, q);
        bytes memory other = _sgxQuote(prover, d, 32);
        vm.expectRevert(_err(IT.NotRecordedQuote.selector));
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, other);
        // the verifier refuses the quote now (PCK key gone, like expired collateral): nothing is voided
        qv.removePckKey(bytes32(pckX), bytes32(pckY));
        vm.expectRevert(_err(AttestationVerifier.INVALID_REPORT.selector));
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, q);
        // newer collateral: the platform's TCB is now OUT_OF_DATE, which quorum 0 refuses
        qv.addPckKey(bytes32(pckX), bytes32(pckY), bytes6(0x00906ed50000), 4);
        assertTrue(_live(k, prover), "live until someone shows it");
        bytes32 key = keccak256(abi.encode(k.pk1.X, k.pk1.Y));
        vm.expectEmit(true, true, true, true, address(tlv));
        emit IT.LivenessProofInvalidated(key, address(0xBEEF), 4);
        vm.prank(address(0xBEEF));
        uint256 g = gasleft();
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, q);
        emit log_named_uint("gas invalidateLivenessProof (SGX, devnet verifier)", g - gasleft());
        assertTrue(!_live(k, prover) && !tlv.verifyLivenessProof(d.pubkey.x, d.pubkey.y), "void");
        assertEq(_time(key), 0, "attestedProvers time 0 after invalidation");
        vm.expectRevert(_err(IT.NoBoundLivenessProof.selector));
        tlv.invalidateLivenessProof(d.pubkey.x, d.pubkey.y, q);
        // REVOKED (6) is never acceptable
        qv.removePckKey(bytes32(pckX), bytes32(pckY));
        qv.addPckKey(bytes32(pckX), bytes32(pckY), bytes6(0x00906ed50000), 0);
        Key memory k2 = _key(32);
        IT.ReportDataV2 memory d2 = _data(k2);
        bytes memory q2 = _sgxQuote(prover, d2, 33);
        _ok4(k2, prover, d2, q2, QS);
        qv.removePckKey(bytes32(pckX), bytes32(pckY));
        qv.addPckKey(bytes32(pckX), bytes32(pckY), bytes6(0x00906ed50000), 6);
        tlv.invalidateLivenessProof(d2.pubkey.x, d2.pubkey.y, q2);
        assertTrue(!_live(k2, prover), "revoked TCB voids");
    }

    // ------------------------------------------------------------ V3 (no quorum)

    function test_policy_v3UnboundAndRequired() external {
        Key memory k = _key(41);
        address prover = address(0x4141);
        IT.ReportDataV2 memory d = _data(k);
        bytes32 tag = keccak256("MpavsLivenessAuthorization(uint256 chainId,address verifier,address prover,bytes32 reportDataHash)");
        bytes32 dig = keccak256(abi.encode(tag, block.chainid, address(tlv), prover, keccak256(abi.encode(d))));
        BN254.G1Point memory sig = BN254.scalar_mul(BN254.hashToG1(dig), k.sk);
        bytes memory q = _sgxQuote(prover, d, 41);
        tlv.submitLivenessProofV3(d, q, k.pk2, sig); // the global allow-list (off here) applies, no quorum
        assertTrue(_live(k, prover), "V3 proof live");
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QS), "bound to no quorum");
        tlv.setQuorumPolicyRequired(true);
        assertTrue(!_live(k, prover), "void while a quorum policy is required");
        assertEq(_time(keccak256(abi.encode(k.pk1.X, k.pk1.Y))), 0, "attestedProvers time 0 while required");
        vm.roll(block.number + 1);
        d = _data(k);
        dig = keccak256(abi.encode(tag, block.chainid, address(tlv), prover, keccak256(abi.encode(d))));
        sig = BN254.scalar_mul(BN254.hashToG1(dig), k.sk);
        q = _sgxQuote(prover, d, 42);
        vm.expectRevert(_err(IT.QuorumPolicyRequired.selector));
        tlv.submitLivenessProofV3(d, q, k.pk2, sig);
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        _ok4(k, prover, d, q, QS);
        assertTrue(_live(k, prover), "V4 proof live");
        // a later V3 proof replaces the record (unbound again)
        tlv.setQuorumPolicyRequired(false);
        vm.roll(block.number + 1);
        d = _data(k);
        dig = keccak256(abi.encode(tag, block.chainid, address(tlv), prover, keccak256(abi.encode(d))));
        sig = BN254.scalar_mul(BN254.hashToG1(dig), k.sk);
        tlv.submitLivenessProofV3(d, _sgxQuote(prover, d, 43), k.pk2, sig);
        assertEq(_rec(keccak256(abi.encode(k.pk1.X, k.pk1.Y))).kind, 0, "unbound after V3");
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, false);
        assertTrue(_live(k, prover), "a V3 proof ignores the quorum rules");
    }
}
