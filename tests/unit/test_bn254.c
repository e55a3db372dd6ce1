/* tests/unit/test_bn254.c — BN254 fields, curves and pairing (internal and public API). */
#include <gmp.h>
#include <stdlib.h>

#include "bn254/internal.h"
#include "harness.h"
#include "mpavs/bn254.h"

/* Deterministic test randomness (xorshift). */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd64(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static void rnd_scalar(uint8_t k[32]) {
    for (int i = 0; i < 32; i++) k[i] = (uint8_t)rnd64();
    mpavs_bn254_scalar_reduce(k, k);
}
static void rnd_fp(fp *a) {
    uint8_t b[32];
    rnd_scalar(b); /* < r < p */
    CHECK(fp_from_be(a, b));
}
static void rnd_fp12(fp12 *f) {
    fp2 *c[6] = {&f->c0.c0, &f->c0.c1, &f->c0.c2, &f->c1.c0, &f->c1.c1, &f->c1.c2};
    for (int i = 0; i < 6; i++) {
        rnd_fp(&c[i]->c0);
        rnd_fp(&c[i]->c1);
    }
}

/* k as a 32-byte BE from a u64 */
static void k_u64(uint8_t k[32], uint64_t v) {
    memset(k, 0, 32);
    for (int i = 0; i < 8; i++) k[31 - i] = (uint8_t)(v >> (8 * i));
}

static const char *P_HEX = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
static const char *R_HEX = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";

TEST(fp_basics) {
    uint8_t b[32], c[32];
    mpavs_bn254_modulus_p(b);
    CHECK_STREQ(harness_hex(b, 32), P_HEX);
    mpavs_bn254_order_r(b);
    CHECK_STREQ(harness_hex(b, 32), R_HEX);
    fp a, t, one = FP_ONE;
    mpavs_bn254_modulus_p(b);
    CHECK(!fp_from_be(&a, b)); /* p itself is not canonical */
    b[31] -= 1;
    REQUIRE(fp_from_be(&a, b)); /* p - 1 = -1 */
    fp_add(&t, &a, &one);
    CHECK(fp_is_zero(&t));
    fp_mul(&t, &a, &a);
    CHECK(fp_eq(&t, &one));
    fp_to_be(c, &a);
    CHECK_MEMEQ(b, c, 32);
    for (int i = 0; i < 50; i++) {
        fp x, y, z, w;
        rnd_fp(&x);
        rnd_fp(&y);
        fp_inv(&z, &x);
        fp_mul(&w, &z, &x);
        CHECK(fp_eq(&w, &one));
        /* (x+y)^2 = x^2 + 2xy + y^2 */
        fp_add(&z, &x, &y);
        fp_sqr(&z, &z);
        fp_mul(&w, &x, &y);
        fp_dbl(&w, &w);
        fp_sqr(&t, &x);
        fp_add(&w, &w, &t);
        fp_sqr(&t, &y);
        fp_add(&w, &w, &t);
        CHECK(fp_eq(&w, &z));
        fp_sub(&z, &x, &y);
        fp_add(&z, &z, &y);
        CHECK(fp_eq(&z, &x));
    }
}

TEST(fp_mul_lazy_inputs) {
    /* fp_mul accepts factors below 2p (used by fp2_mul/fp2_sqr) */
    uint8_t b[32];
    fp pm1, big, red, r1, r2, x, y, xl, yl;
    mpavs_bn254_modulus_p(b);
    b[31] -= 1;
    REQUIRE(fp_from_be(&pm1, b));
    fp_add_lazy(&big, &pm1, &pm1); /* 2p - 2 as Montgomery-form representative */
    fp_add(&red, &pm1, &pm1);
    fp_mul(&r1, &big, &big);
    fp_mul(&r2, &red, &red);
    CHECK(fp_eq(&r1, &r2));
    for (int i = 0; i < 2000; i++) {
        rnd_fp(&x);
        rnd_fp(&y);
        if (i & 1) fp_neg(&x, &x);
        if (i & 2) fp_neg(&y, &y);
        fp_add_lazy(&xl, &x, &pm1);
        fp_add_lazy(&yl, &y, &pm1);
        fp_add(&x, &x, &pm1);
        fp_add(&y, &y, &pm1);
        fp_mul(&r1, &xl, &yl);
        fp_mul(&r2, &x, &y);
        CHECK(fp_eq(&r1, &r2));
        CHECK(bn_sub4(xl.l, r1.l, FP_P.l)); /* result fully reduced */
    }
}

TEST(fp2_mul_xi_edges) {
    fp2 xi, a, r1, r2;
    fp_set_u64(&xi.c0, 9);
    fp_set_u64(&xi.c1, 1);
    fp vals[5];
    uint8_t b[32];
    memset(&vals[0], 0, sizeof vals[0]);
    vals[1] = FP_ONE;
    mpavs_bn254_modulus_p(b);
    b[31] -= 1;
    CHECK(fp_from_be(&vals[2], b)); /* p - 1 */
    b[31] -= 1;
    CHECK(fp_from_be(&vals[3], b)); /* p - 2 */
    rnd_fp(&vals[4]);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            a.c0 = vals[i];
            a.c1 = vals[j];
            fp2_mul_xi(&r1, &a);
            fp2_mul(&r2, &a, &xi);
            CHECK(fp2_eq(&r1, &r2));
        }
    for (int i = 0; i < 1000; i++) {
        rnd_fp(&a.c0);
        rnd_fp(&a.c1);
        if (i & 1) fp_neg(&a.c0, &a.c0); /* values near p */
        if (i & 2) fp_neg(&a.c1, &a.c1);
        fp2_mul_xi(&r1, &a);
        fp2_mul(&r2, &a, &xi);
        CHECK(fp2_eq(&r1, &r2));
        fp2_mul_xi_portable(&r2, &a); /* the build's fast path against the portable C one */
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
    }
}

