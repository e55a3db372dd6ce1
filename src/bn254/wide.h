/*
 * src/bn254/wide.h — internal: double-width (512-bit, unreduced) Fp and Fp2 values for lazy
 * reduction. A product of two Fp elements is kept as its 8-limb integer; sums and differences
 * of such products are formed at double width and only the final value of each coefficient
 * goes through one Montgomery reduction (fpw_reduce), instead of one per product.
 *
 * Invariant of an fpw: its value t lies in [0, N) with N = p 2^256, i.e. the top four limbs
 * are below p (the low four are arbitrary). Congruences are modulo p: N is a multiple of p, so
 * adding or subtracting N never changes the reduced value. fpw_reduce(t) = t / 2^256 mod p is
 * valid for every t < N. N is about 5.3 p^2, so the product of two values below 2p (< 4p^2)
 * is an fpw as it comes out of the multiplier.
 *
 * Everything is constant time (carry chains, masks and CMOV-like selects, no branch).
 */
#ifndef MPAVS_BN254_WIDE_H
#define MPAVS_BN254_WIDE_H

#include "bn254/field.h"

typedef struct {
    uint64_t l[8];
} fpw;
typedef struct {
    fpw c0, c1;
} fp2w;

/* r = a + b over 8 limbs; returns the carry. Portable C. */
BN_INLINE uint64_t bn_add8_portable(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    uint64_t c = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        u128 s = (u128)a[i] + b[i] + c;
        r[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    return c;
}

#if MPAVS_BN254_CARRY_INTRIN
BN_INLINE uint64_t bn_add8(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    unsigned long long x[8];
    unsigned char c = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) c = _addcarry_u64(c, a[i], b[i], &x[i]);
    memcpy(r, x, sizeof x);
    return c;
}
#else
#define bn_add8 bn_add8_portable
#endif

/* r = a b (a, b < 2p, so r < 4p^2 < N). */
BN_INLINE void fpw_mul(fpw *r, const fp *a, const fp *b) { bn_mul_wide(r->l, a->l, b->l); }

/* r = a / 2^256 mod p (Montgomery reduction), r < p. */
BN_INLINE void fpw_reduce(fp *r, const fpw *a) { fp_mont_reduce(r, a->l); }

/* r = a + b mod N. The top halves sum (with the carry of the low halves) to at most 2p - 1,
 * which one conditional subtraction of p brings below p. Portable C. */
BN_INLINE void fpw_add_portable(fpw *r, const fpw *a, const fpw *b) {
    uint64_t t[8];
    bn_add8_portable(t, a->l, b->l); /* < 2N < 2^512: no carry out */
    uint64_t s[4];
    uint64_t keep = 0 - bn_sub4_portable(s, t + 4, FP_P.l);
    for (int i = 0; i < 4; i++) r->l[i] = t[i];
    for (int i = 0; i < 4; i++) r->l[4 + i] = (t[4 + i] & keep) | (s[i] & ~keep);
}

#if MPAVS_BN254_ADX
BN_INLINE void fpw_add(fpw *r, const fpw *a, const fpw *b) { bn_adx_fpw_add(r->l, a->l, b->l); }
#else
#define fpw_add fpw_add_portable
#endif

/* r = a - b mod N (bn_wsub of field.h). */
BN_INLINE void fpw_sub(fpw *r, const fpw *a, const fpw *b) { bn_wsub(r->l, a->l, b->l); }
BN_INLINE void fpw_sub_portable(fpw *r, const fpw *a, const fpw *b) { bn_wsub_portable(r->l, a->l, b->l); }

/* r = 9 x + y mod N for x < N and y <= N: the 9-limb sum is below 10N, so its top five limbs
 * (bits 256 and up) are below 10p and fp_reduce_small brings them below p; the low four limbs
 * are kept. */
BN_INLINE void fpw_mul9_add_portable(fpw *r, const fpw *x, const fpw *y) {
    uint64_t t[9];
    uint64_t c = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        u128 v = (u128)x->l[i] * 9 + y->l[i] + c;
        t[i] = (uint64_t)v;
        c = (uint64_t)(v >> 64);
    }
    t[8] = c;
    fp hi;
    fp_reduce_small(&hi, t + 4);
    memcpy(r->l, t, 4 * sizeof(uint64_t));
    memcpy(r->l + 4, hi.l, sizeof hi.l);
}

