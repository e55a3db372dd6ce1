/* RLP: the well-known vectors (Ethereum wiki / ethereum/tests rlptest.json) and hostile input. */
#include "harness.h"
#include "mpavs/rlp.h"

#include <stdlib.h>

static uint8_t buf[4096];

static const char *enc_str(const char *s, size_t n) {
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)s, n);
    size_t len;
    if (mpavs_rlp_writer_finish(&w, &len)) return "error";
    if (len != mpavs_rlp_bytes_size((const uint8_t *)s, n)) return "size mismatch";
    return harness_hex(buf, len);
}

static const char *enc_u64(uint64_t v) {
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_put_u64(&w, v);
    size_t len;
    if (mpavs_rlp_writer_finish(&w, &len)) return "error";
    return harness_hex(buf, len);
}

static uint8_t dbuf[4096];
/* Decode hex (the whole input one item, validated). */
static int dec(mpavs_rlp_item *it, const char *hex) {
    long n = harness_unhex(dbuf, sizeof dbuf, hex);
    if (n < 0) return -1;
    return mpavs_rlp_decode(it, dbuf, (size_t)n);
}

TEST(strings) {
    CHECK_STREQ(enc_str("", 0), "80");
    CHECK_STREQ(enc_str("d", 1), "64");
    CHECK_STREQ(enc_str("\x00", 1), "00");
    CHECK_STREQ(enc_str("\x01", 1), "01");
    CHECK_STREQ(enc_str("\x7f", 1), "7f");
    CHECK_STREQ(enc_str("\x80", 1), "8180");
    CHECK_STREQ(enc_str("cat", 3), "83636174");
    CHECK_STREQ(enc_str("dog", 3), "83646f67");
    /* 55 bytes: last short form */
    const char *s55 = "Lorem ipsum dolor sit amet, consectetur adipisicing eli";
    CHECK_EQ_INT(strlen(s55), 55);
    char exp[300] = "b7";
    strcat(exp, harness_hex((const uint8_t *)s55, 55));
    CHECK_STREQ(enc_str(s55, 55), exp);
    /* 56 bytes: first long form (the wiki's "Lorem ipsum" example) */
    const char *lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    CHECK_EQ_INT(strlen(lorem), 56);
    strcpy(exp, "b838");
    strcat(exp, harness_hex((const uint8_t *)lorem, 56));
    CHECK_STREQ(enc_str(lorem, 56), exp);
    /* 1024 bytes: two length bytes */
    static char big[1024];
    memset(big, 'a', sizeof big);
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)big, sizeof big);
    size_t len;
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == MPAVS_RLP_OK);
    CHECK_EQ_INT(len, 1027);
    CHECK_STREQ(harness_hex(buf, 3), "b90400");
}

TEST(integers) {
    CHECK_STREQ(enc_u64(0), "80");
    CHECK_STREQ(enc_u64(1), "01");
    CHECK_STREQ(enc_u64(15), "0f");
    CHECK_STREQ(enc_u64(16), "10");
    CHECK_STREQ(enc_u64(79), "4f");
    CHECK_STREQ(enc_u64(127), "7f");
    CHECK_STREQ(enc_u64(128), "8180");
    CHECK_STREQ(enc_u64(1000), "8203e8");
    CHECK_STREQ(enc_u64(1024), "820400");
    CHECK_STREQ(enc_u64(100000), "830186a0");
    CHECK_STREQ(enc_u64(UINT64_MAX), "88ffffffffffffffff");
    /* bigint 83729609699884896815286331701780722 (rlptest.json) */
    mpavs_u256 v;
    const char *d = "83729609699884896815286331701780722";
    REQUIRE(mpavs_u256_parse(&v, d, strlen(d)) == MPAVS_U256_OK);
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_put_u256(&w, &v);
    size_t len;
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == MPAVS_RLP_OK);
    CHECK_STREQ(harness_hex(buf, len), "8f102030405060708090a0b0c0d0e0f2");
    /* and back */
    mpavs_rlp_item it;
    REQUIRE(mpavs_rlp_decode(&it, buf, len) == MPAVS_RLP_OK);
    mpavs_u256 back;
    REQUIRE(mpavs_rlp_get_u256(&back, &it) == MPAVS_RLP_OK);
    CHECK(mpavs_u256_cmp(&back, &v) == 0);
    uint64_t x;
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_ERR_INT_OVERFLOW);
    REQUIRE(dec(&it, "830186a0") == 0);
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_OK);
    CHECK_EQ_INT(x, 100000);
    REQUIRE(dec(&it, "80") == 0);
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_OK);
    CHECK_EQ_INT(x, 0);
    REQUIRE(dec(&it, "820004") == 0);
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_ERR_INT_LEADING_ZERO);
    REQUIRE(dec(&it, "00") == 0); /* the byte 0x00 is not the integer 0 */
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_ERR_INT_LEADING_ZERO);
    REQUIRE(dec(&it, "c0") == 0);
    CHECK_EQ_INT(mpavs_rlp_get_u64(&x, &it), MPAVS_RLP_ERR_EXPECTED_STRING);
}

