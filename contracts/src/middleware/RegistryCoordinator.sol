// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";
import {BitmapUtils} from "../libraries/BitmapUtils.sol";
import {ISignatureUtils} from "../interfaces/ISignatureUtils.sol";
import {IServiceManager} from "../interfaces/IServiceManager.sol";
import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {IIndexRegistry} from "../interfaces/IIndexRegistry.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {RegistryCoordinatorStorage} from "./RegistryCoordinatorStorage.sol";

/// @title Operator registration across quorums; keeps the quorum bitmap history and drives the
///        BLS, stake and index registries. Churn (registerOperatorWithChurn) is not supported.
contract RegistryCoordinator is Initializable, Ownable, Pausable, RegistryCoordinatorStorage {
    using BitmapUtils for *;

    /// @notice Array arguments that must have one entry each differ in length.
    error InputLengthMismatch();
    /// @notice The caller is not the ejector.
    error OnlyEjector();
    /// @notice The quorum was not created.
    error QuorumDoesNotExist();
    /// @notice Registering would exceed a quorum's maxOperatorCount (churn is not supported).
    error MaxOperatorCountReached();
    /// @notice Quorum numbers that are not ordered, unique and existing.
    error InvalidQuorums();
    /// @notice updateOperatorsForQuorum must list every operator of the quorum.
    error QuorumOperatorCountMismatch();
    /// @notice The operator is not registered for that quorum.
    error NotRegisteredForQuorum();
    /// @notice Operators are not in strictly ascending address order.
    error NotSorted();
    /// @notice The operator is not registered.
    error NotRegistered();
    /// @notice No quorum given.
    error BitmapEmpty();
    /// @notice The operator is registered for one of the quorums already.
    error AlreadyRegisteredForQuorums();
    /// @notice 192 quorums exist already.
    error MaxQuorumsReached();
    /// @notice The operator has no quorum bitmap at that block.
    error BitmapUpdateNotFound();
    /// @notice The bitmap update at that index is younger than the block.
    error BitmapUpdateIsAfterBlockNumber();
    /// @notice A newer bitmap update than the one at that index applies at the block.
    error NextBitmapUpdateIsBeforeBlockNumber();
    /// @notice registerOperatorWithChurn: churn is not modelled by this devnet stack.
    error ChurnNotSupported();


    /// @notice EIP-712 type hash of a churn approval (churn is not supported; kept for interface identity).
    bytes32 public constant OPERATOR_CHURN_APPROVAL_TYPEHASH = keccak256(
        "OperatorChurnApproval(address registeringOperator,bytes32 registeringOperatorId,OperatorKickParam[] operatorKickParams,bytes32 salt,uint256 expiry)OperatorKickParam(uint8 quorumNumber,address operator)"
    );
    /// @notice EIP-712 type hash of the BLS key registration message.
    bytes32 public constant PUBKEY_REGISTRATION_TYPEHASH = keccak256("BN254PubkeyRegistration(address operator)");
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    uint8 internal constant MAX_QUORUM_COUNT = 192;
    uint8 internal constant PAUSED_REGISTER_OPERATOR = 0;
    uint8 internal constant PAUSED_DEREGISTER_OPERATOR = 1;
    uint8 internal constant PAUSED_UPDATE_OPERATOR = 2;

    /// @notice The AVS service manager operators register with.
    IServiceManager public immutable serviceManager;
    /// @notice The StakeRegistry.
    IStakeRegistry public immutable stakeRegistry;
    /// @notice The BLSApkRegistry.
    IBLSApkRegistry public immutable blsApkRegistry;
    /// @notice The IndexRegistry.
    IIndexRegistry public immutable indexRegistry;

    /// @notice An operator registered.
    event OperatorRegistered(address indexed operator, bytes32 indexed operatorId);
    /// @notice `operator` deregistered from every quorum it was in.
    event OperatorDeregistered(address indexed operator, bytes32 indexed operatorId);
    /// @notice A quorum's operator-set parameters changed.
    event OperatorSetParamsUpdated(uint8 indexed quorumNumber, OperatorSetParam operatorSetParams);
    /// @notice The churn approver changed.
    event ChurnApproverUpdated(address prevChurnApprover, address newChurnApprover);
    /// @notice The ejector changed.
    event EjectorUpdated(address prevEjector, address newEjector);
    /// @notice `quorumNumber`'s stakes were all updated at `blocknumber` (updateOperatorsForQuorum).
    event QuorumBlockNumberUpdated(uint8 indexed quorumNumber, uint256 blocknumber);
    /// @notice An operator's socket was set.
    event OperatorSocketUpdate(bytes32 indexed operatorId, string socket);

    constructor(IServiceManager _serviceManager, IStakeRegistry _stakeRegistry, IBLSApkRegistry _blsApkRegistry, IIndexRegistry _indexRegistry) {
        serviceManager = _serviceManager;
        stakeRegistry = _stakeRegistry;
        blsApkRegistry = _blsApkRegistry;
        indexRegistry = _indexRegistry;
        _disableInitializers();
    }

    /// @notice Sets the owner, churn approver, ejector and pauser, and creates the initial quorums. Once, through the proxy.
    function initialize(
        address _initialOwner,
        address _churnApprover,
        address _ejector,
        IPauserRegistry _pauserRegistry,
        uint256 _initialPausedStatus,
        OperatorSetParam[] memory _operatorSetParams,
        uint96[] memory _minimumStakes,
        IStakeRegistry.StrategyParams[][] memory _strategyParams
    ) external initializer {
        if (!(_operatorSetParams.length == _minimumStakes.length && _minimumStakes.length == _strategyParams.length)) revert InputLengthMismatch();
        _transferOwnership(_initialOwner);
        _initializePauser(_pauserRegistry, _initialPausedStatus);
        _setChurnApprover(_churnApprover);
        _setEjector(_ejector);
        registries.push(address(stakeRegistry));
        registries.push(address(blsApkRegistry));
        registries.push(address(indexRegistry));
        for (uint256 i = 0; i < _operatorSetParams.length; i++) {
            _createQuorum(_operatorSetParams[i], _minimumStakes[i], _strategyParams[i]);
        }
    }

    modifier onlyEjector() {
        if (!(msg.sender == ejector)) revert OnlyEjector();
        _;
    }

    modifier quorumExists(uint8 q) {
        if (!(q < quorumCount)) revert QuorumDoesNotExist();
        _;
    }

    // ---- operator entry points ----

    /// @notice Registers the caller for `quorumNumbers`: BLS key (registered on first use), stakes, indices and the AVS registration (checked operator signature). Not while paused.
    function registerOperator(
        bytes calldata quorumNumbers,
        string calldata socket,
        IBLSApkRegistry.PubkeyRegistrationParams calldata params,
        ISignatureUtils.SignatureWithSaltAndExpiry memory operatorSignature
    ) external onlyWhenNotPaused(PAUSED_REGISTER_OPERATOR) {
        bytes32 operatorId = _getOrCreateOperatorId(msg.sender, params);
        uint32[] memory numOperators = _registerOperator(msg.sender, operatorId, quorumNumbers, socket, operatorSignature);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            if (!(numOperators[i] <= _quorumParams[uint8(quorumNumbers[i])].maxOperatorCount)) revert MaxOperatorCountReached();
        }
    }

    /// @notice Reverts (ChurnNotSupported): churn is not modelled by this devnet stack; the selector exists for interface identity.
    function registerOperatorWithChurn(
        bytes calldata,
        string calldata,
        IBLSApkRegistry.PubkeyRegistrationParams calldata,
        OperatorKickParam[] calldata,
        ISignatureUtils.SignatureWithSaltAndExpiry memory,
        ISignatureUtils.SignatureWithSaltAndExpiry memory
    ) external view onlyWhenNotPaused(PAUSED_REGISTER_OPERATOR) {
        revert ChurnNotSupported();
    }

    /// @notice Deregisters the caller from `quorumNumbers`. Not while paused.
    function deregisterOperator(bytes calldata quorumNumbers) external onlyWhenNotPaused(PAUSED_DEREGISTER_OPERATOR) {
        _deregisterOperator(msg.sender, quorumNumbers);
    }

    /// @notice Updates the stakes of `operators` in every quorum they are in (deregistering those below the minimum). Not while paused.
    function updateOperators(address[] calldata operators) external onlyWhenNotPaused(PAUSED_UPDATE_OPERATOR) {
        for (uint256 i = 0; i < operators.length; i++) {
            OperatorInfo memory info = _operatorInfo[operators[i]];
            if (info.status != OperatorStatus.REGISTERED) continue;
            uint192 bitmap = _currentBitmap(info.operatorId);
            _updateOperator(operators[i], info, BitmapUtils.bitmapToBytesArray(bitmap));
        }
    }

    /// @notice Updates the stakes of every operator of each quorum (operators sorted by address) and records the block. Not while paused.
    function updateOperatorsForQuorum(address[][] calldata operatorsPerQuorum, bytes calldata quorumNumbers)
        external
        onlyWhenNotPaused(PAUSED_UPDATE_OPERATOR)
    {
        uint256 qbitmap = BitmapUtils.orderedBytesArrayToBitmap(quorumNumbers, quorumCount);
        if (!(qbitmap != 0 || quorumNumbers.length == 0)) revert InvalidQuorums();
        if (!(operatorsPerQuorum.length == quorumNumbers.length)) revert InputLengthMismatch();
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            address[] calldata ops = operatorsPerQuorum[i];
            if (!(ops.length == indexRegistry.totalOperatorsForQuorum(q))) revert QuorumOperatorCountMismatch();
            address prev = address(0);
            for (uint256 j = 0; j < ops.length; j++) {
                address op = ops[j];
                OperatorInfo memory info = _operatorInfo[op];
                if (!(BitmapUtils.isSet(_currentBitmap(info.operatorId), q))) revert NotRegisteredForQuorum();
                if (!(op > prev)) revert NotSorted();
                prev = op;
                _updateOperator(op, info, quorumNumbers[i:i + 1]);
            }
            quorumUpdateBlockNumber[q] = block.number;
            emit QuorumBlockNumberUpdated(q, block.number);
        }
    }

    /// @notice Emits the caller's new socket. Registered operators only.
    function updateSocket(string memory socket) external {
        if (!(_operatorInfo[msg.sender].status == OperatorStatus.REGISTERED)) revert NotRegistered();
        emit OperatorSocketUpdate(_operatorInfo[msg.sender].operatorId, socket);
    }

    /// @notice Deregisters `operator` from `quorumNumbers`. Ejector only.
    function ejectOperator(address operator, bytes calldata quorumNumbers) external onlyEjector {
        _deregisterOperator(operator, quorumNumbers);
    }

    // ---- owner ----

    /// @notice Creates a quorum with its operator-set parameters, minimum stake and strategies. Owner only.
    function createQuorum(OperatorSetParam memory operatorSetParams, uint96 minimumStake, IStakeRegistry.StrategyParams[] memory strategyParams)
        external
        onlyOwner
    {
        _createQuorum(operatorSetParams, minimumStake, strategyParams);
    }

    /// @notice Replaces a quorum's operator-set parameters. Owner only; emits OperatorSetParamsUpdated.
    function setOperatorSetParams(uint8 quorumNumber, OperatorSetParam memory operatorSetParams) external onlyOwner quorumExists(quorumNumber) {
        _setOperatorSetParams(quorumNumber, operatorSetParams);
    }

    /// @notice Replaces the churn approver. Owner only; emits ChurnApproverUpdated.
    function setChurnApprover(address _churnApprover) external onlyOwner {
        _setChurnApprover(_churnApprover);
    }

    /// @notice Replaces the ejector. Owner only; emits EjectorUpdated.
    function setEjector(address _ejector) external onlyOwner {
        _setEjector(_ejector);
    }

    // ---- internals ----

    function _getOrCreateOperatorId(address operator, IBLSApkRegistry.PubkeyRegistrationParams calldata params)
        internal
        returns (bytes32 operatorId)
    {
        operatorId = blsApkRegistry.getOperatorId(operator);
        if (operatorId == bytes32(0)) {
            operatorId = blsApkRegistry.registerBLSPublicKey(operator, params, pubkeyRegistrationMessageHash(operator));
        }
    }

    function _registerOperator(
        address operator,
        bytes32 operatorId,
        bytes calldata quorumNumbers,
        string memory socket,
        ISignatureUtils.SignatureWithSaltAndExpiry memory operatorSignature
    ) internal returns (uint32[] memory numOperators) {
        uint256 toAdd = BitmapUtils.orderedBytesArrayToBitmap(quorumNumbers, quorumCount);
        uint256 current = _currentBitmap(operatorId);
        if (!(toAdd != 0)) revert BitmapEmpty();
        if (!(toAdd & current == 0)) revert AlreadyRegisteredForQuorums();
        _updateOperatorBitmap(operatorId, uint192(current | toAdd));
        emit OperatorSocketUpdate(operatorId, socket);
        if (_operatorInfo[operator].status != OperatorStatus.REGISTERED) {
            _operatorInfo[operator] = OperatorInfo(operatorId, OperatorStatus.REGISTERED);
            serviceManager.registerOperatorToAVS(operator, operatorSignature);
            emit OperatorRegistered(operator, operatorId);
        }
        blsApkRegistry.registerOperator(operator, quorumNumbers);
        stakeRegistry.registerOperator(operator, operatorId, quorumNumbers);
        numOperators = indexRegistry.registerOperator(operatorId, quorumNumbers);
    }

    function _deregisterOperator(address operator, bytes memory quorumNumbers) internal {
        OperatorInfo memory info = _operatorInfo[operator];
        if (!(info.status == OperatorStatus.REGISTERED)) revert NotRegistered();
        uint256 toRemove = BitmapUtils.orderedBytesArrayToBitmap(quorumNumbers, quorumCount);
        uint256 current = _currentBitmap(info.operatorId);
        if (!(toRemove != 0)) revert BitmapEmpty();
        if (!(toRemove & current == toRemove)) revert NotRegisteredForQuorum();
        uint256 next = current & ~toRemove;
        _updateOperatorBitmap(info.operatorId, uint192(next));
        if (next == 0) {
            _operatorInfo[operator].status = OperatorStatus.DEREGISTERED;
            serviceManager.deregisterOperatorFromAVS(operator);
            emit OperatorDeregistered(operator, info.operatorId);
        }
        blsApkRegistry.deregisterOperator(operator, quorumNumbers);
        stakeRegistry.deregisterOperator(info.operatorId, quorumNumbers);
        indexRegistry.deregisterOperator(info.operatorId, quorumNumbers);
    }

    function _updateOperator(address operator, OperatorInfo memory info, bytes memory quorumsToUpdate) internal {
        if (info.status != OperatorStatus.REGISTERED) return;
        uint192 toRemove = stakeRegistry.updateOperatorStake(operator, info.operatorId, quorumsToUpdate);
        if (toRemove != 0) _deregisterOperator(operator, BitmapUtils.bitmapToBytesArray(toRemove));
    }

    function _updateOperatorBitmap(bytes32 operatorId, uint192 bitmap) internal {
        QuorumBitmapUpdate[] storage h = _operatorBitmapHistory[operatorId];
        if (h.length == 0) {
            h.push(QuorumBitmapUpdate(uint32(block.number), 0, bitmap));
            return;
        }
        QuorumBitmapUpdate storage last = h[h.length - 1];
        if (last.updateBlockNumber == uint32(block.number)) {
            last.quorumBitmap = bitmap;
        } else {
            last.nextUpdateBlockNumber = uint32(block.number);
            h.push(QuorumBitmapUpdate(uint32(block.number), 0, bitmap));
        }
    }

    function _createQuorum(OperatorSetParam memory p, uint96 minimumStake, IStakeRegistry.StrategyParams[] memory strategyParams) internal {
        uint8 prev = quorumCount;
        if (!(prev < MAX_QUORUM_COUNT)) revert MaxQuorumsReached();
        quorumCount = prev + 1;
        _setOperatorSetParams(prev, p);
        stakeRegistry.initializeQuorum(prev, minimumStake, strategyParams);
        indexRegistry.initializeQuorum(prev);
        blsApkRegistry.initializeQuorum(prev);
    }

    function _setOperatorSetParams(uint8 q, OperatorSetParam memory p) internal {
        _quorumParams[q] = p;
        emit OperatorSetParamsUpdated(q, p);
    }

    function _setChurnApprover(address a) internal {
        emit ChurnApproverUpdated(churnApprover, a);
        churnApprover = a;
    }

    function _setEjector(address a) internal {
        emit EjectorUpdated(ejector, a);
        ejector = a;
    }

    function _currentBitmap(bytes32 operatorId) internal view returns (uint192) {
        QuorumBitmapUpdate[] storage h = _operatorBitmapHistory[operatorId];
        return h.length == 0 ? 0 : h[h.length - 1].quorumBitmap;
    }

    function _hashTypedDataV4(bytes32 structHash) internal view returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(
            EIP712_DOMAIN_TYPEHASH, keccak256("AVSRegistryCoordinator"), keccak256("v0.0.1"), block.chainid, address(this)
        ));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    // ---- views ----

    /// @notice The G1 point an operator signs with its BLS key to prove possession (hashToG1 of its EIP-712 digest).
    function pubkeyRegistrationMessageHash(address operator) public view returns (BN254.G1Point memory) {
        return BN254.hashToG1(_hashTypedDataV4(keccak256(abi.encode(PUBKEY_REGISTRATION_TYPEHASH, operator))));
    }

    /// @notice The EIP-712 digest a churn approver would sign (churn is not supported; kept for interface identity).
    function calculateOperatorChurnApprovalDigestHash(
        address registeringOperator,
        bytes32 registeringOperatorId,
        OperatorKickParam[] memory operatorKickParams,
        bytes32 salt,
        uint256 expiry
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(
            OPERATOR_CHURN_APPROVAL_TYPEHASH, registeringOperator, registeringOperatorId, operatorKickParams, salt, expiry
        )));
    }

    /// @notice A quorum's operator-set parameters.
    function getOperatorSetParams(uint8 quorumNumber) external view returns (OperatorSetParam memory) {
        return _quorumParams[quorumNumber];
    }

    /// @notice `operator`'s id and status.
    function getOperator(address operator) external view returns (OperatorInfo memory) {
        return _operatorInfo[operator];
    }

    /// @notice `operator`'s id (its key hash; zero: none).
    function getOperatorId(address operator) external view returns (bytes32) {
        return _operatorInfo[operator].operatorId;
    }

    /// @notice The operator with this id.
    function getOperatorFromId(bytes32 operatorId) external view returns (address) {
        return blsApkRegistry.getOperatorFromPubkeyHash(operatorId);
    }

    /// @notice `operator`'s status (0 never registered, 1 registered, 2 deregistered).
    function getOperatorStatus(address operator) external view returns (OperatorStatus) {
        return _operatorInfo[operator].status;
    }

    /// @notice An operator's current quorum bitmap.
    function getCurrentQuorumBitmap(bytes32 operatorId) external view returns (uint192) {
        return _currentBitmap(operatorId);
    }

    /// @notice For each operator id, the index of its bitmap update in force at `blockNumber`.
    function getQuorumBitmapIndicesAtBlockNumber(uint32 blockNumber, bytes32[] memory operatorIds) external view returns (uint32[] memory indices) {
        indices = new uint32[](operatorIds.length);
        for (uint256 i = 0; i < operatorIds.length; i++) {
            QuorumBitmapUpdate[] storage h = _operatorBitmapHistory[operatorIds[i]];
            uint256 j = h.length;
            while (j > 0 && h[j - 1].updateBlockNumber > blockNumber) j--;
            if (!(j > 0)) revert BitmapUpdateNotFound();
            indices[i] = uint32(j - 1);
        }
    }

    /// @notice An operator's bitmap update `index`, checked to be the one in force at `blockNumber`.
    function getQuorumBitmapAtBlockNumberByIndex(bytes32 operatorId, uint32 blockNumber, uint256 index) external view returns (uint192) {
        QuorumBitmapUpdate memory u = _operatorBitmapHistory[operatorId][index];
        if (!(u.updateBlockNumber <= blockNumber)) revert BitmapUpdateIsAfterBlockNumber();
        if (!(u.nextUpdateBlockNumber == 0 || u.nextUpdateBlockNumber > blockNumber)) revert NextBitmapUpdateIsBeforeBlockNumber();
        return u.quorumBitmap;
    }

    /// @notice An operator's bitmap update `index`.
    function getQuorumBitmapUpdateByIndex(bytes32 operatorId, uint256 index) external view returns (QuorumBitmapUpdate memory) {
        return _operatorBitmapHistory[operatorId][index];
    }

    /// @notice Number of an operator's bitmap updates.
    function getQuorumBitmapHistoryLength(bytes32 operatorId) external view returns (uint256) {
        return _operatorBitmapHistory[operatorId].length;
    }

    /// @notice Number of registries the coordinator drives (3).
    function numRegistries() external view returns (uint256) {
        return registries.length;
    }

    /// @notice The owner.
    function owner() public view override(Ownable, IRegistryCoordinator) returns (address) {
        return Ownable.owner();
    }
}
