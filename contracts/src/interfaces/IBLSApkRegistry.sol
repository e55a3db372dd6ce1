// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";

/// @title EigenLayer middleware BLSApkRegistry: operator BLS keys and quorum aggregate keys.
interface IBLSApkRegistry {
    struct ApkUpdate {
        bytes24 apkHash;
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
    }

    struct PubkeyRegistrationParams {
        BN254.G1Point pubkeyRegistrationSignature;
        BN254.G1Point pubkeyG1;
        BN254.G2Point pubkeyG2;
    }

    function registerBLSPublicKey(address operator, PubkeyRegistrationParams calldata params, BN254.G1Point calldata h)
        external returns (bytes32);
    function registerOperator(address operator, bytes calldata quorumNumbers) external;
    function deregisterOperator(address operator, bytes calldata quorumNumbers) external;
    function initializeQuorum(uint8 quorumNumber) external;
    function getOperatorId(address operator) external view returns (bytes32);
    function getOperatorFromPubkeyHash(bytes32 pubkeyHash) external view returns (address);
    function getApkHashAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (bytes24);
    function getApkIndicesAtBlockNumber(bytes calldata quorumNumbers, uint256 blockNumber) external view returns (uint32[] memory);
}
