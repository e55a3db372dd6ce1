/*
 * Per-task BLS aggregation with stake thresholds as checkSignatures/confirmState judge them.
 * Adding a signature only records it and adds stakes (no curve arithmetic under the caller's
 * lock); the aggregate signature and G2 key are summed in projective coordinates when an
 * outcome is built.
 */
#include "mpavs/aggregate.h"
#include "mpavs/bls.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t digest[32];
    mpavs_u256 signed_stake[MPAVS_AGG_MAX_QUORUMS];
    size_t signers;
} digest_state;

struct mpavs_agg {
    size_t nq, n;
    uint8_t quorums[MPAVS_AGG_MAX_QUORUMS], thresholds[MPAVS_AGG_MAX_QUORUMS];
    mpavs_u256 total[MPAVS_AGG_MAX_QUORUMS];
    mpavs_bn254_g1 apk[MPAVS_AGG_MAX_QUORUMS];
    mpavs_agg_operator *ops; /* sorted by operator id */
    long *signed_digest;     /* per operator: index into digests, or -1 */
    mpavs_bn254_g1 *sigs;    /* per operator: its signature, when signed_digest >= 0 */
    digest_state *digests;
    size_t ndigests, cap;
};

const char *mpavs_agg_strerror(int r) {
    switch (r) {
    case MPAVS_AGG_OK: return "ok";
    case MPAVS_AGG_ERR_ARG: return "inconsistent task description";
    case MPAVS_AGG_ERR_UNKNOWN_OPERATOR: return "operator not in the task's quorums at the reference block";
    case MPAVS_AGG_ERR_CONFLICT: return "operator already signed a different digest for this task";
    case MPAVS_AGG_ERR_UNKNOWN_DIGEST: return "no signature for this digest";
    case MPAVS_AGG_ERR_THRESHOLD: return "stake threshold not met";
    case MPAVS_AGG_ERR_NOMEM: return "out of memory";
    default: return "unknown aggregation error";
    }
}

static int cmp_op(const void *a, const void *b) {
    return memcmp(((const mpavs_agg_operator *)a)->operator_id, ((const mpavs_agg_operator *)b)->operator_id, 32);
}

static void g1_infinity(mpavs_bn254_g1 *p) {
    memset(p, 0, sizeof *p);
    p->infinity = 1;
}

int mpavs_agg_create(mpavs_agg **out, const uint8_t *quorum_numbers, const uint8_t *thresholds, size_t nq,
                     const mpavs_agg_operator *ops, size_t n) {
    *out = NULL;
    if (nq == 0 || nq > MPAVS_AGG_MAX_QUORUMS) return MPAVS_AGG_ERR_ARG;
    for (size_t i = 0; i < nq; i++) {
        if (thresholds[i] == 0 || thresholds[i] > 100) return MPAVS_AGG_ERR_ARG;
        for (size_t j = 0; j < i; j++)
            if (quorum_numbers[j] == quorum_numbers[i]) return MPAVS_AGG_ERR_ARG;
    }
    mpavs_agg *a = calloc(1, sizeof *a);
    if (!a) return MPAVS_AGG_ERR_NOMEM;
    a->nq = nq;
    a->n = n;
    memcpy(a->quorums, quorum_numbers, nq);
    memcpy(a->thresholds, thresholds, nq);
    a->ops = malloc((n ? n : 1) * sizeof *a->ops);
    a->signed_digest = malloc((n ? n : 1) * sizeof *a->signed_digest);
    a->sigs = malloc((n ? n : 1) * sizeof *a->sigs);
    if (!a->ops || !a->signed_digest || !a->sigs) {
        mpavs_agg_destroy(a);
        return MPAVS_AGG_ERR_NOMEM;
    }
    if (n) memcpy(a->ops, ops, n * sizeof *ops);
    qsort(a->ops, n, sizeof *a->ops, cmp_op);
    uint64_t valid_mask = nq == 64 ? ~0ULL : (1ULL << nq) - 1;
    for (size_t q = 0; q < nq; q++) g1_infinity(&a->apk[q]);
    for (size_t i = 0; i < n; i++) {
        a->signed_digest[i] = -1;
        const mpavs_agg_operator *o = &a->ops[i];
        if ((i && cmp_op(&a->ops[i - 1], o) == 0) || !(o->quorum_mask & valid_mask) || (o->quorum_mask & ~valid_mask)) {
            mpavs_agg_destroy(a);
            return MPAVS_AGG_ERR_ARG;
        }
        for (size_t q = 0; q < nq; q++) {
            if (!(o->quorum_mask >> q & 1)) continue;
            mpavs_u256_add(&a->total[q], &a->total[q], &o->stake[q]);
            mpavs_bn254_g1_add(&a->apk[q], &a->apk[q], &o->pk_g1);
        }
    }
    *out = a;
    return MPAVS_AGG_OK;
}

