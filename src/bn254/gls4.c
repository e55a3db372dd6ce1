/*
 * src/bn254/gls4.c — G2 scalar multiplication by the 4-dimensional GLS decomposition.
 *
 * psi (bn_g2_psi) acts on G2 as [lambda], lambda = p mod r = 6u^2. A scalar k is split as
 * k = k0 + k1 lambda + k2 lambda^2 + k3 lambda^3 (mod r) with |k0| < 2^63.92, |k1| < 2^62.7,
 * |k2| < 2^63.43, |k3| < 2^63.11 by Babai rounding on the short basis (in u) of the lattice
 * L = {v : v0 + v1 lambda + v2 lambda^2 + v3 lambda^3 = 0 mod r}; tests/vectors/bn254/gen_gls4.py
 * derives the constants and checks the bounds, the unit tests check the split.
 *
 * Constant time (bn_g2_mul_gls_ct): the sign-aligned regular recoding of Faz-Hernandez, Longa
 * and Sanchez ("Efficient and secure algorithms for GLV-based scalar multiplication", 2014,
 * w = 1): with P_j = +-psi^j(P) carrying the sign of k_j and m_0 = |k0| made odd (m_0 + 1 when
 * even, P_0 subtracted at the end), every one of the L = 65 digit columns is s_i T[u_i] with
 * s_i = +-1 and T[u] = P_0 + u_1 P_1 + u_2 P_2 + u_3 P_3: one doubling and one addition per
 * column, an 8-point table read with masks.
 *
 * The main loop uses Jacobian doubling (2M + 5S) and mixed addition (7M + 4S) on an affine
 * table, which are not complete; they are only run where no exceptional case can occur. Before
 * the addition of column i the accumulator is [2c] and the addend [+-t] in the coordinates
 * (P_0..P_3), with |c|_inf <= 2^(L-1-i) - 1, c_0 odd and |t|_inf = 1, t_0 = 1. Equal points
 * (or opposite, or an accumulator at infinity) need a nonzero vector 2c -+ t (or c) in L, whose
 * inf-norm is at least 2u + 1 > 2^63.1 (the exact minimum, enumerated by gen_gls4.py); so the
 * incomplete formulas are safe while L - i <= 63, and the last GLS_TAIL = 2 columns use the
 * complete projective formulas. The table sums (coefficients 0 or 1) are safe the same way.
 *
 * bn_g2_mul_gls_var (public scalars): the same split, then interleaved width-5 NAFs of the four
 * sub-scalars over one table of odd multiples and its psi images, Jacobian arithmetic with the
 * exceptional cases checked.
 */
#include "bn254/internal.h"

#define GLS_L 65   /* digit columns: m_0 <= 2^64 (odd), m_j < 2^64 */
#define GLS_TAIL 2 /* columns done with complete formulas */

#define GU ((u128)BN_U)
/* The lattice basis b_i (rows); entries mod 2^128 (two's complement). */
static const u128 BASIS[4][4] = {
    {2 * GU + 1, 0, 2 * GU, 1},
    {2 * GU, GU + 1, 0 - GU, GU},
    {GU + 1, GU, GU, 0 - 2 * GU},
    {2 * GU + 1, 0 - GU, 0 - (GU + 1), 0 - GU},
};
/* G_i = floor(2^320 alpha_i) with (1, 0, 0, 0) = sum alpha_i b_i. */
static const uint64_t GLS_G[4][4] = {
    {0x353ccca0e558c73bULL, 0x2dff291532e42728ULL, 0x55b4ca7ba3e5577fULL, 0x9e80318ab0d92b95ULL},
    {0x7d1fff2e5ce18e26ULL, 0x46f4bda995d51bb1ULL, 0x08e5da66fc7184aeULL, 0x9e80318ab0d92b93ULL},
    {0x6eb9c714773a6ef2ULL, 0xd91d232ec7e0b3d7ULL, 0x0000000000000002ULL, 0},
    {0x23038c29bb8bb4ffULL, 0xc170977dcef3cd3fULL, 0x55b4ca7ba3e5577dULL, 0x9e80318ab0d92b95ULL},
};
const uint64_t BN_GLS_LAMBDA[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};

