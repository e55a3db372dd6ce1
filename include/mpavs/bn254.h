/*
 * mpavs/bn254.h — the BN254 (alt_bn128) curve of the EVM precompiles 0x06/0x07/0x08.
 *
 * G1: y^2 = x^3 + 3 over Fp; G2: y^2 = x^3 + 3/(9+i) over Fp2 = Fp[i]/(i^2+1);
 * the optimal ate pairing e: G1 x G2 -> GT (a subgroup of Fp12*).
 *
 * Encodings are the EVM's: an Fp element is 32 bytes big-endian and must be
 * < p; a G1 point is x || y (64 bytes); a G2 point is x.im || x.re || y.im ||
 * y.re (128 bytes, imaginary part first); the point at infinity is all
 * zeros. Scalars are 32 bytes big-endian (any 256-bit value).
 *
 * Point values (mpavs_bn254_g1/g2) are affine, hold field elements in an
 * internal (Montgomery) form, and are always valid points once produced by
 * a function of this header: decode them, never fill them by hand.
 *
 * Functions without the _var suffix run in time independent of their
 * (secret) scalar; _var functions are for public data only.
 */
#ifndef MPAVS_BN254_H
#define MPAVS_BN254_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_BN254_OK = 0,
    MPAVS_BN254_ERR_NOT_CANONICAL,   /* a coordinate is >= p */
    MPAVS_BN254_ERR_NOT_ON_CURVE,    /* the point does not satisfy the curve equation */
    MPAVS_BN254_ERR_NOT_IN_SUBGROUP, /* a G2 point outside the order-r subgroup */
    MPAVS_BN254_ERR_LENGTH,          /* pairing input whose length is not a multiple of 192 */
} mpavs_bn254_result;

/** An Fp element (internal form; 4 little-endian 64-bit limbs). */
typedef struct {
    uint64_t l[4];
} mpavs_bn254_fp;

/** An Fp2 element c0 + c1*i (internal form). */
typedef struct {
    mpavs_bn254_fp c0, c1;
} mpavs_bn254_fp2;

/** A G1 point in affine form; infinity is flagged (x, y are then zero). */
typedef struct {
    mpavs_bn254_fp x, y;
    uint8_t infinity;
} mpavs_bn254_g1;

/** A G2 point in affine form on the twist; infinity is flagged. */
typedef struct {
    mpavs_bn254_fp2 x, y;
    uint8_t infinity;
} mpavs_bn254_g2;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_bn254_strerror(int r);

/** Out: *out = the generator (1, 2) of G1. */
MPAVS_API void mpavs_bn254_g1_generator(mpavs_bn254_g1 *out);
/** Out: *out = the generator of G2 given by EIP-197 / BN254.sol. */
MPAVS_API void mpavs_bn254_g2_generator(mpavs_bn254_g2 *out);

/**
 * Decode a G1 point from 64 bytes (x || y big-endian; (0,0) = infinity).
 * Returns OK, ERR_NOT_CANONICAL (a coordinate >= p) or ERR_NOT_ON_CURVE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bn254_g1_decode(mpavs_bn254_g1 *out, const uint8_t in[64]);
/** Encode a G1 point as 64 bytes (x || y; infinity = 64 zero bytes). */
MPAVS_API void mpavs_bn254_g1_encode(uint8_t out[64], const mpavs_bn254_g1 *p);

/**
 * Decode a G2 point from 128 bytes (x.im, x.re, y.im, y.re; all zero =
 * infinity). Returns OK, ERR_NOT_CANONICAL, ERR_NOT_ON_CURVE or
 * ERR_NOT_IN_SUBGROUP (checked in that order).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bn254_g2_decode(mpavs_bn254_g2 *out, const uint8_t in[128]);
/** Encode a G2 point as 128 bytes in EVM order (x.im, x.re, y.im, y.re). */
MPAVS_API void mpavs_bn254_g2_encode(uint8_t out[128], const mpavs_bn254_g2 *p);

