// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IRegistryCoordinator} from "../interfaces/IRegistryCoordinator.sol";

/// @title Storage of RegistryCoordinator: quorums, operators' bitmap histories, churn approver and ejector, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract RegistryCoordinatorStorage is IRegistryCoordinator {
    /// @notice Number of quorums created.
    uint8 public quorumCount;
    mapping(uint8 => OperatorSetParam) internal _quorumParams;
    mapping(bytes32 => QuorumBitmapUpdate[]) internal _operatorBitmapHistory;
    mapping(address => OperatorInfo) internal _operatorInfo;
    /// @notice Churn-approver salt => whether it was used (churn is not supported).
    mapping(bytes32 => bool) public isChurnApproverSaltUsed;
    /// @notice Quorum => block of its last updateOperatorsForQuorum.
    mapping(uint8 => uint256) public quorumUpdateBlockNumber;
    /// @notice The registries the coordinator drives (stake, BLS key, index).
    address[] public registries;
    /// @notice The churn approver (unused: churn is not supported).
    address public churnApprover;
    /// @notice The account that may eject operators.
    address public ejector;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (9 used + 41 = 50).
    uint256[41] private __GAP;
}
