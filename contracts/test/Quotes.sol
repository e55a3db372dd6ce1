// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {TestBase} from "./Base.sol";

/// @dev Builds SGX v3 quotes signed with test P-256 keys (forge signP256): attestation key ATT_KEY,
///      QE report signed by a "PCK" key, Intel QE identity.
abstract contract QuoteBuilder is TestBase {
    bytes32 internal constant QE_MRSIGNER = 0x8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff;
    bytes32 internal constant MRENCLAVE = keccak256("devnet enclave");
    bytes32 internal constant MRSIGNER = keccak256("devnet signer");
    uint256 internal constant PCK_KEY = 0xC0FFEE;
    uint256 internal constant ATT_KEY = 0xA77E57;

    struct QuoteOpts {
        uint8 attributes;
        uint256 pckKey;
        bytes32 qeMrSigner;
        bool breakBinding;
        bool breakIsvSig;
    }

    function _defaults() internal pure returns (QuoteOpts memory o) {
        o.attributes = 0x05;
        o.pckKey = PCK_KEY;
        o.qeMrSigner = QE_MRSIGNER;
    }

    function _le16(uint256 v) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(v), uint8(v >> 8));
    }

    function _le32(uint256 v) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(v), uint8(v >> 8), uint8(v >> 16), uint8(v >> 24));
    }

    function _body(uint8 attributes, bytes32 mrEnclave, bytes32 mrSigner, bytes memory reportData, bytes32 nonce)
        internal
        pure
        returns (bytes memory)
    {
        require(reportData.length == 64);
        bytes memory a = abi.encodePacked(bytes16(0), bytes4(0), bytes28(0), attributes, bytes15(0)); // cpusvn..attributes
        bytes memory b = abi.encodePacked(mrEnclave, bytes32(0), mrSigner);                         // mrenclave, reserved2, mrsigner
        bytes memory c = abi.encodePacked(nonce, bytes32(0), bytes32(0));                            // reserved3 (nonce keeps quotes unique)
        bytes memory d = abi.encodePacked(_le16(0), _le16(1), bytes30(0), bytes30(0));               // isvprodid, isvsvn, reserved4
        return abi.encodePacked(a, b, c, d, reportData);
    }

    /// @dev A v3 SGX quote signed with test P-256 keys (attestation key ATT_KEY, QE report by o.pckKey).
    function _quote(bytes memory reportData, QuoteOpts memory o, bytes32 nonce) internal pure returns (bytes memory q) {
        bytes memory header = abi.encodePacked(
            _le16(3), _le16(2), _le32(0), _le16(10), _le16(15), bytes16(0x939a7233f79c4ca9940a0db3957f0607), bytes20(0)
        );
        bytes memory signedPart = abi.encodePacked(header, _body(o.attributes, MRENCLAVE, MRSIGNER, reportData, nonce));
        (uint256 ax, uint256 ay) = vm.publicKeyP256(ATT_KEY);
        bytes memory qeAuth = new bytes(32);
        for (uint256 i = 0; i < 32; i++) qeAuth[i] = bytes1(uint8(i));
        bytes32 binding = sha256(abi.encodePacked(ax, ay, qeAuth));
        if (o.breakBinding) binding = bytes32(uint256(binding) ^ 1);
        bytes memory qeReport = _body(0x01, keccak256("qe"), o.qeMrSigner, abi.encodePacked(binding, bytes32(0)), 0);
        // QE isvprodid = 1 at offset 256
        qeReport[256] = 0x01;
        (bytes32 qr, bytes32 qs) = vm.signP256(o.pckKey, sha256(qeReport));
        (bytes32 r, bytes32 s) = vm.signP256(ATT_KEY, sha256(signedPart));
        if (o.breakIsvSig) r = bytes32(uint256(r) ^ 1);
        bytes memory auth = abi.encodePacked(r, s, ax, ay, qeReport, qr, qs, _le16(32), qeAuth, _le16(5), _le32(0));
        q = abi.encodePacked(signedPart, _le32(auth.length), auth);
    }

    bytes32 internal constant TD_QE_MRSIGNER = 0xdc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5;

    /// @dev A TDX quote (v4, or v5 with its body descriptor) around a TD report body (584 or 648 bytes), signed
    ///      with test P-256 keys: attestation key ATT_KEY, QE report (TD QE: o.qeMrSigner, ISVPRODID 2) by
    ///      o.pckKey inside type-6 certification data.
    function _tdQuote(bytes memory body, QuoteOpts memory o, uint16 version) internal pure returns (bytes memory q) {
        bytes memory header = abi.encodePacked(
            _le16(version), _le16(2), _le32(0x81), _le16(0), _le16(0), bytes16(0x939a7233f79c4ca9940a0db3957f0607), bytes20(0)
        );
        if (version == 5) header = abi.encodePacked(header, _le16(body.length == 648 ? 3 : 2), _le32(body.length));
        bytes memory signedPart = abi.encodePacked(header, body);
        (uint256 ax, uint256 ay) = vm.publicKeyP256(ATT_KEY);
        bytes memory qeAuth = new bytes(32);
        for (uint256 i = 0; i < 32; i++) qeAuth[i] = bytes1(uint8(0x40 + i));
        bytes32 binding = sha256(abi.encodePacked(ax, ay, qeAuth));
        if (o.breakBinding) binding = bytes32(uint256(binding) ^ 1);
        bytes memory qeReport = _body(0x01, keccak256("td qe"), o.qeMrSigner, abi.encodePacked(binding, bytes32(0)), 0);
        qeReport[256] = 0x02; // TD QE isvprodid 2
        (bytes32 qr, bytes32 qs) = vm.signP256(o.pckKey, sha256(qeReport));
        (bytes32 r, bytes32 s) = vm.signP256(ATT_KEY, sha256(signedPart));
        if (o.breakIsvSig) r = bytes32(uint256(r) ^ 1);
        bytes memory qeCert = abi.encodePacked(qeReport, qr, qs, _le16(32), qeAuth, _le16(5), _le32(0));
        bytes memory auth = abi.encodePacked(r, s, ax, ay, _le16(6), _le32(qeCert.length), qeCert);
        q = abi.encodePacked(signedPart, _le32(auth.length), auth);
    }
}
