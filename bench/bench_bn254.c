/*
 * bench/bench_bn254.c — BN254 and BLS timings: medians of several runs.
 * Fp mul, G1/G2 mul (constant time and variable time), hashToG1, one pairing, a BLS verify
 * (2-pairing product), G2 decode (subgroup check), aggregation of 1000 G2 keys, batch
 * verification of 1000 same-message signatures and of 100 different-message signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bn254/internal.h"
#include "mpavs/bls.h"
#include "mpavs/bn254.h"

#define RUNS 7

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: robust on a shared machine */
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static volatile uint64_t sink;

typedef void (*bench_fn)(void *ctx, int iters);

/* Median over RUNS of the time per operation in ns. */
static double run(bench_fn f, void *ctx, int iters) {
    double t[RUNS];
    f(ctx, iters > 4 ? iters / 4 : 1); /* warm-up */
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ns();
        f(ctx, iters);
        t[r] = (now_ns() - t0) / iters;
    }
    return median(t, RUNS);
}

/* The targets of issue 14 (this build machine, thread CPU time, medians). */
typedef struct {
    const char *name;
    double ns, target_ns;
} target_t;

static void report_target(const target_t *t) {
    printf("  %-42s %9.2f us  target <= %7.2f us  ratio %.2f%s\n", t->name, t->ns / 1e3, t->target_ns / 1e3,
           t->ns / t->target_ns, t->ns <= t->target_ns ? "  (met)" : "");
}

static void report(const char *name, double ns) {
    if (ns < 1e3)
        printf("%-44s %10.1f ns\n", name, ns);
    else if (ns < 1e6)
        printf("%-44s %10.2f us\n", name, ns / 1e3);
    else
        printf("%-44s %10.3f ms\n", name, ns / 1e6);
}

typedef struct {
    uint8_t sk[32], msg[32], k[32];
    mpavs_bn254_g1 g1, pk1, sig, h;
    mpavs_bn254_g2 g2, pk2;
    uint8_t enc2[128];
} ctx_t;

static void b_fp_mul(void *c, int n) {
    (void)c;
    fp a = FP_ONE, b;
    fp_add(&b, &a, &a);
    for (int i = 0; i < n; i++) fp_mul(&a, &a, &b);
    sink += a.l[0];
}
static void b_fp2_mul(void *c, int n) {
    (void)c;
    fp2 a, b;
    fp2_set_one(&a);
    fp2_add(&b, &a, &a);
    b.c1 = b.c0;
    for (int i = 0; i < n; i++) fp2_mul(&a, &a, &b);
    sink += a.c0.l[0];
}
static void b_fp_inv(void *c, int n) {
    (void)c;
    fp a = FP_ONE;
    fp_add(&a, &a, &a);
    for (int i = 0; i < n; i++) fp_inv(&a, &a);
    sink += a.l[0];
}
static void b_fp_inv_var(void *c, int n) {
    (void)c;
    fp a = FP_ONE;
    fp_add(&a, &a, &a);
    for (int i = 0; i < n; i++) fp_inv_var(&a, &a);
    sink += a.l[0];
}
static void b_g1_mul(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++) mpavs_bn254_g1_mul(&x->pk1, &x->g1, x->k);
}
static void b_g1_mul_var(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++) mpavs_bn254_g1_mul_var(&x->pk1, &x->g1, x->k);
}
static void b_g2_mul(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++) mpavs_bn254_g2_mul(&x->pk2, &x->g2, x->k);
}
static void b_g2_mul_var(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++) mpavs_bn254_g2_mul_var(&x->pk2, &x->g2, x->k);
}
static void b_hash(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++) {
        x->msg[0] = (uint8_t)i;
        mpavs_bls_hash_to_g1(&x->h, x->msg);
    }
}
static void b_miller(void *c, int n) {
    ctx_t *x = c;
    fp12 f;
    for (int i = 0; i < n; i++) bn_miller_loop(&f, &x->g1, &x->pk2, 1);
    sink += f.c0.c0.c0.l[0];
}
static void b_finalexp(void *c, int n) {
    ctx_t *x = c;
    fp12 f, r;
    bn_miller_loop(&f, &x->g1, &x->g2, 1);
    for (int i = 0; i < n; i++) bn_final_exp(&r, &f);
    sink += r.c0.c0.c0.l[0];
}
static void b_pairing(void *c, int n) {
    ctx_t *x = c;
    fp12 r;
    for (int i = 0; i < n; i++) bn_pairing(&r, &x->g1, &x->pk2);
    sink += r.c0.c0.c0.l[0];
}
static void b_pairing_gen(void *c, int n) {
    ctx_t *x = c;
    fp12 r;
    for (int i = 0; i < n; i++) bn_pairing(&r, &x->pk1, &x->g2);
    sink += r.c0.c0.c0.l[0];
}
static void b_verify(void *c, int n) {
    ctx_t *x = c;
    bool ok = false;
    for (int i = 0; i < n; i++)
        if (mpavs_bls_verify(&ok, &x->pk2, x->msg, &x->sig) != MPAVS_BLS_OK || !ok) abort();
}
static void b_sign(void *c, int n) {
    ctx_t *x = c;
    for (int i = 0; i < n; i++)
        if (mpavs_bls_sign(&x->sig, x->sk, x->msg) != MPAVS_BLS_OK) abort();
}
static void b_g2_decode(void *c, int n) {
    ctx_t *x = c;
    mpavs_bn254_g2 q;
    for (int i = 0; i < n; i++)
        if (mpavs_bn254_g2_decode(&q, x->enc2) != MPAVS_BN254_OK) abort();
}

