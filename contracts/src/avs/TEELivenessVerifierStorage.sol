// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ITEELivenessVerifier} from "../interfaces/ITEELivenessVerifier.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";

/// @title Storage of TEELivenessVerifier, then a gap (50 slots in all), so that state added later
///        (e.g. per-TEE policies) shifts no slot. Slots are checked against contracts/layout/*.json.
abstract contract TEELivenessVerifierStorage is ITEELivenessVerifier {
    /// @notice keccak256(quote) => whether that quote was accepted already.
    mapping(bytes32 => bool) public attestedReports;
    /// @dev keccak256(abi.encode(x, y)) => the key's last accepted liveness proof. Read through
    ///      attestedProvers(key), which reports time 0 once the proof is out of its quorum's policy.
    mapping(bytes32 => Prover) internal _attestedProvers;
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

    /// @notice quorum number => its attestation policy (TEE type, accepted TCB statuses, epoch).
    mapping(uint8 => QuorumPolicy) public quorumPolicies;
    /// @notice quorum number => SGX MRENCLAVE => allowed.
    mapping(uint8 => mapping(bytes32 => bool)) public quorumMrEnclaveAllowed;
    /// @notice quorum number => SGX MRSIGNER => ISVPRODID => the signer rule.
    mapping(uint8 => mapping(bytes32 => mapping(uint16 => SgxSignerRule))) public quorumSgxSigners;
    /// @notice quorum number => TDX workload identity (tdIdentityHash) => allowed.
    mapping(uint8 => mapping(bytes32 => bool)) public quorumTdIdentityAllowed;
    /// @notice keccak256(abi.encode(x, y)) => the policy the key's last liveness proof was accepted under.
    mapping(bytes32 => LivenessPolicyRecord) public livenessPolicyRecords;
    /// @notice Whether submitLivenessProofV3 (no quorum) is refused and its proofs void.
    bool public quorumPolicyRequired;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (13 used + 37 = 50).
    uint256[37] private __GAP;
}
