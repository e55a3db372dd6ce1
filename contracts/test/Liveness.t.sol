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
import {BN254} from "../src/libraries/BN254.sol";
import {G2} from "./G2.sol";

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

    function submitV3External(
        ITEELivenessVerifier.ReportDataV2 memory d,
        bytes memory q,
        BN254.G2Point memory pk2,
        BN254.G1Point memory sig
    ) external {
        tlv.submitLivenessProofV3(d, q, pk2, sig);
    }

    /// @dev submitLivenessProofV3 reverts with `err` (arguments evaluated before the expectation is set).
    function _refusedV3(
        ITEELivenessVerifier.ReportDataV2 memory d,
        bytes memory q,
        BN254.G2Point memory pk2,
        BN254.G1Point memory sig,
        bytes memory err
    ) internal {
        vm.expectRevert(err);
        this.submitV3External(d, q, pk2, sig);
    }

    /// @dev As _refusedV3 with k's authorization of prover address(1).
    function _refusedFor(Key memory k, ITEELivenessVerifier.ReportDataV2 memory d, bytes memory q, bytes memory err)
        internal
    {
        _refusedV3(d, q, k.pk2, _auth(k, d, address(1)), err);
    }

    function _invalid() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITEELivenessVerifier.InvalidLivenessAuthorization.selector);
    }

    /// @dev A BLS key: sk, sk*G1, sk*G2.
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

    function _dataFor(Key memory k, uint256 ref) internal view returns (ITEELivenessVerifier.ReportDataV2 memory) {
        return _data(bytes32(k.pk1.X), bytes32(k.pk1.Y), ref);
    }

    /// @dev The authorization digest written out independently of the contract.
    function _digest(uint256 chainId, address verifier, address prover, ITEELivenessVerifier.ReportDataV2 memory d)
        internal
        pure
        returns (bytes32)
    {
        bytes32 tag = keccak256("MpavsLivenessAuthorization(uint256 chainId,address verifier,address prover,bytes32 reportDataHash)");
        return keccak256(abi.encode(tag, chainId, verifier, prover, keccak256(abi.encode(d))));
    }

    /// @dev sk * hashToG1(digest) for this chain and tlv.
    function _auth(Key memory k, ITEELivenessVerifier.ReportDataV2 memory d, address prover)
        internal
        view
        returns (BN254.G1Point memory)
    {
        return BN254.scalar_mul(BN254.hashToG1(_digest(block.chainid, address(tlv), prover, d)), k.sk);
    }

    /// @dev A quote from enclave `prover` over d (nonce varies the quote bytes).
    function _q(address prover, ITEELivenessVerifier.ReportDataV2 memory d, uint256 nonce) internal pure returns (bytes memory) {
        return _quote(_reportData(prover, d), _defaults(), bytes32(nonce));
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
        Key memory k = _key(0xC0FFEE);
        bytes32 x = bytes32(k.pk1.X);
        bytes32 y = bytes32(k.pk1.Y);
        address prover = address(0x1234);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(k, block.number - 1);
        bytes memory q = _q(prover, d, 0);
        BN254.G1Point memory sig = _auth(k, d, prover);
        assertTrue(!tlv.verifyLivenessProof(x, y), "not live before");
        bytes32 key = keccak256(abi.encode(x, y));
        uint256 g = gasleft();
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.LivenessProofAuthorized(key, prover, _digest(block.chainid, address(tlv), prover, d));
        vm.expectEmit(true, true, true, true, address(tlv));
        emit ITEELivenessVerifier.LivenessProofSubmitted(key, prover, x, y, keccak256(q), block.timestamp);
        tlv.submitLivenessProofV3(d, q, k.pk2, sig);
        emit log_named_uint("gas submitLivenessProofV3 (devnet verifier)", g - gasleft());
        assertTrue(tlv.verifyLivenessProof(x, y), "live");
        assertTrue(tlv.verifyLivenessProofV2(x, y, prover), "live v2");
        assertTrue(!tlv.verifyLivenessProofV2(x, y, address(0x9999)), "wrong prover");
        assertEq(tlv.attestedProverAddr(key), prover, "prover address");
        (, uint256 t) = tlv.attestedProvers(key);
        assertEq(t, block.timestamp, "time");
        assertTrue(tlv.attestedReports(keccak256(q)), "report marked used");
        assertTrue(tlv.livenessAuthorizationUsed(_digest(block.chainid, address(tlv), prover, d)), "authorization used");
        vm.warp(block.timestamp + 3600);
        assertTrue(!tlv.verifyLivenessProof(x, y), "expired");
        // replayed report
        vm.warp(block.timestamp + 1);
        _refusedV3(d, q, k.pk2, sig, abi.encodeWithSelector(ITEELivenessVerifier.ReportAlreadyUsed.selector));
    }

    /// @dev The views clients use: the version (detection) and the message, against the independent formula.
    function test_liveness_authorizationViews() external view {
        assertEq(tlv.livenessAuthorizationVersion(), 2, "version");
        Key memory k = _key(7);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(k, block.number - 1);
        bytes32 dg = _digest(block.chainid, address(tlv), address(0xAB), d);
        assertEq(tlv.livenessAuthorizationDigest(d, address(0xAB)), dg, "digest");
        BN254.G1Point memory h = tlv.livenessAuthorizationMessageHash(d, address(0xAB));
        BN254.G1Point memory want = BN254.hashToG1(dg);
        assertEq(h.X, want.X, "H.x");
        assertEq(h.Y, want.Y, "H.y");
        assertTrue(tlv.livenessAuthorizationDigest(d, address(0xAC)) != dg, "prover bound");
    }

    address internal constant VICTIM_PROVER = address(0x1111);
    address internal constant ATTACKER_PROVER = address(0xBAD);

    /// @dev Every way an attacker could try to bind victim's key to ATTACKER_PROVER with its quote aq over d.
    function _rebindAttempts(
        Key memory victim,
        Key memory attacker,
        ITEELivenessVerifier.ReportDataV2 memory d,
        bytes memory aq
    ) internal {
        // 1. the unauthorized V2 path (today's attack): refused
        vm.expectRevert(ITEELivenessVerifier.LivenessAuthorizationRequired.selector);
        this.submitExternal(d, aq);
        // 2. V3 signed by the attacker's key (with the attacker's G2 key)
        _refusedV3(d, aq, attacker.pk2, _auth(attacker, d, ATTACKER_PROVER), _invalid());
        // 3. V3 with the victim's G2 key and a signature by another key
        _refusedV3(d, aq, victim.pk2, _auth(attacker, d, ATTACKER_PROVER), _invalid());
        // 4. the victim's signature for its own prover, with the attacker's quote
        _refusedV3(d, aq, victim.pk2, _auth(victim, d, VICTIM_PROVER), _invalid());
        // 5. a victim signature for the attacker's prover made for another chain or another verifier
        BN254.G1Point memory otherChain = BN254.scalar_mul(
            BN254.hashToG1(_digest(block.chainid + 1, address(tlv), ATTACKER_PROVER, d)), victim.sk);
        _refusedV3(d, aq, victim.pk2, otherChain, _invalid());
        BN254.G1Point memory otherVerifier = BN254.scalar_mul(
            BN254.hashToG1(_digest(block.chainid, address(0xC0DE), ATTACKER_PROVER, d)), victim.sk);
        _refusedV3(d, aq, victim.pk2, otherVerifier, _invalid());
        // 6. a signature over another ReportDataV2 (the previous reference block)
        ITEELivenessVerifier.ReportDataV2 memory old = _dataFor(victim, block.number - 2);
        _refusedV3(d, aq, victim.pk2, _auth(victim, old, ATTACKER_PROVER), _invalid());
        // 7. G1 key and G2 key of different secrets: even a valid signature by the G1 key is refused
        //    when the G2 key is another secret's (the gamma check)
        _refusedV3(d, aq, attacker.pk2, _auth(victim, d, ATTACKER_PROVER), _invalid());
        // 8. the zero key with zero signature and zero G2 key (the pairing equation holds trivially)
        ITEELivenessVerifier.ReportDataV2 memory z = _data(bytes32(0), bytes32(0), block.number - 1);
        _refusedV3(z, _q(ATTACKER_PROVER, z, 3), BN254.G2Point([uint256(0), 0], [uint256(0), 0]),
            BN254.G1Point(0, 0), _invalid());
        // 9. a G2 point off the curve: the pairing precompile fails, refused the same way
        BN254.G2Point memory bad = BN254.G2Point(victim.pk2.X, [addmod(victim.pk2.Y[0], 1, BN254.FP_MODULUS), victim.pk2.Y[1]]);
        _refusedV3(d, aq, bad, _auth(victim, d, VICTIM_PROVER), _invalid());

    }

    /// @dev Issue #17 item 1: an attacker re-binds a victim's key to the attacker's own enclave. Every form
    ///      of the attack is refused and the victim stays live with its own prover.
    function test_liveness_rebindingAttackRefused() external {
        Key memory victim = _key(0x51C71E);
        Key memory attacker = _key(0xA77AC4);
        bytes32 vx = bytes32(victim.pk1.X);
        bytes32 vy = bytes32(victim.pk1.Y);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(victim, block.number - 1);
        BN254.G1Point memory vsig = _auth(victim, d, VICTIM_PROVER);
        tlv.submitLivenessProofV3(d, _q(VICTIM_PROVER, d, 1), victim.pk2, vsig);
        assertTrue(tlv.verifyLivenessProofV2(vx, vy, VICTIM_PROVER), "victim live");
        vm.roll(block.number + 1);
        d = _dataFor(victim, block.number - 1);
        bytes memory aq = _q(ATTACKER_PROVER, d, 2); // the attacker's enclave attests the victim's key

        _rebindAttempts(victim, attacker, d, aq);

        assertTrue(tlv.verifyLivenessProofV2(vx, vy, VICTIM_PROVER), "victim still live with its prover");
        assertTrue(!tlv.verifyLivenessProofV2(vx, vy, ATTACKER_PROVER), "never bound to the attacker");
        assertEq(tlv.attestedProverAddr(keccak256(abi.encode(vx, vy))), VICTIM_PROVER, "binding unchanged");

        // the owner of the key may move it to another prover (signed for that prover)
        address newProver = address(0x2222);
        tlv.submitLivenessProofV3(d, _q(newProver, d, 4), victim.pk2, _auth(victim, d, newProver));
        assertTrue(tlv.verifyLivenessProofV2(vx, vy, newProver), "moved by its owner");
    }

    /// @dev An accepted authorization cannot be used again, even with a fresh quote from the same enclave.
    function test_liveness_authorizationReplayRefused() external {
        Key memory k = _key(0xAB12);
        address prover = address(0x3333);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(k, block.number - 1);
        BN254.G1Point memory sig = _auth(k, d, prover);
        tlv.submitLivenessProofV3(d, _q(prover, d, 1), k.pk2, sig);
        bytes memory q2 = _q(prover, d, 2);
        _refusedV3(d, q2, k.pk2, sig, abi.encodeWithSelector(ITEELivenessVerifier.LivenessAuthorizationAlreadyUsed.selector));
        // a new reference block needs a new signature
        vm.roll(block.number + 1);
        ITEELivenessVerifier.ReportDataV2 memory d2 = _dataFor(k, block.number - 1);
        _refusedV3(d2, _q(prover, d2, 3), k.pk2, sig, _invalid());
        tlv.submitLivenessProofV3(d2, _q(prover, d2, 3), k.pk2, _auth(k, d2, prover));
    }

    /// @dev V2 is refused for a key that was never bound too (no unauthorized first binding either).
    function test_liveness_v2RefusedForNewKey() external {
        Key memory k = _key(0x5EED);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(k, block.number - 1);
        bytes memory q = _q(address(0x4444), d, 0);
        vm.expectRevert(ITEELivenessVerifier.LivenessAuthorizationRequired.selector);
        this.submitExternal(d, q);
        assertTrue(!tlv.verifyLivenessProof(bytes32(k.pk1.X), bytes32(k.pk1.Y)), "not live");
    }

    function test_liveness_reverts() external {
        Key memory k = _key(0xBEEF);
        ITEELivenessVerifier.ReportDataV2 memory d = _dataFor(k, block.number - 1);
        bytes memory q = _quote(_reportData(address(1), d), _defaults(), 0);
        {
            // report data mismatch: quote attests other data
            ITEELivenessVerifier.ReportDataV2 memory other = _data(bytes32(k.pk1.X), bytes32(uint256(23)), block.number - 1);
            bytes memory rd = _reportData(address(1), d);
            _refusedFor(k, other, q, abi.encodeWithSelector(ITEELivenessVerifier.REPORT_DATA_MISMATCH.selector, rd));
            // stale reference block
            ITEELivenessVerifier.ReportDataV2 memory old = _dataFor(k, block.number - 20);
            bytes memory qOld = _quote(_reportData(address(1), old), _defaults(), 0);
            _refusedFor(k, old, qOld, abi.encodeWithSelector(ITEELivenessVerifier.BlockNumberOutOfDate.selector));
            // future reference block
            ITEELivenessVerifier.ReportDataV2 memory fut = _dataFor(k, block.number);
            _refusedFor(k, fut, q, abi.encodeWithSelector(ITEELivenessVerifier.InvalidBlockNumber.selector));
            // wrong reference block hash
            ITEELivenessVerifier.ReportDataV2 memory wrongHash = _dataFor(k, block.number - 2);
            wrongHash.referenceBlockHash = keccak256("nope");
            _refusedFor(k, wrongHash, q, abi.encodeWithSelector(ITEELivenessVerifier.BlockNumberMismatch.selector));
            // debug enclave
            QuoteOpts memory o = _defaults();
            o.attributes = 0x07;
            bytes memory qDebug = _quote(_reportData(address(1), d), o, 0);
            _refusedFor(k, d, qDebug, abi.encodeWithSelector(AttestationVerifier.DEBUG_ENCLAVE_NOT_ALLOWED.selector));
            // unknown PCK key
            o = _defaults();
            o.pckKey = 0xBAD;
            bytes memory qUnknown = _quote(_reportData(address(1), d), o, 0);
            _refusedFor(k, d, qUnknown, abi.encodeWithSelector(AttestationVerifier.INVALID_REPORT.selector));
        }
        // enclave not on the allow-list
        av.setMrEnclave(MRENCLAVE, false);
        _refusedFor(k, d, q, abi.encodeWithSelector(AttestationVerifier.ENCLAVE_NOT_ALLOWED.selector));
        av.setMrSigner(MRSIGNER, true);
        BN254.G1Point memory sig = _auth(k, d, address(1));
        this.submitV3External(d, q, k.pk2, sig); // allowed by MRSIGNER instead
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
