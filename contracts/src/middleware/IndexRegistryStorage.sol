// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IIndexRegistry} from "../interfaces/IIndexRegistry.sol";

/// @title Storage of IndexRegistry: operator indices and count histories per quorum, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract IndexRegistryStorage is IIndexRegistry {
    struct OperatorUpdate {
        uint32 fromBlockNumber;
        bytes32 operatorId;
    }

    struct QuorumUpdate {
        uint32 fromBlockNumber;
        uint32 numOperators;
    }

    /// @notice Quorum => operator id => its current index.
    mapping(uint8 => mapping(bytes32 => uint32)) public currentOperatorIndex;
    mapping(uint8 => mapping(uint32 => OperatorUpdate[])) internal _indexHistory;
    mapping(uint8 => QuorumUpdate[]) internal _operatorCountHistory;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (3 used + 47 = 50).
    uint256[47] private __GAP;
}