/* Schoolbook Fp6 product from reduced Fp2 products (no laziness): the reference. */
static void fp6_mul_ref(fp6 *r, const fp6 *a, const fp6 *b) {
    fp2 t, u, c0, c1, c2;
    /* c0 = a0 b0 + xi (a1 b2 + a2 b1), c1 = a0 b1 + a1 b0 + xi a2 b2, c2 = a0 b2 + a1 b1 + a2 b0 */
    fp2_mul(&t, &a->c1, &b->c2);
    fp2_mul(&u, &a->c2, &b->c1);
    fp2_add(&t, &t, &u);
    fp2_mul_xi(&t, &t);
    fp2_mul(&c0, &a->c0, &b->c0);
    fp2_add(&c0, &c0, &t);
    fp2_mul(&t, &a->c2, &b->c2);
    fp2_mul_xi(&t, &t);
    fp2_mul(&c1, &a->c0, &b->c1);
    fp2_add(&c1, &c1, &t);
    fp2_mul(&t, &a->c1, &b->c0);
    fp2_add(&c1, &c1, &t);
    fp2_mul(&c2, &a->c0, &b->c2);
    fp2_mul(&t, &a->c1, &b->c1);
    fp2_add(&c2, &c2, &t);
    fp2_mul(&t, &a->c2, &b->c0);
    fp2_add(&c2, &c2, &t);
    r->c0 = c0, r->c1 = c1, r->c2 = c2;
}

/* The lazily reduced Fp6 multiplication (and the Fp12 operations built on it) against the
 * schoolbook reference, on random elements and on extreme ones (every coefficient 0, 1, p - 1
 * or a mix), where the double-width intermediates reach their bounds. */
TEST(fp6_lazy_vs_reference) {
    fp vals[4];
    memset(&vals[0], 0, sizeof vals[0]);
    vals[1] = FP_ONE;
    fp_neg(&vals[2], &FP_ONE);
    fp_from_mont(&vals[3], &vals[2]); /* a large value in Montgomery form */
    for (int i = 0; i < 400; i++) {
        fp6 a, b, r1, r2;
        fp *ca = &a.c0.c0, *cb = &b.c0.c0;
        for (int j = 0; j < 6; j++) {
            if (i < 16) ca[j] = vals[i % 4], cb[j] = vals[i / 4];
            else if (i < 200) ca[j] = vals[rnd64() % 4], cb[j] = vals[rnd64() % 4];
            else rnd_fp(&ca[j]), rnd_fp(&cb[j]);
        }
        bn_fp6_mul(&r1, &a, &b);
        fp6_mul_ref(&r2, &a, &b);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        r1 = a;
        bn_fp6_mul(&r1, &r1, &b); /* in place */
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        /* a line-shaped b (b2 = 0) through the sparse Fp12 line product */
        fp12 f, g, h1, h2;
        f.c0 = a, f.c1 = b;
        bn_line l = {b.c0, b.c1, a.c2};
        memset(&g, 0, sizeof g);
        g.c0.c0 = l.l0, g.c1.c0 = l.l1, g.c1.c1 = l.l3;
        bn_fp12_mul(&h1, &f, &g);
        h2 = f;
        bn_fp12_mul_line(&h2, &l);
        CHECK(bn_fp12_eq(&h1, &h2));
    }
}

