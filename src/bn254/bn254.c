/*
 * src/bn254/bn254.c — the public BN254 API: encodings, group operations, precompiles.
 */
#include "bn254/internal.h"

static const fp2 G2_GEN_X = BN_G2_GEN_X;
static const fp2 G2_GEN_Y = BN_G2_GEN_Y;
static const uint64_t R_LIMBS[4] = BN_R_LIMBS;

const char *mpavs_bn254_strerror(int r) {
    switch (r) {
    case MPAVS_BN254_OK: return "ok";
    case MPAVS_BN254_ERR_NOT_CANONICAL: return "field element not below the modulus p";
    case MPAVS_BN254_ERR_NOT_ON_CURVE: return "point not on the curve";
    case MPAVS_BN254_ERR_NOT_IN_SUBGROUP: return "G2 point not in the order-r subgroup";
    case MPAVS_BN254_ERR_LENGTH: return "pairing input length not a multiple of 192";
    default: return "unknown bn254 error";
    }
}

void mpavs_bn254_g1_generator(mpavs_bn254_g1 *out) {
    MPAVS_REQUIRE(out);
    memset(out, 0, sizeof *out);
    out->x = FP_ONE;
    fp_add(&out->y, &FP_ONE, &FP_ONE);
}

void mpavs_bn254_g2_generator(mpavs_bn254_g2 *out) {
    MPAVS_REQUIRE(out);
    memset(out, 0, sizeof *out);
    out->x = G2_GEN_X;
    out->y = G2_GEN_Y;
}

static int all_zero(const uint8_t *b, size_t n) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= b[i];
    return acc == 0;
}

int mpavs_bn254_g1_decode(mpavs_bn254_g1 *out, const uint8_t in[64]) {
    MPAVS_REQUIRE(out && in);
    memset(out, 0, sizeof *out);
    fp x, y;
    if (!fp_from_be(&x, in) || !fp_from_be(&y, in + 32)) return MPAVS_BN254_ERR_NOT_CANONICAL;
    if (all_zero(in, 64)) {
        out->infinity = 1;
        return MPAVS_BN254_OK;
    }
    if (!bn_g1_on_curve_affine(&x, &y)) return MPAVS_BN254_ERR_NOT_ON_CURVE;
    out->x = x;
    out->y = y;
    return MPAVS_BN254_OK;
}

void mpavs_bn254_g1_encode(uint8_t out[64], const mpavs_bn254_g1 *p) {
    MPAVS_REQUIRE(out && p);
    if (p->infinity) {
        memset(out, 0, 64);
        return;
    }
    fp_to_be(out, &p->x);
    fp_to_be(out + 32, &p->y);
}

int mpavs_bn254_g2_decode(mpavs_bn254_g2 *out, const uint8_t in[128]) {
    MPAVS_REQUIRE(out && in);
    memset(out, 0, sizeof *out);
    fp2 x, y;
    if (!fp_from_be(&x.c1, in) || !fp_from_be(&x.c0, in + 32) || !fp_from_be(&y.c1, in + 64) ||
        !fp_from_be(&y.c0, in + 96))
        return MPAVS_BN254_ERR_NOT_CANONICAL;
    if (all_zero(in, 128)) {
        out->infinity = 1;
        return MPAVS_BN254_OK;
    }
    if (!bn_g2_on_curve_affine(&x, &y)) return MPAVS_BN254_ERR_NOT_ON_CURVE;
    out->x = x;
    out->y = y;
    if (!bn_g2_in_subgroup(out)) {
        memset(out, 0, sizeof *out);
        return MPAVS_BN254_ERR_NOT_IN_SUBGROUP;
    }
    return MPAVS_BN254_OK;
}

void mpavs_bn254_g2_encode(uint8_t out[128], const mpavs_bn254_g2 *p) {
    MPAVS_REQUIRE(out && p);
    if (p->infinity) {
        memset(out, 0, 128);
        return;
    }
    fp_to_be(out, &p->x.c1);
    fp_to_be(out + 32, &p->x.c0);
    fp_to_be(out + 64, &p->y.c1);
    fp_to_be(out + 96, &p->y.c0);
}

