/* AVS digests against the reference vectors of shared/spec/upstream.md §3.11 and the ABI codec. */
#include "harness.h"
#include "mpavs/abi.h"
#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <stdlib.h>

static const char *META = "{\"batch_id\":326800,\"start_block\":9850414,\"end_block\":9850527}";

static char *poe_json(void) {
    static char buf[1024];
    char zeros[131];
    memset(zeros, '0', 130);
    zeros[130] = 0;
    snprintf(buf, sizeof buf,
             "{\"batch_hash\":\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\","
             "\"state_hash\":\"0xc0eff2fa84b7e0591d49994fed63d0ca9e69f77f9658caec93c7f452a18c0808\","
             "\"prev_state_root\":\"0x02b0659557cbef26689ca30067bd17658b55db5555aeffeb60025ede53e7fefb\","
             "\"new_state_root\":\"0x15277dcb70eabc3703a816f470f9b9f05aa4272d232ca6c7ced84d4874f5bb0e\","
             "\"withdrawal_root\":\"0x0aaa5af01432a5037adc40237e9f88c1059de1c207fe1b5287a595cd94c729d3\","
             "\"signature\":\"0x%s\"}",
             zeros);
    return buf;
}

static mpavs_avs_state_header spec_header(void) {
    const char *state = poe_json();
    static const uint8_t q[1] = {0x00}, t[1] = {0x42};
    mpavs_avs_state_header h = {.committee_id = 1, .metadata = (const uint8_t *)META, .metadata_len = strlen(META),
                                .state = (const uint8_t *)state, .state_len = strlen(state), .quorum_numbers = q,
                                .quorum_numbers_len = 1, .quorum_thresholds = t, .quorum_thresholds_len = 1,
                                .reference_block = 20000000};
    return h;
}

TEST(state_digest_vector) {
    mpavs_avs_state_header h = spec_header();
    uint8_t d[32];
    REQUIRE(mpavs_avs_state_digest(d, &h) == 0);
    CHECK_STREQ(harness_hex(d, 32), "3d35f95ee736d5b1a8e2208dc1d92519e469515038d64573fbd7a53adab940d5");
    REQUIRE(mpavs_avs_state_header_hash(d, &h) == 0);
    CHECK_STREQ(harness_hex(d, 32), "cbf543d89c42920808a8e630748b46e774a956be57a439f8153bb0008e98629b");
}

/* The hand-built layouts equal the general ABI encoder's for random headers. */
TEST(digest_matches_abi_encoder) {
    mpavs_abi_type *tr, *tf;
    REQUIRE(mpavs_abi_type_parse(&tr, "((uint256,bytes,bytes,uint32))") == 0);
    REQUIRE(mpavs_abi_type_parse(&tf, "((uint256,bytes,bytes,bytes,bytes,uint32))") == 0);
    uint8_t buf[4][100];
    unsigned seed = 7;
    for (int it = 0; it < 200; it++) {
        size_t len[4];
        for (int k = 0; k < 4; k++) {
            len[k] = (size_t)(rand_r(&seed) % 100);
            for (size_t i = 0; i < len[k]; i++) buf[k][i] = (uint8_t)rand_r(&seed);
        }
        mpavs_avs_state_header h = {.committee_id = (uint64_t)rand_r(&seed), .metadata = buf[0], .metadata_len = len[0],
                                    .state = buf[1], .state_len = len[1], .quorum_numbers = buf[2],
                                    .quorum_numbers_len = len[2], .quorum_thresholds = buf[3],
                                    .quorum_thresholds_len = len[3], .reference_block = (uint32_t)rand_r(&seed)};
        for (int full = 0; full < 2; full++) {
            mpavs_abi_value *v = mpavs_abi_value_new(full ? tf : tr);
            mpavs_abi_value *s = &v->items[0];
            s->items[0].word = mpavs_u256_from_u64(h.committee_id);
            int nb = full ? 4 : 2;
            for (int k = 0; k < nb; k++) REQUIRE(mpavs_abi_value_set_bytes(&s->items[1 + k], buf[k], len[k]) == 0);
            s->items[1 + nb].word = mpavs_u256_from_u64(h.reference_block);
            uint8_t *enc, want[32], got[32];
            size_t el;
            REQUIRE(mpavs_abi_encode(&enc, &el, v) == 0);
            mpavs_keccak256(want, enc, el);
            free(enc);
            mpavs_abi_value_free(v);
            REQUIRE((full ? mpavs_avs_state_header_hash(got, &h) : mpavs_avs_state_digest(got, &h)) == 0);
            CHECK_MEMEQ(got, want, 32);
        }
    }
    mpavs_abi_type_free(tr);
    mpavs_abi_type_free(tf);
}

