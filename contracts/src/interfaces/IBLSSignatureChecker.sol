// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";

/// @title EigenLayer middleware BLSSignatureChecker: an aggregate BLS signature checked against the
///        registries' histories at a reference block.
interface IBLSSignatureChecker {
    /// @notice What the aggregator sends with a confirmation: the non-signers (keys and history indices),
    ///         the quorum aggregate keys, the signers' aggregate G2 key and signature, and history indices.
    struct NonSignerStakesAndSignature {
        uint32[] nonSignerQuorumBitmapIndices;
        BN254.G1Point[] nonSignerPubkeys;
        BN254.G1Point[] quorumApks;
        BN254.G2Point apkG2;
        BN254.G1Point sigma;
        uint32[] quorumApkIndices;
        uint32[] totalStakeIndices;
        uint32[][] nonSignerStakeIndices;
    }

    /// @notice Signed and total stake per quorum, in the order of the quorum numbers.
    struct QuorumStakeTotals {
        uint96[] signedStakeForQuorum;
        uint96[] totalStakeForQuorum;
    }

    /// @notice staleStakesForbidden was set to `value`.
    event StaleStakesForbiddenUpdate(bool value);

    /// @notice No quorum numbers.
    error InputEmptyQuorumNumbers();
    /// @notice The per-quorum arrays do not all have one entry per quorum.
    error InputArrayLengthMismatch();
    /// @notice Non-signer keys and bitmap indices differ in length.
    error InputNonSignerLengthMismatch();
    /// @notice The reference block is not in the past.
    error InvalidReferenceBlocknumber();
    /// @notice Non-signer key hashes are not strictly increasing.
    error NonSignerPubkeysNotSorted();
    /// @notice setStaleStakesForbidden from another caller than the RegistryCoordinator's owner.
    error OnlyRegistryCoordinatorOwner();
    /// @notice Stakes are stale: a quorum was last updated more than minWithdrawalDelayBlocks before the reference block.
    error StaleStakesForbidden();
    /// @notice A quorum aggregate key does not match the BLSApkRegistry's history.
    error InvalidQuorumApkHash();
    /// @notice The pairing precompile failed (bad point encoding or out of gas).
    error InvalidBLSPairingKey();
    /// @notice The aggregate signature does not verify.
    error InvalidBLSSignature();

    /// @notice Verifies the aggregate signature on `msgHash` by the quorums' operators minus the non-signers,
    ///         as registered at `referenceBlockNumber`; returns the signed and total stakes and
    ///         keccak256(referenceBlockNumber ‖ non-signer key hashes). Reverts on any mismatch.
    function checkSignatures(
        bytes32 msgHash,
        bytes calldata quorumNumbers,
        uint32 referenceBlockNumber,
        NonSignerStakesAndSignature memory params
    ) external view returns (QuorumStakeTotals memory, bytes32);

    /// @notice One two-pairing check of the signature and of apk (G1) against apkG2, with
    ///         gamma = keccak256(msgHash, apk, apkG2, sigma) mod r: e(sigma + gamma·apk, −G2)·e(H(m) + gamma·G1, apkG2) = 1.
    function trySignatureAndApkVerification(
        bytes32 msgHash,
        BN254.G1Point memory apk,
        BN254.G2Point memory apkG2,
        BN254.G1Point memory sigma
    ) external view returns (bool pairingSuccessful, bool siganatureIsValid);

    /// @notice Whether checkSignatures requires the quorums' stakes to be fresh. RegistryCoordinator owner only;
    ///         emits StaleStakesForbiddenUpdate.
    function setStaleStakesForbidden(bool value) external;
}
