/*
 * src/bn254/field.h — internal: Fp (Montgomery, 4x64 limbs) and Fp2 = Fp[i]/(i^2+1).
 * Everything here is constant time. Elements are always fully reduced (< p).
 */
#ifndef MPAVS_BN254_FIELD_H
#define MPAVS_BN254_FIELD_H

#include <string.h>

#include "bn254/consts.h"
#include "mpavs/bn254.h"

/*
 * Build-time choice of the arithmetic (no run-time dispatch): the x86-64 MULX/ADCX/ADOX
 * assembly of fp_x86_adx.h when the compiler targets a CPU with BMI2 and ADX (the Makefile
 * adds -mbmi2 -madx when the build machine has both; -march=native does too) and the
 * portable C below otherwise, or always with -DMPAVS_PORTABLE (`make MPAVS_PORTABLE=1`).
 * The portable functions are compiled in every build (tests compare the two paths).
 */
#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__) && !defined(MPAVS_PORTABLE)
#define MPAVS_BN254_ADX 1
#include "bn254/fp_x86_adx.h"
#else
#define MPAVS_BN254_ADX 0
#endif
#if defined(__x86_64__) && !defined(MPAVS_PORTABLE)
#include <x86intrin.h>
#define MPAVS_BN254_CARRY_INTRIN 1
#else
#define MPAVS_BN254_CARRY_INTRIN 0
#endif
/* Hot small helpers are forced inline (the compiler otherwise keeps some Fp2 ones out of line). */
#define BN_INLINE static inline __attribute__((always_inline))

typedef mpavs_bn254_fp fp;
typedef mpavs_bn254_fp2 fp2;
typedef unsigned __int128 u128;

static const fp FP_P = {BN_P_LIMBS};
static const fp FP_ONE = {BN_ONE};
static const fp FP_R2 = {BN_R2};

#define FP_PINV BN_P_INV

/* r = a - b over 4 limbs; returns the borrow (0 or 1). Portable C. */
BN_INLINE uint64_t bn_sub4_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 d;
    d = (u128)a[0] - b[0];
    r[0] = (uint64_t)d;
    d = (u128)a[1] - b[1] - ((uint64_t)(d >> 64) & 1);
    r[1] = (uint64_t)d;
    d = (u128)a[2] - b[2] - ((uint64_t)(d >> 64) & 1);
    r[2] = (uint64_t)d;
    d = (u128)a[3] - b[3] - ((uint64_t)(d >> 64) & 1);
    r[3] = (uint64_t)d;
    return (uint64_t)(d >> 64) & 1;
}

/* r = a + b over 4 limbs; returns the carry. Portable C. */
BN_INLINE uint64_t bn_add4_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 s;
    s = (u128)a[0] + b[0];
    r[0] = (uint64_t)s;
    s = (u128)a[1] + b[1] + (uint64_t)(s >> 64);
    r[1] = (uint64_t)s;
    s = (u128)a[2] + b[2] + (uint64_t)(s >> 64);
    r[2] = (uint64_t)s;
    s = (u128)a[3] + b[3] + (uint64_t)(s >> 64);
    r[3] = (uint64_t)s;
    return (uint64_t)(s >> 64);
}

#if MPAVS_BN254_CARRY_INTRIN
/* The same with the add-with-carry / subtract-with-borrow intrinsics (ADC/SBB chains). */
BN_INLINE uint64_t bn_sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    unsigned long long x0, x1, x2, x3;
    unsigned char c = _subborrow_u64(0, a[0], b[0], &x0);
    c = _subborrow_u64(c, a[1], b[1], &x1);
    c = _subborrow_u64(c, a[2], b[2], &x2);
    c = _subborrow_u64(c, a[3], b[3], &x3);
    r[0] = x0, r[1] = x1, r[2] = x2, r[3] = x3;
    return c;
}
BN_INLINE uint64_t bn_add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    unsigned long long x0, x1, x2, x3;
    unsigned char c = _addcarry_u64(0, a[0], b[0], &x0);
    c = _addcarry_u64(c, a[1], b[1], &x1);
    c = _addcarry_u64(c, a[2], b[2], &x2);
    c = _addcarry_u64(c, a[3], b[3], &x3);
    r[0] = x0, r[1] = x1, r[2] = x2, r[3] = x3;
    return c;
}
#else
#define bn_sub4 bn_sub4_portable
#define bn_add4 bn_add4_portable
#endif

