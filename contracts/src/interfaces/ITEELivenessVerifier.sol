// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";

/// @title TEE liveness: records that a TEE prover recently attested an operator's BLS public key
///        (the external interface of Automata's TEELivenessVerifier, plus events for every liveness
///        submission and every owner change, plus the authorized submission submitLivenessProofV3:
///        the key's owner signs, with that BLS key, which prover may attest it).
interface ITEELivenessVerifier {
    /// @notice A BLS G1 public key (affine coordinates).
    struct Pubkey {
        bytes32 x;
        bytes32 y;
    }

    /// @notice A key's last attestation: the key and the block timestamp of its submission.
    struct Prover {
        Pubkey pubkey;
        uint256 time;
    }

    /// @notice What the quote's REPORTDATA commits to: 0^12 ‖ prover address ‖ keccak256(abi.encode(ReportDataV2)).
    struct ReportDataV2 {
        Pubkey pubkey;
        uint256 referenceBlockNumber;
        bytes32 referenceBlockHash;
        bytes32 proverAddressHash;
    }

    /// @notice A liveness proof was accepted: the key (hash `pubkeyHash` = keccak256(x, y)) is live from
    ///         block timestamp `time`, attested by the enclave whose address is `prover`; `reportHash` is
    ///         keccak256 of the quote (each quote is accepted once).
    event LivenessProofSubmitted(
        bytes32 indexed pubkeyHash, address indexed prover, bytes32 pubkeyX, bytes32 pubkeyY, bytes32 reportHash, uint256 time
    );
    /// @notice The owner of the key (hash `pubkeyHash`) authorized enclave `prover` to attest it: a BLS
    ///         signature by the key over `authorizationDigest` (see livenessAuthorizationDigest) was checked.
    event LivenessProofAuthorized(bytes32 indexed pubkeyHash, address indexed prover, bytes32 authorizationDigest);
    /// @notice The attestation verifier changed.
    event AttestationVerifierUpdated(address previousVerifier, address newVerifier);
    /// @notice The largest age, in blocks, of a report's reference block changed.
    event MaxBlockNumberDiffUpdated(uint256 previousValue, uint256 newValue);
    /// @notice How long, in seconds, a liveness proof stays valid changed.
    event AttestValiditySecondsUpdated(uint256 previousValue, uint256 newValue);

    /// @notice Declared for interface identity with upstream (not raised here).
    error INVALID_REPORT();
    /// @notice The verified quote's REPORTDATA is not 64 bytes.
    error INVALID_REPORT_DATA();
    /// @notice The quote's REPORTDATA does not commit to the submitted ReportDataV2.
    error REPORT_DATA_MISMATCH(bytes reportData);
    /// @notice The reference block is not in the past.
    error InvalidBlockNumber();
    /// @notice The reference block is maxBlockNumberDiff blocks old or older.
    error BlockNumberOutOfDate();
    /// @notice The reference block hash is not the chain's (or the block is more than 256 blocks old).
    error BlockNumberMismatch();
    /// @notice This quote was submitted before.
    error ReportAlreadyUsed();
    /// @notice submitLivenessProofV2 is refused here: anyone could bind someone else's key to their own
    ///         prover with it. Use submitLivenessProofV3 (signed by the key).
    error LivenessAuthorizationRequired();
    /// @notice The BLS authorization does not verify: not a signature by data.pubkey over
    ///         livenessAuthorizationDigest(data, prover), or pubkeyG2 is not the same secret as data.pubkey.
    error InvalidLivenessAuthorization();
    /// @notice This authorization (same chain, verifier, prover and ReportDataV2) was accepted before.
    error LivenessAuthorizationAlreadyUsed();

    /// @notice Sets the owner, the attestation verifier, maxBlockNumberDiff and attestValiditySeconds. Once,
    ///         through the proxy; emits the three *Updated events.
    function initialize(address initialOwner, address attestationAddr, uint256 maxBlockNumberDiff, uint256 attestValiditySeconds)
        external;

