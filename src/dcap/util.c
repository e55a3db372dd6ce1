/* DCAP helpers: SHA-256, times, hex, P-256 keys and raw ECDSA signatures on OpenSSL 3. */
#include "dcap_internal.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void dcap_sha256(uint8_t out[32], const void *data, size_t len) {
    unsigned int olen = 32;
    if (!EVP_Digest(data, len, out, &olen, EVP_sha256(), NULL)) mpavs_abort(__FILE__, __LINE__, "sha256");
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool dcap_iso_time(int64_t *out, const char *s) {
    int Y, M, D, h, mi, se;
    if (!s || strlen(s) < 20) return false;
    if (!digits(s, 4, &Y) || s[4] != '-' || !digits(s + 5, 2, &M) || s[7] != '-' ||
        !digits(s + 8, 2, &D) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (strcmp(p, "Z") != 0) return false;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || se > 60) return false;
    *out = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

bool dcap_asn1_time(int64_t *out, const ASN1_TIME *t) {
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) return false;
    *out = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
           tm.tm_min * 60 + tm.tm_sec;
    return true;
}

void dcap_format_time(char out[32], int64_t t) {
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    /* civil_from_days */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool dcap_unhex(uint8_t *out, size_t n, const char *s, size_t slen) {
    if (!s || slen != 2 * n) return false;
    for (size_t i = 0; i < n; i++) {
        int a = hexval(s[2 * i]), b = hexval(s[2 * i + 1]);
        if (a < 0 || b < 0) return false;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return true;
}

EVP_PKEY *dcap_pubkey_raw(const uint8_t xy[64]) {
    static const uint8_t SPKI_PREFIX[27] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
    uint8_t der[91];
    memcpy(der, SPKI_PREFIX, 27);
    memcpy(der + 27, xy, 64);
    const unsigned char *p = der;
    return d2i_PUBKEY(NULL, &p, (long)sizeof der);
}

/* DER-encode one unsigned big-endian 32-byte integer. Returns bytes written. */
static size_t der_int(uint8_t *out, const uint8_t v[32]) {
    size_t i = 0;
    while (i < 31 && v[i] == 0) i++;
    size_t n = 32 - i;
    bool pad = (v[i] & 0x80) != 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    size_t o = 2;
    if (pad) out[o++] = 0;
    memcpy(out + o, v + i, n);
    return o + n;
}

bool dcap_verify_digest(EVP_PKEY *key, const uint8_t dgst[32], const uint8_t sig[64]) {
    uint8_t der[72], body[70];
    size_t bl = der_int(body, sig);
    bl += der_int(body + bl, sig + 32);
    der[0] = 0x30;
    der[1] = (uint8_t)bl;
    memcpy(der + 2, body, bl);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (!ctx) return false;
    bool ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_verify(ctx, der, bl + 2, dgst, 32) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

bool dcap_verify_raw(EVP_PKEY *key, const uint8_t *msg, size_t len, const uint8_t sig[64]) {
    uint8_t d[32];
    dcap_sha256(d, msg, len);
    return dcap_verify_digest(key, d, sig);
}

bool dcap_sign_raw(uint8_t sig[64], EVP_PKEY *key, const uint8_t *msg, size_t len) {
    uint8_t d[32], der[80];
    size_t dl = sizeof der;
    dcap_sha256(d, msg, len);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (!ctx) return false;
    bool ok = EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_sign(ctx, der, &dl, d, 32) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) return false;
    const unsigned char *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dl);
    if (!s) return false;
    ok = BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, 32) == 32 &&
         BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + 32, 32) == 32;
    ECDSA_SIG_free(s);
    return ok;
}

STACK_OF(X509) *dcap_pem_chain(const char *text, size_t len) {
    BIO *b = BIO_new_mem_buf(text, (int)len);
    if (!b) return NULL;
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;
    while (sk && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        if (!sk_X509_push(sk, x)) {
            X509_free(x);
            break;
        }
        if (sk_X509_num(sk) > 8) break;
    }
    ERR_clear_error();
    BIO_free(b);
    if (sk && sk_X509_num(sk) == 0) {
        sk_X509_free(sk);
        sk = NULL;
    }
    return sk;
}

X509_CRL *dcap_crl_any(const uint8_t *data, size_t len) {
    X509_CRL *c = NULL;
    if (len == 0 || len > (1u << 24)) return NULL;
    if (len > 10 && memcmp(data, "-----BEGIN", 10) == 0) {
        BIO *b = BIO_new_mem_buf(data, (int)len);
        if (b) c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
        BIO_free(b);
    } else if (data[0] == 0x30) {
        const unsigned char *p = data;
        c = d2i_X509_CRL(NULL, &p, (long)len);
        if (c && p != data + len) {
            X509_CRL_free(c);
            c = NULL;
        }
    } else {
        size_t n = len / 2;
        uint8_t *der = malloc(n ? n : 1);
        if (der && dcap_unhex(der, n, (const char *)data, len)) {
            const unsigned char *p = der;
            c = d2i_X509_CRL(NULL, &p, (long)n);
            if (c && p != der + n) {
                X509_CRL_free(c);
                c = NULL;
            }
        }
        free(der);
    }
    ERR_clear_error();
    return c;
}

bool dcap_cn_contains(X509_NAME *n, const char *needle) {
    char buf[256];
    if (!n || X509_NAME_get_text_by_NID(n, NID_commonName, buf, sizeof buf) < 0) return false;
    return strstr(buf, needle) != NULL;
}

void dcap_detail(char *d, size_t cap, const char *fmt, ...) {
    if (!d || cap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, cap, fmt, ap);
    va_end(ap);
}
