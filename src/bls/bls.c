/*
 * src/bls/bls.c — EigenLayer BLS on BN254: keys, hashToG1, signing, verification,
 * aggregation, the on-chain gamma checks and batch verification.
 */
#include <stdlib.h>
#include <string.h>

#include "bn254/internal.h"
#include "mpavs/bls.h"
#include "mpavs/keccak.h"
#include "util/ct.h"

const char *mpavs_bls_strerror(int r) {
    switch (r) {
    case MPAVS_BLS_OK: return "ok";
    case MPAVS_BLS_ERR_SECRET_KEY: return "secret key must be in [1, r)";
    case MPAVS_BLS_ERR_RANDOM: return "OS randomness unavailable";
    case MPAVS_BLS_ERR_INFINITY: return "public key or signature is the point at infinity";
    case MPAVS_BLS_ERR_NOMEM: return "out of memory";
    default: return "unknown bls error";
    }
}

/* All ones if sk is in [1, r), else 0; constant time. */
static uint64_t sk_valid_mask(const uint8_t sk[32]) {
    uint64_t acc = 0;
    for (int i = 0; i < 32; i++) acc |= sk[i];
    uint64_t below = (uint64_t)mpavs_bn254_scalar_is_valid(sk);
    return ct_mask_nonzero(acc) & ct_mask_from_bit(below);
}

/* k = valid ? sk : 1, constant time (so invalid keys cost the same work). */
static void sk_select(uint8_t k[32], const uint8_t sk[32], uint64_t mask) {
    uint8_t m = (uint8_t)ct_launder(mask);
    for (int i = 0; i < 32; i++) k[i] = (uint8_t)((sk[i] & m) | ((i == 31) & ~m));
}

static void g1_mask_invalid(mpavs_bn254_g1 *p, uint64_t mask) {
    mask = ct_launder(mask);
    for (int i = 0; i < 4; i++) {
        p->x.l[i] &= mask;
        p->y.l[i] &= mask;
    }
    p->infinity = (uint8_t)((p->infinity & mask) | (~mask & 1));
}

static void g2_mask_invalid(mpavs_bn254_g2 *p, uint64_t mask) {
    mask = ct_launder(mask);
    for (int i = 0; i < 4; i++) {
        p->x.c0.l[i] &= mask;
        p->x.c1.l[i] &= mask;
        p->y.c0.l[i] &= mask;
        p->y.c1.l[i] &= mask;
    }
    p->infinity = (uint8_t)((p->infinity & mask) | (~mask & 1));
}

static int sk_result(uint64_t mask) { return (int)((uint64_t)MPAVS_BLS_ERR_SECRET_KEY & ~ct_launder(mask)); }

int mpavs_bls_sk_check(const uint8_t sk[32]) {
    MPAVS_REQUIRE(sk);
    return sk_result(sk_valid_mask(sk));
}

int mpavs_bls_keygen(uint8_t sk[32]) {
    MPAVS_REQUIRE(sk);
    for (int tries = 0; tries < 256; tries++) {
        if (mpavs_random_bytes(sk, 32) != 0) break;
        sk[0] &= 0x3f; /* < 2^254: accepted with probability r / 2^254 > 3/4 */
        if (mpavs_bls_sk_check(sk) == MPAVS_BLS_OK) return MPAVS_BLS_OK;
    }
    mpavs_wipe(sk, 32);
    return MPAVS_BLS_ERR_RANDOM;
}

int mpavs_bls_pubkey_g1(mpavs_bn254_g1 *pk, const uint8_t sk[32]) {
    MPAVS_REQUIRE(pk && sk);
    mpavs_bn254_g1 g;
    uint8_t k[32];
    uint64_t mask = sk_valid_mask(sk);
    sk_select(k, sk, mask);
    mpavs_bn254_g1_generator(&g);
    mpavs_bn254_g1_mul(pk, &g, k);
    g1_mask_invalid(pk, mask);
    mpavs_wipe(k, sizeof k);
    return sk_result(mask);
}