/* If t >= p then t -= p (t < 2p). */
BN_INLINE void fp_reduce_once(fp *r, const uint64_t t[4]) {
    uint64_t s[4];
    uint64_t borrow = bn_sub4(s, t, FP_P.l);
    uint64_t mask = 0 - borrow; /* all ones: keep t */
    r->l[0] = (t[0] & mask) | (s[0] & ~mask);
    r->l[1] = (t[1] & mask) | (s[1] & ~mask);
    r->l[2] = (t[2] & mask) | (s[2] & ~mask);
    r->l[3] = (t[3] & mask) | (s[3] & ~mask);
}

BN_INLINE void fp_add_portable(fp *r, const fp *a, const fp *b) {
    uint64_t t[4];
    bn_add4(t, a->l, b->l); /* < 2p < 2^255: no carry */
    fp_reduce_once(r, t);
}


BN_INLINE void fp_sub_portable(fp *r, const fp *a, const fp *b) {
    uint64_t t[4], q[4];
    uint64_t mask = 0 - bn_sub4(t, a->l, b->l);
    q[0] = FP_P.l[0] & mask;
    q[1] = FP_P.l[1] & mask;
    q[2] = FP_P.l[2] & mask;
    q[3] = FP_P.l[3] & mask;
    bn_add4(r->l, t, q);
}

/* With the assembly, add and sub are one asm block each (loads, carry chain, CMOV or masked
 * correction, stores): the C versions cost twice the instructions through the masks. */
#if MPAVS_BN254_ADX
BN_INLINE void fp_add(fp *r, const fp *a, const fp *b) { bn_adx_fp_add(r->l, a->l, b->l); }
BN_INLINE void fp_sub(fp *r, const fp *a, const fp *b) { bn_adx_fp_sub(r->l, a->l, b->l); }
#else
#define fp_add fp_add_portable
#define fp_sub fp_sub_portable
#endif

BN_INLINE void fp_dbl(fp *r, const fp *a) { fp_add(r, a, a); }

BN_INLINE int fp_is_zero(const fp *a) {
    uint64_t z = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    return (int)(((z | (0 - z)) >> 63) ^ 1);
}

BN_INLINE void fp_neg(fp *r, const fp *a) {
    uint64_t t[4];
    uint64_t z = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    uint64_t mask = 0 - ((z | (0 - z)) >> 63); /* all ones if a != 0 */
    bn_sub4(t, FP_P.l, a->l);
    for (int i = 0; i < 4; i++) r->l[i] = t[i] & mask;
}

BN_INLINE int fp_eq(const fp *a, const fp *b) {
    uint64_t d = (a->l[0] ^ b->l[0]) | (a->l[1] ^ b->l[1]) | (a->l[2] ^ b->l[2]) | (a->l[3] ^ b->l[3]);
    return (int)(((d | (0 - d)) >> 63) ^ 1);
}

/* v unchanged, but opaque to the optimiser: a mask derived from a secret flag cannot be turned
 * back into a branch (blst's launder). */
BN_INLINE uint64_t bn_launder(uint64_t v) {
    __asm__("" : "+r"(v));
    return v;
}

/* r = flag ? a : r, flag in {0,1}, constant time. */
BN_INLINE void fp_cmov(fp *r, const fp *a, uint64_t flag) {
    uint64_t mask = bn_launder(0 - flag);
    for (int i = 0; i < 4; i++) r->l[i] ^= mask & (r->l[i] ^ a->l[i]);
}

/* Montgomery multiplication, CIOS without the extra carry word (valid because the top
 * limb of p is below 2^62). Inputs < 2p, output < p. Portable C. */