bool mpavs_bn254_g1_eq(const mpavs_bn254_g1 *a, const mpavs_bn254_g1 *b) {
    MPAVS_REQUIRE(a && b);
    if (a->infinity || b->infinity) return a->infinity == b->infinity;
    return fp_eq(&a->x, &b->x) && fp_eq(&a->y, &b->y);
}

bool mpavs_bn254_g2_eq(const mpavs_bn254_g2 *a, const mpavs_bn254_g2 *b) {
    MPAVS_REQUIRE(a && b);
    if (a->infinity || b->infinity) return a->infinity == b->infinity;
    return fp2_eq(&a->x, &b->x) && fp2_eq(&a->y, &b->y);
}

void mpavs_bn254_g1_add(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *a, const mpavs_bn254_g1 *b) {
    MPAVS_REQUIRE(out && a && b);
    g1p pa, pb;
    bn_g1_from_affine(&pa, a);
    bn_g1_from_affine(&pb, b);
    bn_g1_add(&pa, &pa, &pb);
    bn_g1_to_affine(out, &pa);
}

void mpavs_bn254_g1_neg(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *a) {
    MPAVS_REQUIRE(out && a);
    *out = *a;
    fp_neg(&out->y, &a->y);
}

void mpavs_bn254_g2_add(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *a, const mpavs_bn254_g2 *b) {
    MPAVS_REQUIRE(out && a && b);
    g2p pa, pb;
    bn_g2_from_affine(&pa, a);
    bn_g2_from_affine(&pb, b);
    bn_g2_add(&pa, &pa, &pb);
    bn_g2_to_affine(out, &pa);
}

void mpavs_bn254_g2_neg(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *a) {
    MPAVS_REQUIRE(out && a);
    *out = *a;
    fp2_neg(&out->y, &a->y);
}

void mpavs_bn254_g1_mul(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint8_t k[32]) {
    MPAVS_REQUIRE(out && p && k);
    uint64_t s[4];
    g1p t;
    bn_scalar_from_be(s, k);
    bn_g1_from_affine(&t, p);
    bn_g1_mul_glv_ct(&t, &t, s);
    bn_g1_to_affine(out, &t);
    mpavs_wipe(s, sizeof s);
}

void mpavs_bn254_g1_mul_var(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint8_t k[32]) {
    MPAVS_REQUIRE(out && p && k);
    uint64_t s[4];
    g1p t;
    bn_scalar_from_be(s, k);
    bn_g1_from_affine(&t, p);
    bn_g1_mul_glv_var(&t, &t, s);
    bn_g1_to_affine_var(out, &t);
}

void mpavs_bn254_g2_mul(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint8_t k[32]) {
    MPAVS_REQUIRE(out && q && k);
    uint64_t s[4];
    g2p t;
    bn_scalar_from_be(s, k);
    bn_g2_mul_gls_ct(&t, q, s);
    bn_g2_to_affine(out, &t);
    mpavs_wipe(s, sizeof s);
}

void mpavs_bn254_g2_mul_var(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint8_t k[32]) {
    MPAVS_REQUIRE(out && q && k);
    uint64_t s[4];
    g2p t;
    bn_scalar_from_be(s, k);
    bn_g2_mul_gls_var(&t, q, s);
    bn_g2_to_affine_var(out, &t);
}

/* Copy len bytes of in into a zero-padded buffer of n bytes (surplus ignored). */
static void pad_input(uint8_t *buf, size_t n, const uint8_t *in, size_t len) {
    memset(buf, 0, n);
    if (len > n) len = n;
    if (len) memcpy(buf, in, len);
}

