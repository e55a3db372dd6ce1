/*
 * src/bn254/curve.c — G1 and G2 point arithmetic (see curve_tmpl.h), scalars, G2 subgroup check.
 */
#include <stdlib.h>

#include "bn254/internal.h"

void bn_scalar_from_be(uint64_t k[4], const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++) v = (v << 8) | in[(3 - i) * 8 + j];
        k[i] = v;
    }
}

void bn_scalar_to_be(uint8_t out[32], const uint64_t k[4]) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) out[(3 - i) * 8 + j] = (uint8_t)(k[i] >> (56 - 8 * j));
}

/* Width-5 NAF of a 256-bit scalar, least significant digit first; returns the digit count. */
static int bn_wnaf5(int8_t naf[260], const uint64_t k[4]) {
    uint64_t t[5] = {k[0], k[1], k[2], k[3], 0};
    int len = 0;
    while (t[0] | t[1] | t[2] | t[3] | t[4]) {
        int d = 0;
        if (t[0] & 1) {
            d = (int)(t[0] & 31);
            if (d >= 16) d -= 32;
            /* t -= d */
            if (d > 0) {
                uint64_t borrow = (uint64_t)d;
                for (int i = 0; i < 5 && borrow; i++) {
                    uint64_t old = t[i];
                    t[i] = old - borrow;
                    borrow = old < borrow;
                }
            } else {
                uint64_t carry = (uint64_t)(-d);
                for (int i = 0; i < 5 && carry; i++) {
                    t[i] += carry;
                    carry = t[i] < carry;
                }
            }
        }
        naf[len++] = (int8_t)d;
        for (int i = 0; i < 4; i++) t[i] = (t[i] >> 1) | (t[i + 1] << 63);
        t[4] >>= 1;
    }
    return len;
}

/* ---- G1 over Fp ---- */
static void fp_set_one_(fp *r) { *r = FP_ONE; }
static void fp_set_zero_(fp *r) { memset(r, 0, sizeof *r); }
static const fp G1_B = {BN_G1_B};

#define FE fp
#define FE_ADD fp_add
#define FE_SUB fp_sub
#define FE_MUL fp_mul
#define FE_SQR fp_sqr
#define FE_NEG fp_neg
#define FE_INV fp_inv
#define FE_INV_VAR fp_inv_var
#define FE_CMOV fp_cmov
#define FE_EQ fp_eq
#define FE_IS_ZERO fp_is_zero
#define FE_SET_ONE fp_set_one_
#define FE_SET_ZERO fp_set_zero_
#define CURVE_B G1_B
#define FE_MUL_B3 fp_mul9 /* 3b = 9: a small-integer multiple, no Montgomery product */
#define PT g1p
#define AFF mpavs_bn254_g1
#define FN(name) bn_g1_##name
#include "bn254/curve_tmpl.h"
#undef FE
#undef FE_ADD
#undef FE_SUB
#undef FE_MUL
#undef FE_SQR
#undef FE_NEG
#undef FE_INV
#undef FE_INV_VAR
#undef FE_CMOV
#undef FE_EQ
#undef FE_IS_ZERO
#undef FE_SET_ONE
#undef FE_SET_ZERO
#undef CURVE_B
#undef FE_MUL_B3
#undef PT
#undef AFF
#undef FN

/* ---- G2 over Fp2 ---- */
static const fp2 G2_B = BN_G2_B;
static const fp2 G2_B3 = BN_G2_B3;

#define FE fp2
#define FE_ADD fp2_add
#define FE_SUB fp2_sub
#define FE_MUL fp2_mul
#define FE_SQR fp2_sqr
#define FE_NEG fp2_neg
#define FE_INV fp2_inv
#define FE_INV_VAR fp2_inv_var
#define FE_CMOV fp2_cmov
#define FE_EQ fp2_eq
#define FE_IS_ZERO fp2_is_zero
#define FE_SET_ONE fp2_set_one
#define FE_SET_ZERO fp2_set_zero
#define CURVE_B G2_B
#define FE_MUL_B3(r, a) fp2_mul(r, a, &G2_B3)
#define PT g2p
#define AFF mpavs_bn254_g2
#define FN(name) bn_g2_##name
#include "bn254/curve_tmpl.h"