TEST(lists) {
    mpavs_rlp_writer w;
    size_t m, m1, m2, m3, len;
    /* [] */
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len), "c0");
    /* ["cat","dog"] */
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"cat", 3);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"dog", 3);
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len), "c88363617483646f67");
    /* set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ] */
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    mpavs_rlp_list_begin(&w, &m1);
    mpavs_rlp_list_end(&w, m1);
    mpavs_rlp_list_begin(&w, &m1);
    mpavs_rlp_list_begin(&w, &m2);
    mpavs_rlp_list_end(&w, m2);
    mpavs_rlp_list_end(&w, m1);
    mpavs_rlp_list_begin(&w, &m1);
    mpavs_rlp_list_begin(&w, &m2);
    mpavs_rlp_list_end(&w, m2);
    mpavs_rlp_list_begin(&w, &m2);
    mpavs_rlp_list_begin(&w, &m3);
    mpavs_rlp_list_end(&w, m3);
    mpavs_rlp_list_end(&w, m2);
    mpavs_rlp_list_end(&w, m1);
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len), "c7c0c1c0c3c0c1c0");
    /* shortListMax1: 11 x 4-byte strings = 55-byte payload */
    static const char *const words[] = {"asdf", "qwer", "zxcv"};
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    for (int i = 0; i < 11; i++) mpavs_rlp_put_bytes(&w, (const uint8_t *)words[i % 3], 4);
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len),
                "f784617364668471776572847a78637684617364668471776572847a7863768461736466847177"
                "6572847a78637684617364668471776572");
    /* longList1: [["asdf","qwer","zxcv"] x 4] = 64-byte payload -> f840 */
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    for (int j = 0; j < 4; j++) {
        mpavs_rlp_list_begin(&w, &m1);
        for (int i = 0; i < 3; i++) mpavs_rlp_put_bytes(&w, (const uint8_t *)words[i], 4);
        mpavs_rlp_list_end(&w, m1);
    }
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len),
                "f840cf84617364668471776572847a786376cf84617364668471776572847a786376cf846173"
                "64668471776572847a786376cf84617364668471776572847a786376");
    /* the decoder walks it back */
    mpavs_rlp_item top, x, y;
    REQUIRE(mpavs_rlp_decode(&top, buf, len) == 0);
    CHECK(top.is_list);
    size_t count;
    REQUIRE(mpavs_rlp_list_count(&count, &top) == 0);
    CHECK_EQ_INT(count, 4);
    mpavs_rlp_iter it, it2;
    REQUIRE(mpavs_rlp_iter_init(&it, &top) == 0);
    REQUIRE(mpavs_rlp_next(&it, &x) == 0);
    REQUIRE(mpavs_rlp_iter_init(&it2, &x) == 0);
    REQUIRE(mpavs_rlp_next(&it2, &y) == 0);
    CHECK(!y.is_list && y.len == 4 && memcmp(y.p, "asdf", 4) == 0);
    CHECK_EQ_INT(mpavs_rlp_iter_init(&it2, &y), MPAVS_RLP_ERR_EXPECTED_LIST);
    for (int i = 0; i < 3; i++) REQUIRE(mpavs_rlp_next(&it, &x) == 0);
    CHECK(mpavs_rlp_iter_done(&it));
    CHECK_EQ_INT(mpavs_rlp_next(&it, &x), MPAVS_RLP_ERR_END);
}

