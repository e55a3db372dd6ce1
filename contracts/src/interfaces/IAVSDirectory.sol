// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ISignatureUtils} from "./ISignatureUtils.sol";

/// @title EigenLayer M2 AVSDirectory: operator registration to AVSs.
interface IAVSDirectory {
    /// @notice Registers `operator` with the calling AVS, checking the operator's EIP-712 signature, salt and expiry.
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory sig) external;
    /// @notice Deregisters `operator` from the calling AVS.
    function deregisterOperatorFromAVS(address operator) external;
    /// @notice Emits the calling AVS's metadata URI.
    function updateAVSMetadataURI(string calldata uri) external;
}
