// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ISignatureUtils} from "./ISignatureUtils.sol";

/// @title EigenLayer middleware ServiceManagerBase entry points called by the RegistryCoordinator.
interface IServiceManager {
    /// @notice Registers `operator` with the AVSDirectory. RegistryCoordinator only.
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory sig) external;
    /// @notice Deregisters `operator` from the AVSDirectory. RegistryCoordinator only.
    function deregisterOperatorFromAVS(address operator) external;
}
