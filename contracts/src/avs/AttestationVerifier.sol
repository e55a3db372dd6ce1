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

    /// @dev Returns the REPORTDATA after the layout, debug, TCB and allow-list checks.
    function _checkOutput(bytes memory out) internal view returns (bytes memory reportData) {
        if (out.length < 13) revert INVALID_REPORT_DATA();
        uint16 bodyType; // 1 SGX, 2 TD1.0, 3 TD1.5
        uint256 prefix;
        uint16 second = (uint16(uint8(out[2])) << 8) | uint8(out[3]);
        if (second >= 1 && second <= 3) { // v1.1+: u16 quoteBodyType
            bodyType = second;
            prefix = 11;
        } else if (second == 0 && out[4] == 0 && out[5] == 0) { // v1.0: tee 0x00000000 = SGX
            bodyType = 1;
            prefix = 13;
        } else if (second == 0x8100 && out[4] == 0 && out[5] == 0) { // v1.0: tee 0x81000000 = TDX
            bodyType = 2; // TD1.0 and TD1.5 share every offset read below
            prefix = 13;
        } else {
            revert UNSUPPORTED_OUTPUT_FORMAT();
        }
        uint8 tcbStatus = uint8(out[prefix - 7]);
        uint256 bodyLen = bodyType == 1 ? SGX_BODY : (bodyType == 2 ? TD10_BODY : TD15_BODY);
        if (out.length < prefix + bodyLen) revert INVALID_REPORT_DATA();
        if ((acceptedTcbStatuses >> tcbStatus) & 1 == 0) revert TCB_STATUS_NOT_ALLOWED(tcbStatus);

        uint256 rdOff;
        if (bodyType == 1) {
            if (uint8(out[prefix + 48]) & 0x02 != 0) revert DEBUG_ENCLAVE_NOT_ALLOWED();
            if (allowListEnforced) {
                bytes32 mrEnclave = _word(out, prefix + 64);
                bytes32 mrSigner = _word(out, prefix + 128);
                if (!allowedMrEnclave[mrEnclave] && !allowedMrSigner[mrSigner]) revert ENCLAVE_NOT_ALLOWED();
            }
            rdOff = prefix + 320;
        } else {
            if (uint8(out[prefix + 120]) & 0x01 != 0) revert DEBUG_ENCLAVE_NOT_ALLOWED();
            if (allowListEnforced) {
                bytes32 h;
                uint256 p = prefix + 136;
                assembly { h := keccak256(add(add(out, 0x20), p), 48) }
                if (!allowedMrTdHash[h]) revert ENCLAVE_NOT_ALLOWED();
            }
            rdOff = prefix + 520;
        }
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
