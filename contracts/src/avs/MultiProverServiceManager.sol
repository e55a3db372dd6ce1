// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";
import {BitmapUtils} from "../libraries/BitmapUtils.sol";
import {BLSSignatureChecker} from "../middleware/BLSSignatureChecker.sol";
import {
    IAVSDirectory, IRegistryCoordinator, IStakeRegistry, IStrategy, ISignatureUtils, IServiceManager
} from "../interfaces/IEigen.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../utils/PauserRegistry.sol";

/// @title Multi-Prover AVS service manager (same external interface as Automata's):
///        TEE committees, PoA whitelist, and state confirmation by BLS aggregate signature.
contract MultiProverServiceManager is Initializable, Ownable, BLSSignatureChecker, Pausable, IServiceManager {
    enum TEE {
        NONE,
        INTEL_SGX,
        AWS_NITRO,
        AMD_SEV,
        ARM_TRUSTZONE
    }

    struct TEEQuorum {
        TEE teeType;
        uint8 quorumNumber;
    }

    struct Committee {
        uint256 id;
        string description;
        bytes metadata;
        bytes teeQuorumNumbers;
    }

    struct StateHeader {
        uint256 committeeId;
        bytes metadata;
        bytes state;
        bytes quorumNumbers;
        bytes quorumThresholdPercentages;
        uint32 referenceBlockNumber;
    }

    struct ReducedStateHeader {
        uint256 committeeId;
        bytes metadata;
        bytes state;
        uint32 referenceBlockNumber;
    }

    uint8 public constant PAUSED_SUBMIT_STATE = 0;
    uint8 public constant PAUSED_OPERTOR_REGISTRATION = 1;
    uint256 public constant THRESHOLD_DENOMINATOR = 100;

    IAVSDirectory internal immutable _avsDirectory;
    IRegistryCoordinator internal immutable _registryCoordinator;
    IStakeRegistry internal immutable _stakeRegistry;

    uint32 public taskId;
    mapping(uint32 => bytes32) public taskIdToMetadataHash;
    mapping(uint256 => Committee) public committees;
    mapping(uint8 => TEEQuorum) public teeQuorums;
    mapping(uint8 => uint256) public quorumIdToCommitteeId;
    address public stateConfirmer;
    address public poaManager;
    address public committeeManager;
    mapping(address => bool) internal operatorWhitelist;
    bool public poaEnabled;

    event StateConfirmed(uint256 indexed committeeId, bytes metadata, bytes state);
    event StateConfirmerUpdated(address previousConfirmer, address currentConfirmer);
    event PoAManagerUpdated(address previousPoaManager, address currentPoaManager);
    event CommitteeManagerUpdated(address previousCommitteeManager, address currentCommitteeManager);

    error NoPermission();
    error NotWhitelisted();
    error InvalidSender();
    error InvalidQuorumParam();
    error InvalidQuorum();
    error InsufficientThreshold();
    error ZeroAddr();
    error ZeroId();
    error CommitteeNotExist();
    error CommitteeExist();
    error TEEQuorumNotExist();
    error TEEQuorumExist();
    error TEEQuorumUsed();
    error QuorumNotInitialized();

    constructor(IAVSDirectory __avsDirectory, IRegistryCoordinator __registryCoordinator, IStakeRegistry __stakeRegistry)
        BLSSignatureChecker(__registryCoordinator)
    {
        _avsDirectory = __avsDirectory;
        _registryCoordinator = __registryCoordinator;
        _stakeRegistry = __stakeRegistry;
        _disableInitializers();
    }

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
    }

    modifier onlyRegistryCoordinator() {
        require(msg.sender == address(_registryCoordinator), "ServiceManagerBase.onlyRegistryCoordinator: caller is not the registry coordinator");
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

    function confirmState(StateHeader calldata stateHeader, NonSignerStakesAndSignature memory nonSignerStakesAndSignature)
        external
        onlyWhenNotPaused(PAUSED_SUBMIT_STATE)
        onlyStateConfirmer
    {
        if (tx.origin != msg.sender) revert InvalidSender();
        if (stateHeader.quorumNumbers.length != stateHeader.quorumThresholdPercentages.length) revert InvalidQuorumParam();
        if (committees[stateHeader.committeeId].id == 0) revert CommitteeNotExist();
        for (uint256 i = 0; i < stateHeader.quorumNumbers.length; i++) {
            if (quorumIdToCommitteeId[uint8(stateHeader.quorumNumbers[i])] != stateHeader.committeeId) revert InvalidQuorum();
        }
        bytes32 msgHash = _hashReducedStateHeader(ReducedStateHeader(
            stateHeader.committeeId, stateHeader.metadata, stateHeader.state, stateHeader.referenceBlockNumber
        ));
        (QuorumStakeTotals memory totals, bytes32 signatoryRecordHash) = checkSignatures(
            msgHash, stateHeader.quorumNumbers, stateHeader.referenceBlockNumber, nonSignerStakesAndSignature
        );
        for (uint256 i = 0; i < stateHeader.quorumNumbers.length; i++) {
            if (uint256(totals.signedStakeForQuorum[i]) * THRESHOLD_DENOMINATOR
                < uint256(totals.totalStakeForQuorum[i]) * uint8(stateHeader.quorumThresholdPercentages[i])) {
                revert InsufficientThreshold();
            }
        }
        uint32 id = taskId;
        taskIdToMetadataHash[id] = keccak256(abi.encodePacked(_hashStateHeader(stateHeader), signatoryRecordHash, uint32(block.number)));
        taskId = id + 1;
        emit StateConfirmed(stateHeader.committeeId, stateHeader.metadata, stateHeader.state);
    }

    function _hashStateHeader(StateHeader calldata h) internal pure returns (bytes32) {
        return keccak256(abi.encode(h));
    }

    /// @notice The BLS message operators sign: keccak256(abi.encode(reducedStateHeader)).
    function _hashReducedStateHeader(ReducedStateHeader memory reducedStateHeader) public pure returns (bytes32) {
        return keccak256(abi.encode(reducedStateHeader));
    }

    // ---- committees and TEE quorums ----

    function addCommittee(Committee memory committee) external onlyCommitteeManager {
        if (committee.id == 0) revert ZeroId();
        if (committees[committee.id].id != 0) revert CommitteeExist();
        _bindCommittee(committee);
    }

    function updateCommittee(Committee memory committee) external onlyCommitteeManager {
        if (committees[committee.id].id == 0 || committee.id == 0) revert CommitteeNotExist();
        _removeCommittee(committee.id);
        _bindCommittee(committee);
    }

    function removeCommittee(uint256 committeeId) external onlyCommitteeManager {
        if (committees[committeeId].id == 0 || committeeId == 0) revert CommitteeNotExist();
        _removeCommittee(committeeId);
    }

    function _bindCommittee(Committee memory committee) internal {
        for (uint256 i = 0; i < committee.teeQuorumNumbers.length; i++) {
            uint8 q = uint8(committee.teeQuorumNumbers[i]);
            if (teeQuorums[q].teeType == TEE.NONE) revert TEEQuorumNotExist();
            if (quorumIdToCommitteeId[q] != 0) revert TEEQuorumUsed();
            quorumIdToCommitteeId[q] = committee.id;
        }
        committees[committee.id] = committee;
    }

    function _removeCommittee(uint256 committeeId) internal {
        bytes memory qs = committees[committeeId].teeQuorumNumbers;
        for (uint256 i = 0; i < qs.length; i++) delete quorumIdToCommitteeId[uint8(qs[i])];
        delete committees[committeeId];
    }

    function addTEEQuorum(TEEQuorum memory teeQuorum) external onlyCommitteeManager {
        if (teeQuorums[teeQuorum.quorumNumber].teeType != TEE.NONE) revert TEEQuorumExist();
        if (teeQuorum.teeType == TEE.NONE) revert InvalidQuorumParam();
        if (_stakeRegistry.getTotalStakeHistoryLength(teeQuorum.quorumNumber) == 0) revert QuorumNotInitialized();
        teeQuorums[teeQuorum.quorumNumber] = teeQuorum;
    }

    function removeTEEQuorum(uint8 quorumNumber) external onlyCommitteeManager {
        if (teeQuorums[quorumNumber].teeType == TEE.NONE) revert TEEQuorumNotExist();
        if (quorumIdToCommitteeId[quorumNumber] != 0) revert TEEQuorumUsed();
        delete teeQuorums[quorumNumber];
    }

    // ---- roles ----

    function setStateConfirmer(address confirmer) external onlyOwner {
        _setStateConfirmer(confirmer);
    }

    function setPoAManager(address manager) external onlyOwner {
        _setPoAManager(manager);
    }

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

    function enablePoA() external onlyPoAManager {
        poaEnabled = true;
    }

    function disablePoA() external onlyPoAManager {
        poaEnabled = false;
    }

    function whitelistOperator(address operator) external onlyPoAManager {
        if (operator == address(0)) revert ZeroAddr();
        operatorWhitelist[operator] = true;
    }

    function blacklistOperator(address operator) external onlyPoAManager {
        if (operator == address(0)) revert ZeroAddr();
        operatorWhitelist[operator] = false;
    }

    function isPoAEnabled() external view returns (bool) {
        return poaEnabled;
    }

    function isOperatorWhitelisted(address operator) external view returns (bool) {
        return operatorWhitelist[operator];
    }

    // ---- ServiceManagerBase ----

    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory operatorSignature)
        external
        onlyWhenNotPaused(PAUSED_OPERTOR_REGISTRATION)
        onlyRegistryCoordinator
    {
        if (poaEnabled && !operatorWhitelist[operator]) revert NotWhitelisted();
        _avsDirectory.registerOperatorToAVS(operator, operatorSignature);
    }

    function deregisterOperatorFromAVS(address operator)
        external
        onlyWhenNotPaused(PAUSED_OPERTOR_REGISTRATION)
        onlyRegistryCoordinator
    {
        _avsDirectory.deregisterOperatorFromAVS(operator);
    }

    function updateAVSMetadataURI(string memory metadataURI) external onlyOwner {
        _avsDirectory.updateAVSMetadataURI(metadataURI);
    }

    function avsDirectory() external view returns (address) {
        return address(_avsDirectory);
    }

    function getRestakeableStrategies() external view returns (address[] memory) {
        uint8 n = _registryCoordinator.quorumCount();
        return _strategiesOfQuorums(n == 0 ? 0 : (uint256(1) << n) - 1);
    }

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
