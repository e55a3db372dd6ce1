/*
 * Minimal bounds-checked DER readers for the certificates and CRLs of the SGX PKI (ECDSA P-256
 * with SHA-256 only), PEM/base64 decoding, and P-256 keys from points. OpenSSL 3.0's d2i_X509
 * costs ~200 us per certificate (provider key decoding); these views cost ~1 us and the
 * signatures are still verified by OpenSSL.
 */
#include "dcap_internal.h"

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdlib.h>
#include <string.h>

bool dcap_tlv(dcap_span *s, uint8_t *tag, dcap_span *val, dcap_span *whole) {
    if (s->len < 2) return false;
    uint8_t t = s->p[0];
    if ((t & 0x1f) == 0x1f) return false; /* no high tag numbers here */
    size_t l = s->p[1], h = 2;
    if (l & 0x80) {
        size_t nb = l & 0x7f;
        if (nb == 0 || nb > 3 || s->len < 2 + nb) return false;
        l = 0;
        for (size_t i = 0; i < nb; i++) l = (l << 8) | s->p[2 + i];
        h += nb;
    }
    if (l > s->len - h) return false;
    *tag = t;
    if (val) *val = (dcap_span){s->p + h, l};
    if (whole) *whole = (dcap_span){s->p, h + l};
    s->p += h + l;
    s->len -= h + l;
    return true;
}

/* Expect a TLV with tag; returns false otherwise. */
static bool expect(dcap_span *s, uint8_t tag, dcap_span *val, dcap_span *whole) {
    uint8_t t;
    dcap_span save = *s, v, w;
    if (!dcap_tlv(s, &t, &v, &w) || t != tag) {
        *s = save;
        return false;
    }
    if (val) *val = v;
    if (whole) *whole = w;
    return true;
}