void bn_gls4_split(u128 mag[4], uint64_t neg[4], const uint64_t kin[4]) {
    uint64_t k[4], w[8];
    u128 c[4], v[4];
    bn_scalar_mod_r(k, kin);
    for (int i = 0; i < 4; i++) {
        bn_mul_wide(w, k, GLS_G[i]);
        /* c_i = round(k G_i / 2^320) mod 2^128: + 2^319 carries into limb 5 exactly when bit
         * 319 is set */
        c[i] = (((u128)w[6] << 64) | w[5]) + (w[4] >> 63);
    }
    /* k_j = [j = 0] k - sum_i c_i b_ij, exact mod 2^128 since |k_j| < 2^64 */
    v[0] = ((u128)k[1] << 64) | k[0];
    v[1] = v[2] = v[3] = 0;
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++) v[j] -= c[i] * BASIS[i][j];
    for (int j = 0; j < 4; j++) {
        uint64_t n = (uint64_t)(v[j] >> 127);
        u128 m = 0 - (u128)n;
        mag[j] = (v[j] ^ m) + n;
        neg[j] = n;
    }
    mpavs_wipe(k, sizeof k);
    mpavs_wipe(w, sizeof w);
    mpavs_wipe(c, sizeof c);
    mpavs_wipe(v, sizeof v);
}

typedef struct {
    fp2 x, y;
} g2a;
typedef struct {
    fp2 x, y, z; /* (X/Z^2, Y/Z^3) */
} g2j;

/* Jacobian doubling, a = 0 (dbl-2009-l); r may alias p. Correct for every point of odd order
 * (no exceptions; Z = 0 stays 0). */
static void jac_dbl(g2j *r, const g2j *p) {
    fp2 a, b, c, d, e, f, t;
    fp2_sqr(&a, &p->x);
    fp2_sqr(&b, &p->y);
    fp2_sqr(&c, &b);
    fp2_add(&d, &p->x, &b);
    fp2_sqr(&d, &d);
    fp2_sub(&d, &d, &a);
    fp2_sub(&d, &d, &c);
    fp2_dbl(&d, &d);
    fp2_dbl(&e, &a);
    fp2_add(&e, &e, &a);
    fp2_sqr(&f, &e);
    fp2_mul(&t, &p->y, &p->z);
    fp2_dbl(&r->z, &t);
    fp2_sub(&r->x, &f, &d);
    fp2_sub(&r->x, &r->x, &d);
    fp2_sub(&t, &d, &r->x);
    fp2_mul(&t, &t, &e);
    fp2_dbl(&c, &c);
    fp2_dbl(&c, &c);
    fp2_dbl(&c, &c);
    fp2_sub(&r->y, &t, &c);
}

/* r = p + q, q affine (madd-2007-bl); r may alias p. Only for p != +-q, p and q finite. */
static void jac_madd(g2j *r, const g2j *p, const g2a *q) {
    fp2 z1z1, u2, s2, h, hh, i, j, rr, v, t, z3;
    fp2_sqr(&z1z1, &p->z);
    fp2_mul(&u2, &q->x, &z1z1);
    fp2_mul(&s2, &q->y, &p->z);
    fp2_mul(&s2, &s2, &z1z1);
    fp2_sub(&h, &u2, &p->x);
    fp2_sub(&rr, &s2, &p->y);
    fp2_dbl(&rr, &rr);
    fp2_sqr(&hh, &h);
    fp2_dbl(&i, &hh);
    fp2_dbl(&i, &i);
    fp2_mul(&j, &h, &i);
    fp2_mul(&v, &p->x, &i);
    fp2_add(&t, &p->z, &h); /* Z3 = (Z1 + H)^2 - Z1Z1 - HH */
    fp2_sqr(&t, &t);
    fp2_sub(&t, &t, &z1z1);
    fp2_sub(&z3, &t, &hh);
    fp2_sqr(&t, &rr); /* X3 = r^2 - J - 2V */
    fp2_sub(&t, &t, &j);
    fp2_sub(&t, &t, &v);
    fp2_sub(&t, &t, &v);
    fp2_sub(&v, &v, &t); /* Y3 = r (V - X3) - 2 Y1 J */
    fp2_mul(&v, &v, &rr);
    fp2_mul(&j, &j, &p->y);
    fp2_dbl(&j, &j);
    r->x = t;
    fp2_sub(&r->y, &v, &j);
    r->z = z3;
}

