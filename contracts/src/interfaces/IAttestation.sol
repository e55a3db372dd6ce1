// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title Automata DCAP attestation entry point (as used by the AVS).
interface IAttestation {
    /// @notice The verification fee in basis points of the verification's gas cost.
    function getBp() external view returns (uint16);

    /// @notice Verifies a DCAP quote on chain (paying the fee with msg.value); `output` is the verified
    ///         quote's summary (Automata's layout) on success, else a reason.
    function verifyAndAttestOnChain(bytes calldata rawQuote) external payable returns (bool success, bytes memory output);
}