BN_INLINE void fp_mul_portable(fp *r, const fp *a, const fp *b) {
    const uint64_t P0 = FP_P.l[0], P1 = FP_P.l[1], P2 = FP_P.l[2], P3 = FP_P.l[3];
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    const uint64_t a0 = a->l[0], a1 = a->l[1], a2 = a->l[2], a3 = a->l[3];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b->l[i], A, C, m;
        u128 x, y;
        x = (u128)a0 * bi + t0;
        A = (uint64_t)(x >> 64);
        t0 = (uint64_t)x;
        m = t0 * FP_PINV;
        y = (u128)m * P0 + t0;
        C = (uint64_t)(y >> 64);
        x = (u128)a1 * bi + A + t1;
        A = (uint64_t)(x >> 64);
        t1 = (uint64_t)x;
        y = (u128)m * P1 + t1 + C;
        C = (uint64_t)(y >> 64);
        t0 = (uint64_t)y;
        x = (u128)a2 * bi + A + t2;
        A = (uint64_t)(x >> 64);
        t2 = (uint64_t)x;
        y = (u128)m * P2 + t2 + C;
        C = (uint64_t)(y >> 64);
        t1 = (uint64_t)y;
        x = (u128)a3 * bi + A + t3;
        A = (uint64_t)(x >> 64);
        t3 = (uint64_t)x;
        y = (u128)m * P3 + t3 + C;
        C = (uint64_t)(y >> 64);
        t2 = (uint64_t)y;
        t3 = C + A;
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    fp_reduce_once(r, t);
}

#if MPAVS_BN254_ADX
BN_INLINE void fp_mul(fp *r, const fp *a, const fp *b) { bn_adx_mont_mul(r->l, a->l, b->l); }
#else
#define fp_mul fp_mul_portable
#endif

BN_INLINE void fp_sqr(fp *r, const fp *a) { fp_mul(r, a, a); }

/* r = a^e for a public exponent e (4 limbs), constant time in a. */
static inline void fp_pow(fp *r, const fp *a, const uint64_t e[4]) {
    fp acc = FP_ONE, base = *a;
    for (int i = 3; i >= 0; i--) {
        for (int j = 63; j >= 0; j--) {
            fp_sqr(&acc, &acc);
            if ((e[i] >> j) & 1) fp_mul(&acc, &acc, &base);
        }
    }
    *r = acc;
}

/* r = 1/a (0 for a = 0) by Fermat (a^(p-2)), constant time: the reference for the tests. */
static inline void fp_inv_fermat(fp *r, const fp *a) {
    static const uint64_t E[4] = BN_PM2;
    fp_pow(r, a, E);
}

/* r = 1/a (0 for a = 0) by safegcd, constant time (src/bn254/inv.c). */
void bn_fp_inv_safegcd(fp *r, const fp *a);
static inline void fp_inv(fp *r, const fp *a) { bn_fp_inv_safegcd(r, a); }
/* r = 1/a (0 for a = 0), variable time (src/bn254/inv.c): only for public values. */
void bn_fp_inv_var(fp *r, const fp *a);
static inline void fp_inv_var(fp *r, const fp *a) { bn_fp_inv_var(r, a); }

/* Convert a canonical integer (limbs) to Montgomery form and back. */
BN_INLINE void fp_to_mont(fp *r, const fp *a) { fp_mul(r, a, &FP_R2); }
BN_INLINE void fp_from_mont(fp *r, const fp *a) {
    static const fp ONE_PLAIN = {{1, 0, 0, 0}};
    fp_mul(r, a, &ONE_PLAIN);
}

/* Parse 32 bytes big-endian; returns 0 if >= p (not canonical), else 1 and r in Montgomery form. */
static inline int fp_from_be(fp *r, const uint8_t in[32]) {
    fp t;
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++) v = (v << 8) | in[(3 - i) * 8 + j];
        t.l[i] = v;
    }
    uint64_t s[4];
    if (!bn_sub4(s, t.l, FP_P.l)) return 0;
    fp_to_mont(r, &t);
    return 1;
}

static inline void fp_to_be(uint8_t out[32], const fp *a) {
    fp t;
    fp_from_mont(&t, a);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) out[(3 - i) * 8 + j] = (uint8_t)(t.l[i] >> (56 - 8 * j));
}

