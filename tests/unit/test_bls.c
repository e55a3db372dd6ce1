/* tests/unit/test_bls.c — EigenLayer BLS: spec vectors (eigenlayer.md §2.2, §7), round trips,
 * gamma checks, proof of possession, aggregation, batch verification and bisection. */
#include <stdlib.h>

#include "harness.h"
#include "mpavs/bls.h"
#include "mpavs/keccak.h"
#include "mpavs/u256.h"

/* decimal/hex text -> 32 bytes BE */
static void num(uint8_t out[32], const char *s) {
    mpavs_u256 v;
    int r = mpavs_u256_parse(&v, s, strlen(s));
    CHECK(r == MPAVS_U256_OK);
    mpavs_u256_to_be32(out, &v);
}

static void g1_from_dec(mpavs_bn254_g1 *p, const char *x, const char *y) {
    uint8_t enc[64];
    num(enc, x);
    num(enc + 32, y);
    CHECK(mpavs_bn254_g1_decode(p, enc) == MPAVS_BN254_OK);
}

static bool g1_is(const mpavs_bn254_g1 *p, const char *x, const char *y) {
    uint8_t enc[64], want[64];
    mpavs_bn254_g1_encode(enc, p);
    num(want, x);
    num(want + 32, y);
    return memcmp(enc, want, 64) == 0;
}

static const char *SK = "2215338531151182997276243965065522514190247674553811942190946030173209230351";
static const char *PKX = "19408553463882111916887171276012224475029133183214861480489485386352635269635";
static const char *PKY = "17418827901203159022109906145273000034647571131322064812191371351028964064220";
/* G2 key, gnark order (a0 = re, a1 = im) */
static const char *PK2_X0 = "21178820834716757654755316634652689596298672403237496805637043993639570914444";
static const char *PK2_X1 = "13037982628644757040185398664786437290984469509590451662821837811616916784709";
static const char *PK2_Y0 = "19140012418317921816246648119057184310012212322230940883368399945282679167781";
static const char *PK2_Y1 = "4022699804058148232740660343529564510469516782209703044121623735702017054687";
static const char *HX = "1924180730567573949438414972962865884536842824156461616654016606101753147221";
static const char *HY = "1728514896795884844118992509778460172744175111335267524878447231407682319036";
static const char *SX = "10597362545591239940917376765607351853410086664574590122531858401444777591130";
static const char *SY = "21241926338779413191769573299998870436018994330205763054406805057966894243249";

