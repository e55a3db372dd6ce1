// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestation} from "../interfaces/IAttestation.sol";
import {Ownable} from "../utils/Ownable.sol";

/// @title On-chain DCAP quote verifier (SGX v3, TDX v4 and v5) for devnets and chains with the P-256
///        precompile (EIP-7951 P256VERIFY at 0x100). The name stays SgxQuoteVerifier (deployments and
///        artifacts refer to it); it verifies TDX quotes too.
/// @notice Checks: header (v3 with TEE type SGX, or v4/v5 with TEE type TDX 0x81; ECDSA P-256 key; Intel QE
///   vendor id; v5: body descriptor TD1.0/584 or TD1.5/648), the report signature by the attestation key
///   over header (|| v5 body descriptor) || body, the attestation-key binding sha256(attKey || qeAuthData) ==
///   QE REPORTDATA[0:32] (v4/v5: the QE report inside type-6 certification data), the QE report signature by
///   an owner-registered PCK public key, and the QE identity (MRSIGNER, ISVPRODID: the SGX QE's for v3, the
///   TD QE's for v4/v5). The PCK certificate chain and TCB are checked off-chain by the owner before
///   registering a key (`mpavs quote verify`); the FMSPC and TCB status recorded with the key are echoed in
///   the output. Output: Automata v1.0 layout `u16 version (BE) | bytes4 tee (header bytes 4..8: 0x00000000
///   SGX, 0x81000000 TDX) | u8 tcbStatus | bytes6 fmspc | report body` (SGX 384, TD1.0 584, TD1.5 648 bytes).
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
    /// @notice MRSIGNER of the accepted TD Quoting Enclave (TDX quotes); 0 until set.
    bytes32 public tdQeMrSigner;
    /// @notice ISVPRODID of the accepted TD Quoting Enclave (Intel's: 2).
    uint16 public tdQeIsvProdId;

    /// @notice The owner registered PCK key (x, y) with its FMSPC and TCB status.
    event PckKeyAdded(bytes32 x, bytes32 y, bytes6 fmspc, uint8 tcbStatus);
    /// @notice The owner removed PCK key (x, y).
    event PckKeyRemoved(bytes32 x, bytes32 y);
    /// @notice The accepted Quoting Enclave identity is now (mrSigner, isvProdId).
    event QeIdentitySet(bytes32 mrSigner, uint16 isvProdId);
    /// @notice The accepted TD Quoting Enclave identity (TDX quotes) is now (mrSigner, isvProdId).
    event TdQeIdentitySet(bytes32 mrSigner, uint16 isvProdId);
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

    /// @notice Sets the accepted TD Quoting Enclave identity (checked in TDX quotes; Intel's TD QE:
    ///         0xdc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5, 2). Owner only; emits TdQeIdentitySet.
    function setTdQeIdentity(bytes32 mrSigner, uint16 isvProdId) external onlyOwner {
        tdQeMrSigner = mrSigner;
        tdQeIsvProdId = isvProdId;
        emit TdQeIdentitySet(mrSigner, isvProdId);
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

    /// @dev Where the parts of a quote sit: `signedEnd` = end of header (and v5 body descriptor) and body,
    ///      followed by u32 auth length, ECDSA signature, attestation key; `qeReport` = the QE report,
    ///      followed by its signature and u16 QE auth length + data.
    struct Layout {
        uint256 bodyOff;
        uint256 bodyLen;
        uint256 signedEnd;
        uint256 qeReport;
        uint256 qeAuthLen;
        bool tdx;
    }

    function _verify(bytes calldata q) internal view returns (bool, string memory, bytes memory) {
        (Layout memory l, string memory err) = _layout(q);
        if (bytes(err).length == 0) err = _checkQuote(q, l);
        if (bytes(err).length != 0) return (false, err, "");
        (bool found, uint256 idx) = _findPckKey(q, l.qeReport);
        if (!found) return (false, "QE report not signed by a registered PCK key", "");
        PckKey memory k = _pckKeys[idx];
        return (true, "", abi.encodePacked(uint16(_u16le(q, 0)), bytes4(q[4:8]), k.tcbStatus, k.fmspc,
            q[l.bodyOff:l.bodyOff + l.bodyLen]));
    }

    /// @dev The header checks and the bounds of every part; returns the layout or the failure reason.
    function _layout(bytes calldata q) internal pure returns (Layout memory l, string memory err) {
        if (q.length < 1020) return (l, "quote too short"); // the shortest v3 quote
        uint256 version = _u16le(q, 0);
        if (version == 3) {
            if (_u32le(q, 4) != 0) return (l, "not an SGX quote");
            (l.bodyOff, l.bodyLen) = (48, 384);
        } else if (version == 4 || version == 5) {
            if (_u32le(q, 4) != 0x81) return (l, "unsupported quote version"); // SGX quotes: v3 only
            l.tdx = true;
            (l.bodyOff, l.bodyLen) = (48, 584);
            if (version == 5) {
                if (q.length < 54) return (l, "quote too short");
                uint256 bodyType = _u16le(q, 48);
                uint256 bodySize = _u32le(q, 50);
                if (!(bodyType == 2 && bodySize == 584) && !(bodyType == 3 && bodySize == 648)) return (l, "bad body descriptor");
                (l.bodyOff, l.bodyLen) = (54, bodySize);
            }
        } else {
            return (l, "unsupported quote version");
        }
        if (_u16le(q, 2) != 2) return (l, "unsupported attestation key type");
        if (bytes16(q[12:28]) != INTEL_QE_VENDOR_ID) return (l, "unknown QE vendor");
        l.signedEnd = l.bodyOff + l.bodyLen;
        uint256 a = l.signedEnd + 4; // signature, attestation key, certification data
        // v3: QE report right after the key; v4/v5: inside type-6 certification data (u16 type, u32 size)
        l.qeReport = l.tdx ? a + 134 : a + 128;
        // ... + 384 QE report + 64 QE sig + 2 QE auth length (+ v3: 2 + 4 certification data header)
        if (q.length < l.qeReport + (l.tdx ? 450 : 456)) return (l, "quote too short");
        uint256 authLen = _u32le(q, l.signedEnd);
        if (authLen < l.qeReport + 450 - a || a + authLen > q.length) return (l, "bad auth data length");
        uint256 authEnd = a + authLen;
        if (l.tdx) {
            if (_u16le(q, a + 128) != 6) return (l, "unsupported certification data type");
            uint256 certSize = _u32le(q, a + 130);
            if (certSize < 450 || l.qeReport + certSize > authEnd) return (l, "bad certification data size");
            authEnd = l.qeReport + certSize;
        }
        l.qeAuthLen = _u16le(q, l.qeReport + 448);
        if (l.qeReport + 450 + l.qeAuthLen > authEnd) return (l, "bad QE auth data length");
    }

    /// @dev Everything except the PCK signature; returns "" or the failure reason.
    function _checkQuote(bytes calldata q, Layout memory l) internal view returns (string memory) {
        uint256 s = l.signedEnd;
        // report signature by the attestation key over header (|| v5 body descriptor) || body
        if (!_p256(sha256(q[0:s]), bytes32(q[s + 4:s + 36]), bytes32(q[s + 36:s + 68]), bytes32(q[s + 68:s + 100]),
                bytes32(q[s + 100:s + 132]))) {
            return "invalid quote signature";
        }
        // attestation key bound into the QE report
        uint256 r = l.qeReport;
        if (sha256(abi.encodePacked(q[s + 68:s + 132], q[r + 450:r + 450 + l.qeAuthLen])) != bytes32(q[r + 320:r + 352])) {
            return "attestation key not bound to QE report";
        }
        // QE identity (the SGX QE or the TD QE)
        if (bytes32(q[r + 128:r + 160]) != (l.tdx ? tdQeMrSigner : qeMrSigner)) return "QE MRSIGNER mismatch";
        if (_u16le(q, r + 256) != (l.tdx ? tdQeIsvProdId : qeIsvProdId)) return "QE ISVPRODID mismatch";
        return "";
    }

    function _findPckKey(bytes calldata q, uint256 qeReport) internal view returns (bool, uint256) {
        bytes32 qeHash = sha256(q[qeReport:qeReport + 384]);
        bytes32 r = bytes32(q[qeReport + 384:qeReport + 416]);
        bytes32 s = bytes32(q[qeReport + 416:qeReport + 448]);
        for (uint256 i = 0; i < _pckKeys.length; i++) {
            if (_p256(qeHash, r, s, _pckKeys[i].x, _pckKeys[i].y)) return (true, i);
        }
        return (false, 0);
    }
}
