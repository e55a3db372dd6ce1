/*
 * mpavs/witness.h without a node: the parsers on hand-written answers,
 * nodes and codes keyed by their hash, the check's "missing trie node"
 * report, each limit's error, and the post-state root of recorded changes
 * against a trie built in memory.
 */
#include "harness.h"

#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/witness.h"

#include <stdlib.h>

static const char *A1 = "0x00000000000000000000000000000000000a11ce";

/* A state of two accounts (one with two slots) in memory; its nodes as executionWitness JSON. */
typedef struct {
    char json[1 << 20];
    size_t o;
} jbuf;

static int add_node(void *arg, const uint8_t *rlp, size_t len) {
    jbuf *j = arg;
    if (j->o + 2 * len + 16 > sizeof j->json) return 1;
    j->o += (size_t)snprintf(j->json + j->o, sizeof j->json - j->o, "%s\"0x%s\"", j->json[j->o - 1] == '[' ? "" : ",",
                             harness_hex(rlp, len));
    return 0;
}

static void slot_key(uint8_t k[32], unsigned s) {
    memset(k, 0, 32);
    k[31] = (uint8_t)s;
}

static void put_slot(mpavs_trie *t, unsigned s, uint64_t v) {
    uint8_t k[32], e[40];
    size_t l;
    slot_key(k, s);
    mpavs_u256 u = mpavs_u256_from_u64(v);
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, e, sizeof e);
    mpavs_rlp_put_u256(&w, &u);
    REQUIRE(mpavs_rlp_writer_finish(&w, &l) == 0);
    REQUIRE(mpavs_trie_put(t, k, 32, e, l) == 0);
}

static mpavs_trie *storage, *state;
static uint8_t state_root[32], storage_root[32];
static mpavs_address a1, a2;

static void build_state(unsigned nslots) {
    storage = mpavs_trie_create(MPAVS_TRIE_SECURE);
    for (unsigned s = 1; s <= nslots; s++) put_slot(storage, s, s * 10);
    REQUIRE(mpavs_trie_root(storage, storage_root) == 0);
    state = mpavs_trie_create(MPAVS_TRIE_SECURE);
    REQUIRE(mpavs_address_parse(&a1, A1) == 0);
    REQUIRE(mpavs_address_parse(&a2, "0x00000000000000000000000000000000000b0b00") == 0);
    mpavs_trie_account ac;
    mpavs_trie_account_empty(&ac);
    ac.nonce = 1;
    ac.balance = mpavs_u256_from_u64(5);
    memcpy(ac.storage_root, storage_root, 32);
    static const uint8_t code[] = {0x60, 0x00, 0x00};
    mpavs_keccak256(ac.code_hash, code, sizeof code);
    uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
    REQUIRE(mpavs_trie_put(state, a1.bytes, 20, enc, mpavs_trie_account_encode(enc, &ac)) == 0);
    mpavs_trie_account_empty(&ac);
    ac.balance = mpavs_u256_from_u64(7);
    REQUIRE(mpavs_trie_put(state, a2.bytes, 20, enc, mpavs_trie_account_encode(enc, &ac)) == 0);
    REQUIRE(mpavs_trie_root(state, state_root) == 0);
}

static void witness_json(jbuf *j, unsigned nslots, bool with_code, int drop_slot) {
    j->o = (size_t)snprintf(j->json, sizeof j->json, "{\"state\":[");
    REQUIRE(mpavs_trie_prove(state, a1.bytes, 20, add_node, j) == 0);
    REQUIRE(mpavs_trie_prove(state, a2.bytes, 20, add_node, j) == 0);
    for (unsigned s = 1; s <= nslots; s++) {
        uint8_t k[32];
        slot_key(k, s);
        if ((int)s != drop_slot) REQUIRE(mpavs_trie_prove(storage, k, 32, add_node, j) == 0);
    }
    j->o += (size_t)snprintf(j->json + j->o, sizeof j->json - j->o, "],\"codes\":[%s],\"keys\":[\"%s\"",
                             with_code ? "\"0x600000\"" : "", A1);
    for (unsigned s = 1; s <= nslots; s++)
        j->o += (size_t)snprintf(j->json + j->o, sizeof j->json - j->o, ",\"0x%064x\"", s);
    j->o += (size_t)snprintf(j->json + j->o, sizeof j->json - j->o, ",\"0x00000000000000000000000000000000000b0b00\"]}");
}

