// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {ISignatureUtils} from "./ISignatureUtils.sol";

/// @title EigenLayer M2 AVSDirectory: operator registration to AVSs.
interface IAVSDirectory {
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory sig) external;
    function deregisterOperatorFromAVS(address operator) external;
    function updateAVSMetadataURI(string calldata uri) external;
}
