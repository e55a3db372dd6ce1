// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IServiceManager} from "./IServiceManager.sol";
import {IBLSSignatureChecker} from "./IBLSSignatureChecker.sol";

/// @title Multi-Prover AVS service manager: TEE committees, a PoA whitelist and state confirmation by
///        BLS aggregate signature (the external interface of Automata's MultiProverServiceManager,
///        plus events for every committee, TEE-quorum, PoA and whitelist change).
interface IMultiProverServiceManager is IServiceManager {
    /// @notice TEE type of a quorum (uint8 in the ABI). Values are never renumbered: a type is only
    ///         appended (INTEL_TDX = 5, mpavs).
    enum TEE {
        NONE,
        INTEL_SGX,
        AWS_NITRO,
        AMD_SEV,
        ARM_TRUSTZONE,
        INTEL_TDX
    }

    /// @notice A restaking quorum whose operators run provers of one TEE type.
    struct TEEQuorum {
        TEE teeType;
        uint8 quorumNumber;
    }

    /// @notice A committee: the TEE quorums (one byte each) that confirm one kind of state; its id is
    ///         the task type the off-chain parts use.
    struct Committee {
        uint256 id;
        string description;
        bytes metadata;
        bytes teeQuorumNumbers;
    }

    /// @notice What the aggregator confirms: a committee's state for some metadata (e.g. a block), with
    ///         the quorums and per-quorum thresholds (percent) the signatures must reach.
    struct StateHeader {
        uint256 committeeId;
        bytes metadata;
        bytes state;
        bytes quorumNumbers;
        bytes quorumThresholdPercentages;
        uint32 referenceBlockNumber;
    }

    /// @notice The part of a StateHeader operators sign (quorums and thresholds left out).
    struct ReducedStateHeader {
        uint256 committeeId;
        bytes metadata;
        bytes state;
        uint32 referenceBlockNumber;
    }

    /// @notice How a committee orders its confirmations, i.e. which one latestConfirmedState returns (mpavs).
    ///         NONE: the most recently confirmed one (may go backwards). CHAIN_BLOCK: the one with the
    ///         highest block number N of a type-3 committee, whose metadata is
    ///         keccak256(abi.encodePacked(uint256 chainId, uint256 N)); N is passed to
    ///         confirmStateWithSequence and checked against the (signed) metadata. Values are appended only.
    enum Ordering {
        NONE,
        CHAIN_BLOCK
    }

    /// @notice A committee's ordering rule and, for CHAIN_BLOCK, the proven chain's id (mpavs).
    struct CommitteeOrdering {
        Ordering ordering;
        uint256 chainId;
    }

    /// @notice A confirmed state as the contract keeps it per (committee, keccak256(metadata)) (mpavs).
    ///         blockNumber 0: nothing confirmed for that metadata.
    struct ConfirmedState {
        bytes state;
        uint32 blockNumber;
        uint32 taskId;
        uint32 referenceBlockNumber;
        uint256 sequence;
    }

    /// @notice A state was confirmed for `committeeId` (emitted once per confirmState).
    event StateConfirmed(uint256 indexed committeeId, bytes metadata, bytes state);
    /// @notice The account allowed to call confirmState changed.
    event StateConfirmerUpdated(address previousConfirmer, address currentConfirmer);
    /// @notice The account managing the PoA whitelist changed.
    event PoAManagerUpdated(address previousPoaManager, address currentPoaManager);
    /// @notice The account managing committees and TEE quorums changed.
    event CommitteeManagerUpdated(address previousCommitteeManager, address currentCommitteeManager);
    /// @notice The PoA whitelist was switched on (`enabled`) or off.
    event PoAStatusUpdated(bool enabled);
    /// @notice `operator` was whitelisted (`whitelisted`) or taken off the whitelist.
    event OperatorWhitelistUpdated(address indexed operator, bool whitelisted);
    /// @notice Committee `committeeId` was added or replaced (updateCommittee) with these fields.
    event CommitteeUpdated(uint256 indexed committeeId, string description, bytes metadata, bytes teeQuorumNumbers);
    /// @notice Committee `committeeId` was removed and its quorums unbound.
    event CommitteeRemoved(uint256 indexed committeeId);
    /// @notice Quorum `quorumNumber` became a TEE quorum of `teeType`.
    event TEEQuorumAdded(uint8 indexed quorumNumber, TEE teeType);
    /// @notice Quorum `quorumNumber` is no longer a TEE quorum.
    event TEEQuorumRemoved(uint8 indexed quorumNumber);

