/* Aggregation: thresholds, duplicates, conflicts, non-signer order, and the on-chain BLS check. */
#include "harness.h"
#include "mpavs/aggregate.h"
#include "mpavs/bls.h"

#include <stdlib.h>

#define N 5
static uint8_t sk[N][32];
static mpavs_agg_operator ops[N];
static const uint8_t QUORUMS[2] = {0, 1}, THRESH[2] = {67, 50};
static const uint8_t DIGEST[32] = {0xd1, 0x9e, 0x57}, OTHER[32] = {0x07};

static void setup(void) {
    static const uint64_t s0[N] = {10, 20, 30, 40, 0}, s1[N] = {0, 0, 5, 5, 10};
    for (int i = 0; i < N; i++) {
        if (mpavs_bls_keygen(sk[i]) != 0) abort();
        memset(&ops[i], 0, sizeof ops[i]);
        if (mpavs_bls_pubkey_g1(&ops[i].pk_g1, sk[i]) || mpavs_bls_pubkey_g2(&ops[i].pk_g2, sk[i])) abort();
        mpavs_bls_operator_id(ops[i].operator_id, &ops[i].pk_g1);
        ops[i].stake[0] = mpavs_u256_from_u64(s0[i]);
        ops[i].stake[1] = mpavs_u256_from_u64(s1[i]);
        ops[i].quorum_mask = (s0[i] ? 1u : 0u) | (s1[i] ? 2u : 0u);
    }
}

static int sign_add(mpavs_agg *a, int i, const uint8_t *digest, bool *added) {
    mpavs_bn254_g1 sig;
    if (mpavs_bls_sign(&sig, sk[i], digest)) return -1;
    return mpavs_agg_add(a, added, digest, ops[i].operator_id, &sig);
}

/* The contract's apk: sum of quorum apks minus each non-signer once per task quorum it is in. */
static void onchain_apk(mpavs_bn254_g1 *apk, const mpavs_agg_outcome *o) {
    memset(apk, 0, sizeof *apk);
    apk->infinity = 1;
    for (size_t q = 0; q < o->nquorums; q++) mpavs_bn254_g1_add(apk, apk, &o->quorum_apks[q]);
    for (size_t k = 0; k < o->n_non_signers; k++) {
        const mpavs_agg_operator *op = NULL;
        for (int i = 0; i < N; i++)
            if (!memcmp(ops[i].operator_id, o->non_signer_ids[k], 32)) op = &ops[i];
        if (!op) abort();
        mpavs_bn254_g1 neg;
        mpavs_bn254_g1_neg(&neg, &o->non_signer_pks[k]);
        for (int q = 0; q < 2; q++)
            if (op->quorum_mask >> q & 1) mpavs_bn254_g1_add(apk, apk, &neg);
    }
}

