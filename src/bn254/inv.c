/*
 * src/bn254/inv.c — constant-time inversion in Fp by Bernstein–Yang safegcd ("Fast
 * constant-time gcd computation and modular inversion", 2019), with the half-delta divstep
 * that libsecp256k1's documentation analyses (delta starts at 1/2; 590 steps suffice for
 * 256-bit inputs). We run 10 batches of 60 = 600 steps.
 *
 * Numbers are held in "signed62" form: five int64 limbs, value = sum v[i] 2^(62 i), limbs 0..3
 * in [0, 2^62) once normalised and the top limb signed. A batch of 60 divsteps is computed on
 * the low 64 bits of f and g only (two halves of 30 with the matrix rows packed two to a word,
 * see divsteps_30), giving the transition matrix (u v; q r), scaled by 4, with
 * 2^62 (f', g') = (u f + v g, q f + r g) and |u| + |v|, |q| + |r| <= 2^62; the matrix is then
 * applied to the full f, g and to d, e (f = d x, g = e x mod p), where the division by 2^62 is
 * made exact mod p by adding a multiple of p. Every step is branch-free and every loop has a
 * fixed count: nothing depends on the value inverted.
 */
#include "bn254/internal.h"

typedef struct {
    int64_t v[5];
} s62;

typedef struct {
    int64_t u, v, q, r;
} trans;

#define M62 ((uint64_t)0x3fffffffffffffffULL)

static const s62 P62 = {{0x3c208c16d87cfd47LL, 0x1e05aa45a1c72a34LL, 0x05045b68181585d9LL, 0x19139cb84c680a6eLL, 0x30}};
static const uint64_t PINV62 = 0x382df87d1b799c77ULL; /* p^-1 mod 2^62 */
_Static_assert(((0x3c208c16d87cfd47ULL * 0x382df87d1b799c77ULL) & 0x3fffffffffffffffULL) == 1, "PINV62");
/* R^3 mod p (R = 2^256): turns the plain inverse of a Montgomery value a = x R into x^-1 R. */
static const fp R3 = {{0xb1cd6dafda1530dfULL, 0x62f210e6a7283db6ULL, 0xef7f0b0c0ada0afbULL, 0x20fd6e902d592544ULL}};

/*
 * 30 half-delta divsteps on the low 64 bits of f (odd) and g, the matrix rows packed: uv holds
 * u + v 2^32 and qr holds q + r 2^32 (two's complement, mod 2^64). Every operation on them is
 * linear (add, negate, double), and after at most 30 steps |u|, |v|, |q|, |r| <= 2^30, so both
 * halves are recovered exactly (unpack). zeta = -(delta + 1/2) is an integer (delta > 0 iff
 * zeta < 0). One step, without branches:
 *   odd g:          g <- g + f, or g - f when delta > 0 (and the q, r row likewise)
 *   delta > 0, odd: then f <- f + g (= the old g), u, v likewise: the swap
 *   always:         g <- g / 2 (u, v doubled instead: 2^i f_i = u f + v g), zeta updated.
 * k divsteps depend on the low k bits of f and g only, and g loses one valid bit per step, so
 * the f and g left after 30 steps still carry 34 valid bits: enough for the next 30.
 */
static int64_t divsteps_30(int64_t zeta, uint64_t *fp_, uint64_t *gp, uint64_t *uvp, uint64_t *qrp) {
    uint64_t f = *fp_, g = *gp, uv = 1, qr = (uint64_t)1 << 32;
#pragma GCC unroll 30
    for (int i = 0; i < 30; i++) {
        uint64_t pos = (uint64_t)(zeta >> 63); /* all ones when delta > 0 */
        uint64_t odd = 0 - (g & 1);
        uint64_t x = (f ^ pos) - pos, y = (uv ^ pos) - pos;
        g += x & odd;
        qr += y & odd;
        uint64_t sw = pos & odd;
        zeta = (int64_t)(((uint64_t)zeta ^ sw) - 1);
        f += g & sw;
        uv += qr & sw;
        g >>= 1;
        uv <<= 1;
    }
    *fp_ = f;
    *gp = g;
    *uvp = uv;
    *qrp = qr;
    return zeta;
}

/* (a, b) from a + b 2^32 (mod 2^64) with |a|, |b| <= 2^30. */
static void unpack(int64_t *a, int64_t *b, uint64_t w) {
    *a = (int64_t)(int32_t)(uint32_t)w;
    *b = (int64_t)(w - (uint64_t)*a) >> 32;
}

/*
 * 60 divsteps as two packed halves; the product M2 M1 of their matrices has
 * |u| + |v|, |q| + |r| <= 2^60 and 2^60 (f', g') = M2 M1 (f, g). It is returned times 4, so that
 * the updates below, which divide by 2^62, apply it unchanged.
 */