    /// @notice The owner set the minimum threshold (percent of the quorum's stake) that confirmState
    ///         accepts for `quorumNumber` of committee `committeeId`; also emitted with the default when
    ///         a committee binds a quorum that has none (mpavs).
    event MinimumThresholdUpdated(uint256 indexed committeeId, uint8 indexed quorumNumber, uint8 previousPercentage, uint8 currentPercentage);
    /// @notice The owner set committee `committeeId`'s ordering rule (mpavs).
    event CommitteeOrderingUpdated(uint256 indexed committeeId, Ordering ordering, uint256 chainId);
    /// @notice A confirmed state was recorded for (committeeId, metadataHash = keccak256(metadata)) as task
    ///         `taskId` with its sequence (0 under Ordering.NONE); `latest`: it is now latestConfirmedState.
    ///         Emitted right after StateConfirmed, which carries the metadata and state (mpavs).
    event ConfirmedStateRecorded(
        uint256 indexed committeeId, bytes32 indexed metadataHash, uint32 indexed taskId, uint256 sequence, bool latest
    );

    /// @notice The caller lacks the role the function needs (state confirmer, PoA manager, committee manager).
    error NoPermission();
    /// @notice PoA is on and the registering operator is not whitelisted.
    error NotWhitelisted();
    /// @notice confirmState was called by a contract (tx.origin != msg.sender).
    error InvalidSender();
    /// @notice Quorum numbers and thresholds differ in length, or a TEE quorum of type NONE.
    error InvalidQuorumParam();
    /// @notice A quorum of the header is not bound to the header's committee.
    error InvalidQuorum();
    /// @notice A quorum's signed stake is below its threshold.
    error InsufficientThreshold();
    /// @notice A role or operator address is zero.
    error ZeroAddr();
    /// @notice A committee id is zero.
    error ZeroId();
    /// @notice No committee with that id.
    error CommitteeNotExist();
    /// @notice A committee with that id exists already.
    error CommitteeExist();
    /// @notice The quorum is not a TEE quorum.
    error TEEQuorumNotExist();
    /// @notice The quorum is a TEE quorum already.
    error TEEQuorumExist();
    /// @notice The TEE quorum is bound to a committee.
    error TEEQuorumUsed();
    /// @notice The restaking quorum has no stake history (not created in the StakeRegistry).
    error QuorumNotInitialized();
    /// @notice The header's quorums are not exactly the committee's (one missing or one twice) (mpavs).
    error QuorumsMismatch();
    /// @notice The header's threshold for `quorumNumber` is below the stored minimum (mpavs).
    error ThresholdBelowMinimum(uint8 quorumNumber, uint8 threshold, uint8 minimum);
    /// @notice A minimum threshold outside 1..100, or for a quorum not bound to the committee (mpavs).
    error InvalidThreshold();
    /// @notice A state was confirmed already for this (committee, metadata) (mpavs).
    error StateAlreadyConfirmed();
    /// @notice The sequence does not follow the committee's ordering rule: missing or not the metadata's block
    ///         under CHAIN_BLOCK, or given under NONE (mpavs).
    error SequenceMismatch();
    /// @notice registerOperatorToAVS / deregisterOperatorFromAVS from another caller than the RegistryCoordinator.
    error OnlyRegistryCoordinator();

    /// @notice Confirms `stateHeader`: checks its quorums are exactly its committee's, each threshold at least
    ///         the stored minimum, and that nothing was confirmed for (committee, metadata) yet; verifies the
    ///         aggregate BLS signature over keccak256(abi.encode(ReducedStateHeader)) at the reference block,
    ///         checks each quorum's signed stake is non-zero and reaches its threshold, records the task and the
    ///         state and emits StateConfirmed then ConfirmedStateRecorded. State confirmer only (an EOA); not
    ///         while PAUSED_SUBMIT_STATE is paused; a CHAIN_BLOCK committee needs confirmStateWithSequence.
    function confirmState(
        StateHeader calldata stateHeader,
        IBLSSignatureChecker.NonSignerStakesAndSignature memory nonSignerStakesAndSignature
    ) external;

    /// @notice confirmState with the sequence (block number N) of a CHAIN_BLOCK committee, checked against the
    ///         signed metadata = keccak256(abi.encodePacked(chainId, N)). Same checks, roles and pause bit as
    ///         confirmState (mpavs).
    function confirmStateWithSequence(
        StateHeader calldata stateHeader,
        uint256 sequence,
        IBLSSignatureChecker.NonSignerStakesAndSignature memory nonSignerStakesAndSignature
    ) external;

