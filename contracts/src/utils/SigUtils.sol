// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title ECDSA recovery with EIP-2 low-s and v in {27, 28} (65-byte r||s||v or 64-byte EIP-2098),
///        and EIP-1271 for contract signers.
library SigUtils {
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice The signature is neither 65 (r||s||v) nor 64 (EIP-2098) bytes long.
    error ECDSAInvalidSignatureLength(uint256 length);
    /// @notice s is in the upper half of the curve order (EIP-2).
    error ECDSAInvalidSignatureS(bytes32 s);
    /// @notice v is not 27 or 28.
    error ECDSAInvalidSignatureV(uint8 v);
    /// @notice ecrecover found no signer.
    error ECDSAInvalidSignature();
    /// @notice The recovered signer is not the expected one.
    error SignatureNotFromSigner();
    /// @notice The EIP-1271 signer contract did not approve the signature.
    error ERC1271VerificationFailed();

    function recover(bytes32 digest, bytes memory sig) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        if (sig.length == 65) {
            assembly {
                r := mload(add(sig, 0x20))
                s := mload(add(sig, 0x40))
                v := byte(0, mload(add(sig, 0x60)))
            }
        } else if (sig.length == 64) {
            bytes32 vs;
            assembly {
                r := mload(add(sig, 0x20))
                vs := mload(add(sig, 0x40))
            }
            s = vs & bytes32(0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff);
            v = uint8((uint256(vs) >> 255) + 27);
        } else {
            revert ECDSAInvalidSignatureLength(sig.length);
        }
        if (uint256(s) > HALF_N) revert ECDSAInvalidSignatureS(s);
        if (v != 27 && v != 28) revert ECDSAInvalidSignatureV(v);
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert ECDSAInvalidSignature();
        return signer;
    }

    /// @notice Reverts unless `signer` signed `digest` (EOA) or approves it via EIP-1271 (contract).
    function checkSignature(address signer, bytes32 digest, bytes memory sig) internal view {
        if (signer.code.length != 0) {
            (bool ok, bytes memory ret) =
                signer.staticcall(abi.encodeWithSelector(0x1626ba7e, digest, sig));
            if (!ok || ret.length < 32 || abi.decode(ret, (bytes4)) != 0x1626ba7e) revert ERC1271VerificationFailed();
        } else {
            if (recover(digest, sig) != signer) revert SignatureNotFromSigner();
        }
    }
}