int mpavs_bn254_ecadd(uint8_t out[64], const uint8_t *in, size_t len) {
    MPAVS_REQUIRE(out && (in || len == 0));
    uint8_t buf[128];
    mpavs_bn254_g1 a, b;
    int r;
    pad_input(buf, sizeof buf, in, len);
    if ((r = mpavs_bn254_g1_decode(&a, buf)) != MPAVS_BN254_OK) return r;
    if ((r = mpavs_bn254_g1_decode(&b, buf + 64)) != MPAVS_BN254_OK) return r;
    mpavs_bn254_g1_add(&a, &a, &b);
    mpavs_bn254_g1_encode(out, &a);
    return MPAVS_BN254_OK;
}

int mpavs_bn254_ecmul(uint8_t out[64], const uint8_t *in, size_t len) {
    MPAVS_REQUIRE(out && (in || len == 0));
    uint8_t buf[96];
    mpavs_bn254_g1 a;
    int r;
    pad_input(buf, sizeof buf, in, len);
    if ((r = mpavs_bn254_g1_decode(&a, buf)) != MPAVS_BN254_OK) return r;
    mpavs_bn254_g1_mul_var(&a, &a, buf + 64);
    mpavs_bn254_g1_encode(out, &a);
    return MPAVS_BN254_OK;
}

int mpavs_bn254_ecpairing(uint8_t out[32], const uint8_t *in, size_t len) {
    MPAVS_REQUIRE(out && (in || len == 0));
    if (len % 192) return MPAVS_BN254_ERR_LENGTH;
    size_t n = len / 192;
    fp12 acc, f;
    bn_fp12_set_one(&acc);
    for (size_t i = 0; i < n; i += CHUNK_PAIRS) {
        mpavs_bn254_g1 ps[CHUNK_PAIRS];
        mpavs_bn254_g2 qs[CHUNK_PAIRS];
        size_t m = n - i < CHUNK_PAIRS ? n - i : CHUNK_PAIRS;
        for (size_t j = 0; j < m; j++) {
            int r;
            if ((r = mpavs_bn254_g1_decode(&ps[j], in + 192 * (i + j))) != MPAVS_BN254_OK) return r;
            if ((r = mpavs_bn254_g2_decode(&qs[j], in + 192 * (i + j) + 64)) != MPAVS_BN254_OK) return r;
        }
        bn_miller_loop(&f, ps, qs, m);
        bn_fp12_mul(&acc, &acc, &f);
    }
    bn_final_exp(&f, &acc);
    memset(out, 0, 32);
    out[31] = (uint8_t)bn_fp12_is_one(&f);
    return MPAVS_BN254_OK;
}

void mpavs_bn254_modulus_p(uint8_t out[32]) {
    MPAVS_REQUIRE(out);
    bn_scalar_to_be(out, FP_P.l);
}

void mpavs_bn254_order_r(uint8_t out[32]) {
    MPAVS_REQUIRE(out);
    bn_scalar_to_be(out, R_LIMBS);
}

void mpavs_bn254_scalar_reduce(uint8_t out[32], const uint8_t in[32]) {
    MPAVS_REQUIRE(out && in);
    uint64_t k[4], s[4];
    bn_scalar_from_be(k, in);
    /* 2^256 / r < 6: at most 5 conditional subtractions */
    for (int i = 0; i < 5; i++) {
        uint64_t borrow = bn_sub4(s, k, R_LIMBS);
        uint64_t mask = 0 - borrow; /* keep k when k < r */
        for (int j = 0; j < 4; j++) k[j] = (k[j] & mask) | (s[j] & ~mask);
    }
    bn_scalar_to_be(out, k);
    mpavs_wipe(k, sizeof k);
    mpavs_wipe(s, sizeof s);
}

bool mpavs_bn254_scalar_is_valid(const uint8_t k[32]) {
    MPAVS_REQUIRE(k);
    uint64_t t[4], s[4];
    bn_scalar_from_be(t, k);
    uint64_t borrow = bn_sub4(s, t, R_LIMBS);
    mpavs_wipe(t, sizeof t);
    mpavs_wipe(s, sizeof s);
    return borrow != 0;
}
