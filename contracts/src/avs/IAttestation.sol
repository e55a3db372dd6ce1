// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title Automata DCAP attestation entry point (as used by the AVS).
interface IAttestation {
    function getBp() external view returns (uint16);
    function verifyAndAttestOnChain(bytes calldata rawQuote) external payable returns (bool success, bytes memory output);
}

interface IAttestationVerifier {
    function verifyAttestation(bytes calldata report) external payable returns (bytes memory reportData);
    function verifyMrEnclave(bytes32 mrEnclave) external view returns (bool);
    function verifyMrSigner(bytes32 mrSigner) external view returns (bool);
    function estimateBaseFeeVerifyOnChain(bytes calldata report) external payable returns (uint256);
}
