// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title EigenLayer's signature containers (operator registration to an AVS).
interface ISignatureUtils {
    struct SignatureWithExpiry {
        bytes signature;
        uint256 expiry;
    }

    struct SignatureWithSaltAndExpiry {
        bytes signature;
        bytes32 salt;
        uint256 expiry;
    }
}
