/*
 * libFuzzer target: the BN254 field arithmetic of the build (x86-64 MULX/ADX assembly when
 * selected) against the portable C path and against GMP. The input gives two 256-bit values
 * (64 bytes, zero padded); they are brought into each routine's input range:
 * fp_mul both below 2p, bn_mul_wide any 256-bit values, fp_mont_reduce t = a b mod p 2^256,
 * fp_inv and fp_inv_var below p; fp_add, fp_sub and fp2_mul_xi on values below p; the
 * double-width (wide.h) add, sub and 9x + y on values below p 2^256 built from both.
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "bn254/internal.h"
#include "bn254/wide.h"

static void to_mpz(mpz_t z, const uint64_t *l, size_t n) { mpz_import(z, n, -1, 8, 0, 0, l); }
static void from_mpz(uint64_t *l, size_t n, const mpz_t z) {
    memset(l, 0, n * 8);
    if (mpz_sizeinbase(z, 2) > 64 * n) abort();
    mpz_export(l, NULL, -1, 8, 0, 0, z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t buf[64] = {0};
    memcpy(buf, data, size < 64 ? size : 64);
    uint64_t x[4], y[4];
    memcpy(x, buf, 32);
    memcpy(y, buf + 32, 32);
    mpz_t a, b, p, p2, big, t, want, got, rinv;
    mpz_inits(a, b, p, p2, big, t, want, got, rinv, NULL);
    to_mpz(a, x, 4);
    to_mpz(b, y, 4);
    to_mpz(p, FP_P.l, 4);
    mpz_mul_ui(p2, p, 2);
    mpz_set_ui(big, 0);
    mpz_setbit(big, 256);
    if (!mpz_invert(rinv, big, p)) abort();

    /* 4x4 -> 8 limb product on raw inputs */
    uint64_t w1[8], w2[8];
    bn_mul_wide(w1, x, y);
    bn_mul_wide_portable(w2, x, y);
    mpz_mul(want, a, b);
    to_mpz(got, w1, 8);
    if (memcmp(w1, w2, sizeof w1) || mpz_cmp(got, want)) abort();

    /* carries */
    uint64_t s1[4], s2[4];
    if (bn_add4(s1, x, y) != bn_add4_portable(s2, x, y) || memcmp(s1, s2, sizeof s1)) abort();
    if (bn_sub4(s1, x, y) != bn_sub4_portable(s2, x, y) || memcmp(s1, s2, sizeof s1)) abort();

    /* Montgomery reduction of t = a b mod p 2^256 */
    mpz_mul(t, p, big);
    mpz_mod(t, want, t);
    uint64_t tt[8];
    from_mpz(tt, 8, t);
    fp r1, r2;
    fp_mont_reduce(&r1, tt);
    fp_mont_reduce_portable(&r2, tt);
    mpz_mul(want, t, rinv);
    mpz_mod(want, want, p);
    to_mpz(got, r1.l, 4);
    if (memcmp(&r1, &r2, sizeof r1) || mpz_cmp(got, want)) abort();

    /* Montgomery multiplication of a, b mod 2p */
    mpz_mod(a, a, p2);
    mpz_mod(b, b, p2);
    fp fa, fb;
    from_mpz(fa.l, 4, a);
    from_mpz(fb.l, 4, b);
    fp_mul(&r1, &fa, &fb);
    fp_mul_portable(&r2, &fa, &fb);
    mpz_mul(want, a, b);
    mpz_mul(want, want, rinv);
    mpz_mod(want, want, p);
    to_mpz(got, r1.l, 4);
    if (memcmp(&r1, &r2, sizeof r1) || mpz_cmp(got, want)) abort();

    /* inversion of a mod p (Montgomery form: (a R)^-1 R = a^-1 R^... checked as r a = 1) */
    mpz_mod(a, a, p);
    from_mpz(fa.l, 4, a);
    fp_inv(&r1, &fa);
    if (mpz_sgn(a) == 0) {
        if (!fp_is_zero(&r1)) abort();
    } else {
        fp_mul(&r2, &r1, &fa);
        if (!fp_eq(&r2, &FP_ONE)) abort();
    }
    fp_inv_var(&r2, &fa); /* the variable-time inverse gives the same value */
    if (!fp_eq(&r1, &r2)) abort();

    /* add, sub, multiplication by xi on a, b < p: fast path against portable C */
    mpz_mod(b, b, p);
    from_mpz(fb.l, 4, b);
    fp_add(&r1, &fa, &fb);
    fp_add_portable(&r2, &fa, &fb);
    if (memcmp(&r1, &r2, sizeof r1)) abort();
    fp_sub(&r1, &fa, &fb);
    fp_sub_portable(&r2, &fa, &fb);
    if (memcmp(&r1, &r2, sizeof r1)) abort();
    fp_mul9(&r1, &fa);
    fp_mul9_portable(&r2, &fa);
    if (memcmp(&r1, &r2, sizeof r1)) abort();
    fp2 e = {fa, fb}, x1, x2;
    fp2_mul_xi(&x1, &e);
    fp2_mul_xi_portable(&x2, &e);
    if (memcmp(&x1, &x2, sizeof x1)) abort();
    /* double-width values below N = p 2^256: (x, b) and (y, a) as (low, top) */
    fpw wx, wy, w1x, w2x;
    memcpy(wx.l, x, 32);
    memcpy(wx.l + 4, fb.l, 32);
    memcpy(wy.l, y, 32);
    memcpy(wy.l + 4, fa.l, 32);
    mpz_t n, ga, gb;
    mpz_inits(n, ga, gb, NULL);
    mpz_mul(n, p, big);
    to_mpz(ga, wx.l, 8);
    to_mpz(gb, wy.l, 8);
    for (int op = 0; op < 4; op++) {
        switch (op) {
        case 0:
            fpw_add(&w1x, &wx, &wy), fpw_add_portable(&w2x, &wx, &wy);
            mpz_add(want, ga, gb);
            break;
        case 1:
            fpw_sub(&w1x, &wx, &wy), fpw_sub_portable(&w2x, &wx, &wy);
            mpz_sub(want, ga, gb);
            break;
        case 2:
            fpw_mul9_add(&w1x, &wx, &wy), fpw_mul9_add_portable(&w2x, &wx, &wy);
            mpz_mul_ui(want, ga, 9);
            mpz_add(want, want, gb);
            break;
        default:
            fpw_neg_n(&w2x, &wy);
            fpw_mul9_add(&w1x, &wx, &w2x), fpw_mul9_add_portable(&w2x, &wx, &w2x);
            mpz_mul_ui(want, ga, 9);
            mpz_sub(want, want, gb);
        }
        to_mpz(got, w1x.l, 8);
        if (memcmp(&w1x, &w2x, sizeof w1x) || mpz_cmp(got, n) >= 0) abort();
        mpz_sub(got, got, want);
        if (!mpz_divisible_p(got, p)) abort();
    }
    mpz_clears(n, ga, gb, NULL);
    mpz_clears(a, b, p, p2, big, t, want, got, rinv, NULL);
    return 0;
}
