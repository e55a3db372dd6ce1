// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IBLSApkRegistry} from "../interfaces/IBLSApkRegistry.sol";
import {BN254} from "../libraries/BN254.sol";

/// @title Storage of BLSApkRegistry: operator keys and aggregate-key histories per quorum, then a gap (50 slots in all), so that
///        state added later shifts no slot. Slots are checked against contracts/layout/*.json by the tests.
abstract contract BLSApkRegistryStorage is IBLSApkRegistry {
    mapping(address => bytes32) public operatorToPubkeyHash;
    mapping(bytes32 => address) public pubkeyHashToOperator;
    mapping(address => BN254.G1Point) public operatorToPubkey;
    mapping(uint8 => ApkUpdate[]) public apkHistory;
    mapping(uint8 => BN254.G1Point) public currentApk;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots (5 used + 45 = 50).
    uint256[45] private __GAP;
}
