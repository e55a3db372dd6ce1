// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ITEELivenessVerifier as IT} from "../src/interfaces/ITEELivenessVerifier.sol";
import {IAttestationVerifier} from "../src/interfaces/IAttestationVerifier.sol";
import {QuoteBuilder} from "./Quotes.sol";
import {TdBodies} from "./TdBodies.sol";
import {DevnetTdxQuote} from "./DevnetTdxQuote.sol";
import {Proxy} from "../src/utils/Proxy.sol";
import {TEELivenessVerifier} from "../src/avs/TEELivenessVerifier.sol";
import {AttestationVerifier} from "../src/avs/AttestationVerifier.sol";
import {SgxQuoteVerifier} from "../src/avs/SgxQuoteVerifier.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {G2} from "./G2.sol";

interface IProxyInit {
    function upgradeToAndCall(address impl, bytes calldata data) external;
}

/// @notice On-chain TDX quote verification (issue #15 item 1) by SgxQuoteVerifier: the real Intel-signed TDX
///         quotes of shared/vectors/dcap (read with vm.readFileBinary; PCK leaf keys read from the certification
///         data inside each quote with openssl), quotes built here with test P-256 keys, and the per-quorum
///         policy of TEELivenessVerifier over the real on-chain verification (no output mock).
contract TdxQuotesTest is QuoteBuilder, TdBodies, DevnetTdxQuote {
    event log_named_uint(string key, uint256 val);

    string internal constant DIR = "../../shared/vectors/dcap/";
    bytes32 internal constant V02_PCK_X = 0x1720fa04edef8680bfb748fd965af93d61a417a8f1f29910e8b88b3666dfff6d;
    bytes32 internal constant V02_PCK_Y = 0x2b2660f3288f203356f90253a7f6f76616e24212c22cfcc3e66d681f971c9769;
    bytes32 internal constant V06_PCK_X = 0x09b85e72b773ead2dd134714e64a95f6e4c80a8434b65575abd72d6bc2a2ab0d;
    bytes32 internal constant V06_PCK_Y = 0x530b02433586b984604f6d1a477e68d8a496648c96ed9b71e7fcb017c3047af6;
    bytes32 internal constant V08_PCK_X = 0x1f687df2568171d9b03f48723ce3f21a55d715b9b81ef55a4bef29eddeeeb227;
    bytes32 internal constant V08_PCK_Y = 0x6fe1723c9474904714d1b27790533ba05db311e9c03f72cfc4402c99d31726bc;
    uint8 internal constant SGX = 1;
    uint8 internal constant TDX = 5;
    uint8 internal constant QS = 0;
    uint8 internal constant QT = 1;

    SgxQuoteVerifier internal qv;
    AttestationVerifier internal av;

    function setUp() external {
        qv = new SgxQuoteVerifier(QE_MRSIGNER, 1);
        av = new AttestationVerifier(address(qv));
        av.setAllowListEnforced(false);
    }

    function _slice(bytes memory b, uint256 from, uint256 to) internal pure returns (bytes memory o) {
        o = new bytes(to - from);
        for (uint256 i = from; i < to; i++) o[i - from] = b[i];
    }

    function _expect(bytes memory q, string memory reason) internal {
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q);
        assertTrue(!ok, string(abi.encodePacked("must fail: ", reason)));
        assertEq(out, bytes(reason), string(abi.encodePacked(reason, " / got: ", out)));
    }

    function _real(string memory name) internal view returns (bytes memory) {
        return vm.readFileBinary(string(abi.encodePacked(DIR, name, "/quote.bin")));
    }

    // ------------------------------------------------------------ real Intel-signed quotes

    function test_tdx_realQuotes_verify() external {
        string[3] memory names =
            ["v02_dcapqvl_tdx_v4", "v06_automata_tdx_v4_jun2025", "v08_automata_tdx_v5_td15_alibaba_jun2025"];
        bytes32[3] memory xs = [V02_PCK_X, V06_PCK_X, V08_PCK_X];
        bytes32[3] memory ys = [V02_PCK_Y, V06_PCK_Y, V08_PCK_Y];
        bytes6[3] memory fmspcs = [bytes6(0xb0c06f000000), bytes6(0x00806f050000), bytes6(0x90c06f000000)];
        uint8[3] memory tcbs = [uint8(0), uint8(4), uint8(0)]; // UpToDate, OutOfDate, UpToDate (README verdicts)
        bytes[3] memory bodies = [V02_TD10, V06_TD10, V08_TD15];
        for (uint256 i = 0; i < 3; i++) {
            bytes memory q = _real(names[i]);
            if (i == 0) {
                _expect(q, "QE MRSIGNER mismatch"); // the TD QE identity is not set yet (the SGX QE's does not apply)
                qv.setTdQeIdentity(TD_QE_MRSIGNER, 2);
            }
            _expect(q, "QE report not signed by a registered PCK key");
            qv.addPckKey(xs[i], ys[i], fmspcs[i], tcbs[i]);
            uint256 g = gasleft();
            (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q);
            emit log_named_uint(string(abi.encodePacked("gas verifyAndAttestOnChain ", names[i])), g - gasleft());
            assertTrue(ok, string(out));
            uint16 version = i == 2 ? 5 : 4;
            assertEq(out, abi.encodePacked(version, bytes4(0x81000000), tcbs[i], fmspcs[i], bodies[i]), "v1.0 TDX output");
            IAttestationVerifier.VerifiedQuote memory v = av.verifyQuote(q);
            assertTrue(v.teeType == TDX && v.tcbStatus == tcbs[i] && v.tdAttributes == 0x10000000, "TD fields");
            assertEq(v.reportData, _slice(bodies[i], 520, 584), "REPORTDATA");
            assertEq(
                v.tdIdentity,
                keccak256(abi.encodePacked(_slice(bodies[i], 136, 184), _slice(bodies[i], 328, 520), _slice(bodies[i], 184, 232))),
                "TD identity"
            );
        }
    }

    function test_tdx_realQuote_tampered() external {
        qv.setTdQeIdentity(TD_QE_MRSIGNER, 2);
        qv.addPckKey(V02_PCK_X, V02_PCK_Y, bytes6(0xb0c06f000000), 0);
        bytes memory good = _real("v02_dcapqvl_tdx_v4");
        (bool ok,) = qv.verifyAndAttestOnChain(good);
        assertTrue(ok, "untampered");
        bytes memory q = _slice(good, 0, good.length);
        q[48 + 136] ^= 0x01; // MRTD
        _expect(q, "invalid quote signature");
        q = _slice(good, 0, good.length);
        q[48 + 583] ^= 0x80; // last REPORTDATA byte
        _expect(q, "invalid quote signature");
        q = _slice(good, 0, good.length);
        q[636 + 40] ^= 0x01; // signature s
        _expect(q, "invalid quote signature");
        q = _slice(good, 0, good.length);
        q[770 + 10] ^= 0x01; // QE report CPUSVN
        _expect(q, "QE report not signed by a registered PCK key");
        q = _slice(good, 0, good.length);
        q[770 + 384 + 5] ^= 0x01; // QE report signature
        _expect(q, "QE report not signed by a registered PCK key");
        q = _slice(good, 0, good.length);
        q[770 + 450] ^= 0x01; // QE auth data
        _expect(q, "attestation key not bound to QE report");
        q = _slice(good, 0, good.length);
        q[764] = 0x05; // certification data type 5 instead of 6
        _expect(q, "unsupported certification data type");
        q = _slice(good, 0, good.length);
        q[4] = 0x00; // TEE type SGX in a v4 header
        _expect(q, "unsupported quote version");
        _expect(_slice(good, 0, 4900), "bad auth data length");
        qv.setTdQeIdentity(TD_QE_MRSIGNER, 1);
        _expect(good, "QE ISVPRODID mismatch");
        qv.setTdQeIdentity(QE_MRSIGNER, 2); // the SGX QE's MRSIGNER does not sign TDX quotes
        _expect(good, "QE MRSIGNER mismatch");
        // v5: the body descriptor is checked and signed
        qv.setTdQeIdentity(TD_QE_MRSIGNER, 2);
        qv.addPckKey(V08_PCK_X, V08_PCK_Y, bytes6(0x90c06f000000), 0);
        bytes memory v5 = _real("v08_automata_tdx_v5_td15_alibaba_jun2025");
        q = _slice(v5, 0, v5.length);
        q[48] = 0x02; // body type TD1.0 with a 648-byte size
        _expect(q, "bad body descriptor");
        q = _slice(v5, 0, v5.length);
        q[54 + 600] ^= 0x01; // TD1.5 MRSERVICETD
        _expect(q, "invalid quote signature");
    }

    // ------------------------------------------------------------ a devnet quote (mpavs attest sim-quote --tdx)

    function test_tdx_devnetQuote() external {
        _expect(DEVNET_TDX_QUOTE, "QE MRSIGNER mismatch");
        qv.setTdQeIdentity(DEVNET_TD_QE_MRSIGNER, 2);
        _expect(DEVNET_TDX_QUOTE, "QE report not signed by a registered PCK key");
        qv.addPckKey(DEVNET_PCK_X, DEVNET_PCK_Y, bytes6(0x00de7e000000), 0);
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(DEVNET_TDX_QUOTE);
        assertTrue(ok, string(out));
        assertEq(out, abi.encodePacked(uint16(4), bytes4(0x81000000), uint8(0), bytes6(0x00de7e000000),
            _slice(DEVNET_TDX_QUOTE, 48, 632)), "v1.0 TDX output");
        IAttestationVerifier.VerifiedQuote memory v = av.verifyQuote(DEVNET_TDX_QUOTE);
        assertTrue(v.teeType == TDX && v.tdAttributes == 0x10000000, "TD, SEPT_VE_DISABLE, not debug");
        bytes memory rd = new bytes(64);
        for (uint256 i = 0; i < 64; i++) rd[i] = 0x11;
        assertEq(v.reportData, rd, "REPORTDATA");
        bytes memory mrtd = new bytes(48);
        for (uint256 i = 0; i < 48; i++) mrtd[i] = 0xab;
        av.setAllowListEnforced(true);
        vm.expectRevert(AttestationVerifier.ENCLAVE_NOT_ALLOWED.selector);
        av.verifyAttestation(DEVNET_TDX_QUOTE);
        av.setMrTd(mrtd, true);
        assertEq(av.verifyAttestation(DEVNET_TDX_QUOTE), rd, "MRTD allowed");
        bytes memory q = _slice(DEVNET_TDX_QUOTE, 0, DEVNET_TDX_QUOTE.length);
        q[48 + 136] ^= 0x01;
        _expect(q, "invalid quote signature");
    }

    /// @dev Any truncation plus one flipped byte of a valid TDX quote is answered with (false, reason) or, when the
    ///      flip lands outside the signed and checked parts, (true, the same output): the bounds checks precede every
    ///      calldata slice, so nothing reverts.
    function testFuzz_tdx_mutatedNeverReverts(uint16 cut, uint16 pos, uint8 x) external {
        qv.setTdQeIdentity(DEVNET_TD_QE_MRSIGNER, 2);
        qv.addPckKey(DEVNET_PCK_X, DEVNET_PCK_Y, bytes6(0x00de7e000000), 0);
        uint256 len = DEVNET_TDX_QUOTE.length - (uint256(cut) % DEVNET_TDX_QUOTE.length);
        bytes memory q = _slice(DEVNET_TDX_QUOTE, 0, len);
        if (x != 0) q[uint256(pos) % len] ^= bytes1(x);
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q);
        if (ok) {
            assertEq(out, abi.encodePacked(uint16(4), bytes4(0x81000000), uint8(0), bytes6(0x00de7e000000),
                _slice(DEVNET_TDX_QUOTE, 48, 632)), "accepted only with the original body");
        } else {
            assertTrue(out.length > 0, "a reason");
        }
    }

    // ------------------------------------------------------------ quotes built with test keys

    function test_tdx_builtQuotes_v4v5() external {
        qv.setTdQeIdentity(TD_QE_MRSIGNER, 2);
        (uint256 x, uint256 y) = vm.publicKeyP256(PCK_KEY);
        qv.addPckKey(bytes32(x), bytes32(y), bytes6(0x00806f050000), 0);
        QuoteOpts memory o = _defaults();
        o.qeMrSigner = TD_QE_MRSIGNER;
        bytes memory q4 = _tdQuote(V06_TD10, o, 4);
        (bool ok, bytes memory out) = qv.verifyAndAttestOnChain(q4);
        assertTrue(ok, string(out));
        assertEq(out, abi.encodePacked(uint16(4), bytes4(0x81000000), uint8(0), bytes6(0x00806f050000), V06_TD10), "v4 output");
        bytes memory q5 = _tdQuote(V08_TD15, o, 5);
        (ok, out) = qv.verifyAndAttestOnChain(q5);
        assertTrue(ok, string(out));
        assertEq(out, abi.encodePacked(uint16(5), bytes4(0x81000000), uint8(0), bytes6(0x00806f050000), V08_TD15), "v5 output");
        bytes memory q5a = _tdQuote(V06_TD10, o, 5); // v5 with a TD1.0 body
        (ok, out) = qv.verifyAndAttestOnChain(q5a);
        assertTrue(ok, string(out));
        o.breakBinding = true;
        _expect(_tdQuote(V06_TD10, o, 4), "attestation key not bound to QE report");
        o.breakBinding = false;
        o.breakIsvSig = true;
        _expect(_tdQuote(V06_TD10, o, 4), "invalid quote signature");
        o.breakIsvSig = false;
        o.pckKey = 0xBAD;
        _expect(_tdQuote(V06_TD10, o, 4), "QE report not signed by a registered PCK key");
        // an SGX v3 quote verifies beside it (the SGX QE identity), and a TD QE report in an SGX quote does not
        (ok, out) = qv.verifyAndAttestOnChain(_quote(new bytes(64), _defaults(), 0));
        assertTrue(ok, string(out));
        o = _defaults();
        o.qeMrSigner = TD_QE_MRSIGNER;
        _expect(_quote(new bytes(64), o, 0), "QE MRSIGNER mismatch");
    }

    // ------------------------------------------------------------ per-quorum policy over real verification

    struct Key {
        uint256 sk;
        BN254.G1Point pk1;
        BN254.G2Point pk2;
    }

    function _key(uint256 sk) internal view returns (Key memory k) {
        k.sk = sk;
        k.pk1 = BN254.scalar_mul(BN254.generatorG1(), sk);
        k.pk2 = G2.mul(BN254.generatorG2(), sk);
    }

    function _v4(TEELivenessVerifier tlv, Key memory k, address prover, IT.ReportDataV2 memory d, bytes memory q, uint8 quorum)
        internal
    {
        bytes32 digest = tlv.livenessAuthorizationDigestV4(d, prover, quorum);
        tlv.submitLivenessProofV4(d, q, k.pk2, BN254.scalar_mul(BN254.hashToG1(digest), k.sk), quorum);
    }

    /// @dev A TDX quote is live in the TDX quorum, refused in the SGX quorum; an SGX quote is refused in the TDX
    ///      quorum: both verified by SgxQuoteVerifier, no output mock.
    function test_tdx_quorumPolicy_realVerification() external {
        qv.setTdQeIdentity(TD_QE_MRSIGNER, 2);
        (uint256 x, uint256 y) = vm.publicKeyP256(PCK_KEY);
        qv.addPckKey(bytes32(x), bytes32(y), bytes6(0x00806f050000), 0);
        TEELivenessVerifier tlv = TEELivenessVerifier(address(new Proxy(address(0), address(this))));
        IProxyInit(address(tlv)).upgradeToAndCall(
            address(new TEELivenessVerifier()),
            abi.encodeCall(TEELivenessVerifier.initialize, (address(this), address(av), 20, 3600))
        );
        vm.roll(1000);
        vm.warp(1_700_000_000);
        tlv.setQuorumPolicy(QS, SGX, 1);
        tlv.setQuorumPolicy(QT, TDX, 1);
        tlv.setQuorumMrEnclave(QS, MRENCLAVE, true);
        bytes memory body = _slice(V06_TD10, 0, 584);
        tlv.setQuorumTdIdentity(
            QT, keccak256(abi.encodePacked(_slice(body, 136, 184), _slice(body, 328, 520), _slice(body, 184, 232))), true
        );
        Key memory k = _key(77);
        address prover = address(0x7777);
        IT.ReportDataV2 memory d;
        d.pubkey = IT.Pubkey(bytes32(k.pk1.X), bytes32(k.pk1.Y));
        d.referenceBlockNumber = block.number - 1;
        d.referenceBlockHash = blockhash(block.number - 1);
        d.proverAddressHash = keccak256("MultiProverAVShttps://prover");
        bytes memory rd = abi.encodePacked(bytes12(0), prover, keccak256(abi.encode(d)));
        for (uint256 i = 0; i < 64; i++) body[520 + i] = rd[i];
        QuoteOpts memory o = _defaults();
        o.qeMrSigner = TD_QE_MRSIGNER;
        bytes memory tdq = _tdQuote(body, o, 4);
        bytes32 digest = tlv.livenessAuthorizationDigestV4(d, prover, QS);
        BN254.G1Point memory sigS = BN254.scalar_mul(BN254.hashToG1(digest), k.sk);
        vm.expectRevert(abi.encodeWithSelector(IT.TeeTypeMismatch.selector, QS, TDX));
        tlv.submitLivenessProofV4(d, tdq, k.pk2, sigS, QS);
        bytes memory sgxq = _quote(rd, _defaults(), bytes32(uint256(1)));
        digest = tlv.livenessAuthorizationDigestV4(d, prover, QT);
        BN254.G1Point memory sigT = BN254.scalar_mul(BN254.hashToG1(digest), k.sk);
        vm.expectRevert(abi.encodeWithSelector(IT.TeeTypeMismatch.selector, QT, SGX));
        tlv.submitLivenessProofV4(d, sgxq, k.pk2, sigT, QT);
        uint256 g = gasleft();
        _v4(tlv, k, prover, d, tdq, QT);
        emit log_named_uint("gas submitLivenessProofV4 (TDX v4 quote, SgxQuoteVerifier)", g - gasleft());
        assertTrue(tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QT), "live in the TDX quorum");
        assertTrue(!tlv.verifyLivenessProofV3(d.pubkey.x, d.pubkey.y, prover, QS), "not in the SGX quorum");
    }
}
