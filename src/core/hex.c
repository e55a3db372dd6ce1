/* Hex encoding and decoding. */
#include "mpavs/hex.h"
#include "util/ct.h"

#include <string.h>

const char *mpavs_hex_strerror(int r) {
    switch (r) {
    case MPAVS_HEX_OK: return "ok";
    case MPAVS_HEX_ERR_CHAR: return "not a hex digit";
    case MPAVS_HEX_ERR_ODD: return "odd number of hex digits";
    case MPAVS_HEX_ERR_SPACE: return "hex string has the wrong length";
    default: return "unknown hex error";
    }
}

/*
 * The value of hex digit c, without a branch or a table lookup on c (hex text may be a secret
 * key); *bad gets all ones when c is not a hex digit.
 */
static uint8_t digit_ct(unsigned char c, uint64_t *bad) {
    uint64_t x = c, l = x | 0x20;
    uint64_t num = ~ct_mask_lt(x, '0') & ct_mask_lt(x, '9' + 1);
    uint64_t alpha = ~ct_mask_lt(l, 'a') & ct_mask_lt(l, 'f' + 1);
    *bad |= ~(num | alpha);
    return (uint8_t)((((x - '0') & num) | ((l - 'a' + 10) & alpha)) & 15);
}

int mpavs_hex_decode(uint8_t *out, size_t cap, size_t *outlen, const char *hex, size_t hexlen) {
    if (hexlen >= 2) {
        /* "0x" is public formatting: whether it is there is declassified (the 'x' is no hex digit) */
        uint64_t prefix = ct_mask_zero((uint64_t)(unsigned char)hex[0] ^ '0') &
                          ct_mask_zero((uint64_t)((unsigned char)hex[1] | 0x20) ^ 'x');
        ct_declassify(&prefix, sizeof prefix);
        if (prefix) {
            hex += 2;
            hexlen -= 2;
        }
    }
    if (hexlen % 2) return MPAVS_HEX_ERR_ODD;
    if (hexlen / 2 > cap) return MPAVS_HEX_ERR_SPACE;
    uint64_t bad = 0;
    for (size_t i = 0; i < hexlen / 2; i++) {
        uint8_t h = digit_ct((unsigned char)hex[2 * i], &bad), l = digit_ct((unsigned char)hex[2 * i + 1], &bad);
        out[i] = (uint8_t)(h << 4 | l);
    }
    ct_declassify(&bad, sizeof bad); /* whether the text was hex is public; which digit failed is not */
    if (bad) {
        mpavs_wipe(out, hexlen / 2);
        return MPAVS_HEX_ERR_CHAR;
    }
    if (outlen) *outlen = hexlen / 2;
    return MPAVS_HEX_OK;
}

int mpavs_hex_decode_exact(uint8_t *out, size_t n, const char *hex) {
    size_t len = strlen(hex), got;
    size_t digits = len - ((len >= 2 && hex[0] == '0' && (hex[1] | 0x20) == 'x') ? 2 : 0);
    if (digits != 2 * n) return digits % 2 ? MPAVS_HEX_ERR_ODD : MPAVS_HEX_ERR_SPACE;
    return mpavs_hex_decode(out, n, &got, hex, len);
}

/* '0'..'9', 'a'..'f' for v in 0..15, without a branch or a table lookup on v. */
static char nibble_char(unsigned v) {
    return (char)('0' + v + (('a' - '0' - 10) & ct_mask_lt(9, v)));
}

int mpavs_hex_encode(char *out, size_t cap, const uint8_t *in, size_t n, bool prefix) {
    size_t need = 2 * n + 1 + (prefix ? 2 : 0);
    if (n > (SIZE_MAX - 3) / 2 || cap < need) {
        if (cap) out[0] = 0;
        return MPAVS_HEX_ERR_SPACE;
    }
    char *p = out;
    if (prefix) {
        *p++ = '0';
        *p++ = 'x';
    }
    for (size_t i = 0; i < n; i++) { /* no table lookup on the bytes (they may be a secret) */
        *p++ = nibble_char(in[i] >> 4);
        *p++ = nibble_char(in[i] & 15);
    }
    *p = 0;
    return MPAVS_HEX_OK;
}
