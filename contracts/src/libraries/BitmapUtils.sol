// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title Quorum bitmaps: quorum q is bit q of a uint256.
library BitmapUtils {
    /// @notice A quorum number at or above the bound (quorumCount).
    error BitmapValueTooLarge();
    /// @notice More than 256 quorum numbers.
    error BytesArrayLengthTooLong();
    /// @notice Quorum numbers not strictly ascending.
    error BytesArrayNotOrdered();

    /// @notice Bitmap of strictly ascending quorum numbers, each below `bitUpperBound`.
    function orderedBytesArrayToBitmap(bytes memory arr, uint8 bitUpperBound) internal pure returns (uint256 bitmap) {
        bitmap = orderedBytesArrayToBitmap(arr);
        if (bitmap != 0) {
            if (!((bitmap >> bitUpperBound) == 0)) revert BitmapValueTooLarge();
        }
    }

    function orderedBytesArrayToBitmap(bytes memory arr) internal pure returns (uint256 bitmap) {
        if (!(arr.length <= 256)) revert BytesArrayLengthTooLong();
        for (uint256 i = 0; i < arr.length; i++) {
            uint256 bit = uint256(1) << uint8(arr[i]);
            if (!(bit > bitmap)) revert BytesArrayNotOrdered();
            bitmap |= bit;
        }
    }

    function bitmapToBytesArray(uint256 bitmap) internal pure returns (bytes memory out) {
        out = new bytes(countNumOnes(bitmap));
        uint256 n;
        for (uint256 i = 0; i < 256 && bitmap >> i != 0; i++) {
            if ((bitmap >> i) & 1 == 1) out[n++] = bytes1(uint8(i));
        }
    }

    function countNumOnes(uint256 n) internal pure returns (uint16 count) {
        while (n != 0) {
            n &= n - 1;
            count++;
        }
    }

    function isSet(uint256 bitmap, uint8 bit) internal pure returns (bool) {
        return (bitmap >> bit) & 1 == 1;
    }

    function isEmpty(uint256 bitmap) internal pure returns (bool) {
        return bitmap == 0;
    }

    function noBitsInCommon(uint256 a, uint256 b) internal pure returns (bool) {
        return a & b == 0;
    }

    function isSubsetOf(uint256 a, uint256 b) internal pure returns (bool) {
        return a & b == a;
    }
}