    /// @notice Sets the minimum threshold percentage (1..100) confirmState accepts for quorum `quorumNumber` of
    ///         committee `committeeId` (the quorum bound to it). Owner only; emits MinimumThresholdUpdated (mpavs).
    function setMinimumThreshold(uint256 committeeId, uint8 quorumNumber, uint8 percentage) external;

    /// @notice The minimum threshold percentage confirmState accepts for a quorum of a committee (the default,
    ///         DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE, where none was stored) (mpavs).
    function minimumThresholdPercentage(uint256 committeeId, uint8 quorumNumber) external view returns (uint8);

    /// @notice Sets committee `committeeId`'s ordering rule (chainId used by CHAIN_BLOCK only). Applies to later
    ///         confirmations. Owner only; emits CommitteeOrderingUpdated (mpavs).
    function setCommitteeOrdering(uint256 committeeId, Ordering ordering, uint256 chainId) external;

    /// @notice The state confirmed for (committeeId, metadata); blockNumber 0 when none (mpavs).
    function getConfirmedState(uint256 committeeId, bytes calldata metadata) external view returns (ConfirmedState memory);

    /// @notice The latest confirmed state of committee `committeeId` by its ordering rule, and its metadata hash
    ///         (0 and an empty record when none) (mpavs).
    function latestConfirmedState(uint256 committeeId) external view returns (bytes32 metadataHash, ConfirmedState memory);

    /// @notice The BLS message operators sign for a header: keccak256(abi.encode(reducedStateHeader)).
    function _hashReducedStateHeader(ReducedStateHeader memory reducedStateHeader) external pure returns (bytes32);

    /// @notice Adds `committee` (id not zero, not existing) and binds its TEE quorums to it (each an unbound
    ///         TEE quorum). Committee manager only; emits CommitteeUpdated.
    function addCommittee(Committee memory committee) external;

    /// @notice Replaces an existing committee: unbinds its old quorums, then binds as addCommittee.
    ///         Committee manager only; emits CommitteeUpdated.
    function updateCommittee(Committee memory committee) external;

    /// @notice Removes committee `committeeId` and unbinds its quorums. Committee manager only; emits CommitteeRemoved.
    function removeCommittee(uint256 committeeId) external;

    /// @notice Declares an initialised restaking quorum a TEE quorum (type not NONE, not declared yet).
    ///         Committee manager only; emits TEEQuorumAdded.
    function addTEEQuorum(TEEQuorum memory teeQuorum) external;

    /// @notice Removes a TEE quorum that no committee uses. Committee manager only; emits TEEQuorumRemoved.
    function removeTEEQuorum(uint8 quorumNumber) external;

    /// @notice Sets the state confirmer (not zero). Owner only; emits StateConfirmerUpdated.
    function setStateConfirmer(address confirmer) external;

    /// @notice Sets the PoA manager (not zero). Owner only; emits PoAManagerUpdated.
    function setPoAManager(address manager) external;

    /// @notice Sets the committee manager (not zero). Owner only; emits CommitteeManagerUpdated.
    function setCommitteeManager(address manager) external;

    /// @notice Turns the PoA whitelist on: only whitelisted operators may register. PoA manager only; emits PoAStatusUpdated.
    function enablePoA() external;

    /// @notice Turns the PoA whitelist off. PoA manager only; emits PoAStatusUpdated.
    function disablePoA() external;

    /// @notice Whitelists `operator` (not zero). PoA manager only; emits OperatorWhitelistUpdated.
    function whitelistOperator(address operator) external;

    /// @notice Takes `operator` (not zero) off the whitelist; it stays registered until deregistered or ejected.
    ///         PoA manager only; emits OperatorWhitelistUpdated.
    function blacklistOperator(address operator) external;

    /// @notice Whether the PoA whitelist is on.
    function isPoAEnabled() external view returns (bool);

    /// @notice Whether `operator` is whitelisted.
    function isOperatorWhitelisted(address operator) external view returns (bool);

    /// @notice Forwards the AVS metadata URI to the AVSDirectory (which emits AVSMetadataURIUpdated). Owner only.
    function updateAVSMetadataURI(string memory metadataURI) external;

    /// @notice The EigenLayer AVSDirectory this AVS registers operators with.
    function avsDirectory() external view returns (address);

    /// @notice Every strategy of every quorum (EigenLayer ServiceManagerBase).
    function getRestakeableStrategies() external view returns (address[] memory);

    /// @notice The strategies of the quorums `operator` is registered in (EigenLayer ServiceManagerBase).
    function getOperatorRestakedStrategies(address operator) external view returns (address[] memory);
}
