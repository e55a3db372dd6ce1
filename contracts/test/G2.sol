// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../src/libraries/BN254.sol";

/// @dev Test-only G2 arithmetic (affine, Fp2 = Fp[i]/(i^2+1)); no precompile exists for G2.
///      Points use the EVM order X = [im, re], Y = [im, re]. Not constant time.
library G2 {
    uint256 internal constant P = BN254.FP_MODULUS;

    struct F2 {
        uint256 re;
        uint256 im;
    }

    function add2(F2 memory a, F2 memory b) internal pure returns (F2 memory) {
        return F2(addmod(a.re, b.re, P), addmod(a.im, b.im, P));
    }

    function sub2(F2 memory a, F2 memory b) internal pure returns (F2 memory) {
        return F2(addmod(a.re, P - b.re, P), addmod(a.im, P - b.im, P));
    }

    function mul2(F2 memory a, F2 memory b) internal pure returns (F2 memory) {
        return F2(
            addmod(mulmod(a.re, b.re, P), P - mulmod(a.im, b.im, P), P),
            addmod(mulmod(a.re, b.im, P), mulmod(a.im, b.re, P), P)
        );
    }

    function inv2(F2 memory a) internal view returns (F2 memory) {
        uint256 n = addmod(mulmod(a.re, a.re, P), mulmod(a.im, a.im, P), P);
        uint256 ni = BN254.expMod(n, P - 2, P);
        return F2(mulmod(a.re, ni, P), mulmod(P - a.im, ni, P));
    }

    function isZero(BN254.G2Point memory p) internal pure returns (bool) {
        return p.X[0] == 0 && p.X[1] == 0 && p.Y[0] == 0 && p.Y[1] == 0;
    }

    function add(BN254.G2Point memory a, BN254.G2Point memory b) internal view returns (BN254.G2Point memory) {
        if (isZero(a)) return b;
        if (isZero(b)) return a;
        F2 memory x1 = F2(a.X[1], a.X[0]);
        F2 memory y1 = F2(a.Y[1], a.Y[0]);
        F2 memory x2 = F2(b.X[1], b.X[0]);
        F2 memory y2 = F2(b.Y[1], b.Y[0]);
        F2 memory lambda;
        if (x1.re == x2.re && x1.im == x2.im) {
            if (y1.re != y2.re || y1.im != y2.im) return BN254.G2Point([uint256(0), 0], [uint256(0), 0]);
            // doubling: 3x^2 / 2y
            F2 memory x2sq = mul2(x1, x1);
            lambda = mul2(add2(add2(x2sq, x2sq), x2sq), inv2(add2(y1, y1)));
        } else {
            lambda = mul2(sub2(y2, y1), inv2(sub2(x2, x1)));
        }
        F2 memory x3 = sub2(sub2(mul2(lambda, lambda), x1), x2);
        F2 memory y3 = sub2(mul2(lambda, sub2(x1, x3)), y1);
        return BN254.G2Point([x3.im, x3.re], [y3.im, y3.re]);
    }

    function mul(BN254.G2Point memory p, uint256 s) internal view returns (BN254.G2Point memory acc) {
        acc = BN254.G2Point([uint256(0), 0], [uint256(0), 0]);
        BN254.G2Point memory d = p;
        while (s != 0) {
            if (s & 1 == 1) acc = add(acc, d);
            s >>= 1;
            if (s != 0) d = add(d, d);
        }
    }
}