int mpavs_bls_pubkey_g2(mpavs_bn254_g2 *pk, const uint8_t sk[32]) {
    MPAVS_REQUIRE(pk && sk);
    mpavs_bn254_g2 g;
    uint8_t k[32];
    uint64_t mask = sk_valid_mask(sk);
    sk_select(k, sk, mask);
    mpavs_bn254_g2_generator(&g);
    mpavs_bn254_g2_mul(pk, &g, k);
    g2_mask_invalid(pk, mask);
    mpavs_wipe(k, sizeof k);
    return sk_result(mask);
}

void mpavs_bls_operator_id(uint8_t id[32], const mpavs_bn254_g1 *pk) {
    MPAVS_REQUIRE(id && pk);
    uint8_t enc[64];
    mpavs_bn254_g1_encode(enc, pk);
    mpavs_keccak256(id, enc, 64);
}

void mpavs_bls_hash_to_g1(mpavs_bn254_g1 *out, const uint8_t msg[32]) {
    MPAVS_REQUIRE(out && msg);
    static const uint64_t SQRT_EXP[4] = BN_SQRT_EXP;
    uint64_t k[4], s[4];
    bn_scalar_from_be(k, msg);
    while (!bn_sub4(s, k, FP_P.l)) memcpy(k, s, sizeof k); /* x = msg mod p */
    fp x, beta, y, t, three;
    fp plain = {{k[0], k[1], k[2], k[3]}};
    fp_to_mont(&x, &plain);
    fp_set_u64(&three, 3);
    for (;;) {
        fp_sqr(&beta, &x);
        fp_mul(&beta, &beta, &x);
        fp_add(&beta, &beta, &three);
        fp_pow(&y, &beta, SQRT_EXP);
        fp_sqr(&t, &y);
        if (fp_eq(&t, &beta)) break;
        fp_add(&x, &x, &FP_ONE);
    }
    memset(out, 0, sizeof *out);
    out->x = x;
    out->y = y;
}

int mpavs_bls_sign_hashed(mpavs_bn254_g1 *sig, const uint8_t sk[32], const mpavs_bn254_g1 *h) {
    MPAVS_REQUIRE(sig && sk && h);
    uint8_t k[32];
    uint64_t mask = sk_valid_mask(sk);
    sk_select(k, sk, mask);
    mpavs_bn254_g1_mul(sig, h, k);
    g1_mask_invalid(sig, mask);
    mpavs_wipe(k, sizeof k);
    return sk_result(mask);
}

int mpavs_bls_sign(mpavs_bn254_g1 *sig, const uint8_t sk[32], const uint8_t msg[32]) {
    MPAVS_REQUIRE(sig && sk && msg);
    mpavs_bn254_g1 h;
    mpavs_bls_hash_to_g1(&h, msg);
    return mpavs_bls_sign_hashed(sig, sk, &h);
}

int mpavs_bls_verify_hashed(bool *ok, const mpavs_bn254_g2 *pk, const mpavs_bn254_g1 *h,
                            const mpavs_bn254_g1 *sig) {
    MPAVS_REQUIRE(ok && pk && h && sig);
    *ok = false;
    if (pk->infinity || sig->infinity) return MPAVS_BLS_ERR_INFINITY;
    mpavs_bn254_g1 ps[2];
    mpavs_bn254_g2 qs[2];
    ps[0] = *h;
    qs[0] = *pk;
    mpavs_bn254_g1_neg(&ps[1], sig);
    mpavs_bn254_g2_generator(&qs[1]);
    return mpavs_bn254_pairing_check(ok, ps, qs, 2) == MPAVS_BN254_OK ? MPAVS_BLS_OK : MPAVS_BLS_ERR_INFINITY;
}

int mpavs_bls_verify(bool *ok, const mpavs_bn254_g2 *pk, const uint8_t msg[32], const mpavs_bn254_g1 *sig) {
    MPAVS_REQUIRE(ok && pk && msg && sig);
    mpavs_bn254_g1 h;
    mpavs_bls_hash_to_g1(&h, msg);
    return mpavs_bls_verify_hashed(ok, pk, &h, sig);
}

void mpavs_bls_aggregate_g1(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *pts, size_t n) {
    MPAVS_REQUIRE(out && (pts || n == 0));
    g1p acc;
    bn_g1_sum_var(&acc, pts, n);
    bn_g1_to_affine_var(out, &acc);
}