TEST(fp2_fp6_fp12) {
    fp12 a, b, c, d, one;
    bn_fp12_set_one(&one);
    for (int i = 0; i < 10; i++) {
        rnd_fp12(&a);
        rnd_fp12(&b);
        bn_fp12_inv(&c, &a);
        bn_fp12_mul(&d, &a, &c);
        CHECK(bn_fp12_is_one(&d));
        bn_fp12_sqr(&c, &a);
        bn_fp12_mul(&d, &a, &a);
        CHECK(bn_fp12_eq(&c, &d));
        /* Frobenius is a ring morphism and frob^1 three times equals frob^3 */
        bn_fp12_mul(&c, &a, &b);
        bn_fp12_frob(&c, &c, 1);
        fp12 fa, fb;
        bn_fp12_frob(&fa, &a, 1);
        bn_fp12_frob(&fb, &b, 1);
        bn_fp12_mul(&d, &fa, &fb);
        CHECK(bn_fp12_eq(&c, &d));
        bn_fp12_frob(&c, &a, 1);
        bn_fp12_frob(&c, &c, 1);
        bn_fp12_frob(&d, &a, 2);
        CHECK(bn_fp12_eq(&c, &d));
        bn_fp12_frob(&c, &c, 1);
        bn_fp12_frob(&d, &a, 3);
        CHECK(bn_fp12_eq(&c, &d));
        /* a^p via generic exponentiation */
        bn_fp12_pow_var(&c, &a, FP_P.l, 4);
        bn_fp12_frob(&d, &a, 1);
        CHECK(bn_fp12_eq(&c, &d));
        /* cyclotomic squaring on an element after the easy part */
        bn_fp12_conj(&c, &a);
        bn_fp12_inv(&d, &a);
        bn_fp12_mul(&c, &c, &d);
        bn_fp12_frob(&d, &c, 2);
        bn_fp12_mul(&c, &c, &d);
        bn_fp12_sqr(&d, &c);
        fp12 e;
        bn_fp12_cyclo_sqr(&e, &c);
        CHECK(bn_fp12_eq(&d, &e));
    }
    /* sparse line multiplication equals the dense one */
    bn_line l;
    rnd_fp12(&a);
    rnd_fp(&l.l0.c0), rnd_fp(&l.l0.c1), rnd_fp(&l.l1.c0), rnd_fp(&l.l1.c1), rnd_fp(&l.l3.c0), rnd_fp(&l.l3.c1);
    memset(&b, 0, sizeof b);
    b.c0.c0 = l.l0;
    b.c1.c0 = l.l1;
    b.c1.c1 = l.l3;
    bn_fp12_mul(&c, &a, &b);
    d = a;
    bn_fp12_mul_line(&d, &l);
    CHECK(bn_fp12_eq(&c, &d));
    (void)one;
}

TEST(g1_group) {
    mpavs_bn254_g1 g, a, b, c, d;
    uint8_t k1[32], k2[32], k3[32], enc[64];
    mpavs_bn254_g1_generator(&g);
    mpavs_bn254_g1_encode(enc, &g);
    CHECK_STREQ(harness_hex(enc, 64), "0000000000000000000000000000000000000000000000000000000000000001"
                                      "0000000000000000000000000000000000000000000000000000000000000002");
    CHECK(mpavs_bn254_g1_decode(&a, enc) == MPAVS_BN254_OK);
    CHECK(mpavs_bn254_g1_eq(&a, &g));
    /* r*G = O, (r-1)G = -G */
    mpavs_bn254_order_r(k1);
    mpavs_bn254_g1_mul(&a, &g, k1);
    CHECK(a.infinity);
    mpavs_bn254_g1_mul_var(&a, &g, k1);
    CHECK(a.infinity);
    k1[31] -= 1;
    mpavs_bn254_g1_mul(&a, &g, k1);
    mpavs_bn254_g1_neg(&b, &g);
    CHECK(mpavs_bn254_g1_eq(&a, &b));
    /* 2G = G + G, and known 2G */
    k_u64(k1, 2);
    mpavs_bn254_g1_mul(&a, &g, k1);
    mpavs_bn254_g1_add(&b, &g, &g);
    CHECK(mpavs_bn254_g1_eq(&a, &b));
    mpavs_bn254_g1_add(&c, &b, &(mpavs_bn254_g1){.infinity = 1});
    CHECK(mpavs_bn254_g1_eq(&c, &b));
    mpavs_bn254_g1_neg(&c, &b);
    mpavs_bn254_g1_add(&c, &c, &b);
    CHECK(c.infinity);
    for (int i = 0; i < 20; i++) {
        rnd_scalar(k1);
        rnd_scalar(k2);
        mpavs_bn254_g1_mul(&a, &g, k1);
        mpavs_bn254_g1_mul_var(&b, &g, k1);
        CHECK(mpavs_bn254_g1_eq(&a, &b));
        mpavs_bn254_g1_mul(&b, &g, k2);
        mpavs_bn254_g1_add(&c, &a, &b);
        /* k3 = k1 + k2 mod r via (k1+k2) computed on limbs */
        uint64_t x[4], y[4], z[4], rl[4], s[4];
        bn_scalar_from_be(x, k1);
        bn_scalar_from_be(y, k2);
        bn_add4(z, x, y);
        bn_scalar_from_be(rl, (uint8_t[32]){0});
        mpavs_bn254_order_r(k3);
        bn_scalar_from_be(rl, k3);
        if (!bn_sub4(s, z, rl)) memcpy(z, s, sizeof z);
        bn_scalar_to_be(k3, z);
        mpavs_bn254_g1_mul_var(&d, &g, k3);
        CHECK(mpavs_bn254_g1_eq(&c, &d));
        mpavs_bn254_g1_encode(enc, &c);
        CHECK(mpavs_bn254_g1_decode(&d, enc) == MPAVS_BN254_OK);
    }
    /* bad encodings */
    memset(enc, 0, 64);
    enc[31] = 1;
    enc[63] = 3;
    CHECK(mpavs_bn254_g1_decode(&a, enc) == MPAVS_BN254_ERR_NOT_ON_CURVE);
    mpavs_bn254_modulus_p(enc);
    CHECK(mpavs_bn254_g1_decode(&a, enc) == MPAVS_BN254_ERR_NOT_CANONICAL);
}

