// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IIndexRegistry} from "../interfaces/IIndexRegistry.sol";
import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";
import {Initializable} from "../utils/Initializable.sol";
import {IndexRegistryStorage} from "./IndexRegistryStorage.sol";

/// @title Ordered operator list per quorum with history; removal moves the last operator
///        into the freed index (swap-pop).
contract IndexRegistry is Initializable, IndexRegistryStorage {
    /// @notice The caller is not the RegistryCoordinator.
    error OnlyRegistryCoordinator();
    /// @notice The quorum was not created.
    error QuorumDoesNotExist();
    /// @notice The quorum was created already.
    error QuorumExists();
    /// @notice No operator held that index at the block.
    error OperatorIdDoesNotExist();
    /// @notice The quorum did not exist at the block.
    error QuorumDoesNotExistAtBlockNumber();



    /// @notice The operator id of an empty index.
    bytes32 public constant OPERATOR_DOES_NOT_EXIST_ID = bytes32(0);

    /// @notice The RegistryCoordinator (the only caller of the registries).
    address public immutable registryCoordinator;

    /// @notice `operatorId` now holds index `newOperatorIndex` in `quorumNumber`.
    event QuorumIndexUpdate(bytes32 indexed operatorId, uint8 quorumNumber, uint32 newOperatorIndex);

    constructor(IRegistryCoordinator _registryCoordinator) {
        registryCoordinator = address(_registryCoordinator);
        _disableInitializers();
    }

    modifier onlyRegistryCoordinator() {
        if (!(msg.sender == registryCoordinator)) revert OnlyRegistryCoordinator();
        _;
    }

    /// @notice Appends the operator to each quorum; returns the new operator counts. RegistryCoordinator only.
    function registerOperator(bytes32 operatorId, bytes calldata quorumNumbers)
        external
        onlyRegistryCoordinator
        returns (uint32[] memory numOperatorsPerQuorum)
    {
        numOperatorsPerQuorum = new uint32[](quorumNumbers.length);
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            uint256 len = _operatorCountHistory[q].length;
            if (!(len != 0)) revert QuorumDoesNotExist();
            uint32 newCount = _operatorCountHistory[q][len - 1].numOperators + 1;
            _updateOperatorCountHistory(q, newCount);
            _assignOperatorToIndex(operatorId, q, newCount - 1);
            numOperatorsPerQuorum[i] = newCount;
        }
    }

    /// @notice Removes the operator from each quorum (the last operator takes its index). RegistryCoordinator only.
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external onlyRegistryCoordinator {
        for (uint256 i = 0; i < quorumNumbers.length; i++) {
            uint8 q = uint8(quorumNumbers[i]);
            uint256 len = _operatorCountHistory[q].length;
            if (!(len != 0)) revert QuorumDoesNotExist();
            uint32 index = currentOperatorIndex[q][operatorId];
            uint32 newCount = _operatorCountHistory[q][len - 1].numOperators - 1;
            _updateOperatorCountHistory(q, newCount);
            bytes32 lastId = _latestOperatorAt(q, newCount);
            _updateIndexHistory(q, newCount, OPERATOR_DOES_NOT_EXIST_ID);
            if (lastId != operatorId) _assignOperatorToIndex(lastId, q, index);
        }
    }

    /// @notice Starts a quorum's count history. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber) external onlyRegistryCoordinator {
        if (!(_operatorCountHistory[quorumNumber].length == 0)) revert QuorumExists();
        _operatorCountHistory[quorumNumber].push(QuorumUpdate(uint32(block.number), 0));
    }

    function _updateOperatorCountHistory(uint8 q, uint32 newCount) internal {
        QuorumUpdate[] storage h = _operatorCountHistory[q];
        QuorumUpdate storage last = h[h.length - 1];
        if (last.fromBlockNumber == uint32(block.number)) last.numOperators = newCount;
        else h.push(QuorumUpdate(uint32(block.number), newCount));
    }

    function _updateIndexHistory(uint8 q, uint32 index, bytes32 operatorId) internal {
        OperatorUpdate[] storage h = _indexHistory[q][index];
        if (h.length != 0 && h[h.length - 1].fromBlockNumber == uint32(block.number)) h[h.length - 1].operatorId = operatorId;
        else h.push(OperatorUpdate(uint32(block.number), operatorId));
    }

    function _assignOperatorToIndex(bytes32 operatorId, uint8 q, uint32 index) internal {
        _updateIndexHistory(q, index, operatorId);
        currentOperatorIndex[q][operatorId] = index;
        emit QuorumIndexUpdate(operatorId, q, index);
    }

    function _latestOperatorAt(uint8 q, uint32 index) internal view returns (bytes32) {
        OperatorUpdate[] storage h = _indexHistory[q][index];
        return h.length == 0 ? OPERATOR_DOES_NOT_EXIST_ID : h[h.length - 1].operatorId;
    }

    /// @notice A quorum's operator ids at `blockNumber`, by index.
    function getOperatorListAtBlockNumber(uint8 quorumNumber, uint32 blockNumber) external view returns (bytes32[] memory list) {
        uint32 n = _operatorCountAtBlockNumber(quorumNumber, blockNumber);
        list = new bytes32[](n);
        for (uint32 i = 0; i < n; i++) {
            OperatorUpdate[] storage h = _indexHistory[quorumNumber][i];
            bytes32 id = OPERATOR_DOES_NOT_EXIST_ID;
            for (uint256 j = h.length; j > 0; j--) {
                if (h[j - 1].fromBlockNumber <= blockNumber) {
                    id = h[j - 1].operatorId;
                    break;
                }
            }
            if (!(id != OPERATOR_DOES_NOT_EXIST_ID)) revert OperatorIdDoesNotExist();
            list[i] = id;
        }
    }

    function _operatorCountAtBlockNumber(uint8 q, uint32 blockNumber) internal view returns (uint32) {
        QuorumUpdate[] storage h = _operatorCountHistory[q];
        for (uint256 j = h.length; j > 0; j--) {
            if (h[j - 1].fromBlockNumber <= blockNumber) return h[j - 1].numOperators;
        }
        revert QuorumDoesNotExistAtBlockNumber();
    }

    /// @notice A quorum's current operator count.
    function totalOperatorsForQuorum(uint8 quorumNumber) external view returns (uint32) {
        QuorumUpdate[] storage h = _operatorCountHistory[quorumNumber];
        return h.length == 0 ? 0 : h[h.length - 1].numOperators;
    }

    /// @notice A quorum's latest count update.
    function getLatestQuorumUpdate(uint8 quorumNumber) external view returns (QuorumUpdate memory) {
        QuorumUpdate[] storage h = _operatorCountHistory[quorumNumber];
        return h[h.length - 1];
    }

    /// @notice A quorum's count update `index`.
    function getQuorumUpdateAtIndex(uint8 quorumNumber, uint32 quorumIndex) external view returns (QuorumUpdate memory) {
        return _operatorCountHistory[quorumNumber][quorumIndex];
    }

    /// @notice Update `index` of the history of index `operatorIndex` in a quorum.
    function getOperatorUpdateAtIndex(uint8 quorumNumber, uint32 operatorIndex, uint32 arrayIndex) external view returns (OperatorUpdate memory) {
        return _indexHistory[quorumNumber][operatorIndex][arrayIndex];
    }

    /// @notice The latest update of index `operatorIndex` in a quorum.
    function getLatestOperatorUpdate(uint8 quorumNumber, uint32 operatorIndex) external view returns (OperatorUpdate memory) {
        OperatorUpdate[] storage h = _indexHistory[quorumNumber][operatorIndex];
        return h[h.length - 1];
    }
}