static bool two(const uint8_t *p, int *v) {
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return false;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool read_time(dcap_span *s, int64_t *out) {
    uint8_t t;
    dcap_span v;
    if (!dcap_tlv(s, &t, &v, NULL)) return false;
    int Y, c, M, D, h, mi, se;
    const uint8_t *p = v.p;
    if (t == 0x17 && v.len == 13 && p[12] == 'Z') {
        if (!two(p, &Y)) return false;
        Y += Y >= 50 ? 1900 : 2000;
        p += 2;
    } else if (t == 0x18 && v.len == 15 && p[14] == 'Z') {
        if (!two(p, &c) || !two(p + 2, &Y)) return false;
        Y += c * 100;
        p += 4;
    } else {
        return false;
    }
    if (!two(p, &M) || !two(p + 2, &D) || !two(p + 4, &h) || !two(p + 6, &mi) || !two(p + 8, &se)) return false;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || se > 60) return false;
    *out = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

static const uint8_t OID_ECDSA_SHA256[10] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
static const uint8_t OID_EC_PUBKEY[9] = {0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
static const uint8_t OID_P256[10] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const uint8_t OID_SGX_EXT[11] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01};
static const uint8_t OID_BASIC_CONSTRAINTS[5] = {0x06, 0x03, 0x55, 0x1D, 0x13};
static const uint8_t OID_CRL_NUMBER[5] = {0x06, 0x03, 0x55, 0x1D, 0x14};
static const uint8_t OID_AKI[5] = {0x06, 0x03, 0x55, 0x1D, 0x23};

static bool span_eq(dcap_span a, const uint8_t *b, size_t n) { return a.len == n && memcmp(a.p, b, n) == 0; }

/* AlgorithmIdentifier must be ecdsa-with-SHA256 (no parameters). */
static bool sig_alg(dcap_span *s) {
    dcap_span v;
    return expect(s, 0x30, &v, NULL) && span_eq(v, OID_ECDSA_SHA256, sizeof OID_ECDSA_SHA256);
}

/* signature BIT STRING: 00 || DER ECDSA-Sig-Value */
static bool sig_bits(dcap_span *s, dcap_span *sig) {
    dcap_span v;
    if (!expect(s, 0x03, &v, NULL) || v.len < 2 || v.p[0] != 0) return false;
    *sig = (dcap_span){v.p + 1, v.len - 1};
    return true;
}

bool dcap_cert_parse(dcap_cert *c, const uint8_t *der, size_t len) {
    memset(c, 0, sizeof *c);
    dcap_span all = {der, len}, cert, tbs, tbs_whole, v;
    if (!expect(&all, 0x30, &cert, NULL) || all.len != 0) return false;
    c->der = (dcap_span){der, len};
    if (!expect(&cert, 0x30, &tbs, &tbs_whole) || !sig_alg(&cert) || !sig_bits(&cert, &c->sig) || cert.len)
        return false;
    c->tbs = tbs_whole;
    expect(&tbs, 0xA0, NULL, NULL); /* version */
    if (!expect(&tbs, 0x02, &c->serial, NULL) || c->serial.len == 0 || !sig_alg(&tbs) ||
        !expect(&tbs, 0x30, NULL, &c->issuer) || !expect(&tbs, 0x30, &v, NULL) || !read_time(&v, &c->not_before) ||
        !read_time(&v, &c->not_after) || v.len || !expect(&tbs, 0x30, NULL, &c->subject))
        return false;
    dcap_span spki, alg, key;
    if (!expect(&tbs, 0x30, &spki, NULL) || !expect(&spki, 0x30, &alg, NULL) || !expect(&spki, 0x03, &key, NULL) ||
        spki.len)
        return false;
    if (alg.len != sizeof OID_EC_PUBKEY + sizeof OID_P256 || memcmp(alg.p, OID_EC_PUBKEY, sizeof OID_EC_PUBKEY) ||
        memcmp(alg.p + sizeof OID_EC_PUBKEY, OID_P256, sizeof OID_P256))
        return false;
    if (key.len != 66 || key.p[0] != 0 || key.p[1] != 0x04) return false;
    memcpy(c->pub, key.p + 1, 65);
    expect(&tbs, 0x81, NULL, NULL);
    expect(&tbs, 0x82, NULL, NULL);
    dcap_span exts_w, exts;
    if (expect(&tbs, 0xA3, &exts_w, NULL)) {
        if (!expect(&exts_w, 0x30, &exts, NULL) || exts_w.len) return false;
        while (exts.len) {
            dcap_span e, oid, val;
            if (!expect(&exts, 0x30, &e, NULL) || !expect(&e, 0x06, NULL, &oid)) return false;
            expect(&e, 0x01, NULL, NULL); /* critical */
            if (!expect(&e, 0x04, &val, NULL) || e.len) return false;
            if (span_eq(oid, OID_SGX_EXT, sizeof OID_SGX_EXT)) {
                if (c->sgx_ext.p) return false; /* duplicate */
                c->sgx_ext = val;
            } else if (span_eq(oid, OID_BASIC_CONSTRAINTS, sizeof OID_BASIC_CONSTRAINTS)) {
                /* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL } */
                dcap_span bc, ca;
                if (!expect(&val, 0x30, &bc, NULL) || val.len) return false;
                if (expect(&bc, 0x01, &ca, NULL)) {
                    if (ca.len != 1) return false;
                    c->is_ca = ca.p[0] != 0;
                }
            }
        }
    }
    return tbs.len == 0;
}

bool dcap_crl_parse(dcap_crl *c, const uint8_t *der, size_t len) {
    memset(c, 0, sizeof *c);
    dcap_span all = {der, len}, crl, tbs, tbs_whole;
    if (!expect(&all, 0x30, &crl, NULL) || all.len != 0) return false;
    if (!expect(&crl, 0x30, &tbs, &tbs_whole) || !sig_alg(&crl) || !sig_bits(&crl, &c->sig) || crl.len) return false;
    c->tbs = tbs_whole;
    expect(&tbs, 0x02, NULL, NULL); /* version */
    if (!sig_alg(&tbs) || !expect(&tbs, 0x30, NULL, &c->issuer) || !read_time(&tbs, &c->this_update)) return false;
    dcap_span save = tbs;
    if (!read_time(&tbs, &c->next_update)) {
        tbs = save;
        return false; /* nextUpdate is required here */
    }
    expect(&tbs, 0x30, &c->revoked, NULL);
    dcap_span exts_w, exts;
    if (expect(&tbs, 0xA0, &exts_w, NULL)) {
        if (!expect(&exts_w, 0x30, &exts, NULL) || exts_w.len) return false;
        while (exts.len) {
            dcap_span e, oid;
            if (!expect(&exts, 0x30, &e, NULL) || !expect(&e, 0x06, NULL, &oid)) return false;
            if (span_eq(oid, OID_CRL_NUMBER, sizeof OID_CRL_NUMBER)) c->has_number = true;
            if (span_eq(oid, OID_AKI, sizeof OID_AKI)) c->has_aki = true;
        }
    }
    if (tbs.len) return false;
    /* every revoked entry must be well-formed */
    dcap_span r = c->revoked;
    while (r.len) {
        dcap_span e;
        if (!expect(&r, 0x30, &e, NULL) || !expect(&e, 0x02, NULL, NULL)) return false;
    }
    return true;
}

/* Serials are compared as integers: DER INTEGER contents are minimal, so byte equality is
 * integer equality (a non-minimal encoding in a CRL is normalised by skipping leading zeros). */
static dcap_span strip(dcap_span s) {
    while (s.len > 1 && s.p[0] == 0 && (s.p[1] & 0x80) == 0) s.p++, s.len--;
    return s;
}

bool dcap_crl_contains(const dcap_crl *c, dcap_span serial) {
    dcap_span r = c->revoked, want = strip(serial);
    while (r.len) {
        dcap_span e, sn;
        if (!expect(&r, 0x30, &e, NULL) || !expect(&e, 0x02, &sn, NULL)) return false;
        sn = strip(sn);
        if (sn.len == want.len && memcmp(sn.p, want.p, sn.len) == 0) return true;
    }
    return false;
}

bool dcap_name_cn_contains(dcap_span name, const char *needle) {
    static const uint8_t OID_CN[5] = {0x06, 0x03, 0x55, 0x04, 0x03};
    dcap_span n = name, rdns;
    if (!expect(&n, 0x30, &rdns, NULL)) return false;
    while (rdns.len) {
        dcap_span set, atv;
        if (!expect(&rdns, 0x31, &set, NULL)) return false;
        while (set.len) {
            dcap_span oid, val;
            uint8_t t;
            if (!expect(&set, 0x30, &atv, NULL) || !expect(&atv, 0x06, NULL, &oid) || !dcap_tlv(&atv, &t, &val, NULL))
                return false;
            if (span_eq(oid, OID_CN, sizeof OID_CN)) {
                size_t nl = strlen(needle);
                for (size_t i = 0; i + nl <= val.len; i++)
                    if (memcmp(val.p + i, needle, nl) == 0) return true;
            }
        }
    }
    return false;
}

static int b64v(uint8_t c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decode the body of one PEM CERTIFICATE block (text between the BEGIN/END lines). */
size_t dcap_pem_decode(uint8_t *out, size_t cap, const uint8_t *pem, size_t len) {
    static const char B[] = "-----BEGIN CERTIFICATE-----", E[] = "-----END CERTIFICATE-----";
    size_t bl = sizeof B - 1, el = sizeof E - 1, i = 0;
    while (i + bl <= len && memcmp(pem + i, B, bl) != 0) i++;
    if (i + bl > len) return 0;
    i += bl;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t o = 0;
    for (; i < len; i++) {
        uint8_t ch = pem[i];
        if (ch == '-') break;
        if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t') continue;
        if (ch == '=') {
            pad++;
            continue;
        }
        int v = b64v(ch);
        if (v < 0 || pad) return 0;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap) return 0;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    if (i + el > len || memcmp(pem + i, E, el) != 0 || pad > 2) return 0;
    return o;
}

EVP_PKEY *dcap_key_from_point(EVP_PKEY_CTX *ctx, const uint8_t pub[65]) {
    OSSL_PARAM p[3];
    p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0);
    p[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, 65);
    p[2] = OSSL_PARAM_construct_end();
    EVP_PKEY *k = NULL;
    if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, p) != 1) return NULL;
    return k;
}

bool dcap_verify_der_sig(EVP_PKEY *key, const uint8_t *msg, size_t len, dcap_span sig) {
    uint8_t d[32];
    dcap_sha256(d, msg, len);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (!ctx) return false;
    bool ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_verify(ctx, sig.p, sig.len, d, 32) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}
