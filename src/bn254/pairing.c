/*
 * src/bn254/pairing.c — optimal ate pairing: multi-Miller loop over 6u+2 (NAF) with
 * projective line functions evaluated at affine P, and the shared final exponentiation.
 *
 * Twist: E'(Fp2): y^2 = x^3 + b', b' = 3/xi, mapped to E(Fp12) by (x, y) -> (x w^2, y w^3).
 * A line through points of E' evaluated at P = (xP, yP) is l0 + l1 w + l3 w^3 (up to an
 * Fp2 factor, which the final exponentiation removes).
 */
#include "bn254/internal.h"

static const fp2 TW_B3 = BN_G2_B3;
static const fp2 TW_X1 = BN_TW_X1;
static const fp2 TW_Y1 = BN_TW_Y1;
static const fp2 TW_X2 = BN_TW_X2;
static const fp2 TW_Y2 = BN_TW_Y2;
static const int8_t ATE_NAF[BN_ATE_NAF_LEN] = BN_ATE_NAF;
static const fp2 G2_X = BN_G2_GEN_X;
static const fp2 G2_Y = BN_G2_GEN_Y;
/* The line coefficients of the G2 generator, in loop order (generated, see consts.h). */
static const fp2 G2_LINES[BN_G2_LINES_LEN][3] = BN_G2_LINES;

typedef struct {
    g2p t;        /* running point T */
    fp2 qx, qy;   /* Q affine */
    fp2 nqy;      /* -Q.y */
    fp nxp, yp;   /* -P.x, P.y */
    int fixed;    /* Q is the G2 generator: lines come from G2_LINES */
} pair_state;

/* l = precomputed line number k of the G2 generator evaluated at P. */
static void fixed_line(const pair_state *s, bn_line *l, int k) {
    fp2_mul_fp(&l->l0, &G2_LINES[k][0], &s->yp);
    fp2_mul_fp(&l->l1, &G2_LINES[k][1], &s->nxp);
    l->l3 = G2_LINES[k][2];
}

/* T <- 2T; l = tangent at T evaluated at P. */
static void dbl_step(pair_state *s, bn_line *l) {
    g2p *T = &s->t;
    fp2 A, B, C, E, F, G, H, J, t;
    fp2_mul(&A, &T->x, &T->y);
    fp2_sqr(&B, &T->y);
    fp2_sqr(&C, &T->z);
    fp2_mul(&E, &C, &TW_B3);
    fp2_dbl(&F, &E);
    fp2_add(&F, &F, &E);
    fp2_sqr(&J, &T->x);
    /* H = (Y+Z)^2 - B - C = 2YZ */
    fp2_add(&H, &T->y, &T->z);
    fp2_sqr(&H, &H);
    fp2_sub(&H, &H, &B);
    fp2_sub(&H, &H, &C);
    /* line */
    fp2_mul_fp(&l->l0, &H, &s->yp);
    fp2_dbl(&t, &J);
    fp2_add(&t, &t, &J);
    fp2_mul_fp(&l->l1, &t, &s->nxp);
    fp2_sub(&l->l3, &B, &E);
    /* X3 = 2A(B - F) */
    fp2_sub(&t, &B, &F);
    fp2_mul(&T->x, &A, &t);
    fp2_dbl(&T->x, &T->x);
    /* Y3 = (B + F)^2 - 12 E^2 */
    fp2_add(&G, &B, &F);
    fp2_sqr(&G, &G);
    fp2_sqr(&t, &E);
    fp2_dbl(&t, &t);
    fp2_dbl(&t, &t);
    fp2_sub(&G, &G, &t);
    fp2_sub(&G, &G, &t);
    fp2_sub(&T->y, &G, &t);
    /* Z3 = 4 B H */
    fp2_mul(&T->z, &B, &H);
    fp2_dbl(&T->z, &T->z);
    fp2_dbl(&T->z, &T->z);
}

/* T <- T + (qx, qy); l = line through T and Q evaluated at P. */
static void add_step(pair_state *s, bn_line *l, const fp2 *qx, const fp2 *qy) {
    g2p *T = &s->t;
    fp2 th, la, C, E, F, G, H, t;
    fp2_mul(&t, qy, &T->z);
    fp2_sub(&th, &T->y, &t);
    fp2_mul(&t, qx, &T->z);
    fp2_sub(&la, &T->x, &t);
    fp2_sqr(&C, &th);
    fp2_sqr(&E, &la);
    fp2_mul(&F, &la, &E);
    fp2_mul(&G, &T->x, &E);
    fp2_mul(&H, &T->z, &C);
    fp2_add(&H, &H, &F);
    fp2_sub(&H, &H, &G);
    fp2_sub(&H, &H, &G);
    /* line */
    fp2_mul_fp(&l->l0, &la, &s->yp);
    fp2_mul_fp(&l->l1, &th, &s->nxp);
    fp2_mul(&l->l3, &th, qx);
    fp2_mul(&t, &la, qy);
    fp2_sub(&l->l3, &l->l3, &t);
    /* point */
    fp2_mul(&T->x, &la, &H);
    fp2_sub(&t, &G, &H);
    fp2_mul(&t, &t, &th);
    fp2_mul(&G, &T->y, &F);
    fp2_sub(&T->y, &t, &G);
    fp2_mul(&T->z, &T->z, &F);
}

