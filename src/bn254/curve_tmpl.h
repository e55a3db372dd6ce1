/*
 * src/bn254/curve_tmpl.h — point arithmetic shared by G1 and G2, included twice by curve.c
 * with these macros defined: FE (field type), FE_ADD/SUB/MUL/SQR/NEG/INV/CMOV/EQ/IS_ZERO,
 * FE_SET_ONE, FE_SET_ZERO, FE_MUL_B3 (r = 3b a), CURVE_B (b), PT (projective type),
 * AFF (public affine type) and FN(name) (function name).
 *
 * Projective homogeneous coordinates with the complete formulas of Renes, Costello and
 * Batina (2016) for a = 0: no exceptional cases, hence usable in constant-time code.
 */

static void FN(set_inf)(PT *r) {
    FE_SET_ZERO(&r->x);
    FE_SET_ONE(&r->y);
    FE_SET_ZERO(&r->z);
}

int FN(is_inf)(const PT *a) { return FE_IS_ZERO(&a->z); }

static void FN(cmov)(PT *r, const PT *a, uint64_t flag) {
    FE_CMOV(&r->x, &a->x, flag);
    FE_CMOV(&r->y, &a->y, flag);
    FE_CMOV(&r->z, &a->z, flag);
}

void FN(from_affine)(PT *r, const AFF *a) {
    r->x = a->x;
    r->y = a->y;
    FE_SET_ONE(&r->z);
    PT inf;
    FN(set_inf)(&inf);
    FN(cmov)(r, &inf, (uint64_t)(a->infinity != 0));
}

void FN(to_affine)(AFF *r, const PT *a) {
    FE zi;
    int inf = FN(is_inf)(a);
    FE_INV(&zi, &a->z);
    FE_MUL(&r->x, &a->x, &zi);
    FE_MUL(&r->y, &a->y, &zi);
    r->infinity = (uint8_t)inf; /* zi = 0 for infinity, so x = y = 0 */
}

/* The same with the variable-time inverse: only for public points (verification inputs,
 * aggregates, results of the _var multiplications). */
void FN(to_affine_var)(AFF *r, const PT *a) {
    FE zi;
    int inf = FN(is_inf)(a);
    FE_INV_VAR(&zi, &a->z);
    FE_MUL(&r->x, &a->x, &zi);
    FE_MUL(&r->y, &a->y, &zi);
    r->infinity = (uint8_t)inf;
}

void FN(neg)(PT *r, const PT *a) {
    r->x = a->x;
    FE_NEG(&r->y, &a->y);
    r->z = a->z;
}