TEST(hash_to_g1_vectors) {
    uint8_t m[32];
    mpavs_bn254_g1 h;
    memset(m, 0, 32);
    mpavs_bls_hash_to_g1(&h, m);
    CHECK(g1_is(&h, "1", "2"));
    mpavs_keccak256(m, "", 0);
    CHECK_STREQ(harness_hex(m, 32), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    mpavs_bls_hash_to_g1(&h, m);
    CHECK(g1_is(&h, HX, HY));
    memset(m, 0xff, 32);
    mpavs_bls_hash_to_g1(&h, m);
    CHECK(g1_is(&h, "6350874878119819312338956282401532409788428879151445726012394534686998597020",
                "9382425333525343773979589293970912874995880615911074345993039062358358671562"));
    for (int i = 0; i < 32; i++) m[i] = (uint8_t)(((i + 1) / 10) << 4 | ((i + 1) % 10));
    mpavs_bls_hash_to_g1(&h, m);
    CHECK(g1_is(&h, "455867356320691211510521917002145349783771294742955950119233894477141651763",
                "18389124305450312273087666412711538485117602745743585037239118590645240881449"));
}

static void spec_keys(uint8_t sk[32], mpavs_bn254_g1 *pk1, mpavs_bn254_g2 *pk2) {
    uint8_t enc[128];
    num(sk, SK);
    CHECK(mpavs_bls_pubkey_g1(pk1, sk) == MPAVS_BLS_OK);
    CHECK(mpavs_bls_pubkey_g2(pk2, sk) == MPAVS_BLS_OK);
    (void)enc;
}

TEST(spec_key_vectors) {
    uint8_t sk[32], id[32], enc[128], want[128];
    mpavs_bn254_g1 pk1;
    mpavs_bn254_g2 pk2, d;
    spec_keys(sk, &pk1, &pk2);
    CHECK(g1_is(&pk1, PKX, PKY));
    mpavs_bls_operator_id(id, &pk1);
    CHECK_STREQ(harness_hex(id, 32), "2b3a67aee25855743a2ac3e1537d08d5219a9355c5490ad646760fedf5d538f8");
    mpavs_bn254_g2_encode(enc, &pk2);
    num(want, PK2_X1);
    num(want + 32, PK2_X0);
    num(want + 64, PK2_Y1);
    num(want + 96, PK2_Y0);
    CHECK_MEMEQ(enc, want, 128);
    CHECK(mpavs_bn254_g2_decode(&d, want) == MPAVS_BN254_OK);
    /* gnark order (re first) is rejected: the point is not on the twist */
    uint8_t swapped[128];
    memcpy(swapped, want + 32, 32);
    memcpy(swapped + 32, want, 32);
    memcpy(swapped + 64, want + 96, 32);
    memcpy(swapped + 96, want + 64, 32);
    CHECK(mpavs_bn254_g2_decode(&d, swapped) != MPAVS_BN254_OK);
}

TEST(spec_signature_and_gamma) {
    uint8_t sk[32], m[32], gamma[32], want[32];
    mpavs_bn254_g1 pk1, sig, h;
    mpavs_bn254_g2 pk2;
    spec_keys(sk, &pk1, &pk2);
    mpavs_keccak256(m, "", 0);
    CHECK(mpavs_bls_sign(&sig, sk, m) == MPAVS_BLS_OK);
    CHECK(g1_is(&sig, SX, SY));
    bool ok = false, pok = false;
    CHECK(mpavs_bls_verify(&ok, &pk2, m, &sig) == MPAVS_BLS_OK);
    CHECK(ok);
    m[0] ^= 1;
    CHECK(mpavs_bls_verify(&ok, &pk2, m, &sig) == MPAVS_BLS_OK);
    CHECK(!ok);
    m[0] ^= 1;
    mpavs_bls_apk_gamma(gamma, m, &pk1, &pk2, &sig);
    num(want, "10487517192961135026974045796247493456541165179431475041772196047230123810902");
    CHECK_MEMEQ(gamma, want, 32);
    CHECK(mpavs_bls_try_signature_and_apk_verification(&pok, &ok, m, &pk1, &pk2, &sig) == MPAVS_BLS_OK);
    CHECK(pok && ok);
    /* wrong apk G1 -> invalid */
    mpavs_bn254_g1 g;
    mpavs_bn254_g1_generator(&g);
    mpavs_bn254_g1 bad;
    mpavs_bn254_g1_add(&bad, &pk1, &g);
    CHECK(mpavs_bls_try_signature_and_apk_verification(&pok, &ok, m, &bad, &pk2, &sig) == MPAVS_BLS_OK);
    CHECK(pok && !ok);
    /* proof of possession with H = hashToG1(keccak("")) as in §7 */
    g1_from_dec(&h, HX, HY);
    mpavs_bls_pop_gamma(gamma, &sig, &pk1, &pk2, &h);
    num(want, "9959236508734882711418652527105230538407269435919323274693935893964711380367");
    CHECK_MEMEQ(gamma, want, 32);
    CHECK(mpavs_bls_pop_verify(&ok, &sig, &pk1, &pk2, &h) == MPAVS_BLS_OK);
    CHECK(ok);
    CHECK(mpavs_bls_pop_verify(&ok, &sig, &g, &pk2, &h) == MPAVS_BLS_OK);
    CHECK(!ok);
}

TEST(keys_and_round_trips) {
    uint8_t sk[32], m[32];
    for (int i = 0; i < 5; i++) {
        REQUIRE(mpavs_bls_keygen(sk) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_sk_check(sk) == MPAVS_BLS_OK);
        mpavs_bn254_g1 pk1, sig;
        mpavs_bn254_g2 pk2;
        CHECK(mpavs_bls_pubkey_g1(&pk1, sk) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_pubkey_g2(&pk2, sk) == MPAVS_BLS_OK);
        memset(m, i, 32);
        CHECK(mpavs_bls_sign(&sig, sk, m) == MPAVS_BLS_OK);
        bool ok = false;
        CHECK(mpavs_bls_verify(&ok, &pk2, m, &sig) == MPAVS_BLS_OK);
        CHECK(ok);
        /* PoP on a registration message */
        mpavs_bn254_g1 h;
        uint8_t coord[20], op[20];
        memset(coord, 0x11, 20);
        memset(op, 0x22 + i, 20);
        mpavs_bls_registration_message(&h, 31337, coord, op);
        CHECK(mpavs_bls_sign_hashed(&sig, sk, &h) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_pop_verify(&ok, &sig, &pk1, &pk2, &h) == MPAVS_BLS_OK);
        CHECK(ok);
    }
    /* invalid secret keys */
    memset(sk, 0, 32);
    mpavs_bn254_g1 p;
    CHECK(mpavs_bls_pubkey_g1(&p, sk) == MPAVS_BLS_ERR_SECRET_KEY);
    mpavs_bn254_order_r(sk);
    CHECK(mpavs_bls_sk_check(sk) == MPAVS_BLS_ERR_SECRET_KEY);
    sk[31] -= 1;
    CHECK(mpavs_bls_sk_check(sk) == MPAVS_BLS_OK);
}

#define NB 40

TEST(aggregation_and_batches) {
    static uint8_t sks[NB][32], msgs[NB][32];
    static mpavs_bn254_g1 pk1[NB], sig[NB], sig_multi[NB];
    static mpavs_bn254_g2 pk2[NB];
    uint8_t m[32];
    memset(m, 0xab, 32);
    for (int i = 0; i < NB; i++) {
        REQUIRE(mpavs_bls_keygen(sks[i]) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_pubkey_g1(&pk1[i], sks[i]) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_pubkey_g2(&pk2[i], sks[i]) == MPAVS_BLS_OK);
        CHECK(mpavs_bls_sign(&sig[i], sks[i], m) == MPAVS_BLS_OK);
        memset(msgs[i], i, 32);
        CHECK(mpavs_bls_sign(&sig_multi[i], sks[i], msgs[i]) == MPAVS_BLS_OK);
    }
    /* aggregate: sum sig verifies under sum pk; the on-chain check accepts it */
    mpavs_bn254_g1 asig, apk;
    mpavs_bn254_g2 apk2;
    mpavs_bls_aggregate_g1(&asig, sig, NB);
    mpavs_bls_aggregate_g1(&apk, pk1, NB);
    mpavs_bls_aggregate_g2(&apk2, pk2, NB);
    bool ok = false, pok = false;
    CHECK(mpavs_bls_verify(&ok, &apk2, m, &asig) == MPAVS_BLS_OK);
    CHECK(ok);
    CHECK(mpavs_bls_try_signature_and_apk_verification(&pok, &ok, m, &apk, &apk2, &asig) == MPAVS_BLS_OK);
    CHECK(ok);
    /* MSM agrees with the sum for unit coefficients */
    uint64_t k[4 * NB];
    memset(k, 0, sizeof k);
    for (int i = 0; i < NB; i++) k[4 * i] = 1;
    mpavs_bn254_g2 msm2;
    mpavs_bn254_g2_msm_var(&msm2, pk2, k, NB, 64);
    CHECK(mpavs_bn254_g2_eq(&msm2, &apk2));
    /* batch verification: all good */
    CHECK(mpavs_bls_batch_verify_same_msg(&ok, m, pk2, sig, NB) == MPAVS_BLS_OK);
    CHECK(ok);
    CHECK(mpavs_bls_batch_verify(&ok, (const uint8_t(*)[32])msgs, pk2, sig_multi, NB) == MPAVS_BLS_OK);
    CHECK(ok);
    CHECK(mpavs_bls_batch_verify_same_msg(&ok, m, pk2, sig, 0) == MPAVS_BLS_OK);
    CHECK(ok);
    size_t bad[NB], nbad = 99;
    CHECK(mpavs_bls_batch_find_invalid(bad, &nbad, m, NULL, pk2, sig, NB) == MPAVS_BLS_OK);
    CHECK_EQ_INT(nbad, 0);
    /* one bad signature */
    mpavs_bn254_g1 save = sig[7];
    sig[7] = sig[8];
    CHECK(mpavs_bls_batch_verify_same_msg(&ok, m, pk2, sig, NB) == MPAVS_BLS_OK);
    CHECK(!ok);
    CHECK(mpavs_bls_batch_find_invalid(bad, &nbad, m, NULL, pk2, sig, NB) == MPAVS_BLS_OK);
    CHECK_EQ_INT(nbad, 1);
    CHECK_EQ_INT(bad[0], 7);
    /* many bad (and an infinity signature) */
    sig[0] = sig_multi[0];
    sig[39] = sig_multi[39];
    sig[20].infinity = 1;
    CHECK(mpavs_bls_batch_verify_same_msg(&ok, m, pk2, sig, NB) == MPAVS_BLS_ERR_INFINITY);
    CHECK(!ok);
    CHECK(mpavs_bls_batch_find_invalid(bad, &nbad, m, NULL, pk2, sig, NB) == MPAVS_BLS_OK);
    CHECK_EQ_INT(nbad, 4);
    CHECK(nbad == 4 && bad[0] == 0 && bad[1] == 7 && bad[2] == 20 && bad[3] == 39);
    sig[7] = save;
    /* different messages: swap two signatures */
    save = sig_multi[3];
    sig_multi[3] = sig_multi[4];
    sig_multi[4] = save;
    CHECK(mpavs_bls_batch_verify(&ok, (const uint8_t(*)[32])msgs, pk2, sig_multi, NB) == MPAVS_BLS_OK);
    CHECK(!ok);
    CHECK(mpavs_bls_batch_find_invalid(bad, &nbad, NULL, (const uint8_t(*)[32])msgs, pk2, sig_multi, NB) ==
          MPAVS_BLS_OK);
    CHECK(nbad == 2 && bad[0] == 3 && bad[1] == 4);
    /* a batch that cancels without random coefficients: sig3+d, sig4-d */
    sig_multi[4] = sig_multi[3];
    sig_multi[3] = save;
    mpavs_bn254_g1 g, nd;
    mpavs_bn254_g1_generator(&g);
    mpavs_bn254_g1_add(&sig[1], &sig[1], &g);
    mpavs_bn254_g1_neg(&nd, &g);
    mpavs_bn254_g1_add(&sig[2], &sig[2], &nd);
    sig[0] = sig[3]; /* keep index 0 wrong too */
    CHECK(mpavs_bls_batch_verify_same_msg(&ok, m, &pk2[1], &sig[1], 2) == MPAVS_BLS_OK);
    CHECK(!ok);
}

TEST(aggregate_edge_cases) {
    /* sums with repeats (doubling), P + (-P) (infinity) and infinity inputs, against
     * pairwise additions */
    mpavs_bn254_g1 g1, p1[6], want1, got1;
    mpavs_bn254_g2 g2, p2[6], want2, got2;
    mpavs_bn254_g1_generator(&g1);
    mpavs_bn254_g2_generator(&g2);
    p1[0] = g1;
    p1[1] = g1;
    mpavs_bn254_g1_neg(&p1[2], &g1);
    p1[3] = (mpavs_bn254_g1){.infinity = 1};
    mpavs_bn254_g1_add(&p1[4], &g1, &g1);
    mpavs_bn254_g1_neg(&p1[5], &p1[4]);
    p2[0] = g2;
    p2[1] = g2;
    mpavs_bn254_g2_neg(&p2[2], &g2);
    p2[3] = (mpavs_bn254_g2){.infinity = 1};
    mpavs_bn254_g2_add(&p2[4], &g2, &g2);
    mpavs_bn254_g2_neg(&p2[5], &p2[4]);
    for (size_t n = 0; n <= 6; n++) {
        want1 = (mpavs_bn254_g1){.infinity = 1};
        want2 = (mpavs_bn254_g2){.infinity = 1};
        for (size_t i = 0; i < n; i++) {
            mpavs_bn254_g1_add(&want1, &want1, &p1[i]);
            mpavs_bn254_g2_add(&want2, &want2, &p2[i]);
        }
        mpavs_bls_aggregate_g1(&got1, p1, n);
        mpavs_bls_aggregate_g2(&got2, p2, n);
        CHECK(mpavs_bn254_g1_eq(&got1, &want1));
        CHECK(mpavs_bn254_g2_eq(&got2, &want2));
    }
}

int main(void) {
    RUN(hash_to_g1_vectors);
    RUN(spec_key_vectors);
    RUN(spec_signature_and_gamma);
    RUN(keys_and_round_trips);
    RUN(aggregation_and_batches);
    RUN(aggregate_edge_cases);
    return harness_summary();
}
