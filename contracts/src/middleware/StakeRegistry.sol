// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "../interfaces/IStrategy.sol";
import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {IStakeRegistry} from "../interfaces/IStakeRegistry.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {Initializable} from "../utils/Initializable.sol";
import {StakeRegistryStorage} from "./StakeRegistryStorage.sol";

/// @title Operator and total stake per quorum, weighted by strategy multipliers, with history.
contract StakeRegistry is Initializable, StakeRegistryStorage {
    /// @notice The caller is not the RegistryCoordinator.
    error OnlyRegistryCoordinator();
    /// @notice The caller is not the RegistryCoordinator's owner.
    error OnlyRegistryCoordinatorOwner();
    /// @notice The quorum was not created.
    error QuorumDoesNotExist();
    /// @notice The operator's weighted stake is below the quorum's minimum.
    error BelowMinimumStakeRequirement();
    /// @notice The quorum was created already.
    error QuorumAlreadyExists();
    /// @notice An array argument is empty.
    error InputArrayLengthZero();
    /// @notice Array arguments that must have one entry each differ in length (or are empty).
    error InputArrayLengthMismatch();
    /// @notice A strategy is listed twice for the quorum.
    error InputDuplicateStrategy();
    /// @notice A strategy multiplier is zero.
    error InputMultiplierZero();
    /// @notice A weighted stake does not fit in uint96.
    error WeightOverflow();
    /// @notice The stake update at that index is younger than the block.
    error InvalidBlockNumber();
    /// @notice The quorum has no stake history at the block.
    error EmptyStakeHistory();
    /// @notice The operator has no stake update in the quorum at the block.
    error StakeUpdateNotFound();

    /// @notice Multipliers are in units of 1e18.
    uint256 public constant WEIGHTING_DIVISOR = 1e18;
    /// @notice At most this many strategies per quorum.
    uint8 public constant MAX_WEIGHING_FUNCTION_LENGTH = 32;

    /// @notice The RegistryCoordinator (the only caller of the registries).
    address public immutable registryCoordinator;
    /// @notice The DelegationManager.
    IDelegationManager public immutable delegation;

    /// @notice `operatorId`'s stake in `quorumNumber` is now `stake`.
    event OperatorStakeUpdate(bytes32 indexed operatorId, uint8 quorumNumber, uint96 stake);
    /// @notice A quorum's minimum stake changed.
    event MinimumStakeForQuorumUpdated(uint8 indexed quorumNumber, uint96 minimumStake);
    /// @notice A quorum was created.
    event QuorumCreated(uint8 indexed quorumNumber);
    /// @notice A strategy was added to a quorum.
    event StrategyAddedToQuorum(uint8 indexed quorumNumber, IStrategy strategy);
    /// @notice A strategy was removed from a quorum.
    event StrategyRemovedFromQuorum(uint8 indexed quorumNumber, IStrategy strategy);
    /// @notice A strategy's multiplier in a quorum changed (0: removed).
    event StrategyMultiplierUpdated(uint8 indexed quorumNumber, IStrategy strategy, uint256 multiplier);

    constructor(IRegistryCoordinator _registryCoordinator, IDelegationManager _delegation) {
        registryCoordinator = address(_registryCoordinator);
        delegation = _delegation;
        _disableInitializers();
    }

    modifier onlyRegistryCoordinator() {
        if (!(msg.sender == registryCoordinator)) revert OnlyRegistryCoordinator();
        _;
    }

    modifier onlyCoordinatorOwner() {
        if (!(msg.sender == IRegistryCoordinator(registryCoordinator).owner())) revert OnlyRegistryCoordinatorOwner();
        _;
    }

    modifier quorumExists(uint8 q) {
        if (!(_totalStakeHistory[q].length != 0)) revert QuorumDoesNotExist();
        _;
    }

    /// @notice Records the operator's stakes in `quorumNumbers` (each at least the minimum); returns its stakes and the quorums' totals. RegistryCoordinator only.
    function registerOperator(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external
        onlyRegistryCoordinator
        returns (uint96[] memory currentStakes, uint96[] memory totalStakes)
    {
        currentStakes = new uint96[](quorumNumbers.length);
        totalStakes = new uint96[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            if (!(_totalStakeHistory[q].length != 0)) revert QuorumDoesNotExist();
            (uint96 weight, bool meets) = _weightOfOperatorForQuorum(q, operator);
            if (!(meets)) revert BelowMinimumStakeRequirement();
            int256 delta = _recordOperatorStakeUpdate(operatorId, q, weight);
            currentStakes[i] = weight;
            totalStakes[i] = _recordTotalStakeUpdate(q, delta);
        }
    }

    /// @notice Zeroes the operator's stakes in `quorumNumbers`. RegistryCoordinator only.
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external onlyRegistryCoordinator {
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            if (!(_totalStakeHistory[q].length != 0)) revert QuorumDoesNotExist();
            int256 delta = _recordOperatorStakeUpdate(operatorId, q, 0);
            _recordTotalStakeUpdate(q, delta);
        }
    }

    /// @notice Refreshes the operator's stake; returns the bitmap of quorums where it fell below the minimum
    ///         (its stake there is recorded as 0 and the coordinator deregisters it).
    function updateOperatorStake(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external
        onlyRegistryCoordinator
        returns (uint192 quorumsToRemove)
    {
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            if (!(_totalStakeHistory[q].length != 0)) revert QuorumDoesNotExist();
            (uint96 weight, bool meets) = _weightOfOperatorForQuorum(q, operator);
            if (!meets) {
                weight = 0;
                quorumsToRemove |= uint192(1 << q);
            }
            int256 delta = _recordOperatorStakeUpdate(operatorId, q, weight);
            _recordTotalStakeUpdate(q, delta);
        }
    }

    /// @notice Creates a quorum's stake history with its minimum stake and strategies. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber, uint96 minimumStake, StrategyParams[] memory _strategyParams)
        external
        onlyRegistryCoordinator
    {
        if (!(_totalStakeHistory[quorumNumber].length == 0)) revert QuorumAlreadyExists();
        _addStrategyParams(quorumNumber, _strategyParams);
        _setMinimumStakeForQuorum(quorumNumber, minimumStake);
        _totalStakeHistory[quorumNumber].push(StakeUpdate(uint32(block.number), 0, 0));
        emit QuorumCreated(quorumNumber);
    }

    /// @notice Sets a quorum's minimum stake. RegistryCoordinator owner only; emits MinimumStakeForQuorumUpdated.
    function setMinimumStakeForQuorum(uint8 quorumNumber, uint96 minimumStake) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        _setMinimumStakeForQuorum(quorumNumber, minimumStake);
    }

    /// @notice Adds strategies (with multipliers) to a quorum. RegistryCoordinator owner only.
    function addStrategies(uint8 quorumNumber, StrategyParams[] memory _strategyParams) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        _addStrategyParams(quorumNumber, _strategyParams);
    }

    /// @notice Removes strategies (by index) from a quorum. RegistryCoordinator owner only.
    function removeStrategies(uint8 quorumNumber, uint256[] memory indicesToRemove) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        if (!(indicesToRemove.length > 0)) revert InputArrayLengthZero();
        StrategyParams[] storage params = strategyParams[quorumNumber];
        IStrategy[] storage strats = strategiesPerQuorum[quorumNumber];
        for (uint256 i = indicesToRemove.length; i > 0; i--) {
            uint256 idx = indicesToRemove[i - 1];
            emit StrategyMultiplierUpdated(quorumNumber, params[idx].strategy, 0);
            emit StrategyRemovedFromQuorum(quorumNumber, params[idx].strategy);
            params[idx] = params[params.length - 1];
            params.pop();
            strats[idx] = strats[strats.length - 1];
            strats.pop();
        }
    }

    /// @notice Changes strategies' multipliers in a quorum. RegistryCoordinator owner only.
    function modifyStrategyParams(uint8 quorumNumber, uint256[] calldata strategyIndices, uint96[] calldata newMultipliers)
        external
        onlyCoordinatorOwner
        quorumExists(quorumNumber)
    {
        if (!(strategyIndices.length != 0 && strategyIndices.length == newMultipliers.length)) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < strategyIndices.length; i++) {
            StrategyParams storage p = strategyParams[quorumNumber][strategyIndices[i]];
            p.multiplier = newMultipliers[i];
            emit StrategyMultiplierUpdated(quorumNumber, p.strategy, newMultipliers[i]);
        }
    }

    function _setMinimumStakeForQuorum(uint8 q, uint96 minimumStake) internal {
        minimumStakeForQuorum[q] = minimumStake;
        emit MinimumStakeForQuorumUpdated(q, minimumStake);
    }

    function _addStrategyParams(uint8 q, StrategyParams[] memory p) internal {
        if (!(p.length > 0)) revert InputArrayLengthZero();
        uint256 existing = strategyParams[q].length;
        if (!(existing + p.length <= MAX_WEIGHING_FUNCTION_LENGTH)) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < p.length; i++) {
            for (uint256 j = 0; j < existing + i; j++) {
                if (!(strategyParams[q][j].strategy != p[i].strategy)) revert InputDuplicateStrategy();
            }
            if (!(p[i].multiplier > 0)) revert InputMultiplierZero();
            strategyParams[q].push(p[i]);
            strategiesPerQuorum[q].push(p[i].strategy);
            emit StrategyAddedToQuorum(q, p[i].strategy);
            emit StrategyMultiplierUpdated(q, p[i].strategy, p[i].multiplier);
        }
    }

    /// @dev Writes the operator's new stake (same block: overwrite); returns new - old.
    function _recordOperatorStakeUpdate(bytes32 operatorId, uint8 q, uint96 newStake) internal returns (int256) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][q];
        uint96 prev;
        if (h.length == 0) {
            h.push(StakeUpdate(uint32(block.number), 0, newStake));
        } else {
            StakeUpdate storage last = h[h.length - 1];
            prev = last.stake;
            if (prev == newStake) return 0;
            if (last.updateBlockNumber == uint32(block.number)) {
                last.stake = newStake;
            } else {
                last.nextUpdateBlockNumber = uint32(block.number);
                h.push(StakeUpdate(uint32(block.number), 0, newStake));
            }
        }
        emit OperatorStakeUpdate(operatorId, q, newStake);
        return int256(uint256(newStake)) - int256(uint256(prev));
    }

    function _recordTotalStakeUpdate(uint8 q, int256 delta) internal returns (uint96) {
        StakeUpdate[] storage h = _totalStakeHistory[q];
        StakeUpdate storage last = h[h.length - 1];
        if (delta == 0) return last.stake;
        uint96 newTotal = uint96(uint256(int256(uint256(last.stake)) + delta));
        if (last.updateBlockNumber == uint32(block.number)) {
            last.stake = newTotal;
        } else {
            last.nextUpdateBlockNumber = uint32(block.number);
            h.push(StakeUpdate(uint32(block.number), 0, newTotal));
        }
        return newTotal;
    }

    function _weightOfOperatorForQuorum(uint8 q, address operator) internal view returns (uint96 weight, bool meets) {
        StrategyParams[] storage p = strategyParams[q];
        uint256 n = p.length;
        IStrategy[] memory strats = new IStrategy[](n);
        for (uint256 i = 0; i < n; i++) strats[i] = p[i].strategy;
        uint256[] memory shares = delegation.getOperatorShares(operator, strats);
        uint256 w;
        for (uint256 i = 0; i < n; i++) {
            if (shares[i] > 0) w += shares[i] * p[i].multiplier / WEIGHTING_DIVISOR;
        }
        if (!(w <= type(uint96).max)) revert WeightOverflow();
        weight = uint96(w);
        meets = weight >= minimumStakeForQuorum[q];
    }

    function _validAt(StakeUpdate memory u, uint32 blockNumber) internal pure {
        if (!(blockNumber >= u.updateBlockNumber)) revert InvalidBlockNumber();
        if (!(u.nextUpdateBlockNumber == 0 || blockNumber < u.nextUpdateBlockNumber)) revert InvalidBlockNumber();
    }

    // ---- views ----

    /// @notice `operator`'s weighted stake in a quorum now.
    function weightOfOperatorForQuorum(uint8 quorumNumber, address operator) external view quorumExists(quorumNumber) returns (uint96 w) {
        (w, ) = _weightOfOperatorForQuorum(quorumNumber, operator);
    }

    /// @notice Number of strategies of a quorum.
    function strategyParamsLength(uint8 quorumNumber) external view returns (uint256) {
        return strategyParams[quorumNumber].length;
    }

    /// @notice A quorum's strategy `index` and multiplier.
    function strategyParamsByIndex(uint8 quorumNumber, uint256 index) external view returns (StrategyParams memory) {
        return strategyParams[quorumNumber][index];
    }

    /// @notice Number of an operator's stake updates in a quorum.
    function getStakeHistoryLength(bytes32 operatorId, uint8 quorumNumber) external view returns (uint256) {
        return operatorStakeHistory[operatorId][quorumNumber].length;
    }

    /// @notice An operator's stake updates in a quorum.
    function getStakeHistory(bytes32 operatorId, uint8 quorumNumber) external view returns (StakeUpdate[] memory) {
        return operatorStakeHistory[operatorId][quorumNumber];
    }

    /// @notice An operator's current stake in a quorum.
    function getCurrentStake(bytes32 operatorId, uint8 quorumNumber) external view returns (uint96) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][quorumNumber];
        return h.length == 0 ? 0 : h[h.length - 1].stake;
    }

    /// @notice An operator's latest stake update in a quorum.
    function getLatestStakeUpdate(bytes32 operatorId, uint8 quorumNumber) external view returns (StakeUpdate memory u) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][quorumNumber];
        if (h.length != 0) u = h[h.length - 1];
    }

    /// @notice An operator's stake update `index` in a quorum.
    function getStakeUpdateAtIndex(uint8 quorumNumber, bytes32 operatorId, uint256 index) external view returns (StakeUpdate memory) {
        return operatorStakeHistory[operatorId][quorumNumber][index];
    }

    /// @notice An operator's stake in a quorum at `blockNumber`.
    function getStakeAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint96) {
        return operatorStakeHistory[operatorId][quorumNumber][_stakeIndexAt(operatorId, quorumNumber, blockNumber)].stake;
    }

    /// @notice Index of an operator's stake update in force at `blockNumber`.
    function getStakeUpdateIndexAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint32) {
        return _stakeIndexAt(operatorId, quorumNumber, blockNumber);
    }

    function _stakeIndexAt(bytes32 operatorId, uint8 q, uint32 blockNumber) internal view returns (uint32) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][q];
        for (uint256 i = h.length; i > 0; i--) {
            if (h[i - 1].updateBlockNumber <= blockNumber) return uint32(i - 1);
        }
        revert StakeUpdateNotFound();
    }

    /// @notice An operator's stake update `index`, checked to be in force at `blockNumber`.
    function getStakeAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, bytes32 operatorId, uint256 index)
        external
        view
        returns (uint96)
    {
        StakeUpdate memory u = operatorStakeHistory[operatorId][quorumNumber][index];
        _validAt(u, blockNumber);
        return u.stake;
    }

    /// @notice Number of a quorum's total-stake updates (0: no such quorum).
    function getTotalStakeHistoryLength(uint8 quorumNumber) external view returns (uint256) {
        return _totalStakeHistory[quorumNumber].length;
    }

    /// @notice A quorum's current total stake.
    function getCurrentTotalStake(uint8 quorumNumber) external view returns (uint96) {
        StakeUpdate[] storage h = _totalStakeHistory[quorumNumber];
        return h[h.length - 1].stake;
    }

    /// @notice A quorum's total-stake update `index`.
    function getTotalStakeUpdateAtIndex(uint8 quorumNumber, uint256 index) external view returns (StakeUpdate memory) {
        return _totalStakeHistory[quorumNumber][index];
    }

    /// @notice A quorum's total-stake update `index`, checked to be in force at `blockNumber`.
    function getTotalStakeAtBlockNumberFromIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (uint96) {
        StakeUpdate memory u = _totalStakeHistory[quorumNumber][index];
        _validAt(u, blockNumber);
        return u.stake;
    }

    /// @notice For each quorum, the index of its total-stake update in force at `blockNumber`.
    function getTotalStakeIndicesAtBlockNumber(uint32 blockNumber, bytes calldata quorumNumbers) external view returns (uint32[] memory indices) {
        indices = new uint32[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            StakeUpdate[] storage h = _totalStakeHistory[q];
            if (!(h.length != 0 && h[0].updateBlockNumber <= blockNumber)) revert EmptyStakeHistory();
            for (uint256 j = h.length; j > 0; j--) {
                if (h[j - 1].updateBlockNumber <= blockNumber) {
                    indices[i] = uint32(j - 1);
                    break;
                }
            }
        }
    }
}