TEST(g1_glv) {
    /* phi(G) = [lambda]G; GLV split recombines to k mod r; the GLV multiplications (constant
     * time and variable time) agree with the plain double-and-add on edge and random scalars */
    static const uint64_t R[4] = BN_R_LIMBS;
    mpavs_bn254_g1 g, a, b;
    g1p tg, t1, t2;
    mpavs_bn254_g1_generator(&g);
    bn_g1_from_affine(&tg, &g);
    bn_g1_phi(&t1, &tg);
    bn_g1_mul_var(&t2, &tg, BN_GLV_LAMBDA);
    bn_g1_to_affine(&a, &t1);
    bn_g1_to_affine(&b, &t2);
    CHECK(mpavs_bn254_g1_eq(&a, &b));
    uint64_t edges[][4] = {
        {0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {R[0] - 1, R[1], R[2], R[3]}, {R[0], R[1], R[2], R[3]},
        {R[0] + 1, R[1], R[2], R[3]}, {~0ULL, ~0ULL, ~0ULL, ~0ULL}, {0, 0, 0, 1ULL << 63},
        {BN_GLV_LAMBDA[0], BN_GLV_LAMBDA[1], BN_GLV_LAMBDA[2], 0}, {0, 0, 1, 0}, {0, 1ULL << 63, 0, 0},
    };
    int n_edges = (int)(sizeof edges / sizeof edges[0]);
    mpavs_bn254_g1 p;
    uint8_t ks[32];
    rnd_scalar(ks);
    mpavs_bn254_g1_mul_var(&p, &g, ks); /* a random base point too */
    for (int i = 0; i < n_edges + 60; i++) {
        uint64_t k[4], k1[4], k2[4], n1, n2, km[4];
        if (i < n_edges)
            memcpy(k, edges[i], sizeof k);
        else
            for (int j = 0; j < 4; j++) k[j] = rnd64() >> (i % 3 == 0 ? 0 : (i % 64));
        bn_glv_split(k1, k2, &n1, &n2, k);
        CHECK(k1[2] == 0 && k1[3] == 0 && (k1[1] >> 63) == 0); /* |k1|, |k2| < 2^127 */
        CHECK(k2[2] == 0 && k2[3] == 0 && (k2[1] >> 63) == 0);
        bn_scalar_mod_r(km, k);
        const mpavs_bn254_g1 *base = (i & 1) ? &p : &g;
        g1p tb, want, got;
        bn_g1_from_affine(&tb, base);
        bn_g1_mul_ct(&want, &tb, k);
        bn_g1_to_affine(&a, &want);
        bn_g1_mul_glv_ct(&got, &tb, k);
        bn_g1_to_affine(&b, &got);
        CHECK(mpavs_bn254_g1_eq(&a, &b));
        bn_g1_mul_glv_var(&got, &tb, k);
        bn_g1_to_affine(&b, &got);
        CHECK(mpavs_bn254_g1_eq(&a, &b));
        /* k1 + k2 lambda = k (mod r), checked on the group: [k1]B + [k2]phi(B) = [k]B */
        g1p x1, x2;
        bn_g1_mul_var(&x1, &tb, k1);
        if (n1) bn_g1_neg(&x1, &x1);
        bn_g1_phi(&x2, &tb);
        bn_g1_mul_var(&x2, &x2, k2);
        if (n2) bn_g1_neg(&x2, &x2);
        bn_g1_add(&x1, &x1, &x2);
        bn_g1_to_affine(&b, &x1);
        CHECK(mpavs_bn254_g1_eq(&a, &b));
        bn_g1_mul_var(&x1, &tb, km);
        bn_g1_to_affine(&b, &x1);
        CHECK(mpavs_bn254_g1_eq(&a, &b));
    }
    /* infinity as the base */
    mpavs_bn254_g1 inf = {0};
    inf.infinity = 1;
    mpavs_bn254_g1_mul(&a, &inf, ks);
    CHECK(a.infinity);
    mpavs_bn254_g1_mul_var(&a, &inf, ks);
    CHECK(a.infinity);
}

TEST(g2_gls4) {
    /* psi = [lambda] on G2 (against the plain fixed-window multiplication); the 4-dimensional
     * split k = sum (-1)^neg_j mag_j lambda^j mod r (checked with GMP) with mag_j < 2^64, and the
     * constant-time and variable-time GLS multiplications equal the plain one on edge and random
     * scalars and base points (including infinity) */
    static const uint64_t R[4] = BN_R_LIMBS;
    mpavs_bn254_g2 g, a, b, p;
    g2p tg, t1, t2;
    mpavs_bn254_g2_generator(&g);
    bn_g2_from_affine(&tg, &g);
    bn_g2_psi(&t1, &tg);
    bn_g2_mul_ct(&t2, &tg, BN_GLS_LAMBDA);
    bn_g2_to_affine(&a, &t1);
    bn_g2_to_affine(&b, &t2);
    CHECK(mpavs_bn254_g2_eq(&a, &b));
    uint8_t ks[32];
    rnd_scalar(ks);
    mpavs_bn254_g2_mul_var(&p, &g, ks);
    mpz_t zr, zl, zk, acc, term;
    mpz_inits(zr, zl, zk, acc, term, NULL);
    mpz_import(zr, 4, -1, 8, 0, 0, R);
    mpz_import(zl, 4, -1, 8, 0, 0, BN_GLS_LAMBDA);
    uint64_t lam2[4], lam3[4];
    mpz_mul(term, zl, zl);
    mpz_mod(term, term, zr);
    memset(lam2, 0, sizeof lam2);
    mpz_export(lam2, NULL, -1, 8, 0, 0, term);
    mpz_mul(term, term, zl);
    mpz_mod(term, term, zr);
    memset(lam3, 0, sizeof lam3);
    mpz_export(lam3, NULL, -1, 8, 0, 0, term);
    uint64_t edges[][4] = {
        {0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {R[0] - 1, R[1], R[2], R[3]}, {R[0], R[1], R[2], R[3]},
        {R[0] + 1, R[1], R[2], R[3]}, {~0ULL, ~0ULL, ~0ULL, ~0ULL}, {~0ULL, ~0ULL, 0, 0}, {0, 0, 1, 0},
        {BN_GLS_LAMBDA[0], BN_GLS_LAMBDA[1], 0, 0}, {lam2[0], lam2[1], lam2[2], lam2[3]},
        {lam3[0], lam3[1], lam3[2], lam3[3]}, {BN_U, 0, 0, 0}, {2 * BN_U + 1, 0, 0, 0},
    };
    int n_edges = (int)(sizeof edges / sizeof edges[0]);
    for (int i = 0; i < n_edges + 400; i++) {
        uint64_t k[4];
        if (i < n_edges)
            memcpy(k, edges[i], sizeof k);
        else
            for (int j = 0; j < 4; j++) k[j] = rnd64() >> (i % 3 == 0 ? 0 : (i % 64));
        u128 mag[4];
        uint64_t neg[4];
        bn_gls4_split(mag, neg, k);
        mpz_set_ui(acc, 0);
        for (int j = 3; j >= 0; j--) {
            uint64_t ml[2] = {(uint64_t)mag[j], (uint64_t)(mag[j] >> 64)};
            CHECK(ml[1] == 0); /* < 2^64 */
            mpz_mul(acc, acc, zl);
            mpz_import(term, 2, -1, 8, 0, 0, ml);
            if (neg[j]) mpz_neg(term, term);
            mpz_add(acc, acc, term);
        }
        mpz_import(zk, 4, -1, 8, 0, 0, k);
        mpz_sub(acc, acc, zk);
        CHECK(mpz_divisible_p(acc, zr));
        if (i >= n_edges + 40) continue; /* the point multiplications on fewer scalars */
        g2p tb, want, got;
        mpavs_bn254_g2 base = (i & 1) ? p : g;
        if (i == 3) {
            memset(&base, 0, sizeof base);
            base.infinity = 1;
        }
        bn_g2_from_affine(&tb, &base);
        bn_g2_mul_ct(&want, &tb, k);
        bn_g2_to_affine(&a, &want);
        bn_g2_mul_gls_ct(&got, &base, k);
        bn_g2_to_affine(&b, &got);
        CHECK(mpavs_bn254_g2_eq(&a, &b));
        bn_g2_mul_gls_var(&got, &base, k);
        bn_g2_to_affine(&b, &got);
        CHECK(mpavs_bn254_g2_eq(&a, &b));
    }
    mpz_clears(zr, zl, zk, acc, term, NULL);
}

TEST(g2_group) {
    mpavs_bn254_g2 g, a, b, c;
    uint8_t k1[32], k2[32], enc[128];
    mpavs_bn254_g2_generator(&g);
    mpavs_bn254_g2_encode(enc, &g);
    CHECK_STREQ(harness_hex(enc, 128),
                "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
                "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
                "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
                "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
    CHECK(mpavs_bn254_g2_decode(&a, enc) == MPAVS_BN254_OK);
    CHECK(mpavs_bn254_g2_eq(&a, &g));
    mpavs_bn254_order_r(k1);
    mpavs_bn254_g2_mul(&a, &g, k1);
    CHECK(a.infinity);
    for (int i = 0; i < 10; i++) {
        rnd_scalar(k1);
        rnd_scalar(k2);
        mpavs_bn254_g2_mul(&a, &g, k1);
        mpavs_bn254_g2_mul_var(&b, &g, k1);
        CHECK(mpavs_bn254_g2_eq(&a, &b));
        mpavs_bn254_g2_mul(&c, &a, k2);
        mpavs_bn254_g2_mul_var(&b, &g, k2);
        mpavs_bn254_g2_mul_var(&b, &b, k1);
        CHECK(mpavs_bn254_g2_eq(&c, &b));
        mpavs_bn254_g2_encode(enc, &c);
        CHECK(mpavs_bn254_g2_decode(&b, enc) == MPAVS_BN254_OK);
    }
}

/* sqrt in Fp (p = 3 mod 4); returns 0 if v is not a square. */
static int fp_sqrt_t(fp *r, const fp *v) {
    static const uint64_t E[4] = BN_SQRT_EXP;
    fp t, s;
    fp_pow(&t, v, E);
    fp_sqr(&s, &t);
    *r = t;
    return fp_eq(&s, v);
}

/* sqrt in Fp2 = Fp[i]/(i^2 + 1) through the norm; returns 0 if a is not a square. */
static int fp2_sqrt_t(fp2 *r, const fp2 *a) {
    fp n, s, t, half, two;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    if (!fp_sqrt_t(&s, &n)) return 0;
    fp_set_u64(&two, 2);
    fp_inv(&half, &two);
    fp_add(&t, &a->c0, &s);
    fp_mul(&t, &t, &half);
    if (!fp_sqrt_t(&r->c0, &t)) {
        fp_sub(&t, &a->c0, &s);
        fp_mul(&t, &t, &half);
        if (!fp_sqrt_t(&r->c0, &t)) return 0;
    }
    if (fp_is_zero(&r->c0)) return 0; /* a1 = 0 and -a0 a square: not needed by the tests */
    fp_add(&t, &r->c0, &r->c0);
    fp_inv(&t, &t);
    fp_mul(&r->c1, &a->c1, &t);
    fp2 chk;
    fp2_sqr(&chk, r);
    return fp2_eq(&chk, a);
}

/* A random point of the twist E'(Fp2) (almost surely outside G2). */
static void rnd_twist_point(mpavs_bn254_g2 *q) {
    static const fp2 B = BN_G2_B;
    memset(q, 0, sizeof *q);
    for (;;) {
        fp2 x, rhs, y;
        rnd_fp(&x.c0);
        rnd_fp(&x.c1);
        fp2_sqr(&rhs, &x);
        fp2_mul(&rhs, &rhs, &x);
        fp2_add(&rhs, &rhs, &B);
        if (!fp2_sqrt_t(&y, &rhs)) continue;
        q->x = x;
        q->y = y;
        return;
    }
}

TEST(g2_subgroup_check) {
    /* The psi test against the definition ([r]Q = O) on: random twist points (outside G2),
     * points of the cofactor torsion ([r]P), G2 points ([h]P, h = 2p - r the twist cofactor)
     * and multiples of the generator; decode rejects exactly the points outside G2. */
    static const uint64_t R[4] = BN_R_LIMBS;
    uint64_t h[4], p2[4];
    bn_add4(p2, FP_P.l, FP_P.l);
    bn_sub4(h, p2, R);
    int outside = 0, inside = 0;
    for (int i = 0; i < 40; i++) {
        mpavs_bn254_g2 q, qa;
        g2p t;
        uint8_t enc[128];
        rnd_twist_point(&q);
        REQUIRE(bn_g2_on_curve_affine(&q.x, &q.y));
        int want = bn_g2_in_subgroup_by_order_var(&q);
        CHECK_EQ_INT(bn_g2_in_subgroup(&q), want);
        outside += !want;
        mpavs_bn254_g2_encode(enc, &q);
        CHECK_EQ_INT(mpavs_bn254_g2_decode(&qa, enc), want ? MPAVS_BN254_OK : MPAVS_BN254_ERR_NOT_IN_SUBGROUP);
        /* [r]P: in the cofactor torsion, outside G2 unless infinity */
        bn_g2_from_affine(&t, &q);
        bn_g2_mul_var(&t, &t, R);
        bn_g2_to_affine(&qa, &t);
        if (!qa.infinity) {
            CHECK_EQ_INT(bn_g2_in_subgroup_by_order_var(&qa), 0);
            CHECK_EQ_INT(bn_g2_in_subgroup(&qa), 0);
        }
        /* [h]P is in G2 */
        bn_g2_from_affine(&t, &q);
        bn_g2_mul_var(&t, &t, h);
        bn_g2_to_affine(&qa, &t);
        CHECK_EQ_INT(bn_g2_in_subgroup_by_order_var(&qa), 1);
        CHECK_EQ_INT(bn_g2_in_subgroup(&qa), 1);
        inside++;
        mpavs_bn254_g2_encode(enc, &qa);
        CHECK_EQ_INT(mpavs_bn254_g2_decode(&q, enc), MPAVS_BN254_OK);
    }
    CHECK(outside >= 39); /* random twist points are outside G2 with probability 1 - 1/h */
    CHECK_EQ_INT(inside, 40);
    /* psi acts on G2 as multiplication by p (mod r): psi(G) = [p mod r]G */
    mpavs_bn254_g2 g, pg;
    g2p tg, tp;
    mpavs_bn254_g2_generator(&g);
    bn_g2_from_affine(&tg, &g);
    bn_g2_psi(&tp, &tg);
    bn_g2_to_affine(&pg, &tp);
    uint64_t pmr[4];
    bn_sub4(pmr, FP_P.l, R); /* p - r < r */
    mpavs_bn254_g2 want;
    bn_g2_mul_var(&tg, &tg, pmr);
    bn_g2_to_affine(&want, &tg);
    CHECK(mpavs_bn254_g2_eq(&pg, &want));
}

TEST(pairing_bilinear) {
    mpavs_bn254_g1 g1, a1;
    mpavs_bn254_g2 g2, b2;
    uint8_t ka[32], kb[32], kab[32];
    mpavs_bn254_g1_generator(&g1);
    mpavs_bn254_g2_generator(&g2);
    fp12 e, e2, t;
    bn_pairing(&e, &g1, &g2);
    CHECK(!bn_fp12_is_one(&e));
    /* e^r = 1 */
    static const uint64_t R[4] = BN_R_LIMBS;
    bn_fp12_pow_var(&t, &e, R, 4);
    CHECK(bn_fp12_is_one(&t));
    for (int i = 0; i < 3; i++) {
        uint64_t a = rnd64() >> 1, b = rnd64() >> 1;
        k_u64(ka, a);
        k_u64(kb, b);
        mpavs_bn254_g1_mul(&a1, &g1, ka);
        mpavs_bn254_g2_mul(&b2, &g2, kb);
        bn_pairing(&e2, &a1, &b2);
        u128 ab = (u128)a * b;
        uint64_t ee[2] = {(uint64_t)ab, (uint64_t)(ab >> 64)};
        bn_fp12_pow_var(&t, &e, ee, 2);
        CHECK(bn_fp12_eq(&t, &e2));
        (void)kab;
    }
    /* pairing check e(aP, Q) e(-P, aQ) = 1 */
    rnd_scalar(ka);
    mpavs_bn254_g1 ps[2];
    mpavs_bn254_g2 qs[2];
    mpavs_bn254_g1_mul(&ps[0], &g1, ka);
    qs[0] = g2;
    mpavs_bn254_g1_neg(&ps[1], &g1);
    mpavs_bn254_g2_mul(&qs[1], &g2, ka);
    bool ok = false;
    CHECK(mpavs_bn254_pairing_check(&ok, ps, qs, 2) == MPAVS_BN254_OK);
    CHECK(ok);
    mpavs_bn254_g1_add(&ps[0], &ps[0], &g1);
    CHECK(mpavs_bn254_pairing_check(&ok, ps, qs, 2) == MPAVS_BN254_OK);
    CHECK(!ok);
    CHECK(mpavs_bn254_pairing_check(&ok, ps, qs, 0) == MPAVS_BN254_OK);
    CHECK(ok);
    /* precomputed-line paths: e(P, G2) e(P, -G2) = 1; e(aP, G2) = e(P, aG2) (general path) */
    mpavs_bn254_g1_mul(&ps[0], &g1, ka);
    ps[1] = ps[0];
    qs[0] = g2;
    mpavs_bn254_g2_neg(&qs[1], &g2);
    CHECK(mpavs_bn254_pairing_check(&ok, ps, qs, 2) == MPAVS_BN254_OK);
    CHECK(ok);
    fp12 x, y;
    bn_pairing(&x, &ps[0], &g2);
    mpavs_bn254_g2_mul(&b2, &g2, ka);
    bn_pairing(&y, &g1, &b2);
    CHECK(bn_fp12_eq(&x, &y));
    mpavs_bn254_g1_neg(&a1, &ps[0]);
    bn_pairing(&y, &a1, &qs[1]); /* e(-aP, -G2) = e(aP, G2) */
    CHECK(bn_fp12_eq(&x, &y));
}


TEST(msm) {
    enum { N = 70 };
    static mpavs_bn254_g1 p1[N];
    static mpavs_bn254_g2 p2[N];
    static uint64_t k[4 * N];
    mpavs_bn254_g1 g1, want1, got1, t1;
    mpavs_bn254_g2 g2, want2, got2, t2;
    mpavs_bn254_g1_generator(&g1);
    mpavs_bn254_g2_generator(&g2);
    for (unsigned bits = 64; bits <= 256; bits += 192) {
        for (int n = 0; n <= N; n += (n < 5 ? 1 : 13)) {
            want1 = (mpavs_bn254_g1){.infinity = 1};
            want2 = (mpavs_bn254_g2){.infinity = 1};
            for (int i = 0; i < n; i++) {
                uint8_t s[32], kb[32];
                rnd_scalar(s);
                if (i % 7 == 3) {
                    p1[i] = p1[i - 1]; /* duplicates: bucket doubling */
                    p2[i] = p2[i - 1];
                } else if (i % 7 == 5) {
                    mpavs_bn254_g1_neg(&p1[i], &p1[i - 1]); /* P and -P */
                    mpavs_bn254_g2_neg(&p2[i], &p2[i - 1]);
                } else if (i % 11 == 10) {
                    p1[i] = (mpavs_bn254_g1){.infinity = 1};
                    p2[i] = (mpavs_bn254_g2){.infinity = 1};
                } else {
                    mpavs_bn254_g1_mul(&p1[i], &g1, s);
                    mpavs_bn254_g2_mul(&p2[i], &g2, s);
                }
                for (int j = 0; j < 4; j++) k[4 * i + j] = (bits > 64 * (unsigned)j) ? rnd64() : 0;
                if (i % 9 == 8) k[4 * i] = k[4 * i + 1] = k[4 * i + 2] = k[4 * i + 3] = 0;
                if (i % 13 == 12) k[4 * i] = (uint64_t)-1; /* all-ones digits: carries */
                bn_scalar_to_be(kb, &k[4 * i]);
                mpavs_bn254_g1_mul_var(&t1, &p1[i], kb);
                mpavs_bn254_g1_add(&want1, &want1, &t1);
                mpavs_bn254_g2_mul_var(&t2, &p2[i], kb);
                mpavs_bn254_g2_add(&want2, &want2, &t2);
            }
            mpavs_bn254_g1_msm_var(&got1, p1, k, (size_t)n, bits);
            mpavs_bn254_g2_msm_var(&got2, p2, k, (size_t)n, bits);
            CHECK(mpavs_bn254_g1_eq(&got1, &want1));
            CHECK(mpavs_bn254_g2_eq(&got2, &want2));
        }
    }
}

int main(void) {
    RUN(fp_basics);
    RUN(fp_mul_lazy_inputs);
    RUN(fp2_mul_xi_edges);
    RUN(fp6_lazy_vs_reference);
    RUN(fp2_fp6_fp12);
    RUN(g1_group);
    RUN(g1_glv);
    RUN(g2_gls4);
    RUN(g2_group);
    RUN(g2_subgroup_check);
    RUN(pairing_bilinear);
    RUN(msm);
    return harness_summary();
}