void mpavs_agg_destroy(mpavs_agg *a) {
    if (!a) return;
    free(a->ops);
    free(a->signed_digest);
    free(a->sigs);
    free(a->digests);
    free(a);
}

static long index_of(const mpavs_agg *a, const uint8_t id[32]) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(a->ops[mid].operator_id, id, 32);
        if (c == 0) return (long)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

int mpavs_agg_find(const mpavs_agg *a, const mpavs_agg_operator **op, const uint8_t operator_id[32]) {
    long i = index_of(a, operator_id);
    if (i < 0) return MPAVS_AGG_ERR_UNKNOWN_OPERATOR;
    *op = &a->ops[i];
    return MPAVS_AGG_OK;
}

int mpavs_agg_signed(const mpavs_agg *a, bool *counted, uint8_t digest[32], const uint8_t operator_id[32]) {
    MPAVS_REQUIRE(a && counted && digest && operator_id);
    *counted = false;
    long i = index_of(a, operator_id);
    if (i < 0) return MPAVS_AGG_ERR_UNKNOWN_OPERATOR;
    long di = a->signed_digest[i];
    if (di >= 0) {
        *counted = true;
        memcpy(digest, a->digests[di].digest, 32);
    }
    return MPAVS_AGG_OK;
}

static long digest_index(const mpavs_agg *a, const uint8_t digest[32]) {
    for (size_t i = 0; i < a->ndigests; i++)
        if (!memcmp(a->digests[i].digest, digest, 32)) return (long)i;
    return -1;
}

int mpavs_agg_add(mpavs_agg *a, bool *added, const uint8_t digest[32], const uint8_t operator_id[32],
                  const mpavs_bn254_g1 *sig) {
    *added = false;
    long oi = index_of(a, operator_id);
    if (oi < 0) return MPAVS_AGG_ERR_UNKNOWN_OPERATOR;
    long di = digest_index(a, digest);
    if (a->signed_digest[oi] >= 0) return a->signed_digest[oi] == di ? MPAVS_AGG_OK : MPAVS_AGG_ERR_CONFLICT;
    if (di < 0) {
        if (a->ndigests == a->cap) {
            size_t nc = a->cap ? 2 * a->cap : 2;
            digest_state *nd = realloc(a->digests, nc * sizeof *nd);
            if (!nd) return MPAVS_AGG_ERR_NOMEM;
            a->digests = nd;
            a->cap = nc;
        }
        digest_state *d = &a->digests[a->ndigests];
        memset(d, 0, sizeof *d);
        memcpy(d->digest, digest, 32);
        di = (long)a->ndigests++;
    }
    digest_state *d = &a->digests[di];
    const mpavs_agg_operator *o = &a->ops[oi];
    for (size_t q = 0; q < a->nq; q++)
        if (o->quorum_mask >> q & 1) mpavs_u256_add(&d->signed_stake[q], &d->signed_stake[q], &o->stake[q]);
    d->signers++;
    a->signed_digest[oi] = di;
    a->sigs[oi] = *sig;
    *added = true;
    return MPAVS_AGG_OK;
}

/* signed * 100 >= total * pct, and signed > 0 */
static bool quorum_met(const mpavs_u256 *signed_stake, const mpavs_u256 *total, uint8_t pct) {
    if (mpavs_u256_is_zero(signed_stake)) return false;
    mpavs_u256 hundred = mpavs_u256_from_u64(100), p = mpavs_u256_from_u64(pct), l, r;
    mpavs_u256_mul(&l, signed_stake, &hundred);
    mpavs_u256_mul(&r, total, &p);
    return mpavs_u256_cmp(&l, &r) >= 0;
}

static bool digest_met(const mpavs_agg *a, const digest_state *d) {
    for (size_t q = 0; q < a->nq; q++)
        if (!quorum_met(&d->signed_stake[q], &a->total[q], a->thresholds[q])) return false;
    return true;
}