void mpavs_bls_aggregate_g2(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *pts, size_t n) {
    MPAVS_REQUIRE(out && (pts || n == 0));
    g2p acc;
    bn_g2_sum_var(&acc, pts, n);
    bn_g2_to_affine_var(out, &acc);
}

void mpavs_bls_apk_gamma(uint8_t gamma[32], const uint8_t msg[32], const mpavs_bn254_g1 *apk,
                         const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma) {
    MPAVS_REQUIRE(gamma && msg && apk && apk_g2 && sigma);
    uint8_t pre[9 * 32];
    memcpy(pre, msg, 32);
    mpavs_bn254_g1_encode(pre + 32, apk);
    mpavs_bn254_g2_encode(pre + 96, apk_g2);
    mpavs_bn254_g1_encode(pre + 224, sigma);
    mpavs_keccak256(gamma, pre, sizeof pre);
    mpavs_bn254_scalar_reduce(gamma, gamma);
}

/* *valid = e(a + gamma*b, -G2) * e(h + gamma*G1, q) == 1 */
static void gamma_check(bool *valid, const uint8_t gamma[32], const mpavs_bn254_g1 *a, const mpavs_bn254_g1 *b,
                        const mpavs_bn254_g1 *h, const mpavs_bn254_g2 *q) {
    mpavs_bn254_g1 ps[2], t, g1;
    mpavs_bn254_g2 qs[2];
    mpavs_bn254_g1_generator(&g1);
    mpavs_bn254_g1_mul_var(&t, b, gamma);
    mpavs_bn254_g1_add(&ps[0], a, &t);
    mpavs_bn254_g2_generator(&qs[0]);
    mpavs_bn254_g2_neg(&qs[0], &qs[0]);
    mpavs_bn254_g1_mul_var(&t, &g1, gamma);
    mpavs_bn254_g1_add(&ps[1], h, &t);
    qs[1] = *q;
    (void)mpavs_bn254_pairing_check(valid, ps, qs, 2);
}

int mpavs_bls_try_signature_and_apk_verification(bool *pairing_ok, bool *valid, const uint8_t msg[32],
                                                 const mpavs_bn254_g1 *apk, const mpavs_bn254_g2 *apk_g2,
                                                 const mpavs_bn254_g1 *sigma) {
    MPAVS_REQUIRE(pairing_ok && valid && msg && apk && apk_g2 && sigma);
    uint8_t gamma[32];
    mpavs_bn254_g1 h;
    mpavs_bls_apk_gamma(gamma, msg, apk, apk_g2, sigma);
    mpavs_bls_hash_to_g1(&h, msg);
    gamma_check(valid, gamma, sigma, apk, &h, apk_g2);
    *pairing_ok = true;
    return MPAVS_BLS_OK;
}

static void keccak_str(uint8_t out[32], const char *s) { mpavs_keccak256(out, s, strlen(s)); }