TEST(thresholds_and_onchain_check) {
    mpavs_agg *a;
    REQUIRE(mpavs_agg_create(&a, QUORUMS, THRESH, 2, ops, N) == MPAVS_AGG_OK);
    bool added, met;
    size_t signers;
    mpavs_u256 signed_stake[2], total[2];
    CHECK_EQ_INT(sign_add(a, 1, DIGEST, &added), MPAVS_AGG_OK);
    CHECK_EQ_INT(sign_add(a, 2, DIGEST, &added), MPAVS_AGG_OK);
    CHECK_EQ_INT(sign_add(a, 3, DIGEST, &added), MPAVS_AGG_OK);
    REQUIRE(mpavs_agg_status(a, &met, &signers, signed_stake, total, DIGEST) == MPAVS_AGG_OK);
    /* q0: 90/100 >= 67%; q1: 10/20 >= 50% */
    CHECK(met && signers == 3);
    CHECK_EQ_INT(signed_stake[0].w[0], 90);
    CHECK_EQ_INT(total[0].w[0], 100);
    CHECK_EQ_INT(signed_stake[1].w[0], 10);
    CHECK_EQ_INT(total[1].w[0], 20);
    mpavs_agg_outcome o;
    REQUIRE(mpavs_agg_outcome_build(a, &o, DIGEST) == MPAVS_AGG_OK);
    CHECK_EQ_INT(o.n_non_signers, 2);
    CHECK(memcmp(o.non_signer_ids[0], o.non_signer_ids[1], 32) < 0);
    mpavs_bn254_g1 apk;
    onchain_apk(&apk, &o);
    bool pairing_ok = false, valid = false;
    CHECK_EQ_INT(mpavs_bls_try_signature_and_apk_verification(&pairing_ok, &valid, DIGEST, &apk, &o.apk_g2, &o.sigma), 0);
    CHECK(pairing_ok && valid);
    /* a wrong sigma fails the same check */
    mpavs_bn254_g1 g;
    mpavs_bn254_g1_generator(&g);
    mpavs_bn254_g1_add(&o.sigma, &o.sigma, &g);
    CHECK_EQ_INT(mpavs_bls_try_signature_and_apk_verification(&pairing_ok, &valid, DIGEST, &apk, &o.apk_g2, &o.sigma), 0);
    CHECK(!valid);
    mpavs_agg_outcome_clear(&o);
    mpavs_agg_destroy(a);
}

TEST(below_threshold_and_duplicates) {
    mpavs_agg *a;
    REQUIRE(mpavs_agg_create(&a, QUORUMS, THRESH, 2, ops, N) == MPAVS_AGG_OK);
    bool added, met;
    size_t signers;
    mpavs_u256 s[2];
    /* op 3 (q0: 40, q1: 5) and op 2 (q0: 30, q1: 5): q0 70/100 ok, q1 10/20 ok; but first only op 3 */
    CHECK_EQ_INT(sign_add(a, 3, DIGEST, &added), MPAVS_AGG_OK);
    CHECK(added);
    CHECK_EQ_INT(sign_add(a, 3, DIGEST, &added), MPAVS_AGG_OK);
    CHECK(!added); /* duplicate: ignored */
    REQUIRE(mpavs_agg_status(a, &met, &signers, s, NULL, DIGEST) == MPAVS_AGG_OK);
    CHECK(!met && signers == 1 && s[0].w[0] == 40 && s[1].w[0] == 5);
    mpavs_agg_outcome o;
    CHECK_EQ_INT(mpavs_agg_outcome_build(a, &o, DIGEST), MPAVS_AGG_ERR_THRESHOLD);
    /* op 3 signing another digest is a conflict and changes nothing */
    CHECK_EQ_INT(sign_add(a, 3, OTHER, &added), MPAVS_AGG_ERR_CONFLICT);
    CHECK_EQ_INT(mpavs_agg_status(a, &met, &signers, s, NULL, OTHER), MPAVS_AGG_ERR_UNKNOWN_DIGEST);
    /* a disagreeing operator forms its own digest */
    CHECK_EQ_INT(sign_add(a, 0, OTHER, &added), MPAVS_AGG_OK);
    uint8_t lead[32];
    REQUIRE(mpavs_agg_leading_digest(a, lead) == MPAVS_AGG_OK);
    CHECK_MEMEQ(lead, DIGEST, 32); /* q-min fraction 40/100 beats 0/20 */
    CHECK_EQ_INT(sign_add(a, 2, DIGEST, &added), MPAVS_AGG_OK);
    REQUIRE(mpavs_agg_status(a, &met, &signers, s, NULL, DIGEST) == MPAVS_AGG_OK);
    CHECK(met);
    /* exactly at the threshold: 67 of 100 would pass, 66 not (checked through stake sums) */
    uint8_t unknown[32] = {1};
    mpavs_bn254_g1 g;
    mpavs_bn254_g1_generator(&g);
    CHECK_EQ_INT(mpavs_agg_add(a, &added, DIGEST, unknown, &g), MPAVS_AGG_ERR_UNKNOWN_OPERATOR);
    /* what each operator signed: 3 and 2 DIGEST, 0 OTHER, 1 nothing, an unknown id refused */
    bool counted = true;
    uint8_t got[32];
    CHECK_EQ_INT(mpavs_agg_signed(a, &counted, got, ops[3].operator_id), MPAVS_AGG_OK);
    CHECK(counted);
    CHECK_MEMEQ(got, DIGEST, 32);
    CHECK_EQ_INT(mpavs_agg_signed(a, &counted, got, ops[2].operator_id), MPAVS_AGG_OK);
    CHECK(counted);
    CHECK_MEMEQ(got, DIGEST, 32);
    CHECK_EQ_INT(mpavs_agg_signed(a, &counted, got, ops[0].operator_id), MPAVS_AGG_OK);
    CHECK(counted);
    CHECK_MEMEQ(got, OTHER, 32);
    CHECK_EQ_INT(mpavs_agg_signed(a, &counted, got, ops[1].operator_id), MPAVS_AGG_OK);
    CHECK(!counted);
    CHECK_EQ_INT(mpavs_agg_signed(a, &counted, got, unknown), MPAVS_AGG_ERR_UNKNOWN_OPERATOR);
    CHECK(!counted);
    mpavs_agg_destroy(a);
}

