/* scrypt from RFC 7914: PBKDF2-HMAC-SHA256 (OpenSSL), BlockMix with Salsa20/8, ROMix. */
#include "keystore/scrypt.h"
#include "mpavs/common.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define R32(a, b) (((a) << (b)) | ((a) >> (32 - (b))))

/* Salsa20/8 core on 16 words, in place (RFC 7914 section 3). */
static void salsa20_8(uint32_t b[16]) {
    uint32_t x[16];
    memcpy(x, b, sizeof x);
    for (int i = 0; i < 8; i += 2) {
        /* column round */
        x[4] ^= R32(x[0] + x[12], 7);
        x[8] ^= R32(x[4] + x[0], 9);
        x[12] ^= R32(x[8] + x[4], 13);
        x[0] ^= R32(x[12] + x[8], 18);
        x[9] ^= R32(x[5] + x[1], 7);
        x[13] ^= R32(x[9] + x[5], 9);
        x[1] ^= R32(x[13] + x[9], 13);
        x[5] ^= R32(x[1] + x[13], 18);
        x[14] ^= R32(x[10] + x[6], 7);
        x[2] ^= R32(x[14] + x[10], 9);
        x[6] ^= R32(x[2] + x[14], 13);
        x[10] ^= R32(x[6] + x[2], 18);
        x[3] ^= R32(x[15] + x[11], 7);
        x[7] ^= R32(x[3] + x[15], 9);
        x[11] ^= R32(x[7] + x[3], 13);
        x[15] ^= R32(x[11] + x[7], 18);
        /* row round */
        x[1] ^= R32(x[0] + x[3], 7);
        x[2] ^= R32(x[1] + x[0], 9);
        x[3] ^= R32(x[2] + x[1], 13);
        x[0] ^= R32(x[3] + x[2], 18);
        x[6] ^= R32(x[5] + x[4], 7);
        x[7] ^= R32(x[6] + x[5], 9);
        x[4] ^= R32(x[7] + x[6], 13);
        x[5] ^= R32(x[4] + x[7], 18);
        x[11] ^= R32(x[10] + x[9], 7);
        x[8] ^= R32(x[11] + x[10], 9);
        x[9] ^= R32(x[8] + x[11], 13);
        x[10] ^= R32(x[9] + x[8], 18);
        x[12] ^= R32(x[15] + x[14], 7);
        x[13] ^= R32(x[12] + x[15], 9);
        x[14] ^= R32(x[13] + x[12], 13);
        x[15] ^= R32(x[14] + x[13], 18);
    }
    for (int i = 0; i < 16; i++) b[i] += x[i];
    mpavs_wipe(x, sizeof x);
}

/* BlockMix: in (2r blocks of 16 words) -> out, with the even/odd output shuffle. */
static void blockmix(uint32_t *out, const uint32_t *in, uint32_t r) {
    uint32_t x[16];
    memcpy(x, in + (2 * r - 1) * 16, sizeof x);
    for (uint32_t i = 0; i < 2 * r; i++) {
        for (int k = 0; k < 16; k++) x[k] ^= in[i * 16 + k];
        salsa20_8(x);
        memcpy(out + ((i & 1) * r + i / 2) * 16, x, sizeof x);
    }
    mpavs_wipe(x, sizeof x);
}

/* ROMix on one 128r-byte block b (as 32r words), with v (32rn words) and scratch t (32r words). */
static void romix(uint32_t *b, uint32_t *v, uint32_t *t, uint64_t n, uint32_t r) {
    size_t w = 32 * (size_t)r;
    for (uint64_t i = 0; i < n; i++) {
        memcpy(v + i * w, b, w * 4);
        blockmix(t, b, r);
        memcpy(b, t, w * 4);
    }
    for (uint64_t i = 0; i < n; i++) {
        const uint32_t *last = b + (2 * r - 1) * 16;
        uint64_t j = (((uint64_t)last[1] << 32) | last[0]) & (n - 1);
        for (size_t k = 0; k < w; k++) t[k] = b[k] ^ v[j * w + k];
        blockmix(b, t, r);
    }
}

static void load_le(uint32_t *w, const uint8_t *b, size_t nwords) {
    for (size_t i = 0; i < nwords; i++)
        w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
               (uint32_t)b[4 * i + 3] << 24;
}

static void store_le(uint8_t *b, const uint32_t *w, size_t nwords) {
    for (size_t i = 0; i < nwords; i++) {
        b[4 * i] = (uint8_t)w[i];
        b[4 * i + 1] = (uint8_t)(w[i] >> 8);
        b[4 * i + 2] = (uint8_t)(w[i] >> 16);
        b[4 * i + 3] = (uint8_t)(w[i] >> 24);
    }
}

int ks_scrypt(uint8_t *out, size_t outlen, const char *password, size_t password_len,
              const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p) {
    MPAVS_REQUIRE(n >= 2 && (n & (n - 1)) == 0 && r >= 1 && p >= 1);
    size_t blen = 128 * (size_t)r * p, w = 32 * (size_t)r;
    uint8_t *b = malloc(blen);
    uint32_t *bw = malloc(w * 4), *t = malloc(w * 4), *v = malloc(w * 4 * (size_t)n);
    int ret = -1;
    if (!b || !bw || !t || !v) goto out;
    const char *pw = password_len ? password : "";
    if (PKCS5_PBKDF2_HMAC(pw, (int)password_len, salt, (int)salt_len, 1, EVP_sha256(), (int)blen, b) != 1)
        goto out;
    for (uint32_t i = 0; i < p; i++) {
        load_le(bw, b + i * 128 * (size_t)r, w);
        romix(bw, v, t, n, r);
        store_le(b + i * 128 * (size_t)r, bw, w);
    }
    if (PKCS5_PBKDF2_HMAC(pw, (int)password_len, b, (int)blen, 1, EVP_sha256(), (int)outlen, out) != 1)
        goto out;
    ret = 0;
out:
    if (b) mpavs_wipe(b, blen);
    if (bw) mpavs_wipe(bw, w * 4);
    if (t) mpavs_wipe(t, w * 4);
    if (v) mpavs_wipe(v, w * 4 * (size_t)n);
    free(b);
    free(bw);
    free(t);
    free(v);
    return ret;
}
