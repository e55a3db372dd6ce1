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

    /// @notice Records `operator`'s BLS key after checking its proof of possession over `h`; returns the operator id (key hash). RegistryCoordinator only.
    function registerBLSPublicKey(address operator, PubkeyRegistrationParams calldata params, BN254.G1Point calldata h)
        external returns (bytes32);
    /// @notice Adds the operator's key to the aggregate keys of `quorumNumbers`. RegistryCoordinator only.
    function registerOperator(address operator, bytes calldata quorumNumbers) external;
    /// @notice Removes the operator's key from the aggregate keys of `quorumNumbers`. RegistryCoordinator only.
    function deregisterOperator(address operator, bytes calldata quorumNumbers) external;
    /// @notice Starts a quorum's aggregate-key history. RegistryCoordinator only.
    function initializeQuorum(uint8 quorumNumber) external;
    /// @notice `operator`'s id (its key hash; zero: none).
    function getOperatorId(address operator) external view returns (bytes32);
    /// @notice The operator that registered the key with this hash (zero: none).
    function getOperatorFromPubkeyHash(bytes32 pubkeyHash) external view returns (address);
    /// @notice The 24-byte aggregate-key hash of update `index`, checked to be the one in force at `blockNumber`.
    function getApkHashAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (bytes24);
    /// @notice For each quorum, the index of its aggregate-key update in force at `blockNumber`.
    function getApkIndicesAtBlockNumber(bytes calldata quorumNumbers, uint256 blockNumber) external view returns (uint32[] memory);
}