static inline void fp_set_u64(fp *r, uint64_t v) {
    fp t = {{v, 0, 0, 0}};
    fp_to_mont(r, &t);
}

/* ---- Fp2 ---- */

BN_INLINE void fp2_add(fp2 *r, const fp2 *a, const fp2 *b) {
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}
BN_INLINE void fp2_sub(fp2 *r, const fp2 *a, const fp2 *b) {
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}
BN_INLINE void fp2_dbl(fp2 *r, const fp2 *a) { fp2_add(r, a, a); }
BN_INLINE void fp2_neg(fp2 *r, const fp2 *a) {
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}
BN_INLINE void fp2_conj(fp2 *r, const fp2 *a) {
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}
BN_INLINE int fp2_is_zero(const fp2 *a) { return fp_is_zero(&a->c0) & fp_is_zero(&a->c1); }
BN_INLINE int fp2_eq(const fp2 *a, const fp2 *b) { return fp_eq(&a->c0, &b->c0) & fp_eq(&a->c1, &b->c1); }
BN_INLINE void fp2_cmov(fp2 *r, const fp2 *a, uint64_t flag) {
    fp_cmov(&r->c0, &a->c0, flag);
    fp_cmov(&r->c1, &a->c1, flag);
}
BN_INLINE void fp2_set_zero(fp2 *r) { memset(r, 0, sizeof *r); }
BN_INLINE void fp2_set_one(fp2 *r) {
    r->c0 = FP_ONE;
    memset(&r->c1, 0, sizeof r->c1);
}

/* r = a + b without the final reduction (r < 2p): only as an input of fp_mul, which
 * accepts factors below 2p (its result (a b + m p) / 2^256 < 4p^2/2^256 + p < 2p). */
BN_INLINE void fp_add_lazy(fp *r, const fp *a, const fp *b) { bn_add4(r->l, a->l, b->l); }

/* t = a * b as 8 limbs (schoolbook; a, b < 2^256). Portable C. */
BN_INLINE void bn_mul_wide_portable(uint64_t t[8], const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 0; i < 8; i++) t[i] = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        uint64_t c = 0;
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
            u128 x = (u128)a[i] * b[j] + t[i + j] + c;
            t[i + j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[i + 4] = c;
    }
}

/* r = t / 2^256 mod p for t < p 2^256 (Montgomery reduction of a double-width value). The
 * intermediate t + sum m_i p 2^(64 i) < 2p 2^256 < 2^511 fits in 8 limbs, and the quotient is
 * below 2p, so one conditional subtraction gives r < p. Portable C. */
BN_INLINE void fp_mont_reduce_portable(fp *r, const uint64_t tin[8]) {
    uint64_t t[8];
    memcpy(t, tin, sizeof t);
    uint64_t hc = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        uint64_t m = t[i] * FP_PINV, c = 0;
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
            u128 x = (u128)m * FP_P.l[j] + t[i + j] + c;
            t[i + j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        u128 x = (u128)t[i + 4] + c + hc;
        t[i + 4] = (uint64_t)x;
        hc = (uint64_t)(x >> 64);
    }
    fp_reduce_once(r, t + 4);
}

#if MPAVS_BN254_ADX
BN_INLINE void bn_mul_wide(uint64_t t[8], const uint64_t a[4], const uint64_t b[4]) { bn_adx_mul_wide(t, a, b); }
BN_INLINE void fp_mont_reduce(fp *r, const uint64_t t[8]) { bn_adx_mont_reduce(r->l, t); }
#else
#define bn_mul_wide bn_mul_wide_portable
#define fp_mont_reduce fp_mont_reduce_portable
#endif

/* r = a - b over 8 limbs; returns the borrow. Portable C. */
BN_INLINE uint64_t bn_sub8_portable(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    uint64_t bw = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        u128 d = (u128)a[i] - b[i] - bw;
        r[i] = (uint64_t)d;
        bw = (uint64_t)(d >> 64) & 1;
    }
    return bw;
}

#if MPAVS_BN254_CARRY_INTRIN
BN_INLINE uint64_t bn_sub8(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    unsigned long long x[8];
    unsigned char c = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) c = _subborrow_u64(c, a[i], b[i], &x[i]);
    memcpy(r, x, sizeof x);
    return c;
}
#else
#define bn_sub8 bn_sub8_portable
#endif

