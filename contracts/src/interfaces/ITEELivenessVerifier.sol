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

    /// @notice A TEE quorum's attestation policy (mpavs): the TEE type its provers run
    ///         (IMultiProverServiceManager.TEE: 1 INTEL_SGX, 5 INTEL_TDX; 0 = no policy), the TCB statuses
    ///         it accepts (bit s = Automata TCB status s; bits 0-5 only: REVOKED and UNRECOGNIZED never),
    ///         and an epoch that changes with the type (a proof of another epoch is void).
    struct QuorumPolicy {
        uint8 teeType;
        uint16 acceptedTcbStatuses;
        uint32 epoch;
    }

    /// @notice An SGX signer rule of a quorum: enclaves of (MRSIGNER, ISVPRODID) with ISVSVN >= minIsvSvn.
    struct SgxSignerRule {
        bool allowed;
        uint16 minIsvSvn;
    }

    /// @notice The policy a key's liveness proof was accepted under (submitLivenessProofV4). kind: 0 none
    ///         (submitLivenessProofV3, no quorum), 1 SGX MRENCLAVE, 2 SGX (MRSIGNER, ISVPRODID) rule, 3 TDX
    ///         workload identity; identity = the MRENCLAVE, the MRSIGNER or the TD identity hash;
    ///         reportHash = keccak256 of the quote (invalidateLivenessProof).
    struct LivenessPolicyRecord {
        uint8 kind;
        uint8 quorumNumber;
        uint8 teeType;
        uint8 tcbStatus;
        uint16 isvProdId;
        uint16 isvSvn;
        uint32 epoch;
        bytes32 identity;
        bytes32 reportHash;
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

    /// @notice Quorum `quorumNumber`'s policy is now TEE type `teeType` with TCB status mask
    ///         `acceptedTcbStatuses`, epoch `epoch` (a new epoch voids the quorum's earlier proofs).
    event QuorumPolicySet(uint8 indexed quorumNumber, uint8 teeType, uint16 acceptedTcbStatuses, uint32 epoch);
    /// @notice SGX MRENCLAVE `mrEnclave` is allowed (`allowed`) in quorum `quorumNumber` or not.
    event QuorumMrEnclaveSet(uint8 indexed quorumNumber, bytes32 mrEnclave, bool allowed);
    /// @notice SGX enclaves of (`mrSigner`, `isvProdId`) with ISVSVN >= `minIsvSvn` are allowed (`allowed`)
    ///         in quorum `quorumNumber` or not.
    event QuorumSgxSignerSet(uint8 indexed quorumNumber, bytes32 mrSigner, uint16 isvProdId, bool allowed, uint16 minIsvSvn);
    /// @notice TDX workload identity `tdIdentity` (tdIdentityHash) is allowed (`allowed`) in quorum `quorumNumber` or not.
    event QuorumTdIdentitySet(uint8 indexed quorumNumber, bytes32 tdIdentity, bool allowed);
    /// @notice Liveness proofs without a quorum (submitLivenessProofV3) are refused and void (`required`) or not.
    event QuorumPolicyRequiredSet(bool required);
    /// @notice The liveness proof of key `pubkeyHash` was accepted in quorum `quorumNumber` under rule `kind`
    ///         (LivenessPolicyRecord) for `identity`, with TCB status `tcbStatus`.
    event LivenessProofBound(bytes32 indexed pubkeyHash, uint8 indexed quorumNumber, uint8 kind, bytes32 identity, uint8 tcbStatus);
    /// @notice `invalidator` showed that the quote of key `pubkeyHash`'s liveness proof, verified again now
    ///         (TCB status `tcbStatus`), is out of its quorum's policy; the proof is void.
    event LivenessProofInvalidated(bytes32 indexed pubkeyHash, address indexed invalidator, uint8 tcbStatus);

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

    /// @notice Quorum `quorumNumber` has no policy (setQuorumPolicy).
    error QuorumPolicyNotSet(uint8 quorumNumber);
    /// @notice setQuorumPolicy with a TEE type other than NONE, INTEL_SGX, INTEL_TDX or TCB status bits above 5.
    error InvalidQuorumPolicy();
    /// @notice The quote's TEE type `teeType` is not quorum `quorumNumber`'s.
    error TeeTypeMismatch(uint8 quorumNumber, uint8 teeType);
    /// @notice Quorum `quorumNumber` does not accept TCB status `tcbStatus`.
    error QuorumTcbStatusNotAllowed(uint8 quorumNumber, uint8 tcbStatus);
    /// @notice Quorum `quorumNumber` allows neither the quote's MRENCLAVE nor its (MRSIGNER, ISVPRODID) at
    ///         its ISVSVN (SGX), or not its workload identity (TDX).
    error MeasurementNotAllowed(uint8 quorumNumber);
    /// @notice The TD's attributes are refused: DEBUG (bit 0) set or SEPT_VE_DISABLE (bit 28) clear.
    error TdAttributesNotAllowed(uint64 tdAttributes);
    /// @notice submitLivenessProofV3 is refused while quorumPolicyRequired: use submitLivenessProofV4.
    error QuorumPolicyRequired();
    /// @notice The key has no live proof of submitLivenessProofV4 to invalidate.
    error NoBoundLivenessProof();
    /// @notice The quote is not the one the key's liveness proof was accepted with.
    error NotRecordedQuote();
    /// @notice Verified again now, the quote is still in its quorum's policy: nothing to invalidate.
    error LivenessProofInPolicy();
    /// @notice tdIdentityHash with an MRTD or MRCONFIGID that is not 48 bytes or RTMRs that are not 4 × 48 bytes.
    error InvalidTdMeasurementLength();

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

    /// @notice 1: this contract has submitLivenessProofV3 and refuses unauthorized V2 submissions; 2: also
    ///         submitLivenessProofV4 (per-quorum policies). (Automata's
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

    /// @notice As submitLivenessProofV3, for TEE quorum `quorumNumber` and under its policy (mpavs): the quote's
    ///         TEE type must be the quorum's, its TCB status accepted, for SGX its MRENCLAVE or its (MRSIGNER,
    ///         ISVPRODID) at an ISVSVN >= the rule's minimum allowed, for TDX its workload identity
    ///         (tdIdentityHash) allowed, DEBUG clear and SEPT_VE_DISABLE set. `authSig` signs
    ///         livenessAuthorizationDigestV4(data, prover, quorumNumber) (the quorum is bound too). Records the
    ///         accepted rule (livenessPolicyRecords); emits LivenessProofAuthorized, LivenessProofSubmitted and
    ///         LivenessProofBound.
    function submitLivenessProofV4(
        ReportDataV2 calldata data,
        bytes calldata report,
        BN254.G2Point calldata pubkeyG2,
        BN254.G1Point calldata authSig,
        uint8 quorumNumber
    ) external payable;

    /// @notice What a key signs to authorize `prover` for `data` in quorum `quorumNumber`: keccak256(abi.encode(
    ///         LIVENESS_AUTHORIZATION_V4_TYPEHASH, block.chainid, address(this), prover, keccak256(abi.encode(data)),
    ///         quorumNumber)).
    function livenessAuthorizationDigestV4(ReportDataV2 calldata data, address prover, uint8 quorumNumber)
        external
        view
        returns (bytes32);

    /// @notice Sets quorum `quorumNumber`'s TEE type (0 NONE removes the policy, 1 INTEL_SGX, 5 INTEL_TDX) and
    ///         accepted TCB statuses (bits 0-5). A changed type starts a new epoch, which voids the quorum's
    ///         proofs at once. Owner only; emits QuorumPolicySet.
    function setQuorumPolicy(uint8 quorumNumber, uint8 teeType, uint16 acceptedTcbStatuses) external;

    /// @notice Allows or disallows SGX MRENCLAVE `mrEnclave` in quorum `quorumNumber`; disallowing voids the
    ///         proofs accepted by it at once. Owner only; emits QuorumMrEnclaveSet.
    function setQuorumMrEnclave(uint8 quorumNumber, bytes32 mrEnclave, bool allowed) external;

    /// @notice Allows SGX enclaves of (`mrSigner`, `isvProdId`) with ISVSVN >= `minIsvSvn` in quorum
    ///         `quorumNumber` (or not); proofs accepted by the rule that no longer satisfy it are void at once.
    ///         Owner only; emits QuorumSgxSignerSet.
    function setQuorumSgxSigner(uint8 quorumNumber, bytes32 mrSigner, uint16 isvProdId, bool allowed, uint16 minIsvSvn)
        external;

    /// @notice Allows or disallows TDX workload identity `tdIdentity` (tdIdentityHash) in quorum `quorumNumber`;
    ///         disallowing voids the proofs accepted by it at once. Owner only; emits QuorumTdIdentitySet.
    function setQuorumTdIdentity(uint8 quorumNumber, bytes32 tdIdentity, bool allowed) external;

    /// @notice Refuses submitLivenessProofV3 and voids its proofs (`required`), or not (the default). Owner only;
    ///         emits QuorumPolicyRequiredSet.
    function setQuorumPolicyRequired(bool required) external;

    /// @notice A TDX workload identity: keccak256(mrTd ‖ rtmrs ‖ mrConfigId), mrTd and mrConfigId 48 bytes,
    ///         rtmrs = RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3 (192 bytes).
    function tdIdentityHash(bytes calldata mrTd, bytes calldata rtmrs, bytes calldata mrConfigId)
        external
        pure
        returns (bytes32);

    /// @notice Voids key (x, y)'s liveness proof of submitLivenessProofV4 when its quote (`report`, the one it
    ///         was accepted with), verified again now through the attestation verifier (msg.value its fee), is
    ///         out of its quorum's policy (e.g. newer collateral gives a TCB status the quorum refuses). Anyone
    ///         may call; reverts (nothing voided) when the verifier refuses the quote or it is still in policy.
    ///         Emits LivenessProofInvalidated.
    function invalidateLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata report) external payable;

    /// @notice As verifyLivenessProofV2, and the proof was accepted in quorum `quorumNumber` (submitLivenessProofV4).
    function verifyLivenessProofV3(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey, uint8 quorumNumber)
        external
        view
        returns (bool);

    /// @notice The last accepted liveness proof of the key with hash `pubkeyHash` = keccak256(abi.encode(x, y)):
    ///         its key and the block timestamp of its submission, or time 0 when there is none, it was
    ///         invalidated, or it is out of its quorum's policy (as verifyLivenessProof; upstream's public
    ///         mapping getter, same selector and outputs, so clients reading the time see a revocation too).
    function attestedProvers(bytes32 pubkeyHash) external view returns (Pubkey memory pubkey, uint256 time);

    /// @notice Whether key (x, y) has a liveness proof younger than attestValiditySeconds and, for a proof of
    ///         submitLivenessProofV4, still in its quorum's policy (same type and epoch, TCB status accepted,
    ///         its rule still allowing it); a proof of submitLivenessProofV3 is void while quorumPolicyRequired.
    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) external view returns (bool);

    /// @notice As verifyLivenessProof, and the proof was made by the enclave with address `proverKey`.
    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) external view returns (bool);

    /// @notice Legacy check: verifies quote `data` and compares its 64-byte REPORTDATA with x ‖ y (records nothing).
    function verifyAttestationV2(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata data) external returns (bool);

    /// @notice The fee the DCAP verifier would charge for `rawQuote` (see IAttestationVerifier).
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256);
}