TEST(report_data_vector) {
    uint8_t pah[32], x[32], y[32], ref[32], h[32];
    mpavs_avs_prover_addr_hash(pah, "https://avs-prover-mainnet1.ata.network:18232");
    CHECK_STREQ(harness_hex(pah, 32), "95dea5790936621cadc692ee87fa14f7f125b9fce6e4cf641c9c948f8b4f3540");
    mpavs_avs_prover_addr_hash(h, "  https://avs-prover-mainnet1.ata.network:18232\n");
    CHECK_MEMEQ(h, pah, 32);
    /* pk_G1 of sk = 0x1234567890abcdef */
    REQUIRE(harness_unhex(x, 32, "118c7a14188755cb285f38c9a3416340925c49b322fecd8ac879256bfd25d4f8") == 32);
    REQUIRE(harness_unhex(y, 32, "1c4f00185ffac2a999df2683fa5a886a964d908c95488b3f76f574f7fb3b77ed") == 32);
    memset(ref, 0x11, 32);
    mpavs_avs_report_data_hash(h, x, y, 123456, ref, pah);
    CHECK_STREQ(harness_hex(h, 32), "babd973905dc8317d416835b2bbe11e177fdba0039258843af08a2a1dc352d47");
    uint8_t rd[64], addr[20];
    memset(addr, 0xab, 20);
    mpavs_avs_report_data(rd, addr, h);
    for (int i = 0; i < 12; i++) CHECK(rd[i] == 0);
    CHECK(rd[12] == 0xab && rd[31] == 0xab && memcmp(rd + 32, h, 32) == 0);
}

TEST(poe_and_records) {
    uint8_t a[32], b[32], c[32], d[32], e[32], out[32], want[32], cat[160];
    for (int i = 0; i < 32; i++) a[i] = (uint8_t)i, b[i] = (uint8_t)(i + 1), c[i] = (uint8_t)(i + 2), d[i] = (uint8_t)(i + 3),
                                 e[i] = (uint8_t)(i + 4);
    mpavs_avs_poe_digest(out, a, b, c, d, e);
    memcpy(cat, a, 32), memcpy(cat + 32, b, 32), memcpy(cat + 64, c, 32), memcpy(cat + 96, d, 32),
        memcpy(cat + 128, e, 32);
    mpavs_keccak256(want, cat, 160);
    CHECK_MEMEQ(out, want, 32);
    uint8_t hashes[2][32];
    memset(hashes, 0x5a, sizeof hashes);
    mpavs_avs_signatory_record_hash(out, 0x01020304, (const uint8_t(*)[32])hashes, 2);
    uint8_t packed[68] = {1, 2, 3, 4};
    memcpy(packed + 4, hashes, 64);
    mpavs_keccak256(want, packed, 68);
    CHECK_MEMEQ(out, want, 32);
    mpavs_avs_chain_task_metadata(out, 31337, 100);
    uint8_t words[64] = {0};
    words[30] = 0x7a, words[31] = 0x69, words[63] = 100;
    mpavs_keccak256(want, words, 64);
    CHECK_MEMEQ(out, want, 32);
}

/*
 * The signed metrics push (aggregator_submitMetrics): a known answer computed with cast
 * (keccak of from-utf8(domain) ‖ to-uint256(chainId) ‖ registryCoordinator ‖ to-uint256(ts) ‖
 * keccak(from-utf8(name)) ‖ keccak(from-utf8(metrics))), then a BLS sign/verify round trip and
 * every field tampered with.
 */
