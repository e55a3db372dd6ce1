// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {Ownable} from "../src/utils/Ownable.sol";
import {Initializable} from "../src/utils/Initializable.sol";
import {ITEELivenessVerifier} from "../src/interfaces/ITEELivenessVerifier.sol";
import {TestBase} from "./Base.sol";
import {QuoteBuilder} from "./Quotes.sol";
import {Proxy} from "../src/utils/Proxy.sol";
import {TEELivenessVerifier} from "../src/avs/TEELivenessVerifier.sol";
import {AttestationVerifier} from "../src/avs/AttestationVerifier.sol";
import {SgxQuoteVerifier} from "../src/avs/SgxQuoteVerifier.sol";
import {IAttestation} from "../src/interfaces/IAttestation.sol";

interface IProxyOps {
    function upgradeToAndCall(address impl, bytes calldata data) external;
}

/// @dev A DCAP verifier stub returning a configured output (for the output-layout tests).
contract MockDcap is IAttestation {
    bool public ok = true;
    bytes public out;

    function set(bool _ok, bytes memory _out) external {
        ok = _ok;
        out = _out;
    }

    function getBp() external pure returns (uint16) {
        return 0;
    }

    function verifyAndAttestOnChain(bytes calldata) external payable returns (bool, bytes memory) {
        return (ok, out);
    }
}

