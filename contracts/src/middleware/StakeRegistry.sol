// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy, IDelegationManager, IStakeRegistry, IRegistryCoordinator} from "../interfaces/IEigen.sol";
import {Initializable} from "../utils/Initializable.sol";

/// @title Operator and total stake per quorum, weighted by strategy multipliers, with history.
contract StakeRegistry is Initializable, IStakeRegistry {
    uint256 public constant WEIGHTING_DIVISOR = 1e18;
    uint8 public constant MAX_WEIGHING_FUNCTION_LENGTH = 32;

    address public immutable registryCoordinator;
    IDelegationManager public immutable delegation;

    mapping(uint8 => uint96) public minimumStakeForQuorum;
    mapping(uint8 => StakeUpdate[]) internal _totalStakeHistory;
    mapping(bytes32 => mapping(uint8 => StakeUpdate[])) internal operatorStakeHistory;
    mapping(uint8 => StrategyParams[]) public strategyParams;
    mapping(uint8 => IStrategy[]) public strategiesPerQuorum;

    event OperatorStakeUpdate(bytes32 indexed operatorId, uint8 quorumNumber, uint96 stake);
    event MinimumStakeForQuorumUpdated(uint8 indexed quorumNumber, uint96 minimumStake);
    event QuorumCreated(uint8 indexed quorumNumber);
    event StrategyAddedToQuorum(uint8 indexed quorumNumber, IStrategy strategy);
    event StrategyRemovedFromQuorum(uint8 indexed quorumNumber, IStrategy strategy);
    event StrategyMultiplierUpdated(uint8 indexed quorumNumber, IStrategy strategy, uint256 multiplier);

    constructor(IRegistryCoordinator _registryCoordinator, IDelegationManager _delegation) {
        registryCoordinator = address(_registryCoordinator);
        delegation = _delegation;
        _disableInitializers();
    }

    modifier onlyRegistryCoordinator() {
        require(msg.sender == registryCoordinator, "StakeRegistry.onlyRegistryCoordinator: caller is not the RegistryCoordinator");
        _;
    }

    modifier onlyCoordinatorOwner() {
        require(msg.sender == IRegistryCoordinator(registryCoordinator).owner(), "StakeRegistry.onlyCoordinatorOwner: caller is not the owner of the registryCoordinator");
        _;
    }

    modifier quorumExists(uint8 q) {
        require(_totalStakeHistory[q].length != 0, "StakeRegistry.quorumExists: quorum does not exist");
        _;
    }

    function registerOperator(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external
        onlyRegistryCoordinator
        returns (uint96[] memory currentStakes, uint96[] memory totalStakes)
    {
        currentStakes = new uint96[](quorumNumbers.length);
        totalStakes = new uint96[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            require(_totalStakeHistory[q].length != 0, "StakeRegistry.registerOperator: quorum does not exist");
            (uint96 weight, bool meets) = _weightOfOperatorForQuorum(q, operator);
            require(meets, "StakeRegistry.registerOperator: Operator does not meet minimum stake requirement for quorum");
            int256 delta = _recordOperatorStakeUpdate(operatorId, q, weight);
            currentStakes[i] = weight;
            totalStakes[i] = _recordTotalStakeUpdate(q, delta);
        }
    }

    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external onlyRegistryCoordinator {
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            require(_totalStakeHistory[q].length != 0, "StakeRegistry.deregisterOperator: quorum does not exist");
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
            require(_totalStakeHistory[q].length != 0, "StakeRegistry.updateOperatorStake: quorum does not exist");
            (uint96 weight, bool meets) = _weightOfOperatorForQuorum(q, operator);
            if (!meets) {
                weight = 0;
                quorumsToRemove |= uint192(1 << q);
            }
            int256 delta = _recordOperatorStakeUpdate(operatorId, q, weight);
            _recordTotalStakeUpdate(q, delta);
        }
    }

    function initializeQuorum(uint8 quorumNumber, uint96 minimumStake, StrategyParams[] memory _strategyParams)
        external
        onlyRegistryCoordinator
    {
        require(_totalStakeHistory[quorumNumber].length == 0, "StakeRegistry.initializeQuorum: quorum already exists");
        _addStrategyParams(quorumNumber, _strategyParams);
        _setMinimumStakeForQuorum(quorumNumber, minimumStake);
        _totalStakeHistory[quorumNumber].push(StakeUpdate(uint32(block.number), 0, 0));
        emit QuorumCreated(quorumNumber);
    }

    function setMinimumStakeForQuorum(uint8 quorumNumber, uint96 minimumStake) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        _setMinimumStakeForQuorum(quorumNumber, minimumStake);
    }

    function addStrategies(uint8 quorumNumber, StrategyParams[] memory _strategyParams) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        _addStrategyParams(quorumNumber, _strategyParams);
    }

    function removeStrategies(uint8 quorumNumber, uint256[] memory indicesToRemove) external onlyCoordinatorOwner quorumExists(quorumNumber) {
        require(indicesToRemove.length > 0, "StakeRegistry.removeStrategies: no indices to remove provided");
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

    function modifyStrategyParams(uint8 quorumNumber, uint256[] calldata strategyIndices, uint96[] calldata newMultipliers)
        external
        onlyCoordinatorOwner
        quorumExists(quorumNumber)
    {
        require(strategyIndices.length != 0 && strategyIndices.length == newMultipliers.length, "StakeRegistry.modifyStrategyParams: input length mismatch");
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
        require(p.length > 0, "StakeRegistry._addStrategyParams: no strategies provided");
        uint256 existing = strategyParams[q].length;
        require(existing + p.length <= MAX_WEIGHING_FUNCTION_LENGTH, "StakeRegistry._addStrategyParams: exceed MAX_WEIGHING_FUNCTION_LENGTH");
        for (uint256 i = 0; i < p.length; i++) {
            for (uint256 j = 0; j < existing + i; j++) {
                require(strategyParams[q][j].strategy != p[i].strategy, "StakeRegistry._addStrategyParams: cannot add same strategy 2x");
            }
            require(p[i].multiplier > 0, "StakeRegistry._addStrategyParams: cannot add strategy with zero weight");
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
        require(w <= type(uint96).max, "StakeRegistry: weight overflows uint96");
        weight = uint96(w);
        meets = weight >= minimumStakeForQuorum[q];
    }

    function _validAt(StakeUpdate memory u, uint32 blockNumber) internal pure {
        require(blockNumber >= u.updateBlockNumber, "StakeRegistry._validateStakeUpdateAtBlockNumber: stakeUpdate is from after blockNumber");
        require(u.nextUpdateBlockNumber == 0 || blockNumber < u.nextUpdateBlockNumber,
            "StakeRegistry._validateStakeUpdateAtBlockNumber: there is a newer stakeUpdate available before blockNumber");
    }

    // ---- views ----

    function weightOfOperatorForQuorum(uint8 quorumNumber, address operator) external view quorumExists(quorumNumber) returns (uint96 w) {
        (w, ) = _weightOfOperatorForQuorum(quorumNumber, operator);
    }

    function strategyParamsLength(uint8 quorumNumber) external view returns (uint256) {
        return strategyParams[quorumNumber].length;
    }

    function strategyParamsByIndex(uint8 quorumNumber, uint256 index) external view returns (StrategyParams memory) {
        return strategyParams[quorumNumber][index];
    }

    function getStakeHistoryLength(bytes32 operatorId, uint8 quorumNumber) external view returns (uint256) {
        return operatorStakeHistory[operatorId][quorumNumber].length;
    }

    function getStakeHistory(bytes32 operatorId, uint8 quorumNumber) external view returns (StakeUpdate[] memory) {
        return operatorStakeHistory[operatorId][quorumNumber];
    }

    function getCurrentStake(bytes32 operatorId, uint8 quorumNumber) external view returns (uint96) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][quorumNumber];
        return h.length == 0 ? 0 : h[h.length - 1].stake;
    }

    function getLatestStakeUpdate(bytes32 operatorId, uint8 quorumNumber) external view returns (StakeUpdate memory u) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][quorumNumber];
        if (h.length != 0) u = h[h.length - 1];
    }

    function getStakeUpdateAtIndex(uint8 quorumNumber, bytes32 operatorId, uint256 index) external view returns (StakeUpdate memory) {
        return operatorStakeHistory[operatorId][quorumNumber][index];
    }

    function getStakeAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint96) {
        return operatorStakeHistory[operatorId][quorumNumber][_stakeIndexAt(operatorId, quorumNumber, blockNumber)].stake;
    }

    function getStakeUpdateIndexAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint32) {
        return _stakeIndexAt(operatorId, quorumNumber, blockNumber);
    }

    function _stakeIndexAt(bytes32 operatorId, uint8 q, uint32 blockNumber) internal view returns (uint32) {
        StakeUpdate[] storage h = operatorStakeHistory[operatorId][q];
        for (uint256 i = h.length; i > 0; i--) {
            if (h[i - 1].updateBlockNumber <= blockNumber) return uint32(i - 1);
        }
        revert("StakeRegistry._getStakeUpdateIndexForOperatorAtBlockNumber: no stake update found for operatorId and quorumNumber at block number");
    }

    function getStakeAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, bytes32 operatorId, uint256 index)
        external
        view
        returns (uint96)
    {
        StakeUpdate memory u = operatorStakeHistory[operatorId][quorumNumber][index];
        _validAt(u, blockNumber);
        return u.stake;
    }

    function getTotalStakeHistoryLength(uint8 quorumNumber) external view returns (uint256) {
        return _totalStakeHistory[quorumNumber].length;
    }

    function getCurrentTotalStake(uint8 quorumNumber) external view returns (uint96) {
        StakeUpdate[] storage h = _totalStakeHistory[quorumNumber];
        return h[h.length - 1].stake;
    }

    function getTotalStakeUpdateAtIndex(uint8 quorumNumber, uint256 index) external view returns (StakeUpdate memory) {
        return _totalStakeHistory[quorumNumber][index];
    }

    function getTotalStakeAtBlockNumberFromIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (uint96) {
        StakeUpdate memory u = _totalStakeHistory[quorumNumber][index];
        _validAt(u, blockNumber);
        return u.stake;
    }

    function getTotalStakeIndicesAtBlockNumber(uint32 blockNumber, bytes calldata quorumNumbers) external view returns (uint32[] memory indices) {
        indices = new uint32[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            StakeUpdate[] storage h = _totalStakeHistory[q];
            require(h.length != 0 && h[0].updateBlockNumber <= blockNumber,
                "StakeRegistry.getTotalStakeIndicesAtBlockNumber: quorum has no stake history at blockNumber");
            for (uint256 j = h.length; j > 0; j--) {
                if (h[j - 1].updateBlockNumber <= blockNumber) {
                    indices[i] = uint32(j - 1);
                    break;
                }
            }
        }
    }
}
