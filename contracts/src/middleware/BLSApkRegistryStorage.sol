// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {BN254} from "../libraries/BN254.sol";

/// @title Storage of BLSApkRegistry: operator keys and aggregate-key histories per quorum, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract BLSApkRegistryStorage is IBLSApkRegistry {
    /// @notice Operator => its BLS key hash (its operator id).
    mapping(address => bytes32) public operatorToPubkeyHash;
    /// @notice BLS key hash => operator.
    mapping(bytes32 => address) public pubkeyHashToOperator;
    /// @notice Operator => its BLS G1 key.
    mapping(address => BN254.G1Point) public operatorToPubkey;
    /// @notice Quorum => its aggregate-key updates.
    mapping(uint8 => ApkUpdate[]) public apkHistory;
    /// @notice Quorum => its current aggregate key.
    mapping(uint8 => BN254.G1Point) public currentApk;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