#define CHUNK CHUNK_PAIRS

/* f *= the product of n lines, two at a time (bn_fp12_mul_lines). */
static void mul_lines(fp12 *f, const bn_line *ls, size_t n) {
    size_t i = 0;
    for (; i + 1 < n; i += 2) bn_fp12_mul_lines(f, &ls[i], &ls[i + 1]);
    if (i < n) bn_fp12_mul_line(f, &ls[i]);
}

static void miller_chunk(fp12 *f, pair_state *st, size_t n) {
    bn_line ls[2 * CHUNK]; /* the lines of one iteration, multiplied into f together */
    size_t nl;
    int k = 0; /* index into G2_LINES */
    bn_fp12_set_one(f);
    for (size_t j = 0; j < n; j++)
        if (!st[j].fixed) bn_g2_from_affine(&st[j].t, &(mpavs_bn254_g2){st[j].qx, st[j].qy, 0});
    for (int i = 1; i < BN_ATE_NAF_LEN; i++) {
        if (i > 1) bn_fp12_sqr(f, f);
        nl = 0;
        for (size_t j = 0; j < n; j++) {
            if (st[j].fixed)
                fixed_line(&st[j], &ls[nl++], k);
            else
                dbl_step(&st[j], &ls[nl++]);
        }
        k++;
        if (ATE_NAF[i] != 0) {
            for (size_t j = 0; j < n; j++) {
                if (st[j].fixed)
                    fixed_line(&st[j], &ls[nl++], k);
                else
                    add_step(&st[j], &ls[nl++], &st[j].qx, ATE_NAF[i] > 0 ? &st[j].qy : &st[j].nqy);
            }
            k++;
        }
        mul_lines(f, ls, nl);
    }
    nl = 0;
    for (size_t j = 0; j < n; j++) {
        if (st[j].fixed) {
            fixed_line(&st[j], &ls[nl++], k);
            fixed_line(&st[j], &ls[nl++], k + 1);
            continue;
        }
        fp2 x1, y1, x2, y2;
        /* Q1 = pi(Q), -Q2 = -pi^2(Q) */
        fp2_conj(&x1, &st[j].qx);
        fp2_mul(&x1, &x1, &TW_X1);
        fp2_conj(&y1, &st[j].qy);
        fp2_mul(&y1, &y1, &TW_Y1);
        fp2_mul(&x2, &st[j].qx, &TW_X2);
        fp2_mul(&y2, &st[j].qy, &TW_Y2);
        fp2_neg(&y2, &y2);
        add_step(&st[j], &ls[nl++], &x1, &y1);
        add_step(&st[j], &ls[nl++], &x2, &y2);
    }
    mul_lines(f, ls, nl);
}

void bn_miller_loop(fp12 *f, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q, size_t n) {
    pair_state st[CHUNK];
    size_t m = 0;
    fp12 g;
    bn_fp12_set_one(f);
    for (size_t i = 0; i < n; i++) {
        if (p[i].infinity || q[i].infinity) continue;
        st[m].qx = q[i].x;
        st[m].qy = q[i].y;
        fp2_neg(&st[m].nqy, &q[i].y);
        fp_neg(&st[m].nxp, &p[i].x);
        st[m].yp = p[i].y;
        /* Q = G2 or -G2 (public data): use the precomputed lines, e(P, -G2) = e(-P, G2) */
        st[m].fixed = fp2_eq(&q[i].x, &G2_X) && (fp2_eq(&q[i].y, &G2_Y) || fp2_eq(&st[m].nqy, &G2_Y));
        if (st[m].fixed && !fp2_eq(&q[i].y, &G2_Y)) fp_neg(&st[m].yp, &p[i].y);
        if (++m == CHUNK) {
            miller_chunk(&g, st, m);
            bn_fp12_mul(f, f, &g);
            m = 0;
        }
    }
    if (m) {
        miller_chunk(&g, st, m);
        bn_fp12_mul(f, f, &g);
    }
}

void bn_pairing(fp12 *r, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q) {
    fp12 f;
    bn_miller_loop(&f, p, q, 1);
    bn_final_exp(r, &f);
}

int mpavs_bn254_pairing_check(bool *ok, const mpavs_bn254_g1 *p, const mpavs_bn254_g2 *q, size_t n) {
    MPAVS_REQUIRE(ok && (n == 0 || (p && q)));
    fp12 f, r;
    bn_miller_loop(&f, p, q, n);
    bn_final_exp(&r, &f);
    *ok = bn_fp12_is_one(&r) != 0;
    return MPAVS_BN254_OK;
}
