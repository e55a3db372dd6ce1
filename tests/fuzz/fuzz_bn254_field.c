/*
 * libFuzzer target: the BN254 field arithmetic of the build (x86-64 MULX/ADX assembly when
 * selected) against the portable C path and against GMP. The input gives two 256-bit values
 * (64 bytes, zero padded); they are brought into each routine's input range:
 * fp_mul both below 2p, bn_mul_wide any 256-bit values, fp_mont_reduce t = a b mod p 2^256,
 * fp_inv and fp_inv_var below p; fp_add, fp_sub and fp2_mul_xi on values below p.
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "bn254/internal.h"

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
    fp2 e = {fa, fb}, x1, x2;
    fp2_mul_xi(&x1, &e);
    fp2_mul_xi_portable(&x2, &e);
    if (memcmp(&x1, &x2, sizeof x1)) abort();
    mpz_clears(a, b, p, p2, big, t, want, got, rinv, NULL);
    return 0;
}
