// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IBLSSignatureChecker} from "../interfaces/IBLSSignatureChecker.sol";

/// @title Storage of BLSSignatureChecker: one flag and a gap (50 slots).
abstract contract BLSSignatureCheckerStorage is IBLSSignatureChecker {
    /// @notice Whether checkSignatures requires fresh stakes (see setStaleStakesForbidden). The
    ///         implementation's constructor sets it in the implementation only; a proxy reads false
    ///         until the RegistryCoordinator owner sets it.
    bool public staleStakesForbidden;

    /// @dev Reserved slots: a variable added above shrinks this gap by as many slots.
    uint256[49] private __GAP;
}