static int64_t divsteps_60(int64_t zeta, uint64_t f, uint64_t g, trans *t) {
    uint64_t uv, qr;
    int64_t u1, v1, q1, r1, u2, v2, q2, r2;
    zeta = divsteps_30(zeta, &f, &g, &uv, &qr);
    unpack(&u1, &v1, uv);
    unpack(&q1, &r1, qr);
    zeta = divsteps_30(zeta, &f, &g, &uv, &qr);
    unpack(&u2, &v2, uv);
    unpack(&q2, &r2, qr);
    t->u = 4 * (u2 * u1 + v2 * q1);
    t->v = 4 * (u2 * v1 + v2 * r1);
    t->q = 4 * (q2 * u1 + r2 * q1);
    t->r = 4 * (q2 * v1 + r2 * r1);
    return zeta;
}

/* (f, g) <- (u f + v g, q f + r g) / 2^62 (exact). */
static void update_fg(s62 *f, s62 *g, const trans *t) {
    __int128 cf = (__int128)t->u * f->v[0] + (__int128)t->v * g->v[0];
    __int128 cg = (__int128)t->q * f->v[0] + (__int128)t->r * g->v[0];
    cf >>= 62;
    cg >>= 62;
    for (int i = 1; i < 5; i++) {
        cf += (__int128)t->u * f->v[i] + (__int128)t->v * g->v[i];
        cg += (__int128)t->q * f->v[i] + (__int128)t->r * g->v[i];
        f->v[i - 1] = (int64_t)((uint64_t)cf & M62);
        g->v[i - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f->v[4] = (int64_t)cf;
    g->v[4] = (int64_t)cg;
}

/* a += p when mask is all ones; limbs renormalised (0..3 in [0, 2^62), top signed). */
static void s62_cadd_p(s62 *a, int64_t mask) {
    int64_t c = 0;
    for (int i = 0; i < 4; i++) {
        int64_t s = a->v[i] + (P62.v[i] & mask) + c;
        a->v[i] = (int64_t)((uint64_t)s & M62);
        c = s >> 62;
    }
    a->v[4] += (P62.v[4] & mask) + c;
}

/* a in (-2p, p) -> [0, p): p added once or twice, by the sign. */
static void s62_normalize(s62 *a) {
    s62_cadd_p(a, a->v[4] >> 63); /* now (-p, p) */
    s62_cadd_p(a, a->v[4] >> 63);
}

/*
 * (d, e) <- (u d + v e, q d + r e) / 2^62 mod p for d, e in (-2p, p); the results are in
 * (-2p, p) again, so they are normalised only once, at the end (libsecp256k1's
 * modinv64_update_de and the range argument of its safegcd_implementation.md): md starts as
 * u [d < 0] + v [e < 0] and is then lowered by less than 2^62 so that u d + v e + md p is a
 * multiple of 2^62.
 */
static void update_de(s62 *d, s62 *e, const trans *t) {
    int64_t sd = d->v[4] >> 63, se = e->v[4] >> 63;
    int64_t md = (t->u & sd) + (t->v & se), me = (t->q & sd) + (t->r & se);
    uint64_t ld = (uint64_t)t->u * (uint64_t)d->v[0] + (uint64_t)t->v * (uint64_t)e->v[0];
    uint64_t le = (uint64_t)t->q * (uint64_t)d->v[0] + (uint64_t)t->r * (uint64_t)e->v[0];
    md -= (int64_t)((PINV62 * ld + (uint64_t)md) & M62);
    me -= (int64_t)((PINV62 * le + (uint64_t)me) & M62);
    __int128 cd = (__int128)t->u * d->v[0] + (__int128)t->v * e->v[0] + (__int128)md * P62.v[0];
    __int128 ce = (__int128)t->q * d->v[0] + (__int128)t->r * e->v[0] + (__int128)me * P62.v[0];
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < 5; i++) {
        cd += (__int128)t->u * d->v[i] + (__int128)t->v * e->v[i] + (__int128)md * P62.v[i];
        ce += (__int128)t->q * d->v[i] + (__int128)t->r * e->v[i] + (__int128)me * P62.v[i];
        d->v[i - 1] = (int64_t)((uint64_t)cd & M62);
        e->v[i - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62;
        ce >>= 62;
    }
    d->v[4] = (int64_t)cd;
    e->v[4] = (int64_t)ce;
}

static void to_s62(s62 *r, const uint64_t l[4]) {
    r->v[0] = (int64_t)(l[0] & M62);
    r->v[1] = (int64_t)(((l[0] >> 62) | (l[1] << 2)) & M62);
    r->v[2] = (int64_t)(((l[1] >> 60) | (l[2] << 4)) & M62);
    r->v[3] = (int64_t)(((l[2] >> 58) | (l[3] << 6)) & M62);
    r->v[4] = (int64_t)(l[3] >> 56);
}

static void from_s62(uint64_t l[4], const s62 *a) { /* a in [0, p) */
    l[0] = (uint64_t)a->v[0] | ((uint64_t)a->v[1] << 62);
    l[1] = ((uint64_t)a->v[1] >> 2) | ((uint64_t)a->v[2] << 60);
    l[2] = ((uint64_t)a->v[2] >> 4) | ((uint64_t)a->v[3] << 58);
    l[3] = ((uint64_t)a->v[3] >> 6) | ((uint64_t)a->v[4] << 56);
}

void bn_fp_inv_safegcd(fp *r, const fp *a) {
    s62 f = P62, g, d = {{0}}, e = {{1, 0, 0, 0, 0}};
    trans t;
    int64_t zeta = -1; /* delta = 1/2 */
    to_s62(&g, a->l); /* the plain integer a (= x R for the Montgomery value x) */
    for (int i = 0; i < 10; i++) {
        zeta = divsteps_60(zeta, (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62), (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62),
                         &t);
        update_fg(&f, &g, &t);
        update_de(&d, &e, &t);
    }
    /* now g = 0 and f = +-1 (or f = p, d = 0 when a = 0): a^-1 = f d */
    fp inv, neg;
    s62_normalize(&d);
    from_s62(inv.l, &d);
    fp_neg(&neg, &inv);
    fp_cmov(&inv, &neg, (uint64_t)f.v[4] >> 63);
    fp_mul(r, &inv, &R3); /* (x R)^-1 R^3 / R = x^-1 R */
    mpavs_wipe(&f, sizeof f);
    mpavs_wipe(&g, sizeof g);
    mpavs_wipe(&d, sizeof d);
    mpavs_wipe(&e, sizeof e);
    mpavs_wipe(&t, sizeof t);
    mpavs_wipe(&inv, sizeof inv);
    mpavs_wipe(&neg, sizeof neg);
}

/*
 * Variable-time inversion for public inputs (`_var`): the same representation, matrices and
 * updates, but the divsteps of a batch take time that depends on the data, and the loop stops
 * as soon as g = 0 instead of running the worst-case count. Here the original divstep is used
 * (delta starts at 1): each run of even g is done at once (count trailing zeros), each odd g
 * costs one addition (with the swap first when delta > 0). The transition matrix keeps the
 * invariant 2^k (f, g) = (u f0 + v g0, q f0 + r g0) after k steps, as above, so update_fg and
 * update_de apply unchanged.
 */
static int64_t divsteps_62_var(int64_t delta, uint64_t f, uint64_t g, trans *t) {
    uint64_t u = 1, v = 0, q = 0, r = 1;
    int i = 62;
    for (;;) {
        int zeros = __builtin_ctzll(g | (~0ULL << i)); /* the sentinel bit stops at i steps */
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        delta += zeros;
        i -= zeros;
        if (i == 0) break;
        /* f and g odd: one step's addition; its halving is the next run of zeros (g + f is even) */
        if (delta > 0) {
            uint64_t x;
            delta = -delta;
            x = f, f = g, g = 0 - x;
            x = u, u = q, q = 0 - x;
            x = v, v = r, r = 0 - x;
        }
        g += f;
        q += u;
        r += v;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return delta;
}

static int s62_is_zero(const s62 *a) { return (a->v[0] | a->v[1] | a->v[2] | a->v[3] | a->v[4]) == 0; }

void bn_fp_inv_var(fp *r, const fp *a) {
    s62 f = P62, g, d = {{0}}, e = {{1, 0, 0, 0, 0}};
    trans t;
    int64_t delta = 1;
    to_s62(&g, a->l);
    /* at most 12 batches (Bernstein-Yang: fewer than 741 original divsteps for 256-bit inputs);
     * the bound only guards the loop, g reaches 0 before it */
    for (int i = 0; i < 16 && !s62_is_zero(&g); i++) {
        delta = divsteps_62_var(delta, (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62), (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62),
                                &t);
        update_fg(&f, &g, &t);
        update_de(&d, &e, &t);
    }
    /* g = 0 and f = +-1 (f = p, d = 0 when a = 0): a^-1 = f d */
    fp inv;
    s62_normalize(&d);
    from_s62(inv.l, &d);
    if (f.v[4] < 0) fp_neg(&inv, &inv);
    fp_mul(r, &inv, &R3);
}
