/*
 * mpavs/hex.h — hexadecimal encoding and decoding of byte strings.
 */
#ifndef MPAVS_HEX_H
#define MPAVS_HEX_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_HEX_OK = 0,
    MPAVS_HEX_ERR_CHAR,  /* a character that is not a hex digit */
    MPAVS_HEX_ERR_ODD,   /* an odd number of digits */
    MPAVS_HEX_ERR_SPACE, /* the output buffer is too small */
} mpavs_hex_result;

/** Name of a result value ("odd number of hex digits", ...). Never NULL. */
MPAVS_API const char *mpavs_hex_strerror(int r);

/**
 * Decode hex text to bytes. An optional "0x"/"0X" prefix is skipped; digits
 * may be upper or lower case; the digit count must be even.
 * Out:  out (cap bytes available), *outlen = bytes written.
 * In:   hex, hexlen (need not be NUL-terminated).
 * Constant time in the digits' values (they may be a secret key): only their count, the
 * presence of the prefix and whether every digit was valid are public.
 * Returns MPAVS_HEX_OK or an error (out is zeroed on MPAVS_HEX_ERR_CHAR, untouched otherwise).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_hex_decode(uint8_t *out, size_t cap, size_t *outlen,
                                                 const char *hex, size_t hexlen);

/**
 * Decode hex text that must encode exactly n bytes (e.g. a 32-byte hash).
 * Out: out (n bytes). In: hex (NUL-terminated, optional 0x), n. Constant time in the digits'
 * values as mpavs_hex_decode (the text's length is public: strlen reads it).
 * Returns MPAVS_HEX_OK, or MPAVS_HEX_ERR_SPACE when the length differs.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_hex_decode_exact(uint8_t *out, size_t n, const char *hex);

/**
 * Encode n bytes as lowercase hex with a "0x" prefix when prefix is true,
 * NUL-terminated, in time independent of the bytes' values.
 * Out: out (cap bytes; needs 2n+1, +2 with prefix).
 * Returns MPAVS_HEX_OK or MPAVS_HEX_ERR_SPACE (out is then "").
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_hex_encode(char *out, size_t cap, const uint8_t *in, size_t n,
                                                 bool prefix);

#ifdef __cplusplus
}
#endif
#endif