/* Jacobian -> homogeneous projective: (X Z, Y, Z^3). */
static void jac_to_proj(g2p *r, const g2j *p) {
    fp2 z2;
    fp2_sqr(&z2, &p->z);
    fp2_mul(&r->z, &z2, &p->z);
    fp2_mul(&r->x, &p->x, &p->z);
    r->y = p->y;
}

/* Jacobian points with non-zero Z -> affine (X/Z^2, Y/Z^3), one inversion for all (Montgomery's
 * trick); var selects the variable-time inverse (public points only). */
static void batch_affine(g2a *out, const g2j *in, int n, int var) {
    /* the operands of the field arithmetic are copied to locals first: with indexed addresses
     * the MULX asm would need more registers than an unoptimised or sanitizer build has */
    fp2 pre[8], acc, t, t2, a, b;
    pre[0] = in[0].z;
    for (int i = 1; i < n; i++) {
        a = pre[i - 1];
        b = in[i].z;
        fp2_mul(&t, &a, &b);
        pre[i] = t;
    }
    a = pre[n - 1];
    if (var)
        fp2_inv_var(&acc, &a);
    else
        fp2_inv(&acc, &a);
    for (int i = n - 1; i >= 0; i--) {
        if (i > 0) {
            a = pre[i - 1];
            fp2_mul(&t, &acc, &a); /* 1 / z_i */
            b = in[i].z;
            fp2_mul(&acc, &acc, &b);
        } else {
            t = acc;
        }
        fp2_sqr(&t2, &t);
        a = in[i].x;
        fp2_mul(&b, &a, &t2);
        out[i].x = b;
        fp2_mul(&t2, &t2, &t);
        a = in[i].y;
        fp2_mul(&b, &a, &t2);
        out[i].y = b;
    }
    mpavs_wipe(pre, sizeof pre);
    mpavs_wipe(&acc, sizeof acc);
    mpavs_wipe(&t, sizeof t);
    mpavs_wipe(&t2, sizeof t2);
    mpavs_wipe(&a, sizeof a);
    mpavs_wipe(&b, sizeof b);
}

static const fp2 GLS_PSI_CX = BN_TW_X1;
static const fp2 GLS_PSI_CY = BN_TW_Y1;

/* psi on an affine point: (conj(x) cx, conj(y) cy). */
static void psi_affine(g2a *r, const g2a *a) {
    fp2 t;
    fp2_conj(&t, &a->x);
    fp2_mul(&r->x, &t, &GLS_PSI_CX);
    fp2_conj(&t, &a->y);
    fp2_mul(&r->y, &t, &GLS_PSI_CY);
}

/* sel = sign ? -tab[idx] : tab[idx] (idx in 0..7, sign in {0, 1}), reading every entry. */
static void select_affine(g2a *sel, const g2a tab[8], uint64_t idx, uint64_t sign) {
    fp2 n;
    *sel = tab[0];
    for (uint64_t i = 1; i < 8; i++) {
        uint64_t d = idx ^ i;
        uint64_t eq = bn_launder(((d | (0 - d)) >> 63) ^ 1);
        fp2_cmov(&sel->x, &tab[i].x, eq);
        fp2_cmov(&sel->y, &tab[i].y, eq);
    }
    fp2_neg(&n, &sel->y);
    fp2_cmov(&sel->y, &n, sign);
}

static void g2p_cmov(g2p *r, const g2p *a, uint64_t flag) {
    fp2_cmov(&r->x, &a->x, flag);
    fp2_cmov(&r->y, &a->y, flag);
    fp2_cmov(&r->z, &a->z, flag);
}

static const fp2 GLS_GEN_X = BN_G2_GEN_X;
static const fp2 GLS_GEN_Y = BN_G2_GEN_Y;

typedef struct {
    u128 m[4];
    uint64_t neg[4], even, inf;
    uint8_t sgn[GLS_L], idx[GLS_L];
    g2a pj[4], ta[8], sel, gen;
    g2j tj[8], jacc;
    g2p acc, t;
    fp2 n;
} gls_scratch;