TEST(put_raw_and_sizes) {
    /* ["cat", <pre-encoded "dog">] */
    mpavs_rlp_writer w;
    size_t m, len;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"cat", 3);
    mpavs_rlp_put_raw(&w, (const uint8_t *)"\x83" "dog", 4);
    mpavs_rlp_list_end(&w, m);
    REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
    CHECK_STREQ(harness_hex(buf, len), "c88363617483646f67");
    uint8_t h[9];
    CHECK_EQ_INT(mpavs_rlp_encode_header(h, true, 55), 1);
    CHECK_EQ_INT(h[0], 0xf7);
    CHECK_EQ_INT(mpavs_rlp_encode_header(h, true, 56), 2);
    CHECK_STREQ(harness_hex(h, 2), "f838");
    CHECK_EQ_INT(mpavs_rlp_encode_header(h, false, 0x10000), 4);
    CHECK_STREQ(harness_hex(h, 4), "ba010000");
    CHECK_EQ_INT(mpavs_rlp_bytes_size((const uint8_t *)"\x7f", 1), 1);
    CHECK_EQ_INT(mpavs_rlp_bytes_size((const uint8_t *)"\x80", 1), 2);
    CHECK_EQ_INT(mpavs_rlp_bytes_size(NULL, 0), 1);
}

TEST(writer_errors) {
    mpavs_rlp_writer w;
    size_t m, len;
    uint8_t small[4];
    mpavs_rlp_writer_init(&w, small, sizeof small);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"dog", 3);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"dog", 3);
    CHECK_EQ_INT(mpavs_rlp_writer_finish(&w, &len), MPAVS_RLP_ERR_SPACE);
    /* list header does not fit */
    mpavs_rlp_writer_init(&w, small, sizeof small);
    mpavs_rlp_list_begin(&w, &m);
    mpavs_rlp_put_bytes(&w, (const uint8_t *)"dog", 3);
    mpavs_rlp_list_end(&w, m);
    CHECK_EQ_INT(mpavs_rlp_writer_finish(&w, &len), MPAVS_RLP_ERR_SPACE);
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &m);
    CHECK_EQ_INT(mpavs_rlp_writer_finish(&w, &len), MPAVS_RLP_ERR_UNBALANCED);
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_end(&w, 0);
    CHECK_EQ_INT(mpavs_rlp_writer_finish(&w, &len), MPAVS_RLP_ERR_UNBALANCED);
}

TEST(decode_valid_roundtrip) {
    static const char *const ok[] = {
        "80", "00", "7f", "8180", "83646f67", "c0", "c88363617483646f67", "c7c0c1c0c3c0c1c0",
        "8f102030405060708090a0b0c0d0e0f2", "c6827a77c10401",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        mpavs_rlp_item it;
        CHECK_EQ_INT(dec(&it, ok[i]), MPAVS_RLP_OK);
        CHECK_EQ_INT(it.raw_len * 2, strlen(ok[i]));
    }
}

