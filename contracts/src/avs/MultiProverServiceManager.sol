// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";
import {BitmapUtils} from "../libraries/BitmapUtils.sol";
import {BLSSignatureChecker} from "../middleware/BLSSignatureChecker.sol";
import {IAVSDirectory} from "../interfaces/IAVSDirectory.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {ISignatureUtils} from "../interfaces/ISignatureUtils.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {IMultiProverServiceManager} from "../interfaces/IMultiProverServiceManager.sol";
import {MultiProverServiceManagerStorage} from "./MultiProverServiceManagerStorage.sol";

/// @title Multi-Prover AVS service manager (same external interface as Automata's):
///        TEE committees, PoA whitelist, and state confirmation by BLS aggregate signature.
/// @notice Behind a Proxy. Storage (contracts/layout/MultiProverServiceManager.tsv): slots 0-49
///         Initializable and Ownable (both initialisation fields and the owner share slot 0, then the
///         owner's 49-slot gap), 50-99 BLSSignatureChecker, 100-149 Pausable, 150-199
///         MultiProverServiceManagerStorage; each block ends in a gap.
contract MultiProverServiceManager is
    Initializable,
    Ownable,
    BLSSignatureChecker,
    Pausable,
    MultiProverServiceManagerStorage
{
    IAVSDirectory internal immutable _avsDirectory;
    IRegistryCoordinator internal immutable _registryCoordinator;
    IStakeRegistry internal immutable _stakeRegistry;

    constructor(IAVSDirectory __avsDirectory, IRegistryCoordinator __registryCoordinator, IStakeRegistry __stakeRegistry)
        BLSSignatureChecker(__registryCoordinator)
    {
        _avsDirectory = __avsDirectory;
        _registryCoordinator = __registryCoordinator;
        _stakeRegistry = __stakeRegistry;
        _disableInitializers();
    }

    /// @notice Sets the pauser registry and paused bits, the owner and the three roles (each not zero,
    ///         each emitting its *Updated event) and the PoA switch. Once, through the proxy.
    function initialize(
        IPauserRegistry _pauserRegistry,
        uint256 _initialPausedStatus,
        address _initialOwner,
        address _stateConfirmer,
        address _poaManager,
        address _committeeManager,
        bool _poaEnabled
    ) public initializer {
        _initializePauser(_pauserRegistry, _initialPausedStatus);
        _transferOwnership(_initialOwner);
        _setStateConfirmer(_stateConfirmer);
        _setPoAManager(_poaManager);
        _setCommitteeManager(_committeeManager);
        poaEnabled = _poaEnabled;
        emit PoAStatusUpdated(_poaEnabled);
    }

    modifier onlyRegistryCoordinator() {
        if (msg.sender != address(_registryCoordinator)) revert OnlyRegistryCoordinator();
        _;
    }

    modifier onlyStateConfirmer() {
        if (msg.sender != stateConfirmer) revert NoPermission();
        _;
    }

    modifier onlyPoAManager() {
        if (msg.sender != poaManager) revert NoPermission();
        _;
    }

    modifier onlyCommitteeManager() {
        if (msg.sender != committeeManager) revert NoPermission();
        _;
    }

    // ---- state confirmation ----

    /// @inheritdoc IMultiProverServiceManager
    function confirmState(StateHeader calldata stateHeader, NonSignerStakesAndSignature memory nonSignerStakesAndSignature)
        external
    {
        _confirm(stateHeader, 0, false, nonSignerStakesAndSignature);
    }

    /// @inheritdoc IMultiProverServiceManager
    function confirmStateWithSequence(
        StateHeader calldata stateHeader,
        uint256 sequence,
        NonSignerStakesAndSignature memory nonSignerStakesAndSignature
    ) external {
        _confirm(stateHeader, sequence, true, nonSignerStakesAndSignature);
    }

    /// @dev Both entry points: not while PAUSED_SUBMIT_STATE is paused, state confirmer only, from an EOA.
    function _confirm(StateHeader calldata stateHeader, uint256 given, bool hasGiven, NonSignerStakesAndSignature memory params)
        internal
        onlyWhenNotPaused(PAUSED_SUBMIT_STATE)
        onlyStateConfirmer
    {
        uint256 sequence = _sequenceOf(stateHeader, given, hasGiven);
        if (tx.origin != msg.sender) revert InvalidSender();
        _checkQuorums(stateHeader);
        bytes32 metadataHash = keccak256(stateHeader.metadata);
        if (_confirmedStates[stateHeader.committeeId][metadataHash].blockNumber != 0) revert StateAlreadyConfirmed();
        bytes32 signatoryRecordHash = _checkStake(stateHeader, params);
        uint32 id = taskId;
        taskIdToMetadataHash[id] = keccak256(abi.encodePacked(_hashStateHeader(stateHeader), signatoryRecordHash, uint32(block.number)));
        taskId = id + 1;
        emit StateConfirmed(stateHeader.committeeId, stateHeader.metadata, stateHeader.state);
        _record(stateHeader, metadataHash, id, sequence);
    }

    /// @dev Quorums and thresholds of equal length; the header's quorums exactly the committee's (each bound to
    ///      it, none twice, as many as it has), each threshold at least the quorum's minimum.
    function _checkQuorums(StateHeader calldata h) internal view {
        uint256 cid = h.committeeId;
        if (h.quorumNumbers.length != h.quorumThresholdPercentages.length) revert InvalidQuorumParam();
        if (committees[cid].id == 0) revert CommitteeNotExist();
        if (h.quorumNumbers.length != committees[cid].teeQuorumNumbers.length) revert QuorumsMismatch();
        uint256 seen;
        for (uint256 i = 0; i < h.quorumNumbers.length; i++) {
            uint8 q = uint8(h.quorumNumbers[i]);
            if (quorumIdToCommitteeId[q] != cid) revert InvalidQuorum();
            if (seen & (uint256(1) << q) != 0) revert QuorumsMismatch();
            seen |= uint256(1) << q;
            uint8 t = uint8(h.quorumThresholdPercentages[i]);
            uint8 m = _minimumThreshold(cid, q);
            if (t < m) revert ThresholdBelowMinimum(q, t, m);
        }
    }

    /// @dev Verifies the aggregate signature; each quorum's signed stake non-zero and at least its threshold.
    function _checkStake(StateHeader calldata h, NonSignerStakesAndSignature memory params) internal view returns (bytes32) {
        bytes32 msgHash = _hashReducedStateHeader(ReducedStateHeader(h.committeeId, h.metadata, h.state, h.referenceBlockNumber));
        (QuorumStakeTotals memory totals, bytes32 signatoryRecordHash) =
            checkSignatures(msgHash, h.quorumNumbers, h.referenceBlockNumber, params);
        for (uint256 i = 0; i < h.quorumNumbers.length; i++) {
            uint256 signed = totals.signedStakeForQuorum[i];
            if (signed == 0
                || signed * THRESHOLD_DENOMINATOR < uint256(totals.totalStakeForQuorum[i]) * uint8(h.quorumThresholdPercentages[i])) {
                revert InsufficientThreshold();
            }
        }
        return signatoryRecordHash;
    }

    /// @dev The sequence of a confirmation by its committee's ordering rule (see IMultiProverServiceManager.Ordering).
    function _sequenceOf(StateHeader calldata h, uint256 given, bool hasGiven) internal view returns (uint256) {
        CommitteeOrdering storage o = committeeOrdering[h.committeeId];
        if (o.ordering == Ordering.CHAIN_BLOCK) {
            if (!hasGiven || h.metadata.length != 32 || bytes32(h.metadata) != keccak256(abi.encodePacked(o.chainId, given))) {
                revert SequenceMismatch();
            }
            return given;
        }
        if (hasGiven) revert SequenceMismatch(); // unordered: a sequence would be unsigned and meaningless
        return 0;
    }

    /// @dev Keeps the confirmed state; it becomes the latest unless the committee is ordered and the latest
    ///      has an equal or higher sequence.
    function _record(StateHeader calldata h, bytes32 metadataHash, uint32 id, uint256 sequence) internal {
        uint256 cid = h.committeeId;
        ConfirmedState storage s = _confirmedStates[cid][metadataHash];
        s.state = h.state;
        s.blockNumber = uint32(block.number);
        s.taskId = id;
        s.referenceBlockNumber = h.referenceBlockNumber;
        s.sequence = sequence;
        bytes32 last = _latestMetadataHash[cid];
        bool latest = last == bytes32(0) || committeeOrdering[cid].ordering == Ordering.NONE
            || sequence > _confirmedStates[cid][last].sequence;
        if (latest) _latestMetadataHash[cid] = metadataHash;
        emit ConfirmedStateRecorded(cid, metadataHash, id, sequence, latest);
    }

    // ---- confirmed states (consumer API) ----

    /// @inheritdoc IMultiProverServiceManager
    function getConfirmedState(uint256 committeeId, bytes calldata metadata) external view returns (ConfirmedState memory) {
        return _confirmedStates[committeeId][keccak256(metadata)];
    }

    /// @inheritdoc IMultiProverServiceManager
    function latestConfirmedState(uint256 committeeId) external view returns (bytes32 metadataHash, ConfirmedState memory) {
        metadataHash = _latestMetadataHash[committeeId];
        return (metadataHash, _confirmedStates[committeeId][metadataHash]);
    }

    // ---- thresholds and ordering ----

    /// @inheritdoc IMultiProverServiceManager
    function setMinimumThreshold(uint256 committeeId, uint8 quorumNumber, uint8 percentage) external onlyOwner {
        _requireCommittee(committeeId);
        if (quorumIdToCommitteeId[quorumNumber] != committeeId || percentage == 0 || percentage > THRESHOLD_DENOMINATOR) {
            revert InvalidThreshold();
        }
        emit MinimumThresholdUpdated(committeeId, quorumNumber, _minimumThreshold(committeeId, quorumNumber), percentage);
        _minimumThresholds[committeeId][quorumNumber] = percentage;
    }

    /// @inheritdoc IMultiProverServiceManager
    function minimumThresholdPercentage(uint256 committeeId, uint8 quorumNumber) external view returns (uint8) {
        return _minimumThreshold(committeeId, quorumNumber);
    }

    function _minimumThreshold(uint256 committeeId, uint8 quorumNumber) internal view returns (uint8) {
        uint8 m = _minimumThresholds[committeeId][quorumNumber];
        return m == 0 ? DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE : m;
    }

    /// @inheritdoc IMultiProverServiceManager
    function setCommitteeOrdering(uint256 committeeId, Ordering ordering, uint256 chainId) external onlyOwner {
        _requireCommittee(committeeId);
        committeeOrdering[committeeId] = CommitteeOrdering(ordering, chainId);
        emit CommitteeOrderingUpdated(committeeId, ordering, chainId);
    }

    function _hashStateHeader(StateHeader calldata h) internal pure returns (bytes32) {
        return keccak256(abi.encode(h));
    }

    /// @inheritdoc IMultiProverServiceManager
    function _hashReducedStateHeader(ReducedStateHeader memory reducedStateHeader) public pure returns (bytes32) {
        return keccak256(abi.encode(reducedStateHeader));
    }

    // ---- committees and TEE quorums ----

    /// @inheritdoc IMultiProverServiceManager
    function addCommittee(Committee memory committee) external onlyCommitteeManager {
        if (committee.id == 0) revert ZeroId();
        if (committees[committee.id].id != 0) revert CommitteeExist();
        _bindCommittee(committee);
    }

    /// @inheritdoc IMultiProverServiceManager
    function updateCommittee(Committee memory committee) external onlyCommitteeManager {
        _requireCommittee(committee.id);
        bytes memory old = committees[committee.id].teeQuorumNumbers;
        _removeCommittee(committee.id);
        _bindCommittee(committee);
        // quorums the committee no longer has lose their minimum; the ones it keeps keep theirs
        for (uint256 i = 0; i < old.length; i++) {
            if (quorumIdToCommitteeId[uint8(old[i])] != committee.id) delete _minimumThresholds[committee.id][uint8(old[i])];
        }
    }

    /// @inheritdoc IMultiProverServiceManager
    function removeCommittee(uint256 committeeId) external onlyCommitteeManager {
        _requireCommittee(committeeId);
        bytes memory qs = committees[committeeId].teeQuorumNumbers;
        for (uint256 i = 0; i < qs.length; i++) delete _minimumThresholds[committeeId][uint8(qs[i])];
        _removeCommittee(committeeId);
        emit CommitteeRemoved(committeeId);
    }

    function _requireCommittee(uint256 committeeId) internal view {
        if (committees[committeeId].id == 0 || committeeId == 0) revert CommitteeNotExist();
    }

    function _bindCommittee(Committee memory committee) internal {
        for (uint256 i = 0; i < committee.teeQuorumNumbers.length; i++) {
            uint8 q = uint8(committee.teeQuorumNumbers[i]);
            if (teeQuorums[q].teeType == TEE.NONE) revert TEEQuorumNotExist();
            if (quorumIdToCommitteeId[q] != 0) revert TEEQuorumUsed();
            quorumIdToCommitteeId[q] = committee.id;
        }
        committees[committee.id] = committee;
        emit CommitteeUpdated(committee.id, committee.description, committee.metadata, committee.teeQuorumNumbers);
        for (uint256 i = 0; i < committee.teeQuorumNumbers.length; i++) {
            uint8 q = uint8(committee.teeQuorumNumbers[i]);
            if (_minimumThresholds[committee.id][q] == 0) {
                _minimumThresholds[committee.id][q] = DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE;
                emit MinimumThresholdUpdated(committee.id, q, 0, DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE);
            }
        }
    }

    function _removeCommittee(uint256 committeeId) internal {
        bytes memory qs = committees[committeeId].teeQuorumNumbers;
        for (uint256 i = 0; i < qs.length; i++) delete quorumIdToCommitteeId[uint8(qs[i])];
        delete committees[committeeId];
    }

    /// @inheritdoc IMultiProverServiceManager
    function addTEEQuorum(TEEQuorum memory teeQuorum) external onlyCommitteeManager {
        if (teeQuorums[teeQuorum.quorumNumber].teeType != TEE.NONE) revert TEEQuorumExist();
        if (teeQuorum.teeType == TEE.NONE) revert InvalidQuorumParam();
        if (_stakeRegistry.getTotalStakeHistoryLength(teeQuorum.quorumNumber) == 0) revert QuorumNotInitialized();
        teeQuorums[teeQuorum.quorumNumber] = teeQuorum;
        emit TEEQuorumAdded(teeQuorum.quorumNumber, teeQuorum.teeType);
    }

    /// @inheritdoc IMultiProverServiceManager
    function removeTEEQuorum(uint8 quorumNumber) external onlyCommitteeManager {
        if (teeQuorums[quorumNumber].teeType == TEE.NONE) revert TEEQuorumNotExist();
        if (quorumIdToCommitteeId[quorumNumber] != 0) revert TEEQuorumUsed();
        delete teeQuorums[quorumNumber];
        emit TEEQuorumRemoved(quorumNumber);
    }

    // ---- roles ----

    /// @inheritdoc IMultiProverServiceManager
    function setStateConfirmer(address confirmer) external onlyOwner {
        _setStateConfirmer(confirmer);
    }

    /// @inheritdoc IMultiProverServiceManager
    function setPoAManager(address manager) external onlyOwner {
        _setPoAManager(manager);
    }

    /// @inheritdoc IMultiProverServiceManager
    function setCommitteeManager(address manager) external onlyOwner {
        _setCommitteeManager(manager);
    }

    function _setStateConfirmer(address a) internal {
        if (a == address(0)) revert ZeroAddr();
        emit StateConfirmerUpdated(stateConfirmer, a);
        stateConfirmer = a;
    }

    function _setPoAManager(address a) internal {
        if (a == address(0)) revert ZeroAddr();
        emit PoAManagerUpdated(poaManager, a);
        poaManager = a;
    }

    function _setCommitteeManager(address a) internal {
        if (a == address(0)) revert ZeroAddr();
        emit CommitteeManagerUpdated(committeeManager, a);
        committeeManager = a;
    }

    // ---- proof of authority ----

    /// @inheritdoc IMultiProverServiceManager
    function enablePoA() external onlyPoAManager {
        poaEnabled = true;
        emit PoAStatusUpdated(true);
    }

    /// @inheritdoc IMultiProverServiceManager
    function disablePoA() external onlyPoAManager {
        poaEnabled = false;
        emit PoAStatusUpdated(false);
    }

    /// @inheritdoc IMultiProverServiceManager
    function whitelistOperator(address operator) external onlyPoAManager {
        _setWhitelisted(operator, true);
    }

    /// @inheritdoc IMultiProverServiceManager
    function blacklistOperator(address operator) external onlyPoAManager {
        _setWhitelisted(operator, false);
    }

    function _setWhitelisted(address operator, bool whitelisted) internal {
        if (operator == address(0)) revert ZeroAddr();
        operatorWhitelist[operator] = whitelisted;
        emit OperatorWhitelistUpdated(operator, whitelisted);
    }

    /// @inheritdoc IMultiProverServiceManager
    function isPoAEnabled() external view returns (bool) {
        return poaEnabled;
    }

    /// @inheritdoc IMultiProverServiceManager
    function isOperatorWhitelisted(address operator) external view returns (bool) {
        return operatorWhitelist[operator];
    }

    // ---- ServiceManagerBase ----

    /// @notice Registers `operator` with the AVSDirectory (its signature checked there); refused when PoA
    ///         is on and the operator is not whitelisted. RegistryCoordinator only; not while paused (bit 1).
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory operatorSignature)
        external
        onlyWhenNotPaused(PAUSED_OPERTOR_REGISTRATION)
        onlyRegistryCoordinator
    {
        if (poaEnabled && !operatorWhitelist[operator]) revert NotWhitelisted();
        _avsDirectory.registerOperatorToAVS(operator, operatorSignature);
    }

    /// @notice Deregisters `operator` from the AVSDirectory. RegistryCoordinator only; not while paused (bit 1).
    function deregisterOperatorFromAVS(address operator)
        external
        onlyWhenNotPaused(PAUSED_OPERTOR_REGISTRATION)
        onlyRegistryCoordinator
    {
        _avsDirectory.deregisterOperatorFromAVS(operator);
    }

    /// @inheritdoc IMultiProverServiceManager
    function updateAVSMetadataURI(string memory metadataURI) external onlyOwner {
        _avsDirectory.updateAVSMetadataURI(metadataURI);
    }

    /// @inheritdoc IMultiProverServiceManager
    function avsDirectory() external view returns (address) {
        return address(_avsDirectory);
    }

    /// @inheritdoc IMultiProverServiceManager
    function getRestakeableStrategies() external view returns (address[] memory) {
        uint8 n = _registryCoordinator.quorumCount();
        return _strategiesOfQuorums(n == 0 ? 0 : (uint256(1) << n) - 1);
    }

    /// @inheritdoc IMultiProverServiceManager
    function getOperatorRestakedStrategies(address operator) external view returns (address[] memory) {
        bytes32 id = _registryCoordinator.blsApkRegistry().getOperatorId(operator);
        return _strategiesOfQuorums(_registryCoordinator.getCurrentQuorumBitmap(id));
    }

    function _strategiesOfQuorums(uint256 bitmap) internal view returns (address[] memory out) {
        bytes memory qs = BitmapUtils.bitmapToBytesArray(bitmap);
        uint256 total;
        for (uint256 i = 0; i < qs.length; i++) total += _stakeRegistry.strategyParamsLength(uint8(qs[i]));
        out = new address[](total);
        uint256 k;
        for (uint256 i = 0; i < qs.length; i++) {
            uint256 len = _stakeRegistry.strategyParamsLength(uint8(qs[i]));
            for (uint256 j = 0; j < len; j++) {
                out[k++] = address(_stakeRegistry.strategyParamsByIndex(uint8(qs[i]), j).strategy);
            }
        }
    }
}
