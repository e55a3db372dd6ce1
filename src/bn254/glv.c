/*
 * src/bn254/glv.c — GLV scalar multiplication on G1 with the endomorphism
 * phi(x, y) = (beta x, y), beta a cube root of unity in Fp; on G1 (order r, cofactor 1)
 * phi(P) = [lambda]P with lambda a cube root of unity mod r.
 *
 * k = k1 + k2 lambda (mod r) with |k1|, |k2| < 2^127 (Babai rounding on the short lattice basis
 * (a1, b1), (a2, b2) of {(u, v): u + v lambda = 0 mod r}: c1 = round(b2 k / r),
 * c2 = round(-b1 k / r) through g1 = round(2^256 b2 / r), g2 = round(-2^256 b1 / r); then
 * k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2). The constants were derived with Python from
 * the curve parameters (extended Euclid on (r, lambda)); the unit tests check
 * phi(P) = [lambda]P and the decomposition on random and edge scalars.
 *
 * (G2 uses a 4-dimensional decomposition with psi instead: gls4.c.)
 *
 * bn_g1_mul_glv_ct: constant time in k (fixed 4-bit windows over 128 bits of both halves,
 * masked table reads, signs applied by masked negation). bn_g1_mul_glv_var: public scalars.
 */
#include "bn254/internal.h"

/* beta in Montgomery form (beta = 0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe). */
static const fp BETA = {{0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL, 0x2c3b3f0d26594943ULL}};
static const uint64_t G1C[4] = {0xd91d232ec7e0b3d7ULL, 0x0000000000000002ULL, 0, 0};
static const uint64_t G2C[4] = {0x7a7bd9d4391eb18eULL, 0x4ccef014a773d2cfULL, 0x0000000000000002ULL, 0};
static const uint64_t A1[4] = {0x89d3256894d213e3ULL, 0, 0, 0};                     /* a1 = b2 (64 bits) */
static const uint64_t A2[4] = {0x0be4e1541221250bULL, 0x6f4d8248eeb859fdULL, 0, 0}; /* a2 (127 bits) */
static const uint64_t NB1[4] = {0x8211bbeb7d4f1128ULL, 0x6f4d8248eeb859fcULL, 0, 0}; /* -b1 (127 bits) */
static const uint64_t B2[4] = {0x89d3256894d213e3ULL, 0, 0, 0};
const uint64_t BN_GLV_LAMBDA[4] = {0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL, 0xb3c4d79d41a91758ULL, 0};

void bn_g1_phi(g1p *r, const g1p *a) {
    fp_mul(&r->x, &a->x, &BETA);
    r->y = a->y;
    r->z = a->z;
}

/* r = k mod r (k any 256-bit value; 2^256 / r < 6), constant time. */
void bn_scalar_mod_r(uint64_t out[4], const uint64_t k[4]) {
    static const uint64_t R[4] = BN_R_LIMBS;
    uint64_t t[4], s[4];
    memcpy(t, k, sizeof t);
    for (int i = 0; i < 5; i++) {
        uint64_t keep = 0 - bn_sub4(s, t, R); /* all ones when t < r */
        for (int j = 0; j < 4; j++) t[j] = (t[j] & keep) | (s[j] & ~keep);
    }
    memcpy(out, t, sizeof t);
    mpavs_wipe(s, sizeof s);
    mpavs_wipe(t, sizeof t);
}

/* low 4 limbs of a b */
static void mul_lo(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t w[8];
    bn_mul_wide(w, a, b);
    memcpy(r, w, 4 * sizeof *r);
    mpavs_wipe(w, sizeof w);
}

/* |v| of a two's complement 256-bit value; returns 1 if v was negative. Constant time. */
static uint64_t abs4(uint64_t r[4], const uint64_t v[4]) {
    uint64_t neg = v[3] >> 63, m = 0 - neg, t[4], one[4] = {neg, 0, 0, 0};
    for (int i = 0; i < 4; i++) t[i] = v[i] ^ m;
    bn_add4(r, t, one); /* -v = ~v + 1 */
    return neg;
}

void bn_glv_split(uint64_t k1[4], uint64_t k2[4], uint64_t *neg1, uint64_t *neg2, const uint64_t kin[4]) {
    uint64_t k[4], w[8], c1[4] = {0}, c2[4] = {0}, t[4], s1[4], s2[4];
    bn_scalar_mod_r(k, kin);
    bn_mul_wide(w, k, G1C);
    memcpy(c1, w + 4, sizeof c1); /* < 2^64 */
    bn_mul_wide(w, k, G2C);
    memcpy(c2, w + 4, sizeof c2); /* < 2^128 */
    /* s1 = k - c1 a1 - c2 a2, s2 = c1 (-b1) - c2 b2 (mod 2^256; the true values are < 2^127) */
    mul_lo(t, c1, A1);
    bn_sub4(s1, k, t);
    mul_lo(t, c2, A2);
    bn_sub4(s1, s1, t);
    mul_lo(s2, c1, NB1);
    mul_lo(t, c2, B2);
    bn_sub4(s2, s2, t);
    *neg1 = abs4(k1, s1);
    *neg2 = abs4(k2, s2);
    mpavs_wipe(k, sizeof k);
    mpavs_wipe(w, sizeof w);
    mpavs_wipe(c1, sizeof c1);
    mpavs_wipe(c2, sizeof c2);
    mpavs_wipe(t, sizeof t);
    mpavs_wipe(s1, sizeof s1);
    mpavs_wipe(s2, sizeof s2);
}

static void fp_set_one_glv(fp *r) { *r = FP_ONE; }

#define PT g1p
#define FE fp
#define FE_NEG fp_neg
#define FE_CMOV fp_cmov
#define FE_SET_ONE fp_set_one_glv
#define ENDO bn_g1_phi
#define FN(name) bn_g1_##name
#include "bn254/glv_tmpl.h"
