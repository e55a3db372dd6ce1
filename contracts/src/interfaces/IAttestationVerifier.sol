// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title The AVS's attestation policy over a DCAP verifier (Automata's IAttestationVerifier).
interface IAttestationVerifier {
    /// @notice What verifyQuote read from a verified quote (mpavs). SGX fields are zero for a TD and TD
    ///         fields zero for an SGX enclave.
    struct VerifiedQuote {
        /// @dev IMultiProverServiceManager.TEE: 1 INTEL_SGX, 5 INTEL_TDX.
        uint8 teeType;
        /// @dev Automata's TCB status (0 OK, 1 SW_HARDENING_NEEDED, 2 CONFIGURATION_AND_SW_HARDENING_NEEDED,
        ///      3 CONFIGURATION_NEEDED, 4 OUT_OF_DATE, 5 OUT_OF_DATE_CONFIGURATION_NEEDED, 6 REVOKED, 7 UNRECOGNIZED).
        uint8 tcbStatus;
        /// @dev SGX ISVPRODID and ISVSVN (little-endian in the report, returned as numbers).
        uint16 isvProdId;
        uint16 isvSvn;
        /// @dev TDX TDATTRIBUTES as a number (the report's 8 little-endian bytes): bit 0 DEBUG, bit 28 SEPT_VE_DISABLE.
        uint64 tdAttributes;
        bytes32 mrEnclave;
        bytes32 mrSigner;
        /// @dev TDX workload identity: keccak256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3 ‖ MRCONFIGID), 6 × 48 bytes.
        bytes32 tdIdentity;
        /// @dev The 64-byte REPORTDATA.
        bytes reportData;
    }

    /// @notice Verifies `report` through the DCAP verifier (msg.value pays its fee) and returns what the
    ///         quote attests, for a caller that applies its own policy (mpavs: TEELivenessVerifier's
    ///         per-quorum policies). Checks the output layout (v1.0 or v1.1) and refuses debug enclaves
    ///         and debug TDs; does not apply this contract's allow-lists or accepted TCB statuses.
    function verifyQuote(bytes calldata report) external payable returns (VerifiedQuote memory quote);

    /// @notice Verifies `report` (a DCAP quote) and returns its 64-byte REPORTDATA; reverts when the quote
    ///         fails or the policy refuses it. msg.value pays the DCAP verifier's fee.
    function verifyAttestation(bytes calldata report) external payable returns (bytes memory reportData);

    /// @notice Whether the policy accepts SGX enclaves with this MRENCLAVE.
    function verifyMrEnclave(bytes32 mrEnclave) external view returns (bool);

    /// @notice Whether the policy accepts SGX enclaves with this MRSIGNER.
    function verifyMrSigner(bytes32 mrSigner) external view returns (bool);

    /// @notice The fee the DCAP verifier would charge for verifying `report` at the current gas price.
    function estimateBaseFeeVerifyOnChain(bytes calldata report) external payable returns (uint256);
}