/* psi = untwist-Frobenius-twist on E'(Fp2), projective: (conj(X) cx, conj(Y) cy, conj(Z)). */
static const fp2 PSI_CX = BN_TW_X1;
static const fp2 PSI_CY = BN_TW_Y1;

void bn_g2_psi(g2p *r, const g2p *a) {
    fp2 t;
    fp2_conj(&t, &a->x);
    fp2_mul(&r->x, &t, &PSI_CX);
    fp2_conj(&t, &a->y);
    fp2_mul(&r->y, &t, &PSI_CY);
    fp2_conj(&r->z, &a->z);
}

/* Projective equality (both infinity, or X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1). */
static int g2p_eq(const g2p *a, const g2p *b) {
    int ia = bn_g2_is_inf(a), ib = bn_g2_is_inf(b);
    if (ia || ib) return ia && ib;
    fp2 l, r;
    fp2_mul(&l, &a->x, &b->z);
    fp2_mul(&r, &b->x, &a->z);
    if (!fp2_eq(&l, &r)) return 0;
    fp2_mul(&l, &a->y, &b->z);
    fp2_mul(&r, &b->y, &a->z);
    return fp2_eq(&l, &r);
}

/*
 * Q (on the twist) is in G2 iff [x+1]Q + psi([x]Q) + psi^2([x]Q) = psi^3([2x]Q), x the BN
 * seed (Dai, Lin, Zhao and Zhou, "Faster subgroup membership testing for G1, G2 and GT on
 * pairing-friendly curves", eprint 2022/348; it needs x != 4 mod 13 and x != 92 mod 97, true
 * for BN254's x = 4965661367192848881). One 63-bit multiplication instead of one by r.
 * Variable time: the point is public.
 */
int bn_g2_in_subgroup(const mpavs_bn254_g2 *a) {
    static const uint64_t X[4] = {BN_U, 0, 0, 0};
    g2p q, xq, lhs, t, rhs;
    bn_g2_from_affine(&q, a);
    bn_g2_mul_var(&xq, &q, X);
    bn_g2_add(&lhs, &xq, &q); /* [x+1]Q */
    bn_g2_psi(&t, &xq);
    bn_g2_add(&lhs, &lhs, &t); /* + psi([x]Q) */
    bn_g2_psi(&t, &t);
    bn_g2_add(&lhs, &lhs, &t); /* + psi^2([x]Q) */
    bn_g2_dbl(&rhs, &xq);
    bn_g2_psi(&rhs, &rhs);
    bn_g2_psi(&rhs, &rhs);
    bn_g2_psi(&rhs, &rhs); /* psi^3([2x]Q) */
    return g2p_eq(&lhs, &rhs);
}

/* The definition: [r]Q = O (kept as the reference the tests compare with). */
int bn_g2_in_subgroup_by_order_var(const mpavs_bn254_g2 *a) {
    static const uint64_t R[4] = BN_R_LIMBS;
    g2p t;
    bn_g2_from_affine(&t, a);
    bn_g2_mul_var(&t, &t, R);
    return bn_g2_is_inf(&t);
}

void mpavs_bn254_g1_msm_var(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *p, const uint64_t *k, size_t n,
                            unsigned bits) {
    MPAVS_REQUIRE(out && (p || n == 0) && (k || n == 0) && bits <= 256);
    g1p r;
    bn_g1_msm(&r, p, k, n, bits ? bits : 1);
    bn_g1_to_affine_var(out, &r);
}

void mpavs_bn254_g2_msm_var(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *q, const uint64_t *k, size_t n,
                            unsigned bits) {
    MPAVS_REQUIRE(out && (q || n == 0) && (k || n == 0) && bits <= 256);
    g2p r;
    bn_g2_msm(&r, q, k, n, bits ? bits : 1);
    bn_g2_to_affine_var(out, &r);
}
