// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAVSDirectory} from "../interfaces/IAVSDirectory.sol";

/// @title Storage of AVSDirectory: operator registration status per AVS and spent salts, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract AVSDirectoryStorage is IAVSDirectory {
    enum OperatorAVSRegistrationStatus {
        UNREGISTERED,
        REGISTERED
    }

    uint256 internal _cachedChainId;
    bytes32 internal _cachedDomainSeparator;
    /// @notice AVS => operator => registration status.
    mapping(address => mapping(address => OperatorAVSRegistrationStatus)) public avsOperatorStatus;
    /// @notice Operator => salt => whether it was used or cancelled.
    mapping(address => mapping(bytes32 => bool)) public operatorSaltIsSpent;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (4 used + 46 = 50).
    uint256[46] private __GAP;
}
