/*
 * tests/unit/test_bn254_field.c — the BN254 base-field arithmetic against GMP (the oracle) and
 * the build's fast path (x86-64 MULX/ADX assembly when selected) against the portable C path,
 * on edge inputs (0, 1, p-1, p, 2p-1, values near 2^256) and random ones.
 */
#include <gmp.h>
#include <stdlib.h>

#include "bn254/internal.h"
#include "bn254/wide.h"
#include "harness.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint64_t rnd64(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void to_mpz(mpz_t z, const uint64_t *l, size_t n) { mpz_import(z, n, -1, 8, 0, 0, l); }
static void from_mpz(uint64_t *l, size_t n, const mpz_t z) {
    memset(l, 0, n * 8);
    CHECK(mpz_sizeinbase(z, 2) <= 64 * n);
    size_t cnt = 0;
    mpz_export(l, &cnt, -1, 8, 0, 0, z);
}

static mpz_t P, R, RINV, P2; /* p, 2^256, 2^-256 mod p, 2p */

static void setup(void) {
    mpz_inits(P, R, RINV, P2, NULL);
    to_mpz(P, FP_P.l, 4);
    mpz_setbit(R, 256);
    CHECK(mpz_invert(RINV, R, P));
    mpz_mul_ui(P2, P, 2);
}

/* A value below `bound` (an mpz): edge values first, then random ones of every size. */
#define NEDGE 12
static void pick(uint64_t out[4], int i, const mpz_t bound) {
    mpz_t z;
    mpz_init(z);
    switch (i) {
    case 0: mpz_set_ui(z, 0); break;
    case 1: mpz_set_ui(z, 1); break;
    case 2: mpz_set_ui(z, 2); break;
    case 3: mpz_sub_ui(z, P, 1); break;
    case 4: mpz_set(z, P); break;
    case 5: mpz_add_ui(z, P, 1); break;
    case 6: mpz_sub_ui(z, bound, 1); break;
    case 7: mpz_sub_ui(z, bound, 2); break;
    case 8: mpz_mod(z, R, P); break; /* R mod p: Montgomery one */
    case 9: mpz_set_ui(z, 0); mpz_setbit(z, 253); break;
    case 10: mpz_set_ui(z, 0); mpz_setbit(z, 255); break;
    case 11: mpz_set_ui(z, 0); mpz_setbit(z, 256); mpz_sub_ui(z, z, 1); break; /* 2^256 - 1 */
    default: {
        uint64_t l[4];
        for (int j = 0; j < 4; j++) l[j] = rnd64();
        int bits = 1 + (int)(rnd64() % 256); /* sizes from 1 bit up */
        if (bits < 256) {
            if (bits < 64) l[0] &= (1ULL << bits) - 1, l[1] = l[2] = l[3] = 0;
            else if (bits < 128) l[1] &= (1ULL << (bits - 64)) - 1, l[2] = l[3] = 0;
            else if (bits < 192) l[2] &= (1ULL << (bits - 128)) - 1, l[3] = 0;
            else l[3] &= (1ULL << (bits - 192)) - 1;
        }
        to_mpz(z, l, 4);
        if (rnd64() & 1) { /* often close to the bound */
            mpz_t d;
            mpz_init_set_ui(d, rnd64() & 0xffff);
            mpz_sub(z, bound, d);
            mpz_sub_ui(z, z, 1);
            mpz_clear(d);
        }
    }
    }
    mpz_mod(z, z, bound); /* keep it below the bound */
    from_mpz(out, 4, z);
    mpz_clear(z);
}

#define NCASES 3000

TEST(mont_mul_vs_gmp) {
    /* fp_mul (fast) and fp_mul_portable: a b 2^-256 mod p for a, b < 2p */
    mpz_t a, b, want, got;
    mpz_inits(a, b, want, got, NULL);
    int bad = 0;
    for (int i = 0; i < NCASES; i++) {
        fp x, y, r1, r2;
        pick(x.l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, P2);
        pick(y.l, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + i, P2);
        fp_mul(&r1, &x, &y);
        fp_mul_portable(&r2, &x, &y);
        to_mpz(a, x.l, 4);
        to_mpz(b, y.l, 4);
        mpz_mul(want, a, b);
        mpz_mul(want, want, RINV);
        mpz_mod(want, want, P);
        to_mpz(got, r1.l, 4);
        if (mpz_cmp(got, want) != 0) bad++;
        to_mpz(got, r2.l, 4);
        if (mpz_cmp(got, want) != 0) bad++;
        /* squaring is the same routine with a = b */
        fp_sqr(&r1, &x);
        fp_mul_portable(&r2, &x, &x);
        if (memcmp(&r1, &r2, sizeof r1) != 0) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a, b, want, got, NULL);
}

