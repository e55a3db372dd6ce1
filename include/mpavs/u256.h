/*
 * mpavs/u256.h — 256-bit unsigned integers for wei amounts, ABI words and
 * EVM arithmetic (wrapping two's complement where noted).
 *
 * Values are four 64-bit limbs, least significant first. All functions are
 * variable-time: do not use them on secrets (BN254 has its own field code).
 */
#ifndef MPAVS_U256_H
#define MPAVS_U256_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t w[4]; /* w[0] least significant */
} mpavs_u256;

typedef enum {
    MPAVS_U256_OK = 0,
    MPAVS_U256_ERR_SYNTAX,   /* not a decimal or 0x-hex number */
    MPAVS_U256_ERR_OVERFLOW, /* does not fit in 256 bits */
    MPAVS_U256_ERR_DIV_ZERO, /* division by zero */
    MPAVS_U256_ERR_SPACE,    /* output buffer too small */
} mpavs_u256_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_u256_strerror(int r);

/** The value v as a u256. */
MPAVS_API mpavs_u256 mpavs_u256_from_u64(uint64_t v);
/** Read 32 big-endian bytes (an ABI word). */
MPAVS_API mpavs_u256 mpavs_u256_from_be32(const uint8_t in[32]);
/** Write 32 big-endian bytes. */
MPAVS_API void mpavs_u256_to_be32(uint8_t out[32], const mpavs_u256 *a);
/**
 * Read up to 32 big-endian bytes (shorter inputs are left-padded with zeros).
 * Returns MPAVS_U256_OK or MPAVS_U256_ERR_OVERFLOW when len > 32.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_u256_from_be(mpavs_u256 *out, const uint8_t *in, size_t len);
/** Minimal big-endian bytes of a (0 bytes for zero). Out: out (32 bytes), *len. */
MPAVS_API void mpavs_u256_to_be_min(uint8_t out[32], size_t *len, const mpavs_u256 *a);

/**
 * Parse decimal ("123") or hex ("0x7b", any case, no digits after 0x means
 * error) text of length len. Leading/trailing spaces are an error.
 * Returns MPAVS_U256_OK, _ERR_SYNTAX or _ERR_OVERFLOW.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_u256_parse(mpavs_u256 *out, const char *s, size_t len);
/**
 * Parse a decimal amount in units of 10^decimals (0..77): "1.5" with decimals 9 is
 * 1500000000. At most `decimals` digits after the one optional '.', at least one digit; no sign,
 * exponent or spaces. Out: *out. Returns MPAVS_U256_OK, _ERR_SYNTAX (also: too many decimals)
 * or _ERR_OVERFLOW.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_u256_parse_units(mpavs_u256 *out, const char *s, unsigned decimals);
/**
 * Parse a fee per gas as wei: "1500000000", "1500000000wei", "1.5gwei" (suffix in any case, up to
 * 9 decimals with gwei). Out: *out. Returns as mpavs_u256_parse_units.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_u256_parse_fee(mpavs_u256 *out, const char *s);
/** Decimal text of a, NUL-terminated. out needs 79 bytes. Returns OK or _ERR_SPACE. */
MPAVS_API int mpavs_u256_to_dec(char *out, size_t cap, const mpavs_u256 *a);
/** "0x"-prefixed minimal lowercase hex ("0x0" for zero). out needs 67 bytes. */
MPAVS_API int mpavs_u256_to_hex(char *out, size_t cap, const mpavs_u256 *a);

/** -1, 0, 1 as a <, ==, > b. */
MPAVS_API int mpavs_u256_cmp(const mpavs_u256 *a, const mpavs_u256 *b);
/** True if a is zero. */
MPAVS_API bool mpavs_u256_is_zero(const mpavs_u256 *a);
/** Number of significant bits (0 for zero). */
MPAVS_API unsigned mpavs_u256_bits(const mpavs_u256 *a);
/** r = a + b mod 2^256; returns the carry out (0 or 1). r may alias a or b. */
MPAVS_API uint64_t mpavs_u256_add(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b);
/** r = a - b mod 2^256; returns the borrow out (0 or 1). r may alias a or b. */
MPAVS_API uint64_t mpavs_u256_sub(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b);
/** r = a * b mod 2^256; returns true if the full product overflowed 256 bits. */
MPAVS_API bool mpavs_u256_mul(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b);
/** q = a / b, m = a % b (either output may be NULL). Returns OK or _ERR_DIV_ZERO. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_u256_divmod(mpavs_u256 *q, mpavs_u256 *m, const mpavs_u256 *a,
                                                  const mpavs_u256 *b);
/** r = a << n (n < 256; bits shifted out are lost). */
MPAVS_API void mpavs_u256_shl(mpavs_u256 *r, const mpavs_u256 *a, unsigned n);
/** r = a >> n (logical; n < 256). */
MPAVS_API void mpavs_u256_shr(mpavs_u256 *r, const mpavs_u256 *a, unsigned n);
/** r = -a mod 2^256 (two's complement negation). */
MPAVS_API void mpavs_u256_neg(mpavs_u256 *r, const mpavs_u256 *a);
/** Bit i (0 = least significant) of a. */
MPAVS_API int mpavs_u256_bit(const mpavs_u256 *a, unsigned i);

#ifdef __cplusplus
}
#endif
#endif
