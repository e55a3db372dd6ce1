/*
 * src/bn254/glv_tmpl.h — 2-dimensional GLV multiplication, included by glv.c for G1 with
 * PT (projective type), FE (field type), FE_NEG, FE_CMOV, FE_SET_ONE, ENDO (the endomorphism
 * with eigenvalue lambda on the group) and FN(name) defined. k = k1 + k2 lambda (bn_glv_split).
 */

/* r = flag ? -r : r (flag 0 or 1), constant time. */
static void FN(cneg)(PT *r, uint64_t flag) {
    FE n;
    FE_NEG(&n, &r->y);
    FE_CMOV(&r->y, &n, flag);
}

/* sel = tab[idx] for idx in 0..15, reading every entry. */
static void FN(select)(PT *sel, const PT tab[16], uint64_t idx) {
    *sel = tab[0];
    for (uint64_t i = 1; i < 16; i++) {
        uint64_t d = idx ^ i;
        uint64_t eq = bn_launder(((d | (0 - d)) >> 63) ^ 1);
        FE_CMOV(&sel->x, &tab[i].x, eq);
        FE_CMOV(&sel->y, &tab[i].y, eq);
        FE_CMOV(&sel->z, &tab[i].z, eq);
    }
}

typedef struct {
    PT t1[16], t2[16], acc, sel;
    uint64_t k1[4], k2[4], n1, n2;
} FN(scratch);

void FN(mul_glv_ct)(PT *r, const PT *a, const uint64_t k[4]) {
    FN(scratch) s;
    bn_glv_split(s.k1, s.k2, &s.n1, &s.n2, k);
    /* t1[i] = i (+-a), t2[i] = phi(t1[i]) with the sign of k2 */
    PT base = *a;
    FN(cneg)(&base, s.n1);
    memset(&s.t1[0], 0, sizeof s.t1[0]);
    FE_SET_ONE(&s.t1[0].y); /* infinity (0:1:0) */
    s.t1[1] = base;
    for (int i = 2; i < 16; i++) {
        if (i & 1)
            FN(add)(&s.t1[i], &s.t1[i - 1], &base);
        else
            FN(dbl)(&s.t1[i], &s.t1[i / 2]);
    }
    for (int i = 0; i < 16; i++) {
        ENDO(&s.t2[i], &s.t1[i]);
        FN(cneg)(&s.t2[i], s.n1 ^ s.n2);
    }
    s.acc = s.t1[0];
    for (int w = 31; w >= 0; w--) {
        FN(dbl)(&s.acc, &s.acc);
        FN(dbl)(&s.acc, &s.acc);
        FN(dbl)(&s.acc, &s.acc);
        FN(dbl)(&s.acc, &s.acc);
        FN(select)(&s.sel, s.t1, (s.k1[w / 16] >> (4 * (w % 16))) & 15);
        FN(add)(&s.acc, &s.acc, &s.sel);
        FN(select)(&s.sel, s.t2, (s.k2[w / 16] >> (4 * (w % 16))) & 15);
        FN(add)(&s.acc, &s.acc, &s.sel);
    }
    *r = s.acc;
    mpavs_wipe(&s, sizeof s);
    mpavs_wipe(&base, sizeof base);
}

/* Variable time (public k): both halves by interleaved width-4 windows of the 128-bit halves. */
void FN(mul_glv_var)(PT *r, const PT *a, const uint64_t k[4]) {
    uint64_t k1[4], k2[4], n1, n2;
    bn_glv_split(k1, k2, &n1, &n2, k);
    PT t1[16], t2[16], acc;
    PT base = *a;
    if (n1) FN(neg)(&base, &base);
    memset(&t1[0], 0, sizeof t1[0]);
    FE_SET_ONE(&t1[0].y);
    t1[1] = base;
    for (int i = 2; i < 16; i++) {
        if (i & 1)
            FN(add)(&t1[i], &t1[i - 1], &base);
        else
            FN(dbl)(&t1[i], &t1[i / 2]);
    }
    for (int i = 0; i < 16; i++) {
        ENDO(&t2[i], &t1[i]);
        if (n1 ^ n2) FN(neg)(&t2[i], &t2[i]);
    }
    acc = t1[0];
    int started = 0;
    for (int w = 31; w >= 0; w--) {
        if (started) {
            FN(dbl)(&acc, &acc);
            FN(dbl)(&acc, &acc);
            FN(dbl)(&acc, &acc);
            FN(dbl)(&acc, &acc);
        }
        uint64_t d1 = (k1[w / 16] >> (4 * (w % 16))) & 15, d2 = (k2[w / 16] >> (4 * (w % 16))) & 15;
        if (d1) FN(add)(&acc, &acc, &t1[d1]), started = 1;
        if (d2) FN(add)(&acc, &acc, &t2[d2]), started = 1;
    }
    *r = acc;
}
