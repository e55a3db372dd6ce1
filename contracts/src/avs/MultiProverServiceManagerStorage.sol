// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IMultiProverServiceManager} from "../interfaces/IMultiProverServiceManager.sol";

/// @title Storage of MultiProverServiceManager: its constants and state, then a gap (50 slots in all),
///        so that state added later (TEE policies, on-chain thresholds, ...) shifts no slot of the
///        contracts after it. Slots are checked against contracts/layout/*.json by the tests.
abstract contract MultiProverServiceManagerStorage is IMultiProverServiceManager {
    /// @notice Pause bit of confirmState.
    uint8 public constant PAUSED_SUBMIT_STATE = 0;
    /// @notice Pause bit of operator (de)registration (sic, as upstream).
    uint8 public constant PAUSED_OPERTOR_REGISTRATION = 1;
    /// @notice Thresholds are percentages.
    uint256 public constant THRESHOLD_DENOMINATOR = 100;
    /// @notice Minimum threshold percentage of a quorum bound to a committee until the owner sets another
    ///         (a majority of the quorum's stake; also what a quorum bound before this field existed gets).
    uint8 public constant DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE = 50;

    /// @notice Number of confirmed states; the next confirmation's task id.
    uint32 public taskId;
    /// @notice Task id => keccak256(keccak256(abi.encode(stateHeader)) ‖ signatoryRecordHash ‖ uint32 block number).
    mapping(uint32 => bytes32) public taskIdToMetadataHash;
    /// @notice Committee id => committee (id 0: none).
    mapping(uint256 => Committee) public committees;
    /// @notice Quorum number => its TEE quorum (teeType NONE: not a TEE quorum).
    mapping(uint8 => TEEQuorum) public teeQuorums;
    /// @notice Quorum number => the committee it is bound to (0: none).
    mapping(uint8 => uint256) public quorumIdToCommitteeId;
    /// @notice The account allowed to call confirmState.
    address public stateConfirmer;
    /// @notice The account managing the PoA switch and whitelist.
    address public poaManager;
    /// @notice The account managing committees and TEE quorums.
    address public committeeManager;
    mapping(address => bool) internal operatorWhitelist;
    /// @notice Whether only whitelisted operators may register.
    bool public poaEnabled;
    /// @dev Committee id => quorum number => minimum threshold percentage (0: DEFAULT_MINIMUM_THRESHOLD_PERCENTAGE).
    mapping(uint256 => mapping(uint8 => uint8)) internal _minimumThresholds;
    /// @notice Committee id => its ordering rule for latestConfirmedState.
    mapping(uint256 => CommitteeOrdering) public committeeOrdering;
    /// @dev Committee id => keccak256(metadata) => the confirmed state.
    mapping(uint256 => mapping(bytes32 => ConfirmedState)) internal _confirmedStates;
    /// @dev Committee id => keccak256(metadata) of its latest confirmed state (0: none); read with latestConfirmedState.
    mapping(uint256 => bytes32) internal _latestMetadataHash;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (14 used + 36 = 50).
    uint256[36] private __GAP;
}