static jbuf j;

TEST(execution_witness_roundtrip) {
    build_state(40);
    witness_json(&j, 40, true, -1);
    mpavs_witness *w = mpavs_witness_create(NULL);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), 0);
    CHECK_EQ_INT(mpavs_witness_account_count(w), 2);
    CHECK_EQ_INT(mpavs_witness_check(w, state_root), 0);
    mpavs_u256 v;
    uint8_t k[32];
    slot_key(k, 17);
    CHECK_EQ_INT(mpavs_witness_read_slot(w, &v, state_root, &a1, k), 0);
    CHECK(v.w[0] == 170);
    mpavs_witness_destroy(w);
    /* no code: missing code; a slot's proof left out: missing trie node (or proved by shared nodes) */
    witness_json(&j, 40, false, -1);
    w = mpavs_witness_create(NULL);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), 0);
    CHECK_EQ_INT(mpavs_witness_check(w, state_root), MPAVS_WITNESS_MISSING_CODE);
    CHECK(strstr(mpavs_witness_message(w), "missing code 0x") != NULL);
    mpavs_witness_destroy(w);
    int missing = 0;
    for (int d = 1; d <= 40; d++) {
        witness_json(&j, 40, true, d);
        w = mpavs_witness_create(NULL);
        CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), 0);
        int r = mpavs_witness_check(w, state_root);
        CHECK(r == 0 || r == MPAVS_WITNESS_MISSING_NODE);
        if (r) {
            CHECK(strncmp(mpavs_witness_message(w), "missing trie node 0x", 20) == 0);
            missing++;
        }
        mpavs_witness_destroy(w);
    }
    CHECK(missing > 20);
    /* limits */
    mpavs_witness_limits l;
    mpavs_witness_limits_default(&l);
    l.max_nodes = 3;
    witness_json(&j, 40, true, -1);
    w = mpavs_witness_create(&l);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), MPAVS_WITNESS_ERR_LIMIT_NODES);
    mpavs_witness_destroy(w);
    mpavs_witness_limits_default(&l);
    l.max_slots = 10;
    w = mpavs_witness_create(&l);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), MPAVS_WITNESS_ERR_LIMIT_SLOTS);
    mpavs_witness_destroy(w);
    mpavs_witness_limits_default(&l);
    l.max_bytes = 500;
    w = mpavs_witness_create(&l);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, j.json, j.o), MPAVS_WITNESS_ERR_LIMIT_BYTES);
    mpavs_witness_destroy(w);
    mpavs_trie_destroy(storage);
    mpavs_trie_destroy(state);
}

TEST(malformed_answers) {
    const char *bad[] = {"", "[", "{}", "{\"state\":3}", "{\"state\":[\"0xzz\"]}", "{\"state\":[\"0x01\"]}",
                         "{\"state\":[],\"keys\":[\"0x01\"]}",
                         "{\"state\":[],\"keys\":[\"0x0000000000000000000000000000000000000000000000000000000000000001\"]}"};
    int want[] = {MPAVS_WITNESS_ERR_PARSE, MPAVS_WITNESS_ERR_PARSE, MPAVS_WITNESS_ERR_PARSE, MPAVS_WITNESS_ERR_PARSE,
                  MPAVS_WITNESS_ERR_PARSE, MPAVS_WITNESS_ERR_NODE,  MPAVS_WITNESS_ERR_PARSE, MPAVS_WITNESS_ERR_PARSE};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mpavs_witness *w = mpavs_witness_create(NULL);
        CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, bad[i], strlen(bad[i])), want[i]);
        CHECK(mpavs_witness_message(w)[0] != 0);
        mpavs_witness_destroy(w);
    }
    const char *badtrace[] = {"{}", "[{\"result\":3}]", "[{\"result\":{\"0x12\":{}}}]",
                              "[{\"result\":{\"0x00000000000000000000000000000000000a11ce\":{\"storage\":{\"0x1\":\"zz\"}}}}]"};
    for (size_t i = 0; i < sizeof badtrace / sizeof badtrace[0]; i++) {
        mpavs_witness *w = mpavs_witness_create(NULL);
        CHECK_EQ_INT(mpavs_witness_parse_prestate(w, badtrace[i], strlen(badtrace[i]), false), MPAVS_WITNESS_ERR_PARSE);
        mpavs_witness_destroy(w);
    }
    mpavs_witness *w = mpavs_witness_create(NULL);
    const char *nodiff = "[{\"result\":{\"0x00000000000000000000000000000000000a11ce\":{}}}]";
    CHECK_EQ_INT(mpavs_witness_parse_prestate(w, nodiff, strlen(nodiff), true), MPAVS_WITNESS_ERR_PARSE);
    mpavs_witness_destroy(w);
}

