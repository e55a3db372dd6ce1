/*
 * src/bn254/tower.c — Fp6, Fp12, Frobenius maps, cyclotomic squaring, final exponentiation.
 */
#include "bn254/internal.h"
#include "bn254/wide.h"

void bn_fp6_add(fp6 *r, const fp6 *a, const fp6 *b) {
    fp2_add(&r->c0, &a->c0, &b->c0);
    fp2_add(&r->c1, &a->c1, &b->c1);
    fp2_add(&r->c2, &a->c2, &b->c2);
}

void bn_fp6_sub(fp6 *r, const fp6 *a, const fp6 *b) {
    fp2_sub(&r->c0, &a->c0, &b->c0);
    fp2_sub(&r->c1, &a->c1, &b->c1);
    fp2_sub(&r->c2, &a->c2, &b->c2);
}

static void fp6_neg(fp6 *r, const fp6 *a) {
    fp2_neg(&r->c0, &a->c0);
    fp2_neg(&r->c1, &a->c1);
    fp2_neg(&r->c2, &a->c2);
}

/* r = a * v = (xi*a2, a0, a1). */
static void fp6_mul_v(fp6 *r, const fp6 *a) {
    fp2 t;
    fp2_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* Fp6 at double width: each of the six Fp coefficients an fpw (wide.h). */
typedef struct {
    fp2w c0, c1, c2;
} fp6w;

static void fp6w_reduce(fp6 *r, const fp6w *a) {
    fp2w_reduce(&r->c0, &a->c0);
    fp2w_reduce(&r->c1, &a->c1);
    fp2w_reduce(&r->c2, &a->c2);
}
static void fp6w_add(fp6w *r, const fp6w *a, const fp6w *b) {
    fp2w_add(&r->c0, &a->c0, &b->c0);
    fp2w_add(&r->c1, &a->c1, &b->c1);
    fp2w_add(&r->c2, &a->c2, &b->c2);
}
static void fp6w_sub(fp6w *r, const fp6w *a, const fp6w *b) {
    fp2w_sub(&r->c0, &a->c0, &b->c0);
    fp2w_sub(&r->c1, &a->c1, &b->c1);
    fp2w_sub(&r->c2, &a->c2, &b->c2);
}
/* r = a v = (xi a2, a0, a1); r may alias a. */
static void fp6w_mul_v(fp6w *r, const fp6w *a) {
    fp2w t;
    fp2w_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/*
 * r = a b unreduced: Karatsuba over Fp2 with the six Fp2 products at double width, each output
 * coefficient summed at double width (wide.h). v_i = a_i b_i;
 * c0 = v0 + xi ((a1 + a2)(b1 + b2) - v1 - v2), c1 = (a0 + a1)(b0 + b1) - v0 - v1 + xi v2,
 * c2 = (a0 + a2)(b0 + b2) - v0 - v2 + v1. a and b are fully reduced.
 */
static void fp6w_mul(fp6w *r, const fp6 *a, const fp6 *b) {
    fp2w v0, v1, v2, s;
    fp2 x, y;
    fp2w_mul(&v0, &a->c0, &b->c0);
    fp2w_mul(&v1, &a->c1, &b->c1);
    fp2w_mul(&v2, &a->c2, &b->c2);
    fp2_add(&x, &a->c1, &a->c2);
    fp2_add(&y, &b->c1, &b->c2);
    fp2w_mul(&r->c0, &x, &y);
    fp2_add(&x, &a->c0, &a->c1);
    fp2_add(&y, &b->c0, &b->c1);
    fp2w_mul(&r->c1, &x, &y);
    fp2_add(&x, &a->c0, &a->c2);
    fp2_add(&y, &b->c0, &b->c2);
    fp2w_mul(&r->c2, &x, &y);
    /* c0 */
    fp2w_sub(&r->c0, &r->c0, &v1);
    fp2w_sub(&r->c0, &r->c0, &v2);
    fp2w_mul_xi(&r->c0, &r->c0);
    fp2w_add(&r->c0, &r->c0, &v0);
    /* c1 */
    fp2w_sub(&r->c1, &r->c1, &v0);
    fp2w_sub(&r->c1, &r->c1, &v1);
    fp2w_mul_xi(&s, &v2);
    fp2w_add(&r->c1, &r->c1, &s);
    /* c2 */
    fp2w_sub(&r->c2, &r->c2, &v0);
    fp2w_sub(&r->c2, &r->c2, &v2);
    fp2w_add(&r->c2, &r->c2, &v1);
}

/* Lazy reduction: 6 Montgomery reductions per Fp6 product instead of 18. r may alias a or b. */
void bn_fp6_mul(fp6 *r, const fp6 *a, const fp6 *b) {
    fp6w t;
    fp6w_mul(&t, a, b);
    fp6w_reduce(r, &t);
}

/* r = a (b0 + b1 v) unreduced, as fp6w_mul (5 Fp2 products). */
static void fp6w_mul_01(fp6w *r, const fp6 *a, const fp2 *b0, const fp2 *b1) {
    fp2w v0, v1;
    fp2 x, y;
    fp2w_mul(&v0, &a->c0, b0);
    fp2w_mul(&v1, &a->c1, b1);
    fp2_add(&x, &a->c1, &a->c2);
    fp2w_mul(&r->c0, &x, b1);
    fp2_add(&x, &a->c0, &a->c1);
    fp2_add(&y, b0, b1);
    fp2w_mul(&r->c1, &x, &y);
    fp2_add(&x, &a->c0, &a->c2);
    fp2w_mul(&r->c2, &x, b0);
    /* c0 = v0 + xi ((a1 + a2) b1 - v1) */
    fp2w_sub(&r->c0, &r->c0, &v1);
    fp2w_mul_xi(&r->c0, &r->c0);
    fp2w_add(&r->c0, &r->c0, &v0);
    /* c1 = (a0 + a1)(b0 + b1) - v0 - v1 */
    fp2w_sub(&r->c1, &r->c1, &v0);
    fp2w_sub(&r->c1, &r->c1, &v1);
    /* c2 = (a0 + a2) b0 - v0 + v1 */
    fp2w_sub(&r->c2, &r->c2, &v0);
    fp2w_add(&r->c2, &r->c2, &v1);
}

/* r = a b for b in Fp2, unreduced. */
static void fp6w_mul_fp2(fp6w *r, const fp6 *a, const fp2 *b) {
    fp2w_mul(&r->c0, &a->c0, b);
    fp2w_mul(&r->c1, &a->c1, b);
    fp2w_mul(&r->c2, &a->c2, b);
}

void bn_fp6_inv(fp6 *r, const fp6 *a) {
    fp2 c0, c1, c2, t, s;
    /* c0 = a0^2 - xi a1 a2; c1 = xi a2^2 - a0 a1; c2 = a1^2 - a0 a2 */
    fp2_sqr(&c0, &a->c0);
    fp2_mul(&t, &a->c1, &a->c2);
    fp2_mul_xi(&t, &t);
    fp2_sub(&c0, &c0, &t);
    fp2_sqr(&c1, &a->c2);
    fp2_mul_xi(&c1, &c1);
    fp2_mul(&t, &a->c0, &a->c1);
    fp2_sub(&c1, &c1, &t);
    fp2_sqr(&c2, &a->c1);
    fp2_mul(&t, &a->c0, &a->c2);
    fp2_sub(&c2, &c2, &t);
    /* t = a0 c0 + xi (a2 c1 + a1 c2) */
    fp2_mul(&t, &a->c2, &c1);
    fp2_mul(&s, &a->c1, &c2);
    fp2_add(&t, &t, &s);
    fp2_mul_xi(&t, &t);
    fp2_mul(&s, &a->c0, &c0);
    fp2_add(&t, &t, &s);
    fp2_inv(&t, &t);
    fp2_mul(&r->c0, &c0, &t);
    fp2_mul(&r->c1, &c1, &t);
    fp2_mul(&r->c2, &c2, &t);
}

void bn_fp12_set_one(fp12 *r) {
    memset(r, 0, sizeof *r);
    r->c0.c0.c0 = FP_ONE;
}

int bn_fp12_eq(const fp12 *a, const fp12 *b) {
    return fp2_eq(&a->c0.c0, &b->c0.c0) & fp2_eq(&a->c0.c1, &b->c0.c1) & fp2_eq(&a->c0.c2, &b->c0.c2) &
           fp2_eq(&a->c1.c0, &b->c1.c0) & fp2_eq(&a->c1.c1, &b->c1.c1) & fp2_eq(&a->c1.c2, &b->c1.c2);
}

int bn_fp12_is_one(const fp12 *a) {
    fp12 one;
    bn_fp12_set_one(&one);
    return bn_fp12_eq(a, &one);
}

/* Karatsuba over Fp6 with the three Fp6 products at double width: c1 = (a0 + a1)(b0 + b1)
 * - v0 - v1 and c0 = v0 + v v1 summed at double width, 12 Montgomery reductions in all.
 * r may alias a or b. */
void bn_fp12_mul(fp12 *r, const fp12 *a, const fp12 *b) {
    fp6w v0, v1, s;
    fp6 x, y;
    fp6w_mul(&v0, &a->c0, &b->c0);
    fp6w_mul(&v1, &a->c1, &b->c1);
    bn_fp6_add(&x, &a->c0, &a->c1);
    bn_fp6_add(&y, &b->c0, &b->c1);
    fp6w_mul(&s, &x, &y);
    fp6w_sub(&s, &s, &v0);
    fp6w_sub(&s, &s, &v1);
    fp6w_reduce(&r->c1, &s);
    fp6w_mul_v(&v1, &v1);
    fp6w_add(&v0, &v0, &v1);
    fp6w_reduce(&r->c0, &v0);
}

void bn_fp12_sqr(fp12 *r, const fp12 *a) {
    /* c0 = (a0+a1)(a0+v a1) - m - v m; c1 = 2m with m = a0 a1 (reduced Fp6 products: summing at
     * double width costs more here than the 12 reductions it saves) */
    fp6 m, s, t, vm;
    bn_fp6_mul(&m, &a->c0, &a->c1);
    bn_fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_v(&t, &a->c1);
    bn_fp6_add(&t, &t, &a->c0);
    bn_fp6_mul(&s, &s, &t);
    bn_fp6_sub(&s, &s, &m);
    fp6_mul_v(&vm, &m);
    bn_fp6_sub(&r->c0, &s, &vm);
    bn_fp6_add(&r->c1, &m, &m);
}

void bn_fp12_conj(fp12 *r, const fp12 *a) {
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}

void bn_fp12_inv(fp12 *r, const fp12 *a) {
    fp6 t, s;
    bn_fp6_mul(&t, &a->c0, &a->c0);
    bn_fp6_mul(&s, &a->c1, &a->c1);
    fp6_mul_v(&s, &s);
    bn_fp6_sub(&t, &t, &s);
    bn_fp6_inv(&t, &t);
    bn_fp6_mul(&r->c0, &a->c0, &t);
    bn_fp6_mul(&s, &a->c1, &t);
    fp6_neg(&r->c1, &s);
}

static const fp2 FROB[3][6] = {BN_FROB1, BN_FROB2, BN_FROB3};

void bn_fp12_frob(fp12 *r, const fp12 *a, int k) {
    /* coefficient of w^j: conj^k(g_j) * xi^(j (p^k - 1)/6) */
    const fp2 *g[6] = {&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2};
    fp2 out[6];
    for (int j = 0; j < 6; j++) {
        fp2 t = *g[j];
        if (k & 1) fp2_conj(&t, &t);
        if (j == 0)
            out[j] = t;
        else
            fp2_mul(&out[j], &t, &FROB[k - 1][j]);
    }
    r->c0.c0 = out[0];
    r->c1.c0 = out[1];
    r->c0.c1 = out[2];
    r->c1.c1 = out[3];
    r->c0.c2 = out[4];
    r->c1.c2 = out[5];
}

void bn_fp12_mul_line(fp12 *f, const bn_line *l) {
    /* l = L0 + L1 w with L0 = (l0, 0, 0), L1 = (l1, l3, 0); Karatsuba at double width as
     * bn_fp12_mul */
    fp6w a0l0, a1l1, s;
    fp6 x;
    fp2 t;
    fp6w_mul_fp2(&a0l0, &f->c0, &l->l0);
    fp6w_mul_01(&a1l1, &f->c1, &l->l1, &l->l3);
    bn_fp6_add(&x, &f->c0, &f->c1);
    fp2_add(&t, &l->l0, &l->l1);
    fp6w_mul_01(&s, &x, &t, &l->l3);
    fp6w_sub(&s, &s, &a0l0);
    fp6w_sub(&s, &s, &a1l1);
    fp6w_reduce(&f->c1, &s);
    fp6w_mul_v(&a1l1, &a1l1);
    fp6w_add(&a0l0, &a0l0, &a1l1);
    fp6w_reduce(&f->c0, &a0l0);
}

/*
 * f *= l m for two lines. (l0 + l1 w + l3 w^3)(m0 + m1 w + m3 w^3) = (l0 m0 + xi l3 m3)
 * + (l0 m1 + l1 m0) w + l1 m1 w^2 + (l0 m3 + l3 m0) w^3 + (l1 m3 + l3 m1) w^4 with no w^5 term:
 * 6 Fp2 products (Karatsuba), then 17 for the multiplication by f (the w-odd half has one zero
 * coefficient), against 2 x 13 for two line multiplications.
 */
void bn_fp12_mul_lines(fp12 *f, const bn_line *l, const bn_line *m) {
    fp2 p00, p11, p33, s, t;
    fp6 g0, g1s, f01;
    fp6w t0, t1, sw;
    fp2 b, d;
    fp2_mul(&p00, &l->l0, &m->l0);
    fp2_mul(&p11, &l->l1, &m->l1);
    fp2_mul(&p33, &l->l3, &m->l3);
    fp2_add(&s, &l->l0, &l->l1);
    fp2_add(&t, &m->l0, &m->l1);
    fp2_mul(&b, &s, &t);
    fp2_sub(&b, &b, &p00);
    fp2_sub(&b, &b, &p11); /* w^1 */
    fp2_add(&s, &l->l0, &l->l3);
    fp2_add(&t, &m->l0, &m->l3);
    fp2_mul(&d, &s, &t);
    fp2_sub(&d, &d, &p00);
    fp2_sub(&d, &d, &p33); /* w^3 */
    fp2_add(&s, &l->l1, &l->l3);
    fp2_add(&t, &m->l1, &m->l3);
    fp2_mul(&g0.c2, &s, &t);
    fp2_sub(&g0.c2, &g0.c2, &p11);
    fp2_sub(&g0.c2, &g0.c2, &p33); /* w^4 */
    fp2_mul_xi(&g0.c0, &p33);
    fp2_add(&g0.c0, &g0.c0, &p00); /* w^0 */
    g0.c1 = p11;                   /* w^2 */
    /* g = g0 + g1 w with g1 = (b, d, 0), Karatsuba at double width as bn_fp12_mul */
    fp6w_mul(&t0, &f->c0, &g0);
    fp6w_mul_01(&t1, &f->c1, &b, &d);
    bn_fp6_add(&f01, &f->c0, &f->c1);
    fp2_add(&g1s.c0, &g0.c0, &b);
    fp2_add(&g1s.c1, &g0.c1, &d);
    g1s.c2 = g0.c2;
    fp6w_mul(&sw, &f01, &g1s);
    fp6w_sub(&sw, &sw, &t0);
    fp6w_sub(&sw, &sw, &t1);
    fp6w_reduce(&f->c1, &sw);
    fp6w_mul_v(&t1, &t1);
    fp6w_add(&t0, &t0, &t1);
    fp6w_reduce(&f->c0, &t0);
}

/* Square in Fp4 = Fp2[t]/(t^2 - xi): (a + b t)^2 = (a^2 + xi b^2) + 2ab t. */
static void fp4_sqr(fp2 *r0, fp2 *r1, const fp2 *a, const fp2 *b) {
    fp2 a2, b2, s;
    fp2_sqr(&a2, a);
    fp2_sqr(&b2, b);
    fp2_add(&s, a, b);
    fp2_sqr(&s, &s);
    fp2_sub(&s, &s, &a2);
    fp2_sub(r1, &s, &b2);
    fp2_mul_xi(&b2, &b2);
    fp2_add(r0, &a2, &b2);
}

/*
 * Granger-Scott squaring for elements of the cyclotomic subgroup. Write f = A + B w + C w^2
 * with A = g0 + g3 t, B = g1 + g4 t, C = g2 + g5 t in Fp4 (t = w^3). Then
 * f^2 = (3A^2 - 2 conj(A)) + (3 t C^2 + 2 conj(B)) w + (3 B^2 - 2 conj(C)) w^2.
 */
void bn_fp12_cyclo_sqr(fp12 *r, const fp12 *a) {
    const fp2 *g0 = &a->c0.c0, *g1 = &a->c1.c0, *g2 = &a->c0.c1, *g3 = &a->c1.c1, *g4 = &a->c0.c2,
              *g5 = &a->c1.c2;
    fp2 A0, A1, B0, B1, C0, C1, t;
    fp4_sqr(&A0, &A1, g0, g3); /* A^2 */
    fp4_sqr(&B0, &B1, g1, g4); /* B^2 */
    fp4_sqr(&C0, &C1, g2, g5); /* C^2 */
    fp2 h0, h1, h2, h3, h4, h5;
    /* new A = 3A^2 - 2 conj(A): h0 = 3 A0 - 2 g0, h3 = 3 A1 + 2 g3 */
    fp2_sub(&t, &A0, g0);
    fp2_dbl(&t, &t);
    fp2_add(&h0, &t, &A0);
    fp2_add(&t, &A1, g3);
    fp2_dbl(&t, &t);
    fp2_add(&h3, &t, &A1);
    /* new C = 3 B^2 - 2 conj(C): h2 = 3 B0 - 2 g2, h5 = 3 B1 + 2 g5 */
    fp2_sub(&t, &B0, g2);
    fp2_dbl(&t, &t);
    fp2_add(&h2, &t, &B0);
    fp2_add(&t, &B1, g5);
    fp2_dbl(&t, &t);
    fp2_add(&h5, &t, &B1);
    /* new B = 3 t C^2 + 2 conj(B): t C^2 = xi C1 + C0 t; h1 = 3 xi C1 + 2 g1, h4 = 3 C0 - 2 g4 */
    fp2 xc1;
    fp2_mul_xi(&xc1, &C1);
    fp2_add(&t, &xc1, g1);
    fp2_dbl(&t, &t);
    fp2_add(&h1, &t, &xc1);
    fp2_sub(&t, &C0, g4);
    fp2_dbl(&t, &t);
    fp2_add(&h4, &t, &C0);
    r->c0.c0 = h0;
    r->c1.c0 = h1;
    r->c0.c1 = h2;
    r->c1.c1 = h3;
    r->c0.c2 = h4;
    r->c1.c2 = h5;
}

void bn_fp12_pow_var(fp12 *r, const fp12 *a, const uint64_t *e, size_t nlimbs) {
    fp12 acc;
    bn_fp12_set_one(&acc);
    for (size_t i = nlimbs; i-- > 0;) {
        for (int j = 63; j >= 0; j--) {
            bn_fp12_sqr(&acc, &acc);
            if ((e[i] >> j) & 1) bn_fp12_mul(&acc, &acc, a);
        }
    }
    *r = acc;
}

/*
 * r = a^u for a in the cyclotomic subgroup (u = BN parameter, public). Width-4 NAF of u,
 * most significant digit first (digits 0, +-1, +-3, +-5, +-7; sum d_i 2^(62 - i) = u): 14
 * non-zero digits, so 13 multiplications plus 3 for the table a, a^3, a^5, a^7 (the plain NAF
 * took 22). Negative digits multiply by the conjugate, which is the inverse in the cyclotomic
 * subgroup.
 */
#define U_WNAF_LEN 63
static const int8_t U_WNAF[U_WNAF_LEN] = {1,  0, 0, 0, 0, 0, 5, 0, 0, 0,  0, -3, 0, 0, 0, 3, 0, 0, 0, 0, 5,
                                          0,  0, 0, -5, 0, 0, 0, -3, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0, 0, 0, 0,
                                          7,  0, 0, 0, -7, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, -1, 0, 0, 0, 1};

static void cyclo_pow_u(fp12 *r, const fp12 *a) {
    fp12 tab[4], ntab[4], a2, acc;
    tab[0] = *a;
    bn_fp12_cyclo_sqr(&a2, a);
    for (int k = 1; k < 4; k++) bn_fp12_mul(&tab[k], &tab[k - 1], &a2);
    for (int k = 0; k < 4; k++) bn_fp12_conj(&ntab[k], &tab[k]);
    acc = tab[0]; /* the leading digit is 1 */
    for (int j = 1; j < U_WNAF_LEN; j++) {
        bn_fp12_cyclo_sqr(&acc, &acc);
        int d = U_WNAF[j];
        if (d > 0)
            bn_fp12_mul(&acc, &acc, &tab[(d - 1) / 2]);
        else if (d < 0)
            bn_fp12_mul(&acc, &acc, &ntab[(-d - 1) / 2]);
    }
    *r = acc;
}

void bn_final_exp(fp12 *r, const fp12 *f) {
    fp12 t, inv, m;
    /* easy part: m = f^((p^6 - 1)(p^2 + 1)) */
    bn_fp12_conj(&t, f);
    bn_fp12_inv(&inv, f);
    bn_fp12_mul(&t, &t, &inv);
    bn_fp12_frob(&m, &t, 2);
    bn_fp12_mul(&m, &m, &t);
    /* hard part (p^4 - p^2 + 1)/r via the BN parameter u:
     * m^(l0 + l1 p + l2 p^2 + l3 p^3) = y0 y1^2 y2^6 y3^12 y4^18 y5^30 y6^36 */
    fp12 fp1, fp2_, fp3, fu, fu2, fu3, y0, y1, y2, y3, y4, y5, y6, a, b;
    bn_fp12_frob(&fp1, &m, 1);
    bn_fp12_frob(&fp2_, &m, 2);
    bn_fp12_frob(&fp3, &m, 3);
    cyclo_pow_u(&fu, &m);
    cyclo_pow_u(&fu2, &fu);
    cyclo_pow_u(&fu3, &fu2);
    bn_fp12_mul(&y0, &fp1, &fp2_);
    bn_fp12_mul(&y0, &y0, &fp3);
    bn_fp12_conj(&y1, &m);
    bn_fp12_frob(&y2, &fu2, 2);
    bn_fp12_frob(&y3, &fu, 1);
    bn_fp12_conj(&y3, &y3);
    bn_fp12_frob(&a, &fu2, 1);
    bn_fp12_mul(&y4, &fu, &a);
    bn_fp12_conj(&y4, &y4);
    bn_fp12_conj(&y5, &fu2);
    bn_fp12_frob(&a, &fu3, 1);
    bn_fp12_mul(&y6, &fu3, &a);
    bn_fp12_conj(&y6, &y6);
    /* addition chain */
    bn_fp12_cyclo_sqr(&a, &y6);
    bn_fp12_mul(&a, &a, &y4);
    bn_fp12_mul(&a, &a, &y5);
    bn_fp12_mul(&b, &y3, &y5);
    bn_fp12_mul(&b, &b, &a);
    bn_fp12_mul(&a, &a, &y2);
    bn_fp12_cyclo_sqr(&b, &b);
    bn_fp12_mul(&b, &b, &a);
    bn_fp12_cyclo_sqr(&b, &b);
    bn_fp12_mul(&a, &b, &y1);
    bn_fp12_mul(&b, &b, &y0);
    bn_fp12_cyclo_sqr(&a, &a);
    bn_fp12_mul(r, &a, &b);
}