TEST(exact_threshold_boundary) {
    /* one quorum, stakes 67 and 33, threshold 67%: 67*100 >= 100*67 passes; 33 alone fails */
    mpavs_agg_operator two[2];
    memcpy(two, ops, sizeof two);
    two[0].stake[0] = mpavs_u256_from_u64(67);
    two[1].stake[0] = mpavs_u256_from_u64(33);
    two[0].quorum_mask = two[1].quorum_mask = 1;
    uint8_t q = 0, t = 67;
    mpavs_agg *a;
    REQUIRE(mpavs_agg_create(&a, &q, &t, 1, two, 2) == MPAVS_AGG_OK);
    bool added, met;
    CHECK_EQ_INT(sign_add(a, 1, DIGEST, &added), MPAVS_AGG_OK);
    REQUIRE(mpavs_agg_status(a, &met, NULL, NULL, NULL, DIGEST) == MPAVS_AGG_OK);
    CHECK(!met);
    mpavs_agg_destroy(a);
    REQUIRE(mpavs_agg_create(&a, &q, &t, 1, two, 2) == MPAVS_AGG_OK);
    CHECK_EQ_INT(sign_add(a, 0, DIGEST, &added), MPAVS_AGG_OK);
    REQUIRE(mpavs_agg_status(a, &met, NULL, NULL, NULL, DIGEST) == MPAVS_AGG_OK);
    CHECK(met);
    mpavs_agg_destroy(a);
}

TEST(bad_descriptions) {
    mpavs_agg *a;
    uint8_t qq[2] = {0, 0}, tt[2] = {50, 50}, t0 = 0;
    CHECK_EQ_INT(mpavs_agg_create(&a, qq, tt, 2, ops, N), MPAVS_AGG_ERR_ARG); /* repeated quorum */
    CHECK_EQ_INT(mpavs_agg_create(&a, qq, &t0, 1, ops, N), MPAVS_AGG_ERR_ARG); /* 0% threshold */
    mpavs_agg_operator dup[2] = {ops[0], ops[0]};
    CHECK_EQ_INT(mpavs_agg_create(&a, QUORUMS, THRESH, 2, dup, 2), MPAVS_AGG_ERR_ARG);
    mpavs_agg_operator none = ops[0];
    none.quorum_mask = 0;
    CHECK_EQ_INT(mpavs_agg_create(&a, QUORUMS, THRESH, 2, &none, 1), MPAVS_AGG_ERR_ARG);
}

int main(void) {
    setup();
    RUN(thresholds_and_onchain_check);
    RUN(below_threshold_and_duplicates);
    RUN(exact_threshold_boundary);
    RUN(bad_descriptions);
    return harness_summary();
}