int mpavs_agg_status(const mpavs_agg *a, bool *met, size_t *signers, mpavs_u256 *signed_stake, mpavs_u256 *total_stake,
                     const uint8_t digest[32]) {
    long di = digest_index(a, digest);
    if (di < 0) return MPAVS_AGG_ERR_UNKNOWN_DIGEST;
    const digest_state *d = &a->digests[di];
    if (signed_stake) memcpy(signed_stake, d->signed_stake, a->nq * sizeof *signed_stake);
    if (total_stake) memcpy(total_stake, a->total, a->nq * sizeof *total_stake);
    if (signers) *signers = d->signers;
    if (met) *met = digest_met(a, d);
    return MPAVS_AGG_OK;
}

void mpavs_agg_outcome_clear(mpavs_agg_outcome *o) {
    free(o->non_signer_ids);
    free(o->non_signer_pks);
    memset(o, 0, sizeof *o);
}

int mpavs_agg_outcome_build(const mpavs_agg *a, mpavs_agg_outcome *o, const uint8_t digest[32]) {
    memset(o, 0, sizeof *o);
    long di = digest_index(a, digest);
    if (di < 0) return MPAVS_AGG_ERR_UNKNOWN_DIGEST;
    const digest_state *d = &a->digests[di];
    if (!digest_met(a, d)) return MPAVS_AGG_ERR_THRESHOLD;
    size_t nn = a->n - d->signers;
    o->non_signer_ids = malloc((nn ? nn : 1) * 32);
    o->non_signer_pks = malloc((nn ? nn : 1) * sizeof *o->non_signer_pks);
    if (!o->non_signer_ids || !o->non_signer_pks) {
        mpavs_agg_outcome_clear(o);
        return MPAVS_AGG_ERR_NOMEM;
    }
    /* the signers' signatures and G2 keys, each once per task quorum it is in (like the G1 apk that
     * checkSignatures builds from quorum apks) */
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->signed_digest[i] == di) m += (size_t)__builtin_popcountll(a->ops[i].quorum_mask);
    mpavs_bn254_g1 *s1 = malloc((m ? m : 1) * sizeof *s1);
    mpavs_bn254_g2 *s2 = malloc((m ? m : 1) * sizeof *s2);
    if (!s1 || !s2) {
        free(s1);
        free(s2);
        mpavs_agg_outcome_clear(o);
        return MPAVS_AGG_ERR_NOMEM;
    }
    size_t k = 0;
    /* operators are kept sorted by id, i.e. ascending as 256-bit big-endian integers */
    for (size_t i = 0; i < a->n; i++) {
        if (a->signed_digest[i] == di) {
            for (int c = __builtin_popcountll(a->ops[i].quorum_mask); c > 0; c--, k++) {
                s1[k] = a->sigs[i];
                s2[k] = a->ops[i].pk_g2;
            }
            continue;
        }
        memcpy(o->non_signer_ids[o->n_non_signers], a->ops[i].operator_id, 32);
        o->non_signer_pks[o->n_non_signers++] = a->ops[i].pk_g1;
    }
    mpavs_bls_aggregate_g1(&o->sigma, s1, k);
    mpavs_bls_aggregate_g2(&o->apk_g2, s2, k);
    free(s1);
    free(s2);
    o->nquorums = a->nq;
    memcpy(o->quorum_apks, a->apk, a->nq * sizeof a->apk[0]);
    return MPAVS_AGG_OK;
}

/* Is a/b > c/d?  (stakes are uint96, so the products fit in 256 bits) */
static bool frac_gt(const mpavs_u256 *a, const mpavs_u256 *b, const mpavs_u256 *c, const mpavs_u256 *d) {
    mpavs_u256 l, r;
    mpavs_u256_mul(&l, a, d);
    mpavs_u256_mul(&r, c, b);
    return mpavs_u256_cmp(&l, &r) > 0;
}

int mpavs_agg_leading_digest(const mpavs_agg *a, uint8_t digest[32]) {
    if (a->ndigests == 0) return MPAVS_AGG_ERR_UNKNOWN_DIGEST;
    size_t best = 0;
    mpavs_u256 best_num = {{0}}, best_den = {{1}};
    for (size_t i = 0; i < a->ndigests; i++) {
        /* the digest's weakest quorum */
        size_t wq = 0;
        for (size_t q = 1; q < a->nq; q++)
            if (frac_gt(&a->digests[i].signed_stake[wq], &a->total[wq], &a->digests[i].signed_stake[q], &a->total[q])) wq = q;
        const mpavs_u256 *num = &a->digests[i].signed_stake[wq], *den = &a->total[wq];
        if (i == 0 || frac_gt(num, den, &best_num, &best_den)) {
            best = i;
            best_num = *num;
            best_den = *den;
        }
    }
    memcpy(digest, a->digests[best].digest, 32);
    return MPAVS_AGG_OK;
}