TEST(decode_hostile) {
    static const struct {
        const char *hex;
        int err;
    } bad[] = {
        {"", MPAVS_RLP_ERR_TRUNCATED},
        {"83646f", MPAVS_RLP_ERR_TRUNCATED},           /* string shorter than announced */
        {"c883636174", MPAVS_RLP_ERR_TRUNCATED},       /* list shorter than announced */
        {"8100", MPAVS_RLP_ERR_NONCANONICAL},          /* single byte < 0x80 wrapped */
        {"817f", MPAVS_RLP_ERR_NONCANONICAL},
        {"b800", MPAVS_RLP_ERR_NONCANONICAL},          /* long form for a short length */
        {"b83700", MPAVS_RLP_ERR_NONCANONICAL},
        {"b90038", MPAVS_RLP_ERR_NONCANONICAL},        /* leading zero in the length */
        {"f800", MPAVS_RLP_ERR_NONCANONICAL},
        {"b8", MPAVS_RLP_ERR_TRUNCATED},               /* length bytes missing */
        {"bfffffffffffffffff", MPAVS_RLP_ERR_TRUNCATED}, /* 2^64-1 bytes announced */
        {"ffffffffffffffffff", MPAVS_RLP_ERR_TRUNCATED},
        {"bf0100000000000000", MPAVS_RLP_ERR_TRUNCATED},
        {"8080", MPAVS_RLP_ERR_TRAILING},              /* two items */
        {"c0c0", MPAVS_RLP_ERR_TRAILING},
        {"c28100", MPAVS_RLP_ERR_NONCANONICAL},        /* bad item nested in a list */
        {"c3c28100", MPAVS_RLP_ERR_NONCANONICAL},
        {"c2c3", MPAVS_RLP_ERR_TRUNCATED},             /* child overruns its parent */
        {"c4c4c0c0c0", MPAVS_RLP_ERR_TRUNCATED},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mpavs_rlp_item it;
        int r = dec(&it, bad[i].hex);
        if (r != bad[i].err) fprintf(stderr, "  case %s: got %d (%s)\n", bad[i].hex, r, mpavs_rlp_strerror(r));
        CHECK_EQ_INT(r, bad[i].err);
    }
}

TEST(depth_limit) {
    /* [[[...]]] nested exactly MPAVS_RLP_MAX_DEPTH deep is fine, one more is not */
    for (int depth = MPAVS_RLP_MAX_DEPTH; depth <= MPAVS_RLP_MAX_DEPTH + 1; depth++) {
        mpavs_rlp_writer w;
        mpavs_rlp_writer_init(&w, buf, sizeof buf);
        size_t marks[MPAVS_RLP_MAX_DEPTH + 1];
        for (int i = 0; i < depth; i++) mpavs_rlp_list_begin(&w, &marks[i]);
        for (int i = depth - 1; i >= 0; i--) mpavs_rlp_list_end(&w, marks[i]);
        size_t len;
        REQUIRE(mpavs_rlp_writer_finish(&w, &len) == 0);
        mpavs_rlp_item it;
        CHECK_EQ_INT(mpavs_rlp_decode(&it, buf, len),
                     depth <= MPAVS_RLP_MAX_DEPTH ? MPAVS_RLP_OK : MPAVS_RLP_ERR_DEPTH);
    }
}

/* Every prefix of a valid encoding is rejected, and no single-bit flip makes the decoder
 * read out of bounds (run under ASan; the fuzz target checks canonical re-encoding). */
TEST(truncations_and_flips) {
    const char *hex = "f840cf84617364668471776572847a786376cf84617364668471776572847a786376cf846173"
                      "64668471776572847a786376cf84617364668471776572847a786376";
    uint8_t in[128];
    long n = harness_unhex(in, sizeof in, hex);
    REQUIRE(n > 0);
    for (long k = 0; k < n; k++) {
        mpavs_rlp_item it;
        CHECK(mpavs_rlp_decode(&it, in, (size_t)k) != MPAVS_RLP_OK);
    }
    for (long k = 0; k < n; k++) {
        for (int bit = 0; bit < 8; bit++) {
            in[k] ^= (uint8_t)(1 << bit);
            mpavs_rlp_item it;
            int r = mpavs_rlp_decode(&it, in, (size_t)n); /* must not crash; ASan checks bounds */
            CHECK(r >= 0 && r <= MPAVS_RLP_ERR_UNBALANCED);
            in[k] ^= (uint8_t)(1 << bit);
        }
    }
}

int main(void) {
    RUN(strings);
    RUN(integers);
    RUN(lists);
    RUN(put_raw_and_sizes);
    RUN(writer_errors);
    RUN(decode_valid_roundtrip);
    RUN(decode_hostile);
    RUN(depth_limit);
    RUN(truncations_and_flips);
    return harness_summary();
}