void mpavs_bls_registration_message(mpavs_bn254_g1 *out, uint64_t chain_id, const uint8_t coordinator[20],
                                    const uint8_t operator_addr[20]) {
    MPAVS_REQUIRE(out && coordinator && operator_addr);
    uint8_t dom[5 * 32], st[64], dig[66];
    memset(dom, 0, sizeof dom);
    keccak_str(dom, "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    keccak_str(dom + 32, "AVSRegistryCoordinator");
    keccak_str(dom + 64, "v0.0.1");
    for (int i = 0; i < 8; i++) dom[127 - i] = (uint8_t)(chain_id >> (8 * i));
    memcpy(dom + 140, coordinator, 20);
    memset(st, 0, sizeof st);
    keccak_str(st, "BN254PubkeyRegistration(address operator)");
    memcpy(st + 44, operator_addr, 20);
    dig[0] = 0x19;
    dig[1] = 0x01;
    mpavs_keccak256(dig + 2, dom, sizeof dom);
    mpavs_keccak256(dig + 34, st, sizeof st);
    uint8_t h[32];
    mpavs_keccak256(h, dig, sizeof dig);
    mpavs_bls_hash_to_g1(out, h);
}

void mpavs_bls_pop_gamma(uint8_t gamma[32], const mpavs_bn254_g1 *sig, const mpavs_bn254_g1 *pk_g1,
                         const mpavs_bn254_g2 *pk_g2, const mpavs_bn254_g1 *h) {
    MPAVS_REQUIRE(gamma && sig && pk_g1 && pk_g2 && h);
    uint8_t pre[10 * 32];
    mpavs_bn254_g1_encode(pre, sig);
    mpavs_bn254_g1_encode(pre + 64, pk_g1);
    mpavs_bn254_g2_encode(pre + 128, pk_g2);
    mpavs_bn254_g1_encode(pre + 256, h);
    mpavs_keccak256(gamma, pre, sizeof pre);
    mpavs_bn254_scalar_reduce(gamma, gamma);
}

int mpavs_bls_pop_verify(bool *ok, const mpavs_bn254_g1 *sig, const mpavs_bn254_g1 *pk_g1,
                         const mpavs_bn254_g2 *pk_g2, const mpavs_bn254_g1 *h) {
    MPAVS_REQUIRE(ok && sig && pk_g1 && pk_g2 && h);
    uint8_t gamma[32];
    *ok = false;
    if (pk_g1->infinity) return MPAVS_BLS_OK;
    mpavs_bls_pop_gamma(gamma, sig, pk_g1, pk_g2, h);
    gamma_check(ok, gamma, sig, pk_g1, h, pk_g2);
    return MPAVS_BLS_OK;
}

/* ---- batch verification ---- */

/*
 * Check the signatures idx[0..m) (indexes into pks/sigs/msgs) with fresh random 64-bit
 * coefficients. msgs == NULL: all on msg (2 pairings); otherwise m+1 Miller loops.
 */
static int batch_core(bool *ok, const uint8_t msg[32], const uint8_t (*msgs)[32], const mpavs_bn254_g2 *pks,
                      const mpavs_bn254_g1 *sigs, const size_t *idx, size_t m) {
    *ok = false;
    if (m == 0) {
        *ok = true;
        return MPAVS_BLS_OK;
    }
    for (size_t i = 0; i < m; i++) {
        size_t j = idx ? idx[i] : i;
        if (pks[j].infinity || sigs[j].infinity) return MPAVS_BLS_ERR_INFINITY;
    }
    int rc = MPAVS_BLS_ERR_NOMEM;
    uint64_t *k = calloc(4 * m, sizeof *k);
    mpavs_bn254_g1 *ps = malloc((m + 1) * sizeof *ps);
    mpavs_bn254_g2 *qs = malloc((m + 1) * sizeof *qs);
    if (!k || !ps || !qs) goto out;
    uint64_t *rnd = (uint64_t *)(void *)qs; /* scratch for the random words (8m <= its size) */
    if (mpavs_random_bytes(rnd, 8 * m) != 0) {
        rc = MPAVS_BLS_ERR_RANDOM;
        goto out;
    }
    for (size_t i = 0; i < m; i++) k[4 * i] = rnd[i] ? rnd[i] : 1;
    for (size_t i = 0; i < m; i++) {
        size_t j = idx ? idx[i] : i;
        ps[i] = sigs[j];
        qs[i] = pks[j];
    }
    mpavs_bn254_g1 s;
    mpavs_bn254_g1_msm_var(&s, ps, k, m, 64);
    if (!msgs) {
        mpavs_bn254_g1 pp[2];
        mpavs_bn254_g2 qq[2];
        mpavs_bls_hash_to_g1(&pp[0], msg);
        mpavs_bn254_g2_msm_var(&qq[0], qs, k, m, 64);
        mpavs_bn254_g1_neg(&pp[1], &s);
        mpavs_bn254_g2_generator(&qq[1]);
        (void)mpavs_bn254_pairing_check(ok, pp, qq, 2);
    } else {
        for (size_t i = 0; i < m; i++) {
            size_t j = idx ? idx[i] : i;
            mpavs_bn254_g1 h;
            g1p t;
            mpavs_bls_hash_to_g1(&h, msgs[j]);
            bn_g1_from_affine(&t, &h);
            bn_g1_mul_var(&t, &t, &k[4 * i]);
            bn_g1_to_affine_var(&ps[i], &t);
        }
        mpavs_bn254_g1_neg(&ps[m], &s);
        mpavs_bn254_g2_generator(&qs[m]);
        (void)mpavs_bn254_pairing_check(ok, ps, qs, m + 1);
    }
    rc = MPAVS_BLS_OK;
out:
    free(k);
    free(ps);
    free(qs);
    return rc;
}

int mpavs_bls_batch_verify_same_msg(bool *ok, const uint8_t msg[32], const mpavs_bn254_g2 *pks,
                                    const mpavs_bn254_g1 *sigs, size_t n) {
    MPAVS_REQUIRE(ok && msg && ((pks && sigs) || n == 0));
    return batch_core(ok, msg, NULL, pks, sigs, NULL, n);
}

int mpavs_bls_batch_verify(bool *ok, const uint8_t (*msgs)[32], const mpavs_bn254_g2 *pks,
                           const mpavs_bn254_g1 *sigs, size_t n) {
    MPAVS_REQUIRE(ok && ((msgs && pks && sigs) || n == 0));
    if (n == 0) {
        *ok = true;
        return MPAVS_BLS_OK;
    }
    return batch_core(ok, NULL, msgs, pks, sigs, NULL, n);
}

/* Bisection over idx[0..m): appends the invalid indexes to bad. */
static int bisect(size_t *bad, size_t *nbad, const uint8_t msg[32], const uint8_t (*msgs)[32],
                  const mpavs_bn254_g2 *pks, const mpavs_bn254_g1 *sigs, const size_t *idx, size_t m) {
    if (m == 0) return MPAVS_BLS_OK;
    bool ok;
    int rc;
    if (m == 1) {
        rc = mpavs_bls_verify(&ok, &pks[idx[0]], msgs ? msgs[idx[0]] : msg, &sigs[idx[0]]);
        if (rc != MPAVS_BLS_OK) return rc;
        if (!ok) bad[(*nbad)++] = idx[0];
        return MPAVS_BLS_OK;
    }
    if ((rc = batch_core(&ok, msg, msgs, pks, sigs, idx, m)) != MPAVS_BLS_OK) return rc;
    if (ok) return MPAVS_BLS_OK;
    size_t h = m / 2;
    if ((rc = bisect(bad, nbad, msg, msgs, pks, sigs, idx, h)) != MPAVS_BLS_OK) return rc;
    return bisect(bad, nbad, msg, msgs, pks, sigs, idx + h, m - h);
}

int mpavs_bls_batch_find_invalid(size_t *bad, size_t *nbad, const uint8_t msg[32], const uint8_t (*msgs)[32],
                                 const mpavs_bn254_g2 *pks, const mpavs_bn254_g1 *sigs, size_t n) {
    MPAVS_REQUIRE(nbad && (msg || msgs || n == 0) && ((bad && pks && sigs) || n == 0));
    *nbad = 0;
    if (n == 0) return MPAVS_BLS_OK;
    size_t *idx = malloc(n * sizeof *idx), m = 0;
    if (!idx) return MPAVS_BLS_ERR_NOMEM;
    /* infinity keys or signatures are invalid up front; they must not enter a batch */
    size_t ninf = 0;
    for (size_t i = 0; i < n; i++) {
        if (pks[i].infinity || sigs[i].infinity)
            ninf++;
        else
            idx[m++] = i;
    }
    size_t *found = bad + ninf; /* keep room; merged below */
    size_t nfound = 0;
    int rc = bisect(found, &nfound, msg, msgs, pks, sigs, idx, m);
    if (rc == MPAVS_BLS_OK) {
        /* merge the infinity indexes and the bisection results in increasing order */
        size_t *all = idx; /* reuse: idx no longer needed */
        size_t a = 0, f = 0, o = 0;
        for (size_t i = 0; i < n; i++) {
            bool isinf = pks[i].infinity || sigs[i].infinity;
            bool isbad = f < nfound && found[f] == i;
            if (isbad) f++;
            if (isinf || isbad) all[o++] = i;
            a++;
        }
        (void)a;
        memcpy(bad, all, o * sizeof *bad);
        *nbad = o;
    }
    free(idx);
    return rc;
}
