// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title ECDSA recovery with EIP-2 low-s and v in {27, 28} (65-byte r||s||v or 64-byte EIP-2098),
///        and EIP-1271 for contract signers.
library SigUtils {
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

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
            revert("ECDSA: invalid signature length");
        }
        require(uint256(s) <= HALF_N, "ECDSA: invalid signature 's' value");
        require(v == 27 || v == 28, "ECDSA: invalid signature 'v' value");
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "ECDSA: invalid signature");
        return signer;
    }

    /// @notice Reverts unless `signer` signed `digest` (EOA) or approves it via EIP-1271 (contract).
    function checkSignature(address signer, bytes32 digest, bytes memory sig) internal view {
        if (signer.code.length != 0) {
            (bool ok, bytes memory ret) =
                signer.staticcall(abi.encodeWithSelector(0x1626ba7e, digest, sig));
            require(ok && ret.length >= 32 && abi.decode(ret, (bytes4)) == 0x1626ba7e,
                "EIP1271SignatureUtils.checkSignature_EIP1271: ERC1271 signature verification failed");
        } else {
            require(recover(digest, sig) == signer,
                "EIP1271SignatureUtils.checkSignature_EIP1271: signature not from signer");
        }
    }
}
