// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title The AVS's attestation policy over a DCAP verifier (Automata's IAttestationVerifier).
interface IAttestationVerifier {
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