#define NBATCH 1000
#define NMULTI 100
typedef struct {
    mpavs_bn254_g2 pk2[NBATCH];
    mpavs_bn254_g1 sig[NBATCH], sigm[NMULTI];
    uint8_t msg[32], msgs[NMULTI][32];
} batch_t;

static void b_agg(void *c, int n) {
    batch_t *b = c;
    mpavs_bn254_g2 a;
    for (int i = 0; i < n; i++) mpavs_bls_aggregate_g2(&a, b->pk2, NBATCH);
    sink += a.x.c0.l[0];
}
static void b_batch_same(void *c, int n) {
    batch_t *b = c;
    bool ok = false;
    for (int i = 0; i < n; i++)
        if (mpavs_bls_batch_verify_same_msg(&ok, b->msg, b->pk2, b->sig, NBATCH) != MPAVS_BLS_OK || !ok) abort();
}
static void b_batch_multi(void *c, int n) {
    batch_t *b = c;
    bool ok = false;
    for (int i = 0; i < n; i++)
        if (mpavs_bls_batch_verify(&ok, (const uint8_t(*)[32])b->msgs, b->pk2, b->sigm, NMULTI) != MPAVS_BLS_OK ||
            !ok)
            abort();
}

int main(void) {
    static ctx_t x;
    static batch_t b;
    if (mpavs_bls_keygen(x.sk) != MPAVS_BLS_OK) return 1;
    memcpy(x.k, x.sk, 32);
    memset(x.msg, 0x42, 32);
    mpavs_bn254_g1_generator(&x.g1);
    mpavs_bn254_g2_generator(&x.g2);
    if (mpavs_bls_pubkey_g2(&x.pk2, x.sk) || mpavs_bls_pubkey_g1(&x.pk1, x.sk) ||
        mpavs_bls_sign(&x.sig, x.sk, x.msg))
        return 1;
    mpavs_bn254_g2_encode(x.enc2, &x.pk2);

    printf("bench_bn254 (median of %d runs, thread CPU time)\n", RUNS);
    double fm = run(b_fp_mul, &x, 1000000);
    report("Fp mul", fm);
    report("Fp2 mul", run(b_fp2_mul, &x, 300000));
    double fi = run(b_fp_inv, &x, 2000);
    report("Fp inverse (safegcd, constant time)", fi);
    double fiv = run(b_fp_inv_var, &x, 2000);
    report("Fp inverse_var (safegcd, public data)", fiv);
    double g1m = run(b_g1_mul, &x, 200);
    report("G1 mul (constant time, GLV)", g1m);
    report("G1 mul_var (GLV, 4-bit windows)", run(b_g1_mul_var, &x, 200));
    double g2m = run(b_g2_mul, &x, 60);
    report("G2 mul (constant time, 4-dim GLS)", g2m);
    report("G2 mul_var (4-dim GLS, wNAF5)", run(b_g2_mul_var, &x, 60));
    report("G2 decode (incl. psi subgroup check)", run(b_g2_decode, &x, 60));
    report("hashToG1", run(b_hash, &x, 500));
    report("BLS sign", run(b_sign, &x, 200));
    report("Miller loop (any Q)", run(b_miller, &x, 100));
    report("final exponentiation", run(b_finalexp, &x, 100));
    double pr = run(b_pairing, &x, 100);
    report("pairing e(P, Q), any Q", pr);
    report("pairing e(P, G2) (precomputed G2 lines)", run(b_pairing_gen, &x, 100));
    double vr = run(b_verify, &x, 100);
    report("BLS verify (hashToG1 + 2-pairing product)", vr);

    memset(b.msg, 0x42, 32);
    for (int i = 0; i < NBATCH; i++) {
        uint8_t sk[32];
        if (mpavs_bls_keygen(sk) || mpavs_bls_pubkey_g2(&b.pk2[i], sk) || mpavs_bls_sign(&b.sig[i], sk, b.msg))
            return 1;
        if (i < NMULTI) {
            memset(b.msgs[i], i, 32);
            if (mpavs_bls_sign(&b.sigm[i], sk, b.msgs[i])) return 1;
        }
    }
    report("aggregate 1000 G2 keys", run(b_agg, &b, 3));
    double bs = run(b_batch_same, &b, 2);
    report("batch verify 1000 sigs, same message", bs);
    printf("%-44s %10.2f us/sig = %.0f sigs/s\n", "  per signature", bs / NBATCH / 1e3, 1e9 * NBATCH / bs);
    double bm = run(b_batch_multi, &b, 2);
    report("batch verify 100 sigs, different messages", bm);
    printf("%-44s %10.2f us/sig = %.0f sigs/s\n", "  per signature", bm / NMULTI / 1e3, 1e9 * NMULTI / bm);
    printf("in Fp-mul units (load independent): pairing %.0f, verify %.0f\n", pr / fm, vr / fm);
    printf("targets (issue 14; ratio = measured / target, <= 1 meets it):\n");
    const target_t targets[] = {
        {"pairing e(P, Q)", pr, 300e3}, {"BLS verify", vr, 400e3}, {"G1 mul (constant time)", g1m, 40e3},
        {"G2 mul (constant time)", g2m, 70e3}, {"Fp inverse (constant time)", fi, 1e3},
        {"Fp inverse_var (public data)", fiv, 1e3},
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) report_target(&targets[i]);
    printf("  %-42s %9.0f sigs/s  target >= 50000  ratio %.2f\n", "batch verify, same message", 1e9 * NBATCH / bs,
           50000.0 / (1e9 * NBATCH / bs));
    printf("field arithmetic: %s\n", MPAVS_BN254_ADX ? "x86-64 MULX/ADCX/ADOX assembly" : "portable C");
    return 0;
}
