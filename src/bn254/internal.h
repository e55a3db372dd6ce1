/*
 * src/bn254/internal.h — internal interfaces of the BN254 module (not exported).
 *
 * Towers: Fp6 = Fp2[v]/(v^3 - xi), xi = 9 + i; Fp12 = Fp6[w]/(w^2 - v), so w^6 = xi.
 * The coefficient of w^k in an Fp12 element: k=0 c0.c0, 1 c1.c0, 2 c0.c1, 3 c1.c1,
 * 4 c0.c2, 5 c1.c2.
 */
#ifndef MPAVS_BN254_INTERNAL_H
#define MPAVS_BN254_INTERNAL_H

#include "bn254/field.h"

typedef struct {
    fp2 c0, c1, c2;
} fp6;

typedef struct {
    fp6 c0, c1;
} fp12;

/* Projective (homogeneous) points: (X:Y:Z) ~ (X/Z, Y/Z); infinity is (0:1:0). */
typedef struct {
    fp x, y, z;
} g1p;
typedef struct {
    fp2 x, y, z;
} g2p;

/* A sparse line value: l0 + l1*w + l3*w^3. */
typedef struct {
    fp2 l0, l1, l3;
} bn_line;

void bn_fp6_add(fp6 *r, const fp6 *a, const fp6 *b);
void bn_fp6_sub(fp6 *r, const fp6 *a, const fp6 *b);
void bn_fp6_mul(fp6 *r, const fp6 *a, const fp6 *b);
void bn_fp6_inv(fp6 *r, const fp6 *a);

void bn_fp12_set_one(fp12 *r);
int bn_fp12_is_one(const fp12 *a);
int bn_fp12_eq(const fp12 *a, const fp12 *b);
void bn_fp12_mul(fp12 *r, const fp12 *a, const fp12 *b);
void bn_fp12_sqr(fp12 *r, const fp12 *a);
void bn_fp12_inv(fp12 *r, const fp12 *a);
void bn_fp12_conj(fp12 *r, const fp12 *a);
void bn_fp12_frob(fp12 *r, const fp12 *a, int k); /* a^(p^k), k in 1..3 */
void bn_fp12_mul_line(fp12 *f, const bn_line *l);
void bn_fp12_mul_lines(fp12 *f, const bn_line *l, const bn_line *m); /* f *= l m */
void bn_fp12_cyclo_sqr(fp12 *r, const fp12 *a);
void bn_fp12_pow_var(fp12 *r, const fp12 *a, const uint64_t *e, size_t nlimbs); /* generic, public e */
void bn_final_exp(fp12 *r, const fp12 *f);

#define CHUNK_PAIRS 8 /* pairs processed together by one multi-Miller loop */
/* Miller loop of the optimal ate pairing for n pairs (affine, non-infinity points). */
void bn_miller_loop(fp12 *f, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q, size_t n);
/* Full pairing e(p, q) (1 if either is infinity). */
void bn_pairing(fp12 *r, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q);

/* Curve arithmetic (projective, complete formulas). */
void bn_g1_from_affine(g1p *r, const mpavs_bn254_g1 *a);
void bn_g1_to_affine(mpavs_bn254_g1 *r, const g1p *a);
void bn_g1_to_affine_var(mpavs_bn254_g1 *r, const g1p *a); /* public points only */
void bn_g1_add(g1p *r, const g1p *a, const g1p *b);
void bn_g1_dbl(g1p *r, const g1p *a);
void bn_g1_neg(g1p *r, const g1p *a);
void bn_g1_mul_ct(g1p *r, const g1p *a, const uint64_t k[4]);
void bn_g1_mul_var(g1p *r, const g1p *a, const uint64_t k[4]);
int bn_g1_is_inf(const g1p *a);
int bn_g1_on_curve_affine(const fp *x, const fp *y);
void bn_g1_sum_var(g1p *r, const mpavs_bn254_g1 *pts, size_t n);

/* GLV on G1 (glv.c): phi(x, y) = (beta x, y) = [lambda](x, y); k = k1 + k2 lambda mod r with
 * k1 = (-1)^neg1 |k1|, k2 = (-1)^neg2 |k2|, |k1|, |k2| < 2^127 (constant time). */
extern const uint64_t BN_GLV_LAMBDA[4];
void bn_g1_phi(g1p *r, const g1p *a);
void bn_scalar_mod_r(uint64_t out[4], const uint64_t k[4]);
void bn_glv_split(uint64_t k1[4], uint64_t k2[4], uint64_t *neg1, uint64_t *neg2, const uint64_t k[4]);
void bn_g1_mul_glv_ct(g1p *r, const g1p *a, const uint64_t k[4]);  /* secret k */
void bn_g1_mul_glv_var(g1p *r, const g1p *a, const uint64_t k[4]); /* public k */
/* 4-dimensional GLS on G2 (gls4.c): psi = [lambda] on G2, lambda = 6u^2 = p mod r;
 * k = sum (-1)^neg_j mag_j lambda^j mod r with mag_j < 2^64 (constant time). The point is an
 * affine point of G2 (a decoded or computed value, so of order r) or infinity. */
extern const uint64_t BN_GLS_LAMBDA[4];
void bn_gls4_split(u128 mag[4], uint64_t neg[4], const uint64_t k[4]);
void bn_g2_mul_gls_ct(g2p *r, const mpavs_bn254_g2 *a, const uint64_t k[4]);  /* secret k */
void bn_g2_mul_gls_var(g2p *r, const mpavs_bn254_g2 *a, const uint64_t k[4]); /* public k */

void bn_g2_from_affine(g2p *r, const mpavs_bn254_g2 *a);
void bn_g2_to_affine(mpavs_bn254_g2 *r, const g2p *a);
void bn_g2_to_affine_var(mpavs_bn254_g2 *r, const g2p *a); /* public points only */
void bn_g2_add(g2p *r, const g2p *a, const g2p *b);
void bn_g2_dbl(g2p *r, const g2p *a);
void bn_g2_neg(g2p *r, const g2p *a);
void bn_g2_mul_ct(g2p *r, const g2p *a, const uint64_t k[4]);
void bn_g2_mul_var(g2p *r, const g2p *a, const uint64_t k[4]);
int bn_g2_is_inf(const g2p *a);
int bn_g2_on_curve_affine(const fp2 *x, const fp2 *y);
int bn_g2_in_subgroup(const mpavs_bn254_g2 *a);              /* psi-based test (public data) */
int bn_g2_in_subgroup_by_order_var(const mpavs_bn254_g2 *a); /* [r]Q = O, the reference */
void bn_g2_psi(g2p *r, const g2p *a);                         /* untwist-Frobenius-twist */
void bn_g2_sum_var(g2p *r, const mpavs_bn254_g2 *pts, size_t n);

/* Scalars: 32-byte big-endian <-> 4 little-endian limbs. */
void bn_scalar_from_be(uint64_t k[4], const uint8_t in[32]);
void bn_scalar_to_be(uint8_t out[32], const uint64_t k[4]);

#endif