/* diffMode changes applied through the witness give the root of the same changes made in memory. */
TEST(post_root_of_changes) {
    build_state(40);
    witness_json(&j, 40, true, -1);
    mpavs_witness *w = mpavs_witness_create(NULL);
    REQUIRE(mpavs_witness_parse_execution_witness(w, j.json, j.o) == 0);
    /* tx 1: slots 1..38 cleared, slot 3 rewritten, a1 balance 9; tx 2: a2 deleted, a new account created */
    char diff[8192];
    size_t o = (size_t)snprintf(diff, sizeof diff, "[{\"result\":{\"pre\":{\"%s\":{\"balance\":\"0x5\",\"storage\":{", A1);
    for (unsigned s = 1; s <= 38; s++) o += (size_t)snprintf(diff + o, sizeof diff - o, "%s\"0x%064x\":\"0x%x\"", s > 1 ? "," : "", s, s * 10);
    o += (size_t)snprintf(diff + o, sizeof diff - o, "}}},\"post\":{\"%s\":{\"balance\":\"0x9\",\"storage\":{\"0x%064x\":\"0x63\"}}}}},", A1, 3u);
    o += (size_t)snprintf(diff + o, sizeof diff - o, "{\"result\":{\"pre\":{\"0x00000000000000000000000000000000000b0b00\":{\"balance\":\"0x7\"}},"
                          "\"post\":{\"0x0000000000000000000000000000000000000c0c\":{\"balance\":\"0x1\",\"nonce\":1}}}}]");
    CHECK_EQ_INT(mpavs_witness_parse_prestate(w, diff, o, true), 0);
    /* the same in memory */
    for (unsigned s = 1; s <= 38; s++) {
        uint8_t k[32];
        slot_key(k, s);
        REQUIRE(mpavs_trie_delete(storage, k, 32) == 0);
    }
    put_slot(storage, 3, 0x63);
    uint8_t sr[32], want[32], got[32];
    REQUIRE(mpavs_trie_root(storage, sr) == 0);
    mpavs_trie_account ac;
    mpavs_trie_account_empty(&ac);
    ac.nonce = 1, ac.balance = mpavs_u256_from_u64(9);
    memcpy(ac.storage_root, sr, 32);
    static const uint8_t code[] = {0x60, 0x00, 0x00};
    mpavs_keccak256(ac.code_hash, code, sizeof code);
    uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
    REQUIRE(mpavs_trie_put(state, a1.bytes, 20, enc, mpavs_trie_account_encode(enc, &ac)) == 0);
    REQUIRE(mpavs_trie_delete(state, a2.bytes, 20) == 0);
    mpavs_address a3;
    REQUIRE(mpavs_address_parse(&a3, "0x0000000000000000000000000000000000000c0c") == 0);
    mpavs_trie_account_empty(&ac);
    ac.nonce = 1, ac.balance = mpavs_u256_from_u64(1);
    REQUIRE(mpavs_trie_put(state, a3.bytes, 20, enc, mpavs_trie_account_encode(enc, &ac)) == 0);
    REQUIRE(mpavs_trie_root(state, want) == 0);
    int r = mpavs_witness_post_root(w, got, state_root, 0);
    if (r) fprintf(stderr, "  %s\n", mpavs_witness_message(w));
    CHECK_EQ_INT(r, 0);
    CHECK_MEMEQ(got, want, 32);
    mpavs_witness_destroy(w);
    mpavs_trie_destroy(storage);
    mpavs_trie_destroy(state);
}

int main(void) {
    RUN(execution_witness_roundtrip);
    RUN(malformed_answers);
    RUN(post_root_of_changes);
    return harness_summary();
}