/* r = a - b mod N over 8 limbs, N = p 2^256, for a, b < N (the top four limbs below p): when
 * the difference borrows, p is added to its top half. Portable C. */
BN_INLINE void bn_wsub_portable(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    uint64_t t[8], q[4];
    uint64_t mask = 0 - bn_sub8_portable(t, a, b);
    for (int i = 0; i < 4; i++) q[i] = FP_P.l[i] & mask;
    bn_add4_portable(t + 4, t + 4, q);
    memcpy(r, t, sizeof t);
}

/* r = s - a - b over 8 limbs for s >= a + b (exact, no correction). Portable C. */
BN_INLINE void bn_sub8x2_portable(uint64_t r[8], const uint64_t s[8], const uint64_t a[8], const uint64_t b[8]) {
    uint64_t t[8];
    bn_sub8_portable(t, s, a);
    bn_sub8_portable(r, t, b);
}

#if MPAVS_BN254_ADX
BN_INLINE void bn_wsub(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) { bn_adx_fpw_sub(r, a, b); }
BN_INLINE void bn_sub8x2(uint64_t r[8], const uint64_t s[8], const uint64_t a[8], const uint64_t b[8]) {
    bn_adx_sub8x2(r, s, a, b);
}
#else
#define bn_wsub bn_wsub_portable
#define bn_sub8x2 bn_sub8x2_portable
#endif

/*
 * Karatsuba with lazy reduction: the three products are kept double width and only the two
 * results are reduced. c0 = a0 b0 - a1 b1 lies in (-p^2, p^2); when negative p 2^256 is added
 * (bn_wsub), giving [0, p 2^256). c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1 = a0 b1 + a1 b0
 * < 2 p^2 < p 2^256 (p < 2^254). Inputs must be fully reduced (< p).
 */
BN_INLINE void fp2_mul_lazy_wide(fp2 *r, const fp2 *a, const fp2 *b) {
    uint64_t v0[8], v1[8], s[8], sa[4], sb[4];
    bn_mul_wide(v0, a->c0.l, b->c0.l);
    bn_mul_wide(v1, a->c1.l, b->c1.l);
    bn_add4(sa, a->c0.l, a->c1.l); /* < 2p < 2^255 */
    bn_add4(sb, b->c0.l, b->c1.l);
    bn_mul_wide(s, sa, sb);
    bn_sub8x2(s, s, v0, v1);
    bn_wsub(v0, v0, v1);
    fp_mont_reduce(&r->c0, v0);
    fp_mont_reduce(&r->c1, s);
}

/* Fp2 multiplication: the lazily reduced Karatsuba above in both builds (with the MULX/ADX
 * double-width routines it takes fewer instructions than three Montgomery products, 486
 * against 521 under callgrind, and its products are independent of each other). */
#define fp2_mul fp2_mul_lazy_wide

/* r = a^2: r0 = (a0 + a1)(a0 - a1), r1 = (2 a0) a1, the sums and 2 a0 unreduced (< 2p, which
 * fp_mul accepts). r may alias a. */
BN_INLINE void fp2_sqr(fp2 *r, const fp2 *a) {
    fp s, d, t, na1;
    fp_add_lazy(&s, &a->c0, &a->c1);
    bn_sub4(na1.l, FP_P.l, a->c1.l);
    fp_add_lazy(&d, &a->c0, &na1); /* a0 - a1 + p < 2p */
    fp_add_lazy(&t, &a->c0, &a->c0);
    fp_mul(&r->c1, &t, &a->c1);
    fp_mul(&r->c0, &s, &d);
}

/* r = a * s for s in Fp. */
BN_INLINE void fp2_mul_fp(fp2 *r, const fp2 *a, const fp *s) {
    fp_mul(&r->c0, &a->c0, s);
    fp_mul(&r->c1, &a->c1, s);
}

