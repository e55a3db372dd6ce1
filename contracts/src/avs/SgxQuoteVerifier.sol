// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestation} from "../interfaces/IAttestation.sol";
import {Ownable} from "../utils/Ownable.sol";

/// @title On-chain SGX DCAP v3 quote verifier for devnets and chains with the P-256 precompile
///        (EIP-7951 P256VERIFY at 0x100).
/// @notice Checks: header (v3, ECDSA P-256 key, SGX, Intel QE vendor id), the ISV report signature
///   by the attestation key, the attestation-key binding sha256(attKey || qeAuthData) ==
///   QE REPORTDATA[0:32], the QE report signature by an owner-registered PCK public key, and the QE
///   identity (MRSIGNER, ISVPRODID). The PCK certificate chain and TCB are checked off-chain by the
///   owner before registering a key (`mpavs quote verify`); the FMSPC and TCB status recorded with
///   the key are echoed in the output. Output: Automata v1.0 layout
///   `u16 version (BE) | bytes4 tee | u8 tcbStatus | bytes6 fmspc | 384-byte ISV report body`.
///   A failed check returns (false, reason) like Automata's verifier.
contract SgxQuoteVerifier is IAttestation, Ownable {
    struct PckKey {
        bytes32 x;
        bytes32 y;
        bytes6 fmspc;
        uint8 tcbStatus;
    }

    address internal constant P256VERIFY = address(0x100);
    bytes16 internal constant INTEL_QE_VENDOR_ID = 0x939a7233f79c4ca9940a0db3957f0607;
    uint256 internal constant MAX_KEYS = 16;

    /// @notice MRSIGNER of the accepted Quoting Enclave.
    bytes32 public qeMrSigner;
    /// @notice ISVPRODID of the accepted Quoting Enclave.
    uint16 public qeIsvProdId;
    /// @notice The fee getBp reports.
    uint16 public bp;
    PckKey[] internal _pckKeys;

    /// @notice The owner registered PCK key (x, y) with its FMSPC and TCB status.
    event PckKeyAdded(bytes32 x, bytes32 y, bytes6 fmspc, uint8 tcbStatus);
    /// @notice The owner removed PCK key (x, y).
    event PckKeyRemoved(bytes32 x, bytes32 y);
    /// @notice The accepted Quoting Enclave identity is now (mrSigner, isvProdId).
    event QeIdentitySet(bytes32 mrSigner, uint16 isvProdId);
    /// @notice The fee (basis points of the verification gas) reported by getBp changed.
    event BpSet(uint16 previousBp, uint16 newBp);

    /// @notice MAX_KEYS PCK keys are registered already.
    error TooManyPckKeys();
    /// @notice This PCK key is registered already.
    error PckKeyAlreadyRegistered();
    /// @notice This PCK key is not registered.
    error UnknownPckKey();
    /// @notice The value sent is below the fee (Automata's FeeManager error).
    error Insufficient_Funds();
    /// @notice The refund of the excess value to tx.origin failed (Automata's FeeManager error).
    error Withdrawal_Failed();

    constructor(bytes32 _qeMrSigner, uint16 _qeIsvProdId) {
        _transferOwnership(msg.sender);
        qeMrSigner = _qeMrSigner;
        qeIsvProdId = _qeIsvProdId;
        emit QeIdentitySet(_qeMrSigner, _qeIsvProdId);
    }

    /// @notice Sets the accepted Quoting Enclave identity. Owner only; emits QeIdentitySet.
    function setQeIdentity(bytes32 mrSigner, uint16 isvProdId) external onlyOwner {
        qeMrSigner = mrSigner;
        qeIsvProdId = isvProdId;
        emit QeIdentitySet(mrSigner, isvProdId);
    }

    /// @notice Sets the fee: bp basis points of the verification's gas at tx.gasprice, charged as
    ///         Automata's AutomataDcapAttestationFee does (0: free). Owner only; emits BpSet.
    function setBp(uint16 _bp) external onlyOwner {
        emit BpSet(bp, _bp);
        bp = _bp;
    }

    /// @notice Registers a PCK leaf public key (raw x || y) that the owner verified off-chain (at most
    ///         MAX_KEYS). Owner only; emits PckKeyAdded.
    function addPckKey(bytes32 x, bytes32 y, bytes6 fmspc, uint8 tcbStatus) external onlyOwner {
        if (_pckKeys.length >= MAX_KEYS) revert TooManyPckKeys();
        for (uint256 i = 0; i < _pckKeys.length; i++) {
            if (_pckKeys[i].x == x && _pckKeys[i].y == y) revert PckKeyAlreadyRegistered();
        }
        _pckKeys.push(PckKey(x, y, fmspc, tcbStatus));
        emit PckKeyAdded(x, y, fmspc, tcbStatus);
    }

    /// @notice Removes a registered PCK key. Owner only; emits PckKeyRemoved.
    function removePckKey(bytes32 x, bytes32 y) external onlyOwner {
        uint256 n = _pckKeys.length;
        for (uint256 i = 0; i < n; i++) {
            if (_pckKeys[i].x == x && _pckKeys[i].y == y) {
                _pckKeys[i] = _pckKeys[n - 1];
                _pckKeys.pop();
                emit PckKeyRemoved(x, y);
                return;
            }
        }
        revert UnknownPckKey();
    }

    /// @notice Number of registered PCK keys.
    function pckKeyCount() external view returns (uint256) {
        return _pckKeys.length;
    }

    /// @notice Registered PCK key `i` (0 <= i < pckKeyCount()).
    function pckKeyAt(uint256 i) external view returns (PckKey memory) {
        return _pckKeys[i];
    }

    /// @inheritdoc IAttestation
    function getBp() external view returns (uint16) {
        return bp;
    }

    /// @inheritdoc IAttestation
    /// @dev With bp > 0 the fee (gas used × tx.gasprice × bp / 10000) must come as msg.value (else
    ///      Insufficient_Funds()); the excess is refunded to tx.origin, as Automata's fee entrypoint does.
    function verifyAndAttestOnChain(bytes calldata quote) external payable returns (bool, bytes memory) {
        uint256 gasBefore = gasleft();
        (bool ok, string memory reason, bytes memory output) = _verify(quote);
        _collectFee(gasBefore);
        if (!ok) return (false, bytes(reason));
        return (true, output);
    }

    function _collectFee(uint256 gasBefore) internal {
        if (bp == 0 && msg.value == 0) return;
        uint256 fee = (gasBefore - gasleft()) * tx.gasprice * bp / 10000;
        if (msg.value < fee) revert Insufficient_Funds();
        uint256 excess = msg.value - fee;
        if (excess > 0) {
            (bool sent,) = payable(tx.origin).call{value: excess}("");
            if (!sent) revert Withdrawal_Failed();
        }
    }

    function _u16le(bytes calldata b, uint256 off) internal pure returns (uint256) {
        return uint256(uint8(b[off])) | (uint256(uint8(b[off + 1])) << 8);
    }

    function _u32le(bytes calldata b, uint256 off) internal pure returns (uint256) {
        return _u16le(b, off) | (_u16le(b, off + 2) << 16);
    }

    function _p256(bytes32 h, bytes32 r, bytes32 s, bytes32 x, bytes32 y) internal view returns (bool) {
        (bool ok, bytes memory ret) = P256VERIFY.staticcall(abi.encodePacked(h, r, s, x, y));
        return ok && ret.length == 32 && uint256(bytes32(ret)) == 1;
    }

    function _verify(bytes calldata q) internal view returns (bool, string memory, bytes memory) {
        string memory err = _checkQuote(q);
        if (bytes(err).length != 0) return (false, err, "");
        (bool found, uint256 idx) = _findPckKey(q);
        if (!found) return (false, "QE report not signed by a registered PCK key", "");
        PckKey memory k = _pckKeys[idx];
        return (true, "", abi.encodePacked(uint16(3), bytes4(0), k.tcbStatus, k.fmspc, q[48:432]));
    }

    /// @dev Everything except the PCK signature; returns "" or the failure reason.
    function _checkQuote(bytes calldata q) internal view returns (string memory) {
        // 48 header + 384 body + 4 length + 64 sig + 64 key + 384 QE report + 64 QE sig + 2 + 2 + 4
        if (q.length < 1020) return "quote too short";
        if (_u16le(q, 0) != 3) return "unsupported quote version";
        if (_u16le(q, 2) != 2) return "unsupported attestation key type";
        if (_u32le(q, 4) != 0) return "not an SGX quote";
        if (bytes16(q[12:28]) != INTEL_QE_VENDOR_ID) return "unknown QE vendor";
        uint256 authLen = _u32le(q, 432);
        if (authLen < 576 + 2 || 436 + authLen > q.length) return "bad auth data length";
        uint256 qeAuthLen = _u16le(q, 1012);
        if (1014 + qeAuthLen > 436 + authLen) return "bad QE auth data length";
        // ISV report signature by the attestation key over header || body
        if (!_p256(sha256(q[0:432]), bytes32(q[436:468]), bytes32(q[468:500]), bytes32(q[500:532]), bytes32(q[532:564]))) {
            return "invalid quote signature";
        }
        // attestation key bound into the QE report
        if (sha256(abi.encodePacked(q[500:564], q[1014:1014 + qeAuthLen])) != bytes32(q[564 + 320:564 + 352])) {
            return "attestation key not bound to QE report";
        }
        // QE identity
        if (bytes32(q[564 + 128:564 + 160]) != qeMrSigner) return "QE MRSIGNER mismatch";
        if (_u16le(q, 564 + 256) != qeIsvProdId) return "QE ISVPRODID mismatch";
        return "";
    }

    function _findPckKey(bytes calldata q) internal view returns (bool, uint256) {
        bytes32 qeHash = sha256(q[564:948]);
        bytes32 r = bytes32(q[948:980]);
        bytes32 s = bytes32(q[980:1012]);
        for (uint256 i = 0; i < _pckKeys.length; i++) {
            if (_p256(qeHash, r, s, _pckKeys[i].x, _pckKeys[i].y)) return (true, i);
        }
        return (false, 0);
    }
}