void bn_g2_mul_gls_ct(g2p *r, const mpavs_bn254_g2 *a, const uint64_t k[4]) {
    gls_scratch s;
    bn_gls4_split(s.m, s.neg, k);
    /* the point at infinity is replaced by the generator, and the result by infinity */
    s.inf = (uint64_t)(a->infinity != 0);
    s.pj[0].x = a->x;
    s.pj[0].y = a->y;
    s.gen.x = GLS_GEN_X;
    s.gen.y = GLS_GEN_Y;
    fp2_cmov(&s.pj[0].x, &s.gen.x, s.inf);
    fp2_cmov(&s.pj[0].y, &s.gen.y, s.inf);
    /* P_j = (-1)^neg_j psi^j(P) */
    for (int j = 1; j < 4; j++) psi_affine(&s.pj[j], &s.pj[j - 1]);
    for (int j = 0; j < 4; j++) {
        fp2_neg(&s.n, &s.pj[j].y);
        fp2_cmov(&s.pj[j].y, &s.n, s.neg[j]);
    }
    /* T[u] = P_0 + sum u_j P_j, by mixed additions T[u] = T[u - 2^h] + P_(h+1) (h the top bit of
     * u): the coefficient vectors differ by at most 1, so no exceptional case (see the top) */
    s.tj[0].x = s.pj[0].x;
    s.tj[0].y = s.pj[0].y;
    fp2_set_one(&s.tj[0].z);
    for (int u = 1; u < 8; u++) {
        int hi = u >= 4 ? 2 : u >= 2 ? 1 : 0;
        jac_madd(&s.tj[u], &s.tj[u ^ (1 << hi)], &s.pj[hi + 1]);
    }
    batch_affine(s.ta, s.tj, 8, 0);
    /* recoding: m_0 odd; column i has sign s_i = 2 bit_(i+1)(m_0) - 1 (top column +1) and
     * u_i from the low bits of m_1..m_3, each then updated to (m_j - s_i bit_0(m_j)) / 2 */
    s.even = (uint64_t)(s.m[0] & 1) ^ 1;
    s.m[0] += s.even;
    for (int i = 0; i < GLS_L; i++) {
        uint64_t sg = i == GLS_L - 1 ? 0 : ((uint64_t)(s.m[0] >> (i + 1)) & 1) ^ 1; /* 1: negative */
        uint64_t id = 0;
        for (int j = 1; j < 4; j++) {
            uint64_t odd = (uint64_t)s.m[j] & 1;
            id |= odd << (j - 1);
            s.m[j] = (s.m[j] >> 1) + (odd & sg);
        }
        s.sgn[i] = (uint8_t)sg;
        s.idx[i] = (uint8_t)id;
    }
    select_affine(&s.sel, s.ta, s.idx[GLS_L - 1], 0);
    s.jacc.x = s.sel.x;
    s.jacc.y = s.sel.y;
    fp2_set_one(&s.jacc.z);
    for (int i = GLS_L - 2; i >= GLS_TAIL; i--) {
        jac_dbl(&s.jacc, &s.jacc);
        select_affine(&s.sel, s.ta, s.idx[i], s.sgn[i]);
        jac_madd(&s.jacc, &s.jacc, &s.sel);
    }
    jac_to_proj(&s.acc, &s.jacc);
    fp2_set_one(&s.t.z);
    for (int i = GLS_TAIL - 1; i >= 0; i--) {
        bn_g2_dbl(&s.acc, &s.acc);
        select_affine(&s.sel, s.ta, s.idx[i], s.sgn[i]);
        s.t.x = s.sel.x;
        s.t.y = s.sel.y;
        bn_g2_add(&s.acc, &s.acc, &s.t);
    }
    /* m_0 was made odd: subtract P_0 once if it was even */
    s.t.x = s.pj[0].x;
    fp2_neg(&s.t.y, &s.pj[0].y);
    bn_g2_add(&s.t, &s.acc, &s.t);
    g2p_cmov(&s.acc, &s.t, s.even);
    memset(&s.t, 0, sizeof s.t);
    fp2_set_one(&s.t.y);
    g2p_cmov(&s.acc, &s.t, s.inf);
    *r = s.acc;
    mpavs_wipe(&s, sizeof s);
}