contract LivenessTest is QuoteBuilder {
    event log_named_uint(string key, uint256 val);


    SgxQuoteVerifier internal qv;
    AttestationVerifier internal av;
    TEELivenessVerifier internal tlv;

    function setUp() external {
        qv = new SgxQuoteVerifier(QE_MRSIGNER, 1);
        (uint256 x, uint256 y) = vm.publicKeyP256(PCK_KEY);
        qv.addPckKey(bytes32(x), bytes32(y), bytes6(0x00906ed50000), 0);
        av = new AttestationVerifier(address(qv));
        av.setMrEnclave(MRENCLAVE, true);
        tlv = TEELivenessVerifier(address(new Proxy(address(0), address(this))));
        IProxyOps(address(tlv)).upgradeToAndCall(
            address(new TEELivenessVerifier()),
            abi.encodeCall(TEELivenessVerifier.initialize, (address(this), address(av), 20, 3600))
        );
        vm.roll(1000);
        vm.warp(1_700_000_000);
    }

    function _data(bytes32 x, bytes32 y, uint256 ref) internal view returns (ITEELivenessVerifier.ReportDataV2 memory d) {
        d.pubkey = ITEELivenessVerifier.Pubkey(x, y);
        d.referenceBlockNumber = ref;
        d.referenceBlockHash = blockhash(ref);
        d.proverAddressHash = keccak256("MultiProverAVShttps://prover");
    }

    function _reportData(address prover, ITEELivenessVerifier.ReportDataV2 memory d) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes12(0), prover, keccak256(abi.encode(d)));
    }

    function submitExternal(ITEELivenessVerifier.ReportDataV2 memory d, bytes memory q) external {
        tlv.submitLivenessProofV2(d, q);
    }

    /// @dev upstream.md §3.5/§3.11: ProverAddrHash and the ReportDataV2 hash the quote must carry.
    function test_reportDataV2Vector() external pure {
        bytes32 pah = keccak256(abi.encodePacked("MultiProverAVS", "https://avs-prover-mainnet1.ata.network:18232"));
        assertEq(pah, 0x95dea5790936621cadc692ee87fa14f7f125b9fce6e4cf641c9c948f8b4f3540, "prover address hash");
        ITEELivenessVerifier.ReportDataV2 memory d = ITEELivenessVerifier.ReportDataV2(
            ITEELivenessVerifier.Pubkey(
                bytes32(uint256(7937519569820912844113330374444454164310055281456073671403549050007087076600)),
                bytes32(uint256(12804341335595495802034722349306118345336669894914691938658439299591460059117))
            ),
            123456,
            0x1111111111111111111111111111111111111111111111111111111111111111,
            pah
        );
        assertEq(abi.encode(d).length, 160, "static 160-byte encoding");
        assertEq(keccak256(abi.encode(d)), 0xbabd973905dc8317d416835b2bbe11e177fdba0039258843af08a2a1dc352d47, "ReportDataV2 hash");
    }

    // ------------------------------------------------------------ quote verifier

    function test_quoteVerifier_valid() external {
        bytes memory rd = new bytes(64);
        rd[63] = 0x2a;
        bytes memory q = _quote(rd, _defaults(), 0);
        uint256 g = gasleft();
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q);
        emit log_named_uint("gas SgxQuoteVerifier.verifyAndAttestOnChain", g - gasleft());
        assertTrue(ok, string(out));
        assertEq(out.length, 397, "v1.0 output length");
        assertEq(uint256(uint16(bytes2(abi.encodePacked(out[0], out[1])))), 3, "version");
        assertEq(uint256(uint8(out[6])), 0, "tcb status");
        assertEq(uint256(uint8(out[13 + 320 + 63])), 0x2a, "report data at 333..397");
        bytes memory got = av.verifyAttestation(q);
        assertEq(got, rd, "report data through AttestationVerifier");
    }

    function _expectFail(bytes memory q, string memory reason) internal {
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q);
        assertTrue(!ok, "must fail");
        assertEq(out, bytes(reason), reason);
    }

    function test_quoteVerifier_rejects() external {
        bytes memory rd = new bytes(64);
        QuoteOpts memory o = _defaults();
        o.pckKey = 0xBAD;
        _expectFail(_quote(rd, o, 0), "QE report not signed by a registered PCK key");
        o = _defaults();
        o.qeMrSigner = bytes32(uint256(1));
        _expectFail(_quote(rd, o, 0), "QE MRSIGNER mismatch");
        o = _defaults();
        o.breakBinding = true;
        _expectFail(_quote(rd, o, 0), "attestation key not bound to QE report");
        o = _defaults();
        o.breakIsvSig = true;
        _expectFail(_quote(rd, o, 0), "invalid quote signature");
        bytes memory q = _quote(rd, _defaults(), 0);
        q[100] = bytes1(uint8(q[100]) ^ 1); // tampered body
        _expectFail(q, "invalid quote signature");
        q = _quote(rd, _defaults(), 0);
        q[0] = 0x04;
        _expectFail(q, "unsupported quote version");
        _expectFail(new bytes(500), "quote too short");
        q = _quote(rd, _defaults(), 0);
        bytes memory cut = new bytes(q.length - 10);
        for (uint256 i = 0; i < cut.length; i++) cut[i] = q[i];
        _expectFail(cut, "bad auth data length");
        // unknown PCK key through the adapter: INVALID_REPORT
        o = _defaults();
        o.pckKey = 0xBAD;
        bytes memory bad = _quote(rd, o, 0);
        vm.expectRevert(AttestationVerifier.INVALID_REPORT.selector);
        av.verifyAttestation(bad);
        // key management
        (uint256 x, uint256 y) = vm.publicKeyP256(PCK_KEY);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        qv.addPckKey(bytes32(x), bytes32(y), 0, 0);
        qv.removePckKey(bytes32(x), bytes32(y));
        _expectFail(_quote(rd, _defaults(), 0), "QE report not signed by a registered PCK key");
    }

    // ------------------------------------------------------------ liveness

    function test_liveness_happyPath() external {
        bytes32 x = bytes32(uint256(11));
        bytes32 y = bytes32(uint256(22));
        address prover = address(0x1234);
        ITEELivenessVerifier.ReportDataV2 memory d = _data(x, y, block.number - 1);
        bytes memory q = _quote(_reportData(prover, d), _defaults(), 0);
        assertTrue(!tlv.verifyLivenessProof(x, y), "not live before");
        uint256 g = gasleft();
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.LivenessProofSubmitted(
            keccak256(abi.encode(x, y)), prover, x, y, keccak256(q), block.timestamp
        );
        tlv.submitLivenessProofV2(d, q);
        emit log_named_uint("gas submitLivenessProofV2 (devnet verifier)", g - gasleft());
        assertTrue(tlv.verifyLivenessProof(x, y), "live");
        assertTrue(tlv.verifyLivenessProofV2(x, y, prover), "live v2");
        assertTrue(!tlv.verifyLivenessProofV2(x, y, address(0x9999)), "wrong prover");
        bytes32 key = keccak256(abi.encode(x, y));
        assertEq(tlv.attestedProverAddr(key), prover, "prover address");
        (, uint256 t) = tlv.attestedProvers(key);
        assertEq(t, block.timestamp, "time");
        assertTrue(tlv.attestedReports(keccak256(q)), "report marked used");
        vm.warp(block.timestamp + 3600);
        assertTrue(!tlv.verifyLivenessProof(x, y), "expired");
        // replayed report
        vm.warp(block.timestamp + 1);
        vm.expectRevert(ITEELivenessVerifier.ReportAlreadyUsed.selector);
        this.submitExternal(d, q);
    }

    function test_liveness_reverts() external {
        bytes32 x = bytes32(uint256(11));
        bytes32 y = bytes32(uint256(22));
        ITEELivenessVerifier.ReportDataV2 memory d = _data(x, y, block.number - 1);
        bytes memory q = _quote(_reportData(address(1), d), _defaults(), 0);
        // report data mismatch: quote attests other data
        ITEELivenessVerifier.ReportDataV2 memory other = _data(x, bytes32(uint256(23)), block.number - 1);
        bytes memory rd = _reportData(address(1), d);
        vm.expectRevert(abi.encodeWithSelector(ITEELivenessVerifier.REPORT_DATA_MISMATCH.selector, rd));
        this.submitExternal(other, q);
        // stale reference block
        ITEELivenessVerifier.ReportDataV2 memory old = _data(x, y, block.number - 20);
        bytes memory qOld = _quote(_reportData(address(1), old), _defaults(), 0);
        vm.expectRevert(ITEELivenessVerifier.BlockNumberOutOfDate.selector);
        this.submitExternal(old, qOld);
        // future reference block
        ITEELivenessVerifier.ReportDataV2 memory fut = _data(x, y, block.number);
        vm.expectRevert(ITEELivenessVerifier.InvalidBlockNumber.selector);
        this.submitExternal(fut, q);
        // wrong reference block hash
        ITEELivenessVerifier.ReportDataV2 memory wrongHash = _data(x, y, block.number - 2);
        wrongHash.referenceBlockHash = keccak256("nope");
        vm.expectRevert(ITEELivenessVerifier.BlockNumberMismatch.selector);
        this.submitExternal(wrongHash, q);
        // debug enclave
        QuoteOpts memory o = _defaults();
        o.attributes = 0x07;
        bytes memory qDebug = _quote(_reportData(address(1), d), o, 0);
        vm.expectRevert(AttestationVerifier.DEBUG_ENCLAVE_NOT_ALLOWED.selector);
        this.submitExternal(d, qDebug);
        // unknown PCK key
        o = _defaults();
        o.pckKey = 0xBAD;
        bytes memory qUnknown = _quote(_reportData(address(1), d), o, 0);
        vm.expectRevert(AttestationVerifier.INVALID_REPORT.selector);
        this.submitExternal(d, qUnknown);
        // enclave not on the allow-list
        av.setMrEnclave(MRENCLAVE, false);
        vm.expectRevert(AttestationVerifier.ENCLAVE_NOT_ALLOWED.selector);
        this.submitExternal(d, q);
        av.setMrSigner(MRSIGNER, true);
        this.submitExternal(d, q); // allowed by MRSIGNER instead
        // owner setters
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        tlv.changeMaxBlockNumberDiff(5);
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.MaxBlockNumberDiffUpdated(20, 5);
        tlv.changeMaxBlockNumberDiff(5);
        assertEq(tlv.maxBlockNumberDiff(), 5, "diff");
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.AttestValiditySecondsUpdated(3600, 10);
        tlv.changeAttestValiditySeconds(10);
        assertEq(tlv.attestValiditySeconds(), 10, "validity");
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.AttestationVerifierUpdated(address(av), address(0x77));
        tlv.changeAttestationImpl(address(0x77));
        assertEq(address(tlv.attestationVerifier()), address(0x77), "impl");
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        tlv.initialize(address(this), address(av), 1, 1);
        tlv.reinitialize(2, address(this), address(av), 20, 3600);
        assertEq(tlv.maxBlockNumberDiff(), 20, "reinitialized");
    }

    // ------------------------------------------------------------ AttestationVerifier output layouts

    function _sgxBody(uint8 attributes, bytes32 mrEnclave, bytes memory rd) internal pure returns (bytes memory) {
        return _body(attributes, mrEnclave, MRSIGNER, rd, 0);
    }

    function test_attestationVerifier_layouts() external {
        MockDcap m = new MockDcap();
        AttestationVerifier a = new AttestationVerifier(address(m));
        a.setMrEnclave(MRENCLAVE, true);
        bytes memory rd = abi.encodePacked(keccak256("a"), keccak256("b"));
        bytes memory body = _sgxBody(0x05, MRENCLAVE, rd);
        // v1.0: u16 version | bytes4 tee | u8 status | bytes6 fmspc | body (+ trailing advisory data ignored)
        m.set(true, abi.encodePacked(uint16(3), bytes4(0), uint8(0), bytes6(0x00906ed50000), body, hex"deadbeef"));
        assertEq(a.verifyAttestation(""), rd, "v1.0 SGX");
        // v1.1: u16 version | u16 bodyType(1) | u8 status | bytes6 fmspc | body
        m.set(true, abi.encodePacked(uint16(3), uint16(1), uint8(1), bytes6(0x00906ed50000), body));
        assertEq(a.verifyAttestation(""), rd, "v1.1 SGX, SW_HARDENING_NEEDED accepted");
        // TCB status not accepted
        m.set(true, abi.encodePacked(uint16(3), uint16(1), uint8(4), bytes6(0), body));
        vm.expectRevert(abi.encodeWithSelector(AttestationVerifier.TCB_STATUS_NOT_ALLOWED.selector, uint8(4)));
        a.verifyAttestation("");
        a.setAcceptedTcbStatuses(1 << 4);
        assertEq(a.verifyAttestation(""), rd, "OUT_OF_DATE accepted once allowed");
        // debug SGX in v1.1 layout
        m.set(true, abi.encodePacked(uint16(3), uint16(1), uint8(4), bytes6(0), _sgxBody(0x07, MRENCLAVE, rd)));
        vm.expectRevert(AttestationVerifier.DEBUG_ENCLAVE_NOT_ALLOWED.selector);
        a.verifyAttestation("");
        // TDX (v1.0 tee 0x81000000, TD report 1.0): TDATTRIBUTES at 120, MRTD at 136, REPORTDATA at 520
        bytes memory td = new bytes(584);
        bytes memory mrtd = new bytes(48);
        for (uint256 i = 0; i < 48; i++) {
            mrtd[i] = bytes1(uint8(i + 1));
            td[136 + i] = mrtd[i];
        }
        for (uint256 i = 0; i < 64; i++) td[520 + i] = rd[i];
        a.setAcceptedTcbStatuses(1);
        m.set(true, abi.encodePacked(uint16(4), bytes4(0x81000000), uint8(0), bytes6(0), td));
        vm.expectRevert(AttestationVerifier.ENCLAVE_NOT_ALLOWED.selector);
        a.verifyAttestation("");
        a.setMrTd(mrtd, true);
        assertEq(a.verifyAttestation(""), rd, "v1.0 TDX");
        // v1.1 TD1.5 (bodyType 3, 648 bytes)
        bytes memory td15 = abi.encodePacked(td, new bytes(64));
        m.set(true, abi.encodePacked(uint16(5), uint16(3), uint8(0), bytes6(0), td15));
        assertEq(a.verifyAttestation(""), rd, "v1.1 TD1.5");
        td[120] = 0x01; // TUD.DEBUG
        m.set(true, abi.encodePacked(uint16(4), uint16(2), uint8(0), bytes6(0), td));
        vm.expectRevert(AttestationVerifier.DEBUG_ENCLAVE_NOT_ALLOWED.selector);
        a.verifyAttestation("");
        // truncated output, unknown layout, failed verification
        m.set(true, abi.encodePacked(uint16(3), uint16(1), uint8(0), bytes6(0), new bytes(100)));
        vm.expectRevert(AttestationVerifier.INVALID_REPORT_DATA.selector);
        a.verifyAttestation("");
        m.set(true, abi.encodePacked(uint16(3), uint16(9), uint8(0), bytes6(0), body));
        vm.expectRevert(AttestationVerifier.UNSUPPORTED_OUTPUT_FORMAT.selector);
        a.verifyAttestation("");
        m.set(false, "");
        vm.expectRevert(AttestationVerifier.INVALID_REPORT.selector);
        a.verifyAttestation("");
        // allow-list can be switched off by the owner; views follow it
        assertTrue(!a.verifyMrSigner(bytes32(0)), "enforced");
        a.setAllowListEnforced(false);
        assertTrue(a.verifyMrSigner(bytes32(0)) && a.verifyMrEnclave(bytes32(0)), "not enforced");
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        a.setAllowListEnforced(true);
    }
}