    /// @notice As initialize, for upgrade `version` (greater than every version before).
    function reinitialize(
        uint8 version,
        address initialOwner,
        address attestationAddr,
        uint256 maxBlockNumberDiff,
        uint256 attestValiditySeconds
    ) external;

    /// @notice Sets the largest reference-block age (blocks; at most 256 is effective). Owner only; emits MaxBlockNumberDiffUpdated.
    function changeMaxBlockNumberDiff(uint256 maxBlockNumberDiff) external;

    /// @notice Replaces the attestation verifier. Owner only; emits AttestationVerifierUpdated.
    function changeAttestationImpl(address attestationAddr) external;

    /// @notice Sets how long a liveness proof stays valid (seconds). Owner only; emits AttestValiditySecondsUpdated.
    function changeAttestValiditySeconds(uint256 validitySeconds) external;

    /// @notice Whether the attestation verifier accepts this MRENCLAVE.
    function verifyMrEnclave(bytes32 mrEnclave) external view returns (bool);

    /// @notice Whether the attestation verifier accepts this MRSIGNER.
    function verifyMrSigner(bytes32 mrSigner) external view returns (bool);

    /// @notice Verifies `report` (a DCAP quote, through the attestation verifier, forwarding msg.value as its fee)
    ///         whose REPORTDATA is 0^12 ‖ prover address ‖ keccak256(abi.encode(data)), with data's reference
    ///         block recent and its hash the chain's; marks data.pubkey live as of now, bound to that prover
    ///         address; emits LivenessProofSubmitted. Anyone may submit; each quote once.
    ///         On this contract it always reverts with LivenessAuthorizationRequired (the selector stays for
    ///         ABI compatibility with Automata's deployed verifiers, where it is the only submission).
    function submitLivenessProofV2(ReportDataV2 calldata data, bytes calldata report) external payable;

    /// @notice As submitLivenessProofV2, and only with the key owner's authorization: `authSig` =
    ///         sk * hashToG1(livenessAuthorizationDigest(data, prover)) with prover the address in the
    ///         quote's REPORTDATA, checked together with pubkeyG2 = sk * G2 for the same sk as
    ///         data.pubkey (BLSApkRegistry's proof-of-possession check). Each authorization once.
    ///         Emits LivenessProofAuthorized and LivenessProofSubmitted.
    function submitLivenessProofV3(
        ReportDataV2 calldata data,
        bytes calldata report,
        BN254.G2Point calldata pubkeyG2,
        BN254.G1Point calldata authSig
    ) external payable;

    /// @notice 1: this contract has submitLivenessProofV3 and refuses unauthorized V2 submissions. (Automata's
    ///         verifiers have no such function: a call reverts, which clients read as "V2 only".)
    function livenessAuthorizationVersion() external pure returns (uint256);

    /// @notice What a key signs to authorize `prover` for `data`: keccak256(abi.encode(
    ///         LIVENESS_AUTHORIZATION_TYPEHASH, block.chainid, address(this), prover, keccak256(abi.encode(data)))).
    function livenessAuthorizationDigest(ReportDataV2 calldata data, address prover) external view returns (bytes32);

    /// @notice hashToG1(livenessAuthorizationDigest(data, prover)), the point the key multiplies.
    function livenessAuthorizationMessageHash(ReportDataV2 calldata data, address prover)
        external
        view
        returns (BN254.G1Point memory);

    /// @notice Whether key (x, y) has a liveness proof younger than attestValiditySeconds.
    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) external view returns (bool);

    /// @notice As verifyLivenessProof, and the proof was made by the enclave with address `proverKey`.
    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) external view returns (bool);

    /// @notice Legacy check: verifies quote `data` and compares its 64-byte REPORTDATA with x ‖ y (records nothing).
    function verifyAttestationV2(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata data) external returns (bool);

    /// @notice The fee the DCAP verifier would charge for `rawQuote` (see IAttestationVerifier).
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256);
}
