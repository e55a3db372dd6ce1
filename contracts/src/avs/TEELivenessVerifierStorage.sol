// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ITEELivenessVerifier} from "../interfaces/ITEELivenessVerifier.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";

/// @title Storage of TEELivenessVerifier, then a gap (50 slots in all), so that state added later
///        (e.g. per-TEE policies) shifts no slot. Slots are checked against contracts/layout/*.json.
abstract contract TEELivenessVerifierStorage is ITEELivenessVerifier {
    /// @notice keccak256(quote) => whether that quote was accepted already.
    mapping(bytes32 => bool) public attestedReports;
    /// @notice keccak256(abi.encode(x, y)) => the key's last accepted liveness proof.
    mapping(bytes32 => Prover) public attestedProvers;
    /// @notice How long a liveness proof stays valid (seconds). The 3600 here only sets the
    ///         implementation's own storage; a proxy gets its value from initialize.
    uint256 public attestValiditySeconds = 3600;
    /// @notice The attestation verifier quotes are checked with.
    IAttestationVerifier public attestationVerifier;
    /// @notice A report's reference block must be younger than this many blocks.
    uint256 public maxBlockNumberDiff;
    /// @notice keccak256(abi.encode(x, y)) => the enclave address of the key's last liveness proof.
    mapping(bytes32 => address) public attestedProverAddr;
    /// @notice livenessAuthorizationDigest => whether submitLivenessProofV3 accepted that authorization already.
    mapping(bytes32 => bool) public livenessAuthorizationUsed;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (7 used + 43 = 50).
    uint256[43] private __GAP;
}