/** True if a == b. */
MPAVS_API bool mpavs_bn254_g1_eq(const mpavs_bn254_g1 *a, const mpavs_bn254_g1 *b);
/** True if a == b. */
MPAVS_API bool mpavs_bn254_g2_eq(const mpavs_bn254_g2 *a, const mpavs_bn254_g2 *b);

/** Out: *out = a + b (out may alias a or b). */
MPAVS_API void mpavs_bn254_g1_add(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *a, const mpavs_bn254_g1 *b);
/** Out: *out = -a. */
MPAVS_API void mpavs_bn254_g1_neg(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *a);
/** Out: *out = a + b. */
MPAVS_API void mpavs_bn254_g2_add(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *a, const mpavs_bn254_g2 *b);
/** Out: *out = -a. */
MPAVS_API void mpavs_bn254_g2_neg(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *a);

/**
 * Out: *out = k * p, constant time in k (k: 32-byte big-endian, any value).
 * Use for secret scalars.
 */
MPAVS_API void mpavs_bn254_g1_mul(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint8_t k[32]);
/** As mpavs_bn254_g1_mul, variable time (public scalars only). */
MPAVS_API void mpavs_bn254_g1_mul_var(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint8_t k[32]);
/** Out: *out = k * q, constant time in k. */
MPAVS_API void mpavs_bn254_g2_mul(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint8_t k[32]);
/** As mpavs_bn254_g2_mul, variable time (public scalars only). */
MPAVS_API void mpavs_bn254_g2_mul_var(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint8_t k[32]);

/**
 * Multi-scalar multiplication (variable time, public data):
 * *out = sum k[i] * p[i] where k[i] is a little-endian scalar of `bits` bits
 * stored in limbs k[4*i .. 4*i+3] (bits <= 256). Uses Pippenger buckets.
 */
MPAVS_API void mpavs_bn254_g1_msm_var(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint64_t *k,
                                      size_t n, unsigned bits);
/** As mpavs_bn254_g1_msm_var for G2. */
MPAVS_API void mpavs_bn254_g2_msm_var(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint64_t *k,
                                      size_t n, unsigned bits);

/**
 * Pairing product check: *ok = (prod e(p[i], q[i]) == 1), with one shared
 * Miller loop and one final exponentiation. Pairs with an infinity point
 * contribute 1; n = 0 gives *ok = true. Inputs must be decoded points.
 * Returns MPAVS_BN254_OK.
 */
MPAVS_API int mpavs_bn254_pairing_check(bool *ok, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q,
                                        size_t n);

/**
 * Precompile 0x06 (ecAdd): in (any length; zero-padded/truncated to 128
 * bytes) -> out (64 bytes). Returns OK or the decode error of a point.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bn254_ecadd(uint8_t out[64], const uint8_t *in, size_t len);
/** Precompile 0x07 (ecMul): in (x, y, scalar; padded/truncated to 96 bytes) -> out (64 bytes). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bn254_ecmul(uint8_t out[64], const uint8_t *in, size_t len);
/**
 * Precompile 0x08 (ecPairing): in = k * 192 bytes -> out (32 bytes: 1 or 0).
 * Returns OK, ERR_LENGTH (len not a multiple of 192) or a point decode error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bn254_ecpairing(uint8_t out[32], const uint8_t *in, size_t len);

/** Field modulus p and group order r as 32-byte big-endian constants. */
MPAVS_API void mpavs_bn254_modulus_p(uint8_t out[32]);
MPAVS_API void mpavs_bn254_order_r(uint8_t out[32]);

/**
 * Reduce a 32-byte big-endian number modulo r (constant time).
 * Out: out (32 bytes BE, < r; may alias in).
 */
MPAVS_API void mpavs_bn254_scalar_reduce(uint8_t out[32], const uint8_t in[32]);
/** True if the 32-byte big-endian scalar k is < r (constant time). */
MPAVS_API bool mpavs_bn254_scalar_is_valid(const uint8_t k[32]);

#ifdef __cplusplus
}
#endif
#endif
