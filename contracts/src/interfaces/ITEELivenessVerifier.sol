// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title TEE liveness: records that a TEE prover recently attested an operator's BLS public key
///        (the external interface of Automata's TEELivenessVerifier, plus events for every liveness
///        submission and every owner change).
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
    function submitLivenessProofV2(ReportDataV2 calldata data, bytes calldata report) external payable;

    /// @notice Whether key (x, y) has a liveness proof younger than attestValiditySeconds.
    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) external view returns (bool);

    /// @notice As verifyLivenessProof, and the proof was made by the enclave with address `proverKey`.
    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) external view returns (bool);

    /// @notice Legacy check: verifies quote `data` and compares its 64-byte REPORTDATA with x ‖ y (records nothing).
    function verifyAttestationV2(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata data) external returns (bool);

    /// @notice The fee the DCAP verifier would charge for `rawQuote` (see IAttestationVerifier).
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256);
}