/*
 * Reduce t (5 limbs, t < 16p) modulo p: q = floor((t >> 200) * M / 2^64) with
 * M = floor(2^64 / ((p >> 200) + 1)) never exceeds floor(t / p) and falls short of it
 * by at most 1, so t - q p < 2p and one conditional subtraction finishes.
 */
BN_INLINE void fp_reduce_small(fp *r, const uint64_t t[5]) {
    const uint64_t M = 0x54a;
    uint64_t top = (t[3] >> 8) | (t[4] << 56);
    uint64_t q = (uint64_t)(((u128)top * M) >> 64);
    uint64_t qp[4], s[4];
    u128 x = (u128)q * FP_P.l[0];
    qp[0] = (uint64_t)x;
    x = (u128)q * FP_P.l[1] + (uint64_t)(x >> 64);
    qp[1] = (uint64_t)x;
    x = (u128)q * FP_P.l[2] + (uint64_t)(x >> 64);
    qp[2] = (uint64_t)x;
    x = (u128)q * FP_P.l[3] + (uint64_t)(x >> 64);
    qp[3] = (uint64_t)x; /* the fifth limb cancels: t - q p < 2p < 2^256 */
    bn_sub4(s, t, qp);
    fp_reduce_once(r, s);
}

/* t = 9 a + b as 5 limbs. */
BN_INLINE void mul9_add(uint64_t t[5], const uint64_t a[4], const uint64_t b[4]) {
    u128 x;
    x = (u128)a[0] * 9 + b[0];
    t[0] = (uint64_t)x;
    x = (u128)a[1] * 9 + b[1] + (uint64_t)(x >> 64);
    t[1] = (uint64_t)x;
    x = (u128)a[2] * 9 + b[2] + (uint64_t)(x >> 64);
    t[2] = (uint64_t)x;
    x = (u128)a[3] * 9 + b[3] + (uint64_t)(x >> 64);
    t[3] = (uint64_t)x;
    t[4] = (uint64_t)(x >> 64);
}

/* r = a * (9 + i) = (9 a0 - a1) + (9 a1 + a0) i. Portable C. */
BN_INLINE void fp2_mul_xi_portable(fp2 *r, const fp2 *a) {
    uint64_t t0[5], t1[5], na1[4];
    bn_sub4(na1, FP_P.l, a->c1.l); /* p - a1 in [1, p] */
    mul9_add(t0, a->c0.l, na1);    /* < 10p */
    mul9_add(t1, a->c1.l, a->c0.l);
    fp_reduce_small(&r->c0, t0);
    fp_reduce_small(&r->c1, t1);
}

#if MPAVS_BN254_ADX
/* The same, each coefficient in one asm block (a may alias r: both inputs are read first). */
BN_INLINE void fp2_mul_xi(fp2 *r, const fp2 *a) {
    fp na1, c0;
    bn_sub4(na1.l, FP_P.l, a->c1.l); /* p - a1 in [1, p] */
    bn_adx_mul9_add_reduce(c0.l, a->c0.l, na1.l);
    bn_adx_mul9_add_reduce(r->c1.l, a->c1.l, a->c0.l);
    r->c0 = c0;
}
#else
#define fp2_mul_xi fp2_mul_xi_portable
#endif

/* r = 9 a (a < p): the multiplication by 3b = 9 in the G1 formulas (Montgomery form is linear,
 * so the integer 9 needs no conversion). Portable C. */
BN_INLINE void fp_mul9_portable(fp *r, const fp *a) {
    static const uint64_t Z[4] = {0, 0, 0, 0};
    uint64_t t[5];
    mul9_add(t, a->l, Z);
    fp_reduce_small(r, t);
}
#if MPAVS_BN254_ADX
BN_INLINE void fp_mul9(fp *r, const fp *a) {
    static const uint64_t Z[4] = {0, 0, 0, 0};
    bn_adx_mul9_add_reduce(r->l, a->l, Z);
}
#else
#define fp_mul9 fp_mul9_portable
#endif

static inline void fp2_inv(fp2 *r, const fp2 *a) {
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    fp_inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
}

/* The same with the variable-time Fp inverse: only for public values. */
static inline void fp2_inv_var(fp2 *r, const fp2 *a) {
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    fp_inv_var(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
}

#endif