TEST(mul_wide_and_reduce_vs_gmp) {
    mpz_t a, b, want, got, bound, t;
    mpz_inits(a, b, want, got, bound, t, NULL);
    mpz_set_ui(bound, 0);
    mpz_setbit(bound, 256); /* mul_wide takes any 256-bit values */
    int bad = 0;
    for (int i = 0; i < NCASES; i++) {
        uint64_t x[4], y[4], w1[8], w2[8];
        pick(x, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, bound);
        pick(y, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + i, bound);
        bn_mul_wide(w1, x, y);
        bn_mul_wide_portable(w2, x, y);
        to_mpz(a, x, 4);
        to_mpz(b, y, 4);
        mpz_mul(want, a, b);
        to_mpz(got, w1, 8);
        if (mpz_cmp(got, want) != 0) bad++;
        if (memcmp(w1, w2, sizeof w1) != 0) bad++;
        /* Montgomery reduction of t < p 2^256: t = (x mod p) * y' + small, t near the bound too */
        uint64_t tt[8];
        if (i % 3 == 0) {
            mpz_mul(t, P, R);
            mpz_sub_ui(t, t, 1 + (rnd64() & 0xff) * (uint64_t)(i > 0));
        } else {
            mpz_mul(t, a, b);
            mpz_mul(bound, P, R);
            mpz_mod(t, t, bound);
            mpz_set_ui(bound, 0);
            mpz_setbit(bound, 256);
        }
        from_mpz(tt, 8, t);
        fp r1, r2;
        fp_mont_reduce(&r1, tt);
        fp_mont_reduce_portable(&r2, tt);
        mpz_mul(want, t, RINV);
        mpz_mod(want, want, P);
        to_mpz(got, r1.l, 4);
        if (mpz_cmp(got, want) != 0) bad++;
        if (memcmp(&r1, &r2, sizeof r1) != 0) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a, b, want, got, bound, t, NULL);
}