/* ---- variable time (public scalars) ---- */

/* r = p + q (q affine, finite) with the exceptional cases handled; variable time. */
static void jac_madd_var(g2j *r, const g2j *p, const g2a *q) {
    if (fp2_is_zero(&p->z)) {
        r->x = q->x;
        r->y = q->y;
        fp2_set_one(&r->z);
        return;
    }
    fp2 z1z1, u2, s2;
    fp2_sqr(&z1z1, &p->z);
    fp2_mul(&u2, &q->x, &z1z1);
    fp2_mul(&s2, &q->y, &p->z);
    fp2_mul(&s2, &s2, &z1z1);
    if (fp2_eq(&u2, &p->x)) {
        if (fp2_eq(&s2, &p->y)) {
            jac_dbl(r, p);
        } else {
            fp2_set_one(&r->x);
            fp2_set_one(&r->y);
            fp2_set_zero(&r->z);
        }
        return;
    }
    jac_madd(r, p, q);
}

/* Width-5 NAF of m (< 2^66), least significant digit first; returns the length (<= 68). */
static int wnaf5_u128(int8_t naf[68], u128 m) {
    int len = 0;
    while (m) {
        int d = 0;
        if (m & 1) {
            d = (int)(m & 31);
            if (d >= 16) d -= 32;
            if (d > 0)
                m -= (u128)d;
            else
                m += (u128)(-d);
        }
        naf[len++] = (int8_t)d;
        m >>= 1;
    }
    return len;
}

void bn_g2_mul_gls_var(g2p *r, const mpavs_bn254_g2 *a, const uint64_t k[4]) {
    u128 m[4];
    uint64_t neg[4];
    int8_t naf[4][68];
    int len[4], top = 0;
    if (a->infinity) {
        memset(r, 0, sizeof *r);
        fp2_set_one(&r->y);
        return;
    }
    bn_gls4_split(m, neg, k);
    for (int j = 0; j < 4; j++) {
        len[j] = wnaf5_u128(naf[j], m[j]);
        if (len[j] > top) top = len[j];
    }
    /* tab[0][i] = (2i + 1) P, tab[j][i] = (-1)^neg_j psi^j(tab[0][i]) */
    g2j tj[8], p2;
    g2a tab[4][8];
    tj[0].x = a->x;
    tj[0].y = a->y;
    fp2_set_one(&tj[0].z);
    jac_dbl(&p2, &tj[0]);
    batch_affine(&tab[0][0], &p2, 1, 1);
    for (int i = 1; i < 8; i++) jac_madd_var(&tj[i], &tj[i - 1], &tab[0][0]); /* (2i+1)P != +-2P */
    batch_affine(tab[0], tj, 8, 1);
    for (int j = 1; j < 4; j++)
        for (int i = 0; i < 8; i++) psi_affine(&tab[j][i], &tab[j - 1][i]);
    for (int j = 0; j < 4; j++)
        if (neg[j])
            for (int i = 0; i < 8; i++) fp2_neg(&tab[j][i].y, &tab[j][i].y);
    g2j acc;
    fp2_set_one(&acc.x);
    fp2_set_one(&acc.y);
    fp2_set_zero(&acc.z);
    for (int i = top - 1; i >= 0; i--) {
        if (!fp2_is_zero(&acc.z)) jac_dbl(&acc, &acc);
        for (int j = 0; j < 4; j++) {
            int d = i < len[j] ? naf[j][i] : 0;
            if (d > 0) {
                jac_madd_var(&acc, &acc, &tab[j][d / 2]);
            } else if (d < 0) {
                g2a t = tab[j][(-d) / 2];
                fp2_neg(&t.y, &t.y);
                jac_madd_var(&acc, &acc, &t);
            }
        }
    }
    if (fp2_is_zero(&acc.z)) {
        memset(r, 0, sizeof *r);
        fp2_set_one(&r->y);
        return;
    }
    jac_to_proj(r, &acc);
}
