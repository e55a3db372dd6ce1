/* Hex encoding and decoding. */
#include "mpavs/hex.h"

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

static int digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int mpavs_hex_decode(uint8_t *out, size_t cap, size_t *outlen, const char *hex, size_t hexlen) {
    if (hexlen >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
        hex += 2;
        hexlen -= 2;
    }
    if (hexlen % 2) return MPAVS_HEX_ERR_ODD;
    if (hexlen / 2 > cap) return MPAVS_HEX_ERR_SPACE;
    for (size_t i = 0; i < hexlen / 2; i++) {
        int h = digit((unsigned char)hex[2 * i]), l = digit((unsigned char)hex[2 * i + 1]);
        if (h < 0 || l < 0) return MPAVS_HEX_ERR_CHAR;
        out[i] = (uint8_t)(h << 4 | l);
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

int mpavs_hex_encode(char *out, size_t cap, const uint8_t *in, size_t n, bool prefix) {
    static const char d[] = "0123456789abcdef";
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
    for (size_t i = 0; i < n; i++) {
        *p++ = d[in[i] >> 4];
        *p++ = d[in[i] & 15];
    }
    *p = 0;
    return MPAVS_HEX_OK;
}