TEST(add_sub_vs_portable) {
    mpz_t bound;
    mpz_init(bound);
    mpz_setbit(bound, 256);
    int bad = 0;
    for (int i = 0; i < NCASES; i++) {
        uint64_t x[4], y[4], r1[4], r2[4];
        pick(x, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, bound);
        pick(y, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + i, bound);
        uint64_t c1 = bn_add4(r1, x, y), c2 = bn_add4_portable(r2, x, y);
        if (c1 != c2 || memcmp(r1, r2, sizeof r1)) bad++;
        c1 = bn_sub4(r1, x, y);
        c2 = bn_sub4_portable(r2, x, y);
        if (c1 != c2 || memcmp(r1, r2, sizeof r1)) bad++;
        uint64_t w1[8], w2[8], s1[8], s2[8];
        bn_mul_wide(w1, x, y);
        bn_mul_wide(w2, y, x);
        w2[i % 8] ^= rnd64();
        c1 = bn_sub8(s1, w1, w2);
        c2 = bn_sub8_portable(s2, w1, w2);
        if (c1 != c2 || memcmp(s1, s2, sizeof s1)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    /* reduced field operations against GMP on inputs < p */
    mpz_t a, b, want, got;
    mpz_inits(a, b, want, got, NULL);
    for (int i = 0; i < NCASES; i++) {
        fp x, y, r;
        pick(x.l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, P);
        pick(y.l, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + i, P);
        to_mpz(a, x.l, 4);
        to_mpz(b, y.l, 4);
        fp_add(&r, &x, &y);
        mpz_add(want, a, b);
        mpz_mod(want, want, P);
        to_mpz(got, r.l, 4);
        if (mpz_cmp(got, want)) bad++;
        fp_sub(&r, &x, &y);
        mpz_sub(want, a, b);
        mpz_mod(want, want, P);
        to_mpz(got, r.l, 4);
        if (mpz_cmp(got, want)) bad++;
        fp r2;
        fp_add(&r, &x, &y); /* the build's fast path against the portable C one */
        fp_add_portable(&r2, &x, &y);
        if (memcmp(&r, &r2, sizeof r)) bad++;
        fp_sub(&r, &x, &y);
        fp_sub_portable(&r2, &x, &y);
        if (memcmp(&r, &r2, sizeof r)) bad++;
        fp_mul9(&r, &x); /* 9 x, the G1 multiplication by 3b */
        fp_mul9_portable(&r2, &x);
        mpz_mul_ui(want, a, 9);
        mpz_mod(want, want, P);
        to_mpz(got, r.l, 4);
        if (mpz_cmp(got, want) || memcmp(&r, &r2, sizeof r)) bad++;
        fp_neg(&r, &x);
        mpz_neg(want, a);
        mpz_mod(want, want, P);
        to_mpz(got, r.l, 4);
        if (mpz_cmp(got, want)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a, b, want, got, bound, NULL);
}

/* A double-width value below N = p 2^256: low half any 256-bit value, top half below p. */
static void pick_wide(fpw *w, int i) {
    mpz_t bound;
    mpz_init(bound);
    mpz_setbit(bound, 256);
    pick(w->l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, bound);
    pick(w->l + 4, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + 3 * i, P);
    mpz_clear(bound);
}

/* fpw value in [0, N) (the invariant) and congruent to want mod p: 0 if not. */
static int wide_ok(const fpw *w, const mpz_t want) {
    mpz_t got, n, d;
    mpz_inits(got, n, d, NULL);
    to_mpz(got, w->l, 8);
    mpz_mul(n, P, R);
    mpz_sub(d, got, want);
    int ok = mpz_cmp(got, n) < 0 && mpz_divisible_p(d, P);
    mpz_clears(got, n, d, NULL);
    return ok;
}

TEST(wide_ops_vs_gmp) {
    mpz_t a, b, want, n;
    mpz_inits(a, b, want, n, NULL);
    mpz_mul(n, P, R);
    int bad = 0;
    for (int i = 0; i < NCASES; i++) {
        fpw x, y, r, r2;
        pick_wide(&x, i);
        pick_wide(&y, i + 17 * (i >= NEDGE * NEDGE));
        if (i >= NEDGE * NEDGE) memcpy(y.l + 4, x.l + 4, i % 3 == 0 ? 32 : 0); /* equal tops */
        to_mpz(a, x.l, 8);
        to_mpz(b, y.l, 8);
        fpw_add(&r, &x, &y);
        fpw_add_portable(&r2, &x, &y);
        mpz_add(want, a, b);
        if (!wide_ok(&r, want) || memcmp(&r, &r2, sizeof r)) bad++;
        fpw_sub(&r, &x, &y);
        fpw_sub_portable(&r2, &x, &y);
        mpz_sub(want, a, b);
        if (!wide_ok(&r, want) || memcmp(&r, &r2, sizeof r)) bad++;
        fpw_neg_n(&r2, &y); /* N - y in (0, N] */
        to_mpz(want, r2.l, 8);
        mpz_add(want, want, b);
        if (mpz_cmp(want, n)) bad++;
        fpw_mul9_add(&r, &x, &r2); /* 9x - y, with y = N - y' at its largest (N) when y' = 0 */
        fpw_mul9_add_portable(&r2, &x, &r2);
        mpz_mul_ui(want, a, 9);
        mpz_sub(want, want, b);
        if (!wide_ok(&r, want) || memcmp(&r, &r2, sizeof r)) bad++;
        fpw_mul9_add(&r, &x, &y);
        fpw_mul9_add_portable(&r2, &x, &y);
        mpz_mul_ui(want, a, 9);
        mpz_add(want, want, b);
        if (!wide_ok(&r, want) || memcmp(&r, &r2, sizeof r)) bad++;
        /* s - a - b for s = a + b + d */
        fpw s, u, v;
        fp f, g;
        pick(f.l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, P2);
        pick(g.l, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + 5 * i, P2);
        fpw_mul(&u, &f, &g);
        fpw_mul(&v, &g, &g);
        fpw_mul(&s, &f, &f);
        bn_add8(s.l, s.l, u.l);
        bn_add8(s.l, s.l, v.l);
        bn_sub8x2(r.l, s.l, u.l, v.l);
        bn_sub8x2_portable(r2.l, s.l, u.l, v.l);
        fpw_mul(&u, &f, &f);
        if (memcmp(&r, &u, sizeof r) || memcmp(&r, &r2, sizeof r)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    /* Fp2 products at double width: reduced, they equal fp2_mul / fp2_sqr / fp2_mul_xi */
    for (int i = 0; i < NCASES; i++) {
        fp2 x, y, r, s;
        fp2w w, w2;
        pick(x.c0.l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, P);
        pick(x.c1.l, NEDGE + 2 * i, P);
        pick(y.c0.l, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + 3 * i, P);
        pick(y.c1.l, i < NEDGE * NEDGE ? (i * 7) % NEDGE : NEDGE + 5 * i, P);
        fp2w_mul(&w, &x, &y);
        fp2w_reduce(&r, &w);
        fp2_mul(&s, &x, &y);
        if (!fp2_eq(&r, &s)) bad++;
        fp2w_sqr(&w, &x);
        fp2w_reduce(&r, &w);
        fp2_sqr(&s, &x);
        if (!fp2_eq(&r, &s)) bad++;
        fp2w_mul(&w, &x, &y);
        fp2w_mul_xi(&w2, &w);
        fp2w_reduce(&r, &w2);
        fp2_mul(&s, &x, &y);
        fp2_mul_xi(&s, &s);
        if (!fp2_eq(&r, &s)) bad++;
        mpz_t t;
        mpz_init(t);
        to_mpz(t, w2.c0.l, 8);
        if (!wide_ok(&w2.c0, t)) bad++;
        to_mpz(t, w2.c1.l, 8);
        if (!wide_ok(&w2.c1, t)) bad++;
        mpz_clear(t);
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a, b, want, n, NULL);
}

TEST(fp2_mul_vs_gmp) {
    /* (a0 + a1 i)(b0 + b1 i) with i^2 = -1, Montgomery factors: each coefficient times 2^-256 */
    mpz_t a0, a1, b0, b1, w0, w1, t, got;
    mpz_inits(a0, a1, b0, b1, w0, w1, t, got, NULL);
    int bad = 0;
    for (int i = 0; i < NCASES; i++) {
        fp2 x, y, r, s;
        pick(x.c0.l, i < NEDGE * NEDGE ? i / NEDGE : NEDGE + i, P);
        pick(x.c1.l, NEDGE + i, P);
        pick(y.c0.l, i < NEDGE * NEDGE ? i % NEDGE : NEDGE + i, P);
        pick(y.c1.l, i < NEDGE * NEDGE ? (i * 7) % NEDGE : NEDGE + i, P);
        to_mpz(a0, x.c0.l, 4);
        to_mpz(a1, x.c1.l, 4);
        to_mpz(b0, y.c0.l, 4);
        to_mpz(b1, y.c1.l, 4);
        mpz_mul(w0, a0, b0);
        mpz_submul(w0, a1, b1);
        mpz_mul(w0, w0, RINV);
        mpz_mod(w0, w0, P);
        mpz_mul(w1, a0, b1);
        mpz_addmul(w1, a1, b0);
        mpz_mul(w1, w1, RINV);
        mpz_mod(w1, w1, P);
        fp2_mul(&r, &x, &y);
        to_mpz(got, r.c0.l, 4);
        if (mpz_cmp(got, w0)) bad++;
        to_mpz(got, r.c1.l, 4);
        if (mpz_cmp(got, w1)) bad++;
        fp2_sqr(&r, &x);
        fp2_mul(&s, &x, &x);
        if (!fp2_eq(&r, &s)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a0, a1, b0, b1, w0, w1, t, got, NULL);
}

TEST(inverse_vs_gmp) {
    mpz_t a, want, got;
    mpz_inits(a, want, got, NULL);
    int bad = 0;
    for (int i = 0; i < 2000; i++) {
        fp x, r, plain;
        pick(x.l, i < NEDGE ? i : NEDGE + i, P);
        if (i >= 1000 && i < 1300) { /* sparse values: 2^k, 2^k - 1, p - 2^k (long divstep runs) */
            mpz_t z;
            mpz_init_set_ui(z, 0);
            int k = (i - 1000) % 254;
            if ((i - 1000) / 254 == 0) mpz_setbit(z, (mp_bitcnt_t)k);
            else {
                mpz_setbit(z, (mp_bitcnt_t)k);
                mpz_sub(z, P, z);
            }
            from_mpz(x.l, 4, z);
            mpz_clear(z);
        }
        fp_inv(&r, &x); /* Montgomery in and out: compare the plain values */
        fp f, v;
        fp_inv_fermat(&f, &x);
        if (!fp_eq(&f, &r)) bad++;
        fp_inv_var(&v, &x); /* the variable-time inverse agrees with both */
        if (!fp_eq(&v, &r)) bad++;
        fp_from_mont(&plain, &x);
        to_mpz(a, plain.l, 4);
        if (mpz_sgn(a) == 0) {
            if (!fp_is_zero(&r)) bad++;
            continue;
        }
        CHECK(mpz_invert(want, a, P));
        fp_from_mont(&plain, &r);
        to_mpz(got, plain.l, 4);
        if (mpz_cmp(got, want)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    mpz_clears(a, want, got, NULL);
}

int main(void) {
    setup();
    printf("field arithmetic: %s\n", MPAVS_BN254_ADX ? "x86-64 MULX/ADX assembly" : "portable C");
    RUN(mont_mul_vs_gmp);
    RUN(mul_wide_and_reduce_vs_gmp);
    RUN(add_sub_vs_portable);
    RUN(wide_ops_vs_gmp);
    RUN(fp2_mul_vs_gmp);
    RUN(inverse_vs_gmp);
    mpz_clears(P, R, RINV, P2, NULL);
    return harness_summary();
}