TEST(metrics_push_envelope) {
    static const char NAME[] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8_v0.1.0";
    static const char METRICS[] = "[{\"name\":\"avs_x\",\"help\":\"h\",\"type\":1,\"metric\":[{\"label\":[],"
                                  "\"gauge\":{\"value\":1.0}}]}]";
    uint8_t rc[20], want[32], out[32];
    REQUIRE(mpavs_hex_decode_exact(rc, 20, "5FbDB2315678afecb367f032d93F642f64180aa3") == MPAVS_HEX_OK);
    REQUIRE(mpavs_hex_decode_exact(want, 32, "9faf7868908b08dba6618e888b064005040896deb78fe942555a66fd5c33c856") ==
            MPAVS_HEX_OK);
    const uint8_t *m = (const uint8_t *)METRICS;
    size_t nl = strlen(NAME), ml = strlen(METRICS);
    mpavs_avs_metrics_push_digest(out, 31337, rc, NAME, nl, 1764000000, m, ml);
    CHECK_MEMEQ(out, want, 32);

    uint8_t sk[32], other[32];
    REQUIRE(mpavs_bls_keygen(sk) == MPAVS_BLS_OK && mpavs_bls_keygen(other) == MPAVS_BLS_OK);
    mpavs_bn254_g2 pk, pk_other;
    REQUIRE(mpavs_bls_pubkey_g2(&pk, sk) == MPAVS_BLS_OK && mpavs_bls_pubkey_g2(&pk_other, other) == MPAVS_BLS_OK);
    mpavs_bn254_g1 sig;
    REQUIRE(mpavs_bls_sign(&sig, sk, out) == MPAVS_BLS_OK);
    bool ok = false;
    CHECK(mpavs_bls_verify(&ok, &pk, out, &sig) == MPAVS_BLS_OK && ok);
    CHECK(mpavs_bls_verify(&ok, &pk_other, out, &sig) == MPAVS_BLS_OK && !ok); /* another operator's key */
    /* each field changed: another digest, the signature no longer verifies */
    char name2[sizeof NAME];
    memcpy(name2, NAME, sizeof NAME);
    name2[nl - 1] = '1';
    char metrics2[sizeof METRICS];
    memcpy(metrics2, METRICS, sizeof METRICS);
    metrics2[ml - 8] = '2'; /* value 1.0 -> 2.0 */
    uint8_t rc2[20];
    memcpy(rc2, rc, 20);
    rc2[19] ^= 1;
    uint8_t t[6][32];
    mpavs_avs_metrics_push_digest(t[0], 31338, rc, NAME, nl, 1764000000, m, ml);
    mpavs_avs_metrics_push_digest(t[1], 31337, rc2, NAME, nl, 1764000000, m, ml);
    mpavs_avs_metrics_push_digest(t[2], 31337, rc, name2, nl, 1764000000, m, ml);
    mpavs_avs_metrics_push_digest(t[3], 31337, rc, NAME, nl, 1764000001, m, ml);
    mpavs_avs_metrics_push_digest(t[4], 31337, rc, NAME, nl, 1764000000, (const uint8_t *)metrics2, ml);
    mpavs_avs_metrics_push_digest(t[5], 31337, rc, NAME, nl - 1, 1764000000, m, ml);
    for (int i = 0; i < 6; i++) {
        CHECK(memcmp(t[i], out, 32) != 0);
        CHECK(mpavs_bls_verify(&ok, &pk, t[i], &sig) == MPAVS_BLS_OK && !ok);
    }
    mpavs_wipe(sk, 32);
    mpavs_wipe(other, 32);
}

int main(void) {
    RUN(state_digest_vector);
    RUN(digest_matches_abi_encoder);
    RUN(report_data_vector);
    RUN(poe_and_records);
    RUN(metrics_push_envelope);
    return harness_summary();
}
