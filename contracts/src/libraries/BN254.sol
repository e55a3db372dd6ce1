// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @title BN254 (alt_bn128) helpers over the EVM precompiles 0x05-0x08.
/// @notice G2 points keep EigenLayer's order: X = [imaginary, real], Y = [imaginary, real],
///         which is also the order the pairing precompile expects (EIP-197).
library BN254 {
    /// @notice The ecAdd precompile failed (a point not on the curve).
    error ECAddFailed();
    /// @notice The ecMul precompile failed (a point not on the curve).
    error ECMulFailed();
    /// @notice scalar_mul_tiny takes scalars below 512.
    error ScalarTooLarge();
    /// @notice The pairing precompile failed (a point not on the curve or not in the subgroup).
    error ECPairingFailed();
    /// @notice The modexp precompile failed.
    error ExpModFailed();

    uint256 internal constant FP_MODULUS =
        21888242871839275222246405745257275088696311157297823662689037894645226208583;
    uint256 internal constant FR_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    struct G1Point {
        uint256 X;
        uint256 Y;
    }

    struct G2Point {
        uint256[2] X;
        uint256[2] Y;
    }

    // G2 generator, real (x0, y0) and imaginary (x1, y1) parts.
    uint256 internal constant G2x0 = 0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed;
    uint256 internal constant G2x1 = 0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2;
    uint256 internal constant G2y0 = 0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa;
    uint256 internal constant G2y1 = 0x090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b;
    // (p + 1) / 4, the square-root exponent (p = 3 mod 4).
    uint256 internal constant SQRT_EXP = 0x0c19139cb84c680a6e14116da060561765e05aa45a1c72a34f082305b61f3f52;

    function generatorG1() internal pure returns (G1Point memory) {
        return G1Point(1, 2);
    }

    function generatorG2() internal pure returns (G2Point memory) {
        return G2Point([G2x1, G2x0], [G2y1, G2y0]);
    }

    function negGeneratorG2() internal pure returns (G2Point memory) {
        return G2Point([G2x1, G2x0], [FP_MODULUS - G2y1, FP_MODULUS - G2y0]);
    }

    function negate(G1Point memory p) internal pure returns (G1Point memory) {
        if (p.X == 0 && p.Y == 0) return G1Point(0, 0);
        return G1Point(p.X, FP_MODULUS - (p.Y % FP_MODULUS));
    }

    function plus(G1Point memory a, G1Point memory b) internal view returns (G1Point memory r) {
        uint256[4] memory input = [a.X, a.Y, b.X, b.Y];
        bool ok;
        assembly {
            ok := staticcall(gas(), 0x06, input, 0x80, r, 0x40)
        }
        if (!(ok)) revert ECAddFailed();
    }

    function scalar_mul(G1Point memory p, uint256 s) internal view returns (G1Point memory r) {
        uint256[3] memory input = [p.X, p.Y, s];
        bool ok;
        assembly {
            ok := staticcall(gas(), 0x07, input, 0x60, r, 0x40)
        }
        if (!(ok)) revert ECMulFailed();
    }

    /// @notice s * p for s < 512 by double-and-add (cheaper than ecMul for small s).
    function scalar_mul_tiny(G1Point memory p, uint16 s) internal view returns (G1Point memory) {
        if (!(s < 512)) revert ScalarTooLarge();
        G1Point memory acc = G1Point(0, 0);
        if (s == 0) return acc;
        G1Point memory d = G1Point(p.X, p.Y);
        while (s != 0) {
            if (s & 1 == 1) acc = plus(acc, d);
            s >>= 1;
            if (s != 0) d = plus(d, d);
        }
        return acc;
    }

    /// @notice e(a1, a2) * e(b1, b2) == 1; reverts when the precompile rejects the input.
    function pairing(G1Point memory a1, G2Point memory a2, G1Point memory b1, G2Point memory b2)
        internal
        view
        returns (bool)
    {
        (bool ok, bool res) = safePairing(a1, a2, b1, b2, gasleft());
        if (!(ok)) revert ECPairingFailed();
        return res;
    }

    /// @notice Pairing check with a gas cap: (call succeeded, product is one).
    function safePairing(
        G1Point memory a1,
        G2Point memory a2,
        G1Point memory b1,
        G2Point memory b2,
        uint256 gasCap
    ) internal view returns (bool success, bool result) {
        uint256[12] memory input = [
            a1.X, a1.Y, a2.X[0], a2.X[1], a2.Y[0], a2.Y[1],
            b1.X, b1.Y, b2.X[0], b2.X[1], b2.Y[0], b2.Y[1]
        ];
        uint256[1] memory out;
        assembly {
            success := staticcall(gasCap, 0x08, input, 0x180, out, 0x20)
        }
        result = success && out[0] == 1;
    }

    function hashG1Point(G1Point memory p) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(p.X, p.Y));
    }

    function hashG2Point(G2Point memory p) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(p.X[0], p.X[1], p.Y[0], p.Y[1]));
    }

    function expMod(uint256 base, uint256 e, uint256 m) internal view returns (uint256 r) {
        uint256[6] memory input = [uint256(32), 32, 32, base, e, m];
        uint256[1] memory out;
        bool ok;
        assembly {
            ok := staticcall(gas(), 0x05, input, 0xc0, out, 0x20)
        }
        if (!(ok)) revert ExpModFailed();
        r = out[0];
    }

    /// @notice Try-and-increment map to G1: x = h mod p; y = (x^3 + 3)^((p+1)/4), no sign fix.
    function hashToG1(bytes32 h) internal view returns (G1Point memory) {
        uint256 x = uint256(h) % FP_MODULUS;
        while (true) {
            uint256 beta = addmod(mulmod(mulmod(x, x, FP_MODULUS), x, FP_MODULUS), 3, FP_MODULUS);
            uint256 y = expMod(beta, SQRT_EXP, FP_MODULUS);
            if (mulmod(y, y, FP_MODULUS) == beta) return G1Point(x, y);
            x = addmod(x, 1, FP_MODULUS);
        }
        revert(); // unreachable
    }
}