#if MPAVS_BN254_ADX
BN_INLINE void fpw_mul9_add(fpw *r, const fpw *x, const fpw *y) { bn_adx_fpw_mul9_add(r->l, x->l, y->l); }
#else
#define fpw_mul9_add fpw_mul9_add_portable
#endif

/* r = N - a (in (0, N] for a < N: the top half may equal p, which fpw_mul9_add accepts). */
BN_INLINE void fpw_neg_n(fpw *r, const fpw *a) {
    static const uint64_t Z[4] = {0, 0, 0, 0};
    uint64_t bw = bn_sub4(r->l, Z, a->l);
    uint64_t t[4];
    bn_sub4(t, FP_P.l, a->l + 4);
    uint64_t b4[4] = {bw, 0, 0, 0};
    bn_sub4(r->l + 4, t, b4);
}

/* ---- Fp2 ---- */

BN_INLINE void fp2w_add(fp2w *r, const fp2w *a, const fp2w *b) {
    fpw_add(&r->c0, &a->c0, &b->c0);
    fpw_add(&r->c1, &a->c1, &b->c1);
}
BN_INLINE void fp2w_sub(fp2w *r, const fp2w *a, const fp2w *b) {
    fpw_sub(&r->c0, &a->c0, &b->c0);
    fpw_sub(&r->c1, &a->c1, &b->c1);
}
BN_INLINE void fp2w_reduce(fp2 *r, const fp2w *a) {
    fpw_reduce(&r->c0, &a->c0);
    fpw_reduce(&r->c1, &a->c1);
}

/*
 * r = a b unreduced, Karatsuba (a, b fully reduced, < p): v0 = a0 b0, v1 = a1 b1 (< p^2),
 * s = (a0 + a1)(b0 + b1) < 4p^2 with the sums unreduced; r1 = s - v0 - v1 = a0 b1 + a1 b0
 * < 2p^2 exactly (plain subtractions), r0 = v0 - v1 mod N.
 */
BN_INLINE void fp2w_mul(fp2w *r, const fp2 *a, const fp2 *b) {
    fpw v1, s;
    fp sa, sb;
    fpw_mul(&r->c0, &a->c0, &b->c0);
    fpw_mul(&v1, &a->c1, &b->c1);
    fp_add_lazy(&sa, &a->c0, &a->c1);
    fp_add_lazy(&sb, &b->c0, &b->c1);
    fpw_mul(&s, &sa, &sb);
    bn_sub8x2(r->c1.l, s.l, r->c0.l, v1.l);
    fpw_sub(&r->c0, &r->c0, &v1);
}

/* r = a^2 unreduced (a fully reduced): r0 = (a0 + a1)(a0 - a1 + p) < 4p^2, r1 = 2 a0 a1 < 2p^2. */
BN_INLINE void fp2w_sqr(fp2w *r, const fp2 *a) {
    fp s, d, na1;
    fp_add_lazy(&s, &a->c0, &a->c1);
    bn_sub4(na1.l, FP_P.l, a->c1.l);
    fp_add_lazy(&d, &a->c0, &na1);
    fpw_mul(&r->c0, &s, &d);
    fpw_mul(&r->c1, &a->c0, &a->c1);
    bn_add8(r->c1.l, r->c1.l, r->c1.l);
}

/* r = a (9 + i) = (9 a0 - a1) + (9 a1 + a0) i mod N, a0 - a1 computed as a0 + (N - a1).
 * r may alias a. */
BN_INLINE void fp2w_mul_xi(fp2w *r, const fp2w *a) {
    fpw n1, c0;
    fpw_neg_n(&n1, &a->c1);
    fpw_mul9_add(&c0, &a->c0, &n1);
    fpw_mul9_add(&r->c1, &a->c1, &a->c0);
    r->c0 = c0;
}

#endif
