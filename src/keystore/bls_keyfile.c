/*
 * src/keystore/bls_keyfile.c — eigensdk BLS key files: gnark's pubKey text, encryption and the one
 * loader (decrypt, reduce mod r, check) that the CLI and the operator daemon share.
 */
#include "mpavs/bls.h"
#include "mpavs/keystore.h"
#include "mpavs/u256.h"
#include "util/ct.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mpavs_u256 field_p(void) {
    uint8_t pb[32];
    mpavs_bn254_modulus_p(pb);
    return mpavs_u256_from_be32(pb);
}

/* One coordinate as gnark's Text(10): "-k" when 0 < p - v <= 65535 and v != 0. */
static int coord_text(char *out, size_t cap, const uint8_t be[32]) {
    mpavs_u256 v = mpavs_u256_from_be32(be), p = field_p(), k;
    (void)mpavs_u256_sub(&k, &p, &v);
    if (!mpavs_u256_is_zero(&v) && mpavs_u256_bits(&k) <= 16 && k.w[0] <= 65535) {
        int n = snprintf(out, cap, "-%llu", (unsigned long long)k.w[0]);
        return n > 0 && (size_t)n < cap ? 0 : -1;
    }
    return mpavs_u256_to_dec(out, cap, &v) ? -1 : 0;
}

int mpavs_keystore_bls_pubkey_text(char *out, size_t cap, const mpavs_bn254_g1 *pk) {
    uint8_t e[64];
    char x[90], y[90];
    mpavs_bn254_g1_encode(e, pk);
    if (coord_text(x, sizeof x, e) || coord_text(y, sizeof y, e + 32)) return MPAVS_KEYSTORE_ERR_SPACE;
    int n = snprintf(out, cap, "E([%s,%s])", x, y);
    return n > 0 && (size_t)n < cap ? MPAVS_KEYSTORE_OK : MPAVS_KEYSTORE_ERR_SPACE;
}

/* Parse one coordinate s[0..len) ("123" or "-k") into 32 big-endian bytes below p. */
static int coord_parse(uint8_t be[32], const char *s, size_t len) {
    bool neg = len && s[0] == '-';
    if (neg) {
        s++;
        len--;
    }
    if (!len || len > 80) return -1;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    mpavs_u256 v, p = field_p();
    if (mpavs_u256_parse(&v, s, len)) return -1;
    if (neg) {
        if (mpavs_u256_is_zero(&v) || mpavs_u256_cmp(&v, &p) > 0) return -1;
        (void)mpavs_u256_sub(&v, &p, &v);
    }
    if (mpavs_u256_cmp(&v, &p) >= 0) return -1;
    mpavs_u256_to_be32(be, &v);
    return 0;
}

int mpavs_keystore_bls_pubkey_parse(mpavs_bn254_g1 *pk, const char *text) {
    size_t n = strlen(text);
    if (n < 8 || strncmp(text, "E([", 3) != 0 || strcmp(text + n - 2, "])") != 0) return MPAVS_KEYSTORE_ERR_BAD_KEY;
    const char *x = text + 3, *end = text + n - 2, *comma = memchr(x, ',', (size_t)(end - x));
    uint8_t e[64];
    if (!comma || coord_parse(e, x, (size_t)(comma - x)) ||
        coord_parse(e + 32, comma + 1, (size_t)(end - comma - 1)) || mpavs_bn254_g1_decode(pk, e))
        return MPAVS_KEYSTORE_ERR_BAD_KEY;
    return MPAVS_KEYSTORE_OK;
}

int mpavs_keystore_bls_encrypt(char **json, const uint8_t sk[32], const char *password, size_t password_len,
                               uint32_t scrypt_n) {
    *json = NULL;
    mpavs_bn254_g1 pk;
    char pub[200];
    if (mpavs_bls_pubkey_g1(&pk, sk) || mpavs_keystore_bls_pubkey_text(pub, sizeof pub, &pk))
        return MPAVS_KEYSTORE_ERR_BAD_KEY;
    mpavs_keystore_options o = {.scrypt_n = scrypt_n, .pubkey = pub};
    return mpavs_keystore_encrypt(json, sk, 32, password, password_len, &o);
}

/* Fill err (may be NULL) with code and reason; returns code. */
static int fail(mpavs_error *err, int code, const char *reason) {
    return mpavs_error_set(err, "keystore", code, "%s", reason);
}

int mpavs_keystore_bls_decrypt(uint8_t sk[32], bool *pub_matches, mpavs_error *err, const char *json, size_t len,
                               const char *password, size_t password_len) {
    uint8_t secret[MPAVS_KEYSTORE_MAX_SECRET];
    size_t slen = 0;
    mpavs_keystore_info info = {0};
    int code = MPAVS_KEYSTORE_OK;
    memset(sk, 0, 32);
    if (pub_matches) *pub_matches = false;
    int r = mpavs_keystore_decrypt(secret, sizeof secret, &slen, &info, json, len, password, password_len);
    if (r) {
        code = fail(err, r, r == MPAVS_KEYSTORE_ERR_MAC ? "wrong password (MAC mismatch)"
                                                                : mpavs_keystore_strerror(r));
        goto out;
    }
    if (!info.pubkey || !info.pubkey[0]) {
        code = fail(err, MPAVS_KEYSTORE_ERR_NOT_BLS, "no pubKey: not a BLS key file");
        goto out;
    }
    if (slen > 32) {
        code = fail(err, MPAVS_KEYSTORE_ERR_NOT_BLS, "secret longer than 32 bytes: not a BLS key file");
        goto out;
    }
    memcpy(sk + 32 - slen, secret, slen); /* fr.Element.SetBytes: big-endian, reduced mod r */
    mpavs_bn254_scalar_reduce(sk, sk);
    mpavs_bn254_g1 pk, filed;
    int bad = mpavs_bls_sk_check(sk) | mpavs_bls_pubkey_g1(&pk, sk);
    ct_declassify(&bad, sizeof bad); /* "the key is zero" is the file's public verdict */
    ct_declassify(&pk, sizeof pk);   /* a public key */
    if (bad) {
        code = fail(err, MPAVS_KEYSTORE_ERR_BAD_KEY, "secret key is zero");
        goto out;
    }
    if (pub_matches)
        *pub_matches = mpavs_keystore_bls_pubkey_parse(&filed, info.pubkey) == 0 && mpavs_bn254_g1_eq(&filed, &pk);
out:
    if (code) mpavs_wipe(sk, 32);
    mpavs_wipe(secret, sizeof secret);
    mpavs_keystore_info_clear(&info);
    return code;
}

int mpavs_keystore_bls_load(uint8_t sk[32], bool *pub_matches, mpavs_error *err, const char *path,
                            const char *password, size_t password_len) {
    char *text = NULL;
    size_t len = 0;
    memset(sk, 0, 32);
    if (pub_matches) *pub_matches = false;
    int r = mpavs_keystore_read_file(&text, &len, path);
    if (r) return mpavs_error_set(err, "keystore", r, "%s: cannot read the file", path);
    r = mpavs_keystore_bls_decrypt(sk, pub_matches, err, text, len, password, password_len);
    free(text);
    return r;
}
