// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestation} from "../interfaces/IAttestation.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {Ownable} from "../utils/Ownable.sol";

/// @title Adapter over an Automata-style DCAP verifier (IAttestation.verifyAndAttestOnChain).
/// @notice Same external interface as Automata's AttestationVerifier, fixing its gaps:
///   - parses both output layouts: v1.0 `u16 version | bytes4 tee | u8 tcbStatus | bytes6 fmspc | body`
///     (13-byte prefix) and v1.1 `u16 version | u16 bodyType | u8 tcbStatus | bytes6 fmspc | body`
///     (11-byte prefix); trailing advisory data is ignored;
///   - rejects debug SGX enclaves (ATTRIBUTES bit 1) and debug TDs (TDATTRIBUTES bit 0);
///   - enforces owner-set allow-lists (MRENCLAVE or MRSIGNER for SGX, MRTD for TDX) unless the
///     owner disabled them, and an owner-set set of accepted TCB statuses.
contract AttestationVerifier is IAttestationVerifier, Ownable {
    /// @notice The DCAP verifier quotes are checked with.
    IAttestation public dcapAttestation;

    /// @notice Bit s set = TCB status s accepted (0 OK, 1 SW_HARDENING_NEEDED, 2 CONFIGURATION_AND_SW_HARDENING_NEEDED,
    ///         3 CONFIGURATION_NEEDED, 4 OUT_OF_DATE, 5 OUT_OF_DATE_CONFIGURATION_NEEDED, 6 REVOKED, 7 UNRECOGNIZED, ...).
    uint256 public acceptedTcbStatuses;
    /// @notice Whether the allow-lists below are enforced.
    bool public allowListEnforced;
    /// @notice SGX MRENCLAVE values accepted.
    mapping(bytes32 => bool) public allowedMrEnclave;
    /// @notice SGX MRSIGNER values accepted.
    mapping(bytes32 => bool) public allowedMrSigner;
    /// @notice keccak256 of the accepted 48-byte TDX MRTD values.
    mapping(bytes32 => bool) public allowedMrTdHash;

    uint256 internal constant SGX_BODY = 384;
    uint256 internal constant TD10_BODY = 584;
    uint256 internal constant TD15_BODY = 648;

    /// @notice The DCAP verifier refused the quote.
    error INVALID_REPORT();
    /// @notice The DCAP verifier's output is shorter than its layout needs.
    error INVALID_REPORT_DATA();
    /// @notice A debug SGX enclave (ATTRIBUTES bit 1) or a debug TD (TDATTRIBUTES bit 0).
    error DEBUG_ENCLAVE_NOT_ALLOWED();
    /// @notice The enforced allow-lists hold neither the MRENCLAVE nor the MRSIGNER (SGX), or not the MRTD (TDX).
    error ENCLAVE_NOT_ALLOWED();
    /// @notice The quote's TCB status is not among the accepted ones.
    error TCB_STATUS_NOT_ALLOWED(uint8 tcbStatus);
    /// @notice The DCAP verifier's output is in neither the v1.0 nor the v1.1 layout.
    error UNSUPPORTED_OUTPUT_FORMAT();
    /// @notice setMrTd with an MRTD that is not 48 bytes.
    error INVALID_MRTD_LENGTH(uint256 length);

    /// @notice The accepted TCB statuses are now the bits of `mask`.
    event AcceptedTcbStatusesSet(uint256 mask);
    /// @notice The allow-lists are enforced (`enforced`) or not.
    event AllowListEnforced(bool enforced);
    /// @notice MRENCLAVE `mrEnclave` is allowed (`allowed`) or not.
    event MrEnclaveSet(bytes32 mrEnclave, bool allowed);
    /// @notice MRSIGNER `mrSigner` is allowed (`allowed`) or not.
    event MrSignerSet(bytes32 mrSigner, bool allowed);
    /// @notice MRTD `mrTd` is allowed (`allowed`) or not.
    event MrTdSet(bytes mrTd, bool allowed);
    /// @notice The DCAP verifier changed.
    event DcapAttestationSet(address previousDcapAttestation, address newDcapAttestation);

    constructor(address _dcapAttestation) {
        dcapAttestation = IAttestation(_dcapAttestation);
        emit DcapAttestationSet(address(0), _dcapAttestation);
        acceptedTcbStatuses = (1 << 0) | (1 << 1); // OK, SW_HARDENING_NEEDED
        allowListEnforced = true;
        _transferOwnership(msg.sender);
        emit AcceptedTcbStatusesSet(acceptedTcbStatuses);
        emit AllowListEnforced(true);
    }

    // ---- owner policy ----

    /// @notice Replaces the DCAP verifier. Owner only; emits DcapAttestationSet.
    function setDcapAttestation(address a) external onlyOwner {
        emit DcapAttestationSet(address(dcapAttestation), a);
        dcapAttestation = IAttestation(a);
    }

    /// @notice Accepts exactly the TCB statuses whose bits `mask` sets. Owner only; emits AcceptedTcbStatusesSet.
    function setAcceptedTcbStatuses(uint256 mask) external onlyOwner {
        acceptedTcbStatuses = mask;
        emit AcceptedTcbStatusesSet(mask);
    }

    /// @notice Enforces the allow-lists or not. Owner only; emits AllowListEnforced.
    function setAllowListEnforced(bool enforced) external onlyOwner {
        allowListEnforced = enforced;
        emit AllowListEnforced(enforced);
    }

    /// @notice Allows or disallows an SGX MRENCLAVE. Owner only; emits MrEnclaveSet.
    function setMrEnclave(bytes32 mrEnclave, bool allowed) external onlyOwner {
        allowedMrEnclave[mrEnclave] = allowed;
        emit MrEnclaveSet(mrEnclave, allowed);
    }

    /// @notice Allows or disallows an SGX MRSIGNER. Owner only; emits MrSignerSet.
    function setMrSigner(bytes32 mrSigner, bool allowed) external onlyOwner {
        allowedMrSigner[mrSigner] = allowed;
        emit MrSignerSet(mrSigner, allowed);
    }

    /// @notice Allows or disallows a 48-byte TDX MRTD. Owner only; emits MrTdSet.
    function setMrTd(bytes calldata mrTd, bool allowed) external onlyOwner {
        if (mrTd.length != 48) revert INVALID_MRTD_LENGTH(mrTd.length);
        allowedMrTdHash[keccak256(mrTd)] = allowed;
        emit MrTdSet(mrTd, allowed);
    }

    // ---- verification ----

    /// @inheritdoc IAttestationVerifier
    /// @dev The DCAP verifier's output must pass the layout, debug, TCB-status and allow-list checks.
    function verifyAttestation(bytes calldata report) external payable returns (bytes memory reportData) {
        (bool success, bytes memory output) = dcapAttestation.verifyAndAttestOnChain{value: msg.value}(report);
        if (!success) revert INVALID_REPORT();
        return _checkOutput(output);
    }

    /// @inheritdoc IAttestationVerifier
    /// @dev Layout and debug checks only: the caller applies its policy to the returned fields.
    function verifyQuote(bytes calldata report) external payable returns (VerifiedQuote memory q) {
        (bool success, bytes memory out) = dcapAttestation.verifyAndAttestOnChain{value: msg.value}(report);
        if (!success) revert INVALID_REPORT();
        (uint16 bodyType, uint256 prefix, uint8 tcbStatus) = _layout(out);
        q.tcbStatus = tcbStatus;
        if (bodyType == 1) {
            q.teeType = TEE_INTEL_SGX;
            q.mrEnclave = _word(out, prefix + 64);
            q.mrSigner = _word(out, prefix + 128);
            q.isvProdId = uint16(uint8(out[prefix + 256])) | (uint16(uint8(out[prefix + 257])) << 8);
            q.isvSvn = uint16(uint8(out[prefix + 258])) | (uint16(uint8(out[prefix + 259])) << 8);
            q.reportData = _reportData(out, prefix + 320);
        } else {
            q.teeType = TEE_INTEL_TDX;
            uint64 a;
            for (uint64 i = 0; i < 8; i++) a |= uint64(uint8(out[prefix + 120 + i])) << (8 * i);
            q.tdAttributes = a;
            q.tdIdentity = _tdIdentity(out, prefix);
            q.reportData = _reportData(out, prefix + 520);
        }
    }

    /// @dev IMultiProverServiceManager.TEE values.
    uint8 internal constant TEE_INTEL_SGX = 1;
    uint8 internal constant TEE_INTEL_TDX = 5;

    /// @dev keccak256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3 ‖ MRCONFIGID) of the TD report at `prefix`
    ///      (MRTD at 136, MRCONFIGID at 184, RTMR0..3 at 328..519; TD1.0 and TD1.5 alike).
    function _tdIdentity(bytes memory out, uint256 prefix) internal pure returns (bytes32 h) {
        bytes memory buf = new bytes(288);
        uint256 src = prefix + 136;
        uint256 cfg = prefix + 184;
        uint256 rtmr = prefix + 328;
        assembly {
            let o := add(out, 0x20)
            let d := add(buf, 0x20)
            mcopy(d, add(o, src), 48)
            mcopy(add(d, 48), add(o, rtmr), 192)
            mcopy(add(d, 240), add(o, cfg), 48)
            h := keccak256(d, 288)
        }
    }

    /// @dev The output's body type (1 SGX, 2 TD1.0, 3 TD1.5), prefix length and TCB status, after the layout,
    ///      length and debug checks.
    function _layout(bytes memory out) internal pure returns (uint16 bodyType, uint256 prefix, uint8 tcbStatus) {
        if (out.length < 13) revert INVALID_REPORT_DATA();
        uint16 second = (uint16(uint8(out[2])) << 8) | uint8(out[3]);
        if (second >= 1 && second <= 3) { // v1.1+: u16 quoteBodyType
            bodyType = second;
            prefix = 11;
        } else if (second == 0 && out[4] == 0 && out[5] == 0) { // v1.0: tee 0x00000000 = SGX
            bodyType = 1;
            prefix = 13;
        } else if (second == 0x8100 && out[4] == 0 && out[5] == 0) { // v1.0: tee 0x81000000 = TDX
            bodyType = 2; // TD1.0 and TD1.5 share every offset read here
            prefix = 13;
        } else {
            revert UNSUPPORTED_OUTPUT_FORMAT();
        }
        tcbStatus = uint8(out[prefix - 7]);
        uint256 bodyLen = bodyType == 1 ? SGX_BODY : (bodyType == 2 ? TD10_BODY : TD15_BODY);
        if (out.length < prefix + bodyLen) revert INVALID_REPORT_DATA();
        if (bodyType == 1) {
            if (uint8(out[prefix + 48]) & 0x02 != 0) revert DEBUG_ENCLAVE_NOT_ALLOWED();
        } else {
            if (uint8(out[prefix + 120]) & 0x01 != 0) revert DEBUG_ENCLAVE_NOT_ALLOWED();
        }
    }

    /// @dev Returns the REPORTDATA after the layout, debug, TCB and allow-list checks.
    function _checkOutput(bytes memory out) internal view returns (bytes memory reportData) {
        (uint16 bodyType, uint256 prefix, uint8 tcbStatus) = _layout(out);
        if ((acceptedTcbStatuses >> tcbStatus) & 1 == 0) revert TCB_STATUS_NOT_ALLOWED(tcbStatus);
        if (bodyType == 1) {
            if (allowListEnforced) {
                bytes32 mrEnclave = _word(out, prefix + 64);
                bytes32 mrSigner = _word(out, prefix + 128);
                if (!allowedMrEnclave[mrEnclave] && !allowedMrSigner[mrSigner]) revert ENCLAVE_NOT_ALLOWED();
            }
            return _reportData(out, prefix + 320);
        }
        if (allowListEnforced) {
            bytes32 h;
            uint256 p = prefix + 136;
            assembly { h := keccak256(add(add(out, 0x20), p), 48) }
            if (!allowedMrTdHash[h]) revert ENCLAVE_NOT_ALLOWED();
        }
        return _reportData(out, prefix + 520);
    }

    function _reportData(bytes memory out, uint256 rdOff) internal pure returns (bytes memory reportData) {
        reportData = new bytes(64);
        bytes32 a = _word(out, rdOff);
        bytes32 b = _word(out, rdOff + 32);
        assembly {
            mstore(add(reportData, 0x20), a)
            mstore(add(reportData, 0x40), b)
        }
    }

    function _word(bytes memory b, uint256 off) internal pure returns (bytes32 w) {
        assembly { w := mload(add(add(b, 0x20), off)) }
    }

    /// @inheritdoc IAttestationVerifier
    function verifyMrEnclave(bytes32 mrEnclave) external view returns (bool) {
        return !allowListEnforced || allowedMrEnclave[mrEnclave];
    }

    /// @inheritdoc IAttestationVerifier
    function verifyMrSigner(bytes32 mrSigner) external view returns (bool) {
        return !allowListEnforced || allowedMrSigner[mrSigner];
    }

    /// @inheritdoc IAttestationVerifier
    /// @dev getBp() basis points of the gas one verification uses, at tx.gasprice.
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256) {
        uint256 before = gasleft();
        dcapAttestation.verifyAndAttestOnChain{value: msg.value}(rawQuote);
        uint256 used = before - gasleft();
        return uint256(dcapAttestation.getBp()) * used * tx.gasprice / 10000;
    }
}