/* Complete addition (RCB 2016, algorithm 7). */
void FN(add)(PT *r, const PT *p, const PT *q) {
    FE t0, t1, t2, t3, t4, x3, y3, z3;
    FE_MUL(&t0, &p->x, &q->x);
    FE_MUL(&t1, &p->y, &q->y);
    FE_MUL(&t2, &p->z, &q->z);
    FE_ADD(&t3, &p->x, &p->y);
    FE_ADD(&t4, &q->x, &q->y);
    FE_MUL(&t3, &t3, &t4);
    FE_ADD(&t4, &t0, &t1);
    FE_SUB(&t3, &t3, &t4);
    FE_ADD(&t4, &p->y, &p->z);
    FE_ADD(&x3, &q->y, &q->z);
    FE_MUL(&t4, &t4, &x3);
    FE_ADD(&x3, &t1, &t2);
    FE_SUB(&t4, &t4, &x3);
    FE_ADD(&x3, &p->x, &p->z);
    FE_ADD(&y3, &q->x, &q->z);
    FE_MUL(&x3, &x3, &y3);
    FE_ADD(&y3, &t0, &t2);
    FE_SUB(&y3, &x3, &y3);
    FE_ADD(&x3, &t0, &t0);
    FE_ADD(&t0, &x3, &t0);
    FE_MUL_B3(&t2, &t2);
    FE_ADD(&z3, &t1, &t2);
    FE_SUB(&t1, &t1, &t2);
    FE_MUL_B3(&y3, &y3);
    FE_MUL(&x3, &t4, &y3);
    FE_MUL(&t2, &t3, &t1);
    FE_SUB(&x3, &t2, &x3);
    FE_MUL(&y3, &y3, &t0);
    FE_MUL(&t1, &t1, &z3);
    FE_ADD(&y3, &t1, &y3);
    FE_MUL(&t0, &t0, &t3);
    FE_MUL(&z3, &z3, &t4);
    FE_ADD(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Complete doubling (RCB 2016, algorithm 9). */
void FN(dbl)(PT *r, const PT *p) {
    FE t0, t1, t2, x3, y3, z3;
    FE_SQR(&t0, &p->y);
    FE_ADD(&z3, &t0, &t0);
    FE_ADD(&z3, &z3, &z3);
    FE_ADD(&z3, &z3, &z3);
    FE_MUL(&t1, &p->y, &p->z);
    FE_SQR(&t2, &p->z);
    FE_MUL_B3(&t2, &t2);
    FE_MUL(&x3, &t2, &z3);
    FE_ADD(&y3, &t0, &t2);
    FE_MUL(&z3, &t1, &z3);
    FE_ADD(&t1, &t2, &t2);
    FE_ADD(&t2, &t1, &t2);
    FE_SUB(&t0, &t0, &t2);
    FE_MUL(&y3, &t0, &y3);
    FE_ADD(&y3, &x3, &y3);
    FE_MUL(&t1, &p->x, &p->y);
    FE_MUL(&x3, &t0, &t1);
    FE_ADD(&x3, &x3, &x3);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Constant-time k*a: fixed 4-bit windows over all 256 bits, table read with masks. */
void FN(mul_ct)(PT *r, const PT *a, const uint64_t k[4]) {
    PT tab[16], acc, sel;
    FN(set_inf)(&tab[0]);
    tab[1] = *a;
    for (int i = 2; i < 16; i++) {
        if (i & 1)
            FN(add)(&tab[i], &tab[i - 1], a);
        else
            FN(dbl)(&tab[i], &tab[i / 2]);
    }
    FN(set_inf)(&acc);
    for (int w = 63; w >= 0; w--) {
        FN(dbl)(&acc, &acc);
        FN(dbl)(&acc, &acc);
        FN(dbl)(&acc, &acc);
        FN(dbl)(&acc, &acc);
        uint64_t nib = (k[w / 16] >> (4 * (w % 16))) & 15;
        FN(set_inf)(&sel);
        for (uint64_t i = 1; i < 16; i++) {
            uint64_t d = nib ^ i;
            uint64_t eq = ((d | (0 - d)) >> 63) ^ 1;
            FN(cmov)(&sel, &tab[i], eq);
        }
        FN(add)(&acc, &acc, &sel);
    }
    *r = acc;
    mpavs_wipe(tab, sizeof tab);
    mpavs_wipe(&sel, sizeof sel);
    mpavs_wipe(&acc, sizeof acc);
}

/* Variable-time k*a with a width-5 NAF (public scalars only). */
void FN(mul_var)(PT *r, const PT *a, const uint64_t k[4]) {
    int8_t naf[260];
    int len = bn_wnaf5(naf, k);
    PT tab[8], a2, acc, t;
    tab[0] = *a;
    FN(dbl)(&a2, a);
    for (int i = 1; i < 8; i++) FN(add)(&tab[i], &tab[i - 1], &a2);
    FN(set_inf)(&acc);
    for (int i = len - 1; i >= 0; i--) {
        FN(dbl)(&acc, &acc);
        int d = naf[i];
        if (d > 0) {
            FN(add)(&acc, &acc, &tab[d / 2]);
        } else if (d < 0) {
            FN(neg)(&t, &tab[(-d) / 2]);
            FN(add)(&acc, &acc, &t);
        }
    }
    *r = acc;
}

/* ---- variable-time Jacobian arithmetic for the multi-scalar multiplication ---- */
typedef struct {
    FE x, y, z; /* (X/Z^2, Y/Z^3); infinity when Z = 0 */
} FN(jac);

static void FN(jac_dbl)(FN(jac) *r, const FN(jac) *p) {
    FE a, b, c, d, e, f, t;
    FE_SQR(&a, &p->x);
    FE_SQR(&b, &p->y);
    FE_SQR(&c, &b);
    FE_ADD(&d, &p->x, &b);
    FE_SQR(&d, &d);
    FE_SUB(&d, &d, &a);
    FE_SUB(&d, &d, &c);
    FE_ADD(&d, &d, &d);
    FE_ADD(&e, &a, &a);
    FE_ADD(&e, &e, &a);
    FE_SQR(&f, &e);
    FE_MUL(&t, &p->y, &p->z);
    FE_ADD(&r->z, &t, &t);
    FE_SUB(&r->x, &f, &d);
    FE_SUB(&r->x, &r->x, &d);
    FE_SUB(&t, &d, &r->x);
    FE_MUL(&t, &t, &e);
    FE_ADD(&c, &c, &c);
    FE_ADD(&c, &c, &c);
    FE_ADD(&c, &c, &c);
    FE_SUB(&r->y, &t, &c);
}

/* r = p + (x2, y2) with the affine point non-infinity (madd-2007-bl). */
static void FN(jac_madd)(FN(jac) *r, const FN(jac) *p, const FE *x2, const FE *y2) {
    if (FE_IS_ZERO(&p->z)) {
        r->x = *x2;
        r->y = *y2;
        FE_SET_ONE(&r->z);
        return;
    }
    FE z1z1, u2, s2, h, hh, i, j, rr, v, t;
    FE_SQR(&z1z1, &p->z);
    FE_MUL(&u2, x2, &z1z1);
    FE_MUL(&s2, y2, &p->z);
    FE_MUL(&s2, &s2, &z1z1);
    FE_SUB(&h, &u2, &p->x);
    FE_SUB(&rr, &s2, &p->y);
    if (FE_IS_ZERO(&h)) {
        if (FE_IS_ZERO(&rr)) {
            FN(jac_dbl)(r, p);
        } else {
            FE_SET_ZERO(&r->x);
            FE_SET_ONE(&r->y);
            FE_SET_ZERO(&r->z);
        }
        return;
    }
    FE_ADD(&rr, &rr, &rr);
    FE_SQR(&hh, &h);
    FE_ADD(&i, &hh, &hh);
    FE_ADD(&i, &i, &i);
    FE_MUL(&j, &h, &i);
    FE_MUL(&v, &p->x, &i);
    /* Z3 = (Z1 + H)^2 - Z1Z1 - HH */
    FE_ADD(&t, &p->z, &h);
    FE_SQR(&t, &t);
    FE_SUB(&t, &t, &z1z1);
    FE_SUB(&r->z, &t, &hh);
    /* X3 = r^2 - J - 2V */
    FE_SQR(&t, &rr);
    FE_SUB(&t, &t, &j);
    FE_SUB(&t, &t, &v);
    FE_SUB(&t, &t, &v);
    /* Y3 = r (V - X3) - 2 Y1 J */
    FE_SUB(&v, &v, &t);
    FE_MUL(&v, &v, &rr);
    FE_MUL(&j, &j, &p->y);
    FE_ADD(&j, &j, &j);
    r->x = t;
    FE_SUB(&r->y, &v, &j);
}

/* r = p + q, both Jacobian (add-2007-bl). */
static void FN(jac_add)(FN(jac) *r, const FN(jac) *p, const FN(jac) *q) {
    if (FE_IS_ZERO(&p->z)) {
        *r = *q;
        return;
    }
    if (FE_IS_ZERO(&q->z)) {
        *r = *p;
        return;
    }
    FE z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    FE_SQR(&z1z1, &p->z);
    FE_SQR(&z2z2, &q->z);
    FE_MUL(&u1, &p->x, &z2z2);
    FE_MUL(&u2, &q->x, &z1z1);
    FE_MUL(&s1, &p->y, &q->z);
    FE_MUL(&s1, &s1, &z2z2);
    FE_MUL(&s2, &q->y, &p->z);
    FE_MUL(&s2, &s2, &z1z1);
    FE_SUB(&h, &u2, &u1);
    FE_SUB(&rr, &s2, &s1);
    if (FE_IS_ZERO(&h)) {
        if (FE_IS_ZERO(&rr)) {
            FN(jac_dbl)(r, p);
        } else {
            FE_SET_ZERO(&r->x);
            FE_SET_ONE(&r->y);
            FE_SET_ZERO(&r->z);
        }
        return;
    }
    FE_ADD(&rr, &rr, &rr);
    FE_ADD(&i, &h, &h);
    FE_SQR(&i, &i);
    FE_MUL(&j, &h, &i);
    FE_MUL(&v, &u1, &i);
    FE_ADD(&t, &p->z, &q->z);
    FE_SQR(&t, &t);
    FE_SUB(&t, &t, &z1z1);
    FE_SUB(&t, &t, &z2z2);
    FE_MUL(&r->z, &t, &h);
    FE_SQR(&t, &rr);
    FE_SUB(&t, &t, &j);
    FE_SUB(&t, &t, &v);
    FE_SUB(&t, &t, &v);
    FE_SUB(&v, &v, &t);
    FE_MUL(&v, &v, &rr);
    FE_MUL(&j, &j, &s1);
    FE_ADD(&j, &j, &j);
    r->x = t;
    FE_SUB(&r->y, &v, &j);
}

/* Jacobian -> homogeneous projective: (X Z, Y, Z^3). */
static void FN(jac_to_proj)(PT *r, const FN(jac) *p) {
    if (FE_IS_ZERO(&p->z)) {
        FN(set_inf)(r);
        return;
    }
    FE z2;
    FE_SQR(&z2, &p->z);
    FE_MUL(&r->z, &z2, &p->z);
    FE_MUL(&r->x, &p->x, &p->z);
    r->y = p->y;
}

/* r = sum of n affine points (variable time, public data): Jacobian mixed additions. */
void FN(sum_var)(PT *r, const AFF *pts, size_t n) {
    FN(jac) acc;
    FE_SET_ZERO(&acc.x);
    FE_SET_ONE(&acc.y);
    FE_SET_ZERO(&acc.z);
    for (size_t i = 0; i < n; i++)
        if (!pts[i].infinity) FN(jac_madd)(&acc, &acc, &pts[i].x, &pts[i].y);
    FN(jac_to_proj)(r, &acc);
}

/*
 * Pippenger bucket method with signed digits (variable time, public data).
 * k: n scalars of 4 little-endian limbs, of which the low `bits` bits are used.
 */
static void FN(msm)(PT *r, const AFF *pts, const uint64_t *k, size_t n, unsigned bits) {
    unsigned c = 2;
    while (c < 12 && ((size_t)1 << (c + 2)) <= n) c++;
    unsigned nwin = (bits + c - 1) / c + 1; /* +1 for the final carry of the signed digits */
    size_t half = (size_t)1 << (c - 1);
    FN(jac) *buckets = malloc(half * sizeof *buckets);
    int16_t *dig = malloc(n * nwin * sizeof *dig);
    PT acc;
    FN(set_inf)(&acc);
    if (!buckets || !dig) { /* fall back to one multiplication per point */
        PT t;
        free(buckets);
        free(dig);
        for (size_t i = 0; i < n; i++) {
            FN(from_affine)(&t, &pts[i]);
            FN(mul_var)(&t, &t, &k[4 * i]);
            FN(add)(&acc, &acc, &t);
        }
        *r = acc;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const uint64_t *ki = &k[4 * i];
        int carry = 0;
        for (unsigned w = 0; w < nwin; w++) {
            unsigned bit = w * c;
            uint64_t d = 0;
            if (bit < bits && bit < 256) {
                d = ki[bit / 64] >> (bit % 64);
                if (bit % 64 + c > 64 && bit / 64 < 3) d |= ki[bit / 64 + 1] << (64 - bit % 64);
                unsigned take = bits - bit < c ? bits - bit : c;
                d &= ((uint64_t)1 << take) - 1;
            }
            int v = (int)d + carry;
            carry = 0;
            if (v > (int)half) {
                v -= (int)(half * 2);
                carry = 1;
            }
            dig[i * nwin + w] = (int16_t)v;
        }
    }
    FN(jac) jacc, sum, run;
    FE_SET_ZERO(&jacc.x);
    FE_SET_ONE(&jacc.y);
    FE_SET_ZERO(&jacc.z);
    for (unsigned w = nwin; w-- > 0;) {
        for (unsigned j = 0; j < c; j++) FN(jac_dbl)(&jacc, &jacc);
        for (size_t b = 0; b < half; b++) {
            FE_SET_ZERO(&buckets[b].x);
            FE_SET_ONE(&buckets[b].y);
            FE_SET_ZERO(&buckets[b].z);
        }
        for (size_t i = 0; i < n; i++) {
            int v = dig[i * nwin + w];
            if (v == 0 || pts[i].infinity) continue;
            if (v > 0) {
                FN(jac_madd)(&buckets[v - 1], &buckets[v - 1], &pts[i].x, &pts[i].y);
            } else {
                FE ny;
                FE_NEG(&ny, &pts[i].y);
                FN(jac_madd)(&buckets[-v - 1], &buckets[-v - 1], &pts[i].x, &ny);
            }
        }
        sum = buckets[0];
        FE_SET_ZERO(&sum.z);
        run = sum;
        for (size_t b = half; b-- > 0;) {
            FN(jac_add)(&run, &run, &buckets[b]);
            FN(jac_add)(&sum, &sum, &run);
        }
        FN(jac_add)(&jacc, &jacc, &sum);
    }
    free(buckets);
    free(dig);
    FN(jac_to_proj)(r, &jacc);
}

int FN(on_curve_affine)(const FE *x, const FE *y) {
    FE l, rr;
    FE_SQR(&l, y);
    FE_SQR(&rr, x);
    FE_MUL(&rr, &rr, x);
    FE_ADD(&rr, &rr, &CURVE_B);
    return FE_EQ(&l, &rr);
}
