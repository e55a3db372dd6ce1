/* ABI: specification examples, round trips, logs, reverts and hostile input. */
#include "harness.h"
#include "mpavs/abi.h"
#include "mpavs/ecdsa.h"

#include <stdlib.h>

/* Build calldata from a signature and cast-syntax args; returns hex (static) or NULL. */
static const char *calldata_hex(const char *sigtext, const char **args, size_t n) {
    static char out[8192];
    mpavs_abi_signature *sig;
    if (mpavs_abi_signature_parse(&sig, sigtext)) return NULL;
    mpavs_abi_value *tuple = mpavs_abi_value_new(sig->inputs);
    const char *res = NULL;
    for (size_t i = 0; i < n; i++) {
        mpavs_abi_value *v;
        if (mpavs_abi_value_parse(&v, sig->inputs->fields[i], args[i])) goto done;
        mpavs_abi_value_move(&tuple->items[i], v);
    }
    uint8_t *enc;
    size_t len;
    if (mpavs_abi_encode_call(&enc, &len, sig, tuple)) goto done;
    snprintf(out, sizeof out, "0x%s", harness_hex(enc, len));
    free(enc);
    res = out;
done:
    mpavs_abi_value_free(tuple);
    mpavs_abi_signature_free(sig);
    return res;
}

static char *trim(char *s) {
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n')) s[--n] = 0;
    return s;
}

/* The examples of the Solidity ABI specification, from tests/vectors/abi. */
TEST(solidity_spec_examples) {
    size_t len;
    char *file = (char *)harness_read_file(harness_path("tests/vectors/abi/solidity_spec_examples.txt"), &len);
    REQUIRE(file);
    int count = 0;
    for (char *line = strtok(file, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *bar1 = strchr(line, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        REQUIRE(bar1 && bar2);
        *bar1 = *bar2 = 0;
        char *sig = trim(line), *args = bar1 + 1, *expect = trim(bar2 + 1);
        const char *argv[16];
        size_t n = 0;
        for (char *save, *a = strtok_r(args, ";", &save); a && n < 16; a = strtok_r(NULL, ";", &save))
            argv[n++] = trim(a);
        const char *got = calldata_hex(sig, argv, n);
        CHECK_STREQ(got, expect);
        /* and decode back to the same encoding */
        mpavs_abi_signature *s;
        REQUIRE(mpavs_abi_signature_parse(&s, sig) == MPAVS_ABI_OK);
        uint8_t bin[4096];
        long bl = harness_unhex(bin, sizeof bin, expect);
        REQUIRE(bl > 0);
        mpavs_abi_value *v;
        CHECK_EQ_INT(mpavs_abi_decode_call(&v, s, bin, (size_t)bl), MPAVS_ABI_OK);
        uint8_t *re;
        size_t rl;
        CHECK_EQ_INT(mpavs_abi_encode_call(&re, &rl, s, v), MPAVS_ABI_OK);
        CHECK(rl == (size_t)bl && memcmp(re, bin, rl) == 0);
        free(re);
        mpavs_abi_value_free(v);
        mpavs_abi_signature_free(s);
        count++;
    }
    CHECK_EQ_INT(count, 5);
    free(file);
}

TEST(signatures_and_selectors) {
    uint8_t sel[4], topic[32];
    CHECK_EQ_INT(mpavs_abi_selector(sel, "transfer(address, uint)"), MPAVS_ABI_OK);
    CHECK_STREQ(harness_hex(sel, 4), "a9059cbb");
    CHECK_EQ_INT(mpavs_abi_event_topic(topic, "event Transfer(address indexed from, address indexed to, uint256 value)"),
                 MPAVS_ABI_OK);
    CHECK_STREQ(harness_hex(topic, 32), "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    mpavs_abi_signature *s;
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "confirmState((bytes32,bytes,uint32,bytes,bytes,bytes32,uint32),"
                                               "(uint32[],(uint256,uint256)[],(uint256,uint256)[],"
                                               "(uint256[2],uint256[2]),(uint256,uint256),uint32[],uint32[],uint32[][]))"),
                 MPAVS_ABI_OK);
    CHECK_EQ_INT(s->inputs->nfields, 2);
    mpavs_abi_signature_free(s);
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "balanceOf(address)(uint256)"), MPAVS_ABI_OK);
    CHECK(s->outputs && s->outputs->nfields == 1);
    CHECK_STREQ(s->canonical, "balanceOf(address)");
    mpavs_abi_signature_free(s);
    const char *bad[] = {"f(uint7)", "f(uint264)", "f(bytes33)", "f(bytes0)", "f(uint256", "f(address[)", "f(x)",
                         "f(uint256)junk", "f(uint08)", "f(uint256[99999999999])"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = mpavs_abi_signature_parse(&s, bad[i]);
        if (r == MPAVS_ABI_OK) mpavs_abi_signature_free(s);
        CHECK(r != MPAVS_ABI_OK);
    }
    /* nesting deeper than the limit is refused, not a stack overflow */
    char deep[400];
    memset(deep, 0, sizeof deep);
    strcpy(deep, "f(");
    for (int i = 0; i < 100; i++) strcat(deep, "(");
    strcat(deep, "uint256");
    for (int i = 0; i < 100; i++) strcat(deep, ")");
    strcat(deep, ")");
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, deep), MPAVS_ABI_ERR_TOO_DEEP);
    /* fixed arrays whose zero value would be huge are refused before anything is allocated
       (found by fuzz_abi_text: uint32[88888888] asked for 9 GB) */
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "f(uint32[88888888])"), MPAVS_ABI_ERR_TOO_LARGE);
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "f(uint8[2000][2000])"), MPAVS_ABI_ERR_TOO_LARGE);
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "f()((uint8,bool)[600000])"), MPAVS_ABI_ERR_TOO_LARGE);
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "f(uint32[88888888][])"), MPAVS_ABI_ERR_TOO_LARGE);
    CHECK_EQ_INT(mpavs_abi_signature_parse(&s, "f((uint8,uint32[70000])[][])"), MPAVS_ABI_ERR_TOO_LARGE);
    mpavs_abi_type *big;
    CHECK_EQ_INT(mpavs_abi_type_parse(&big, "bytes32[100][100][]"), MPAVS_ABI_OK);
    mpavs_abi_type_free(big);
}

TEST(value_ranges) {
    mpavs_abi_type *t;
    mpavs_abi_value *v;
    REQUIRE(mpavs_abi_type_parse(&t, "int8") == MPAVS_ABI_OK);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "-128"), MPAVS_ABI_OK);
    mpavs_abi_value_free(v);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "127"), MPAVS_ABI_OK);
    mpavs_abi_value_free(v);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "128"), MPAVS_ABI_ERR_RANGE);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "-129"), MPAVS_ABI_ERR_RANGE);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "12a"), MPAVS_ABI_ERR_VALUE_SYNTAX);
    mpavs_abi_type_free(t);
    REQUIRE(mpavs_abi_type_parse(&t, "uint8") == MPAVS_ABI_OK);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "256"), MPAVS_ABI_ERR_RANGE);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "-1"), MPAVS_ABI_ERR_RANGE);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "0xff"), MPAVS_ABI_OK);
    mpavs_abi_value_free(v);
    mpavs_abi_type_free(t);
    REQUIRE(mpavs_abi_type_parse(&t, "address") == MPAVS_ABI_OK);
    /* EIP-55 example addresses: right checksum accepted, one flipped case rejected */
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), MPAVS_ABI_OK);
    char ck[43];
    mpavs_address a;
    memcpy(a.bytes, v->fixed, 20);
    mpavs_address_to_checksum(ck, &a);
    CHECK_STREQ(ck, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    mpavs_abi_value_free(v);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), MPAVS_ABI_ERR_CHECKSUM);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), MPAVS_ABI_OK);
    mpavs_abi_value_free(v);
    CHECK_EQ_INT(mpavs_abi_value_parse(&v, t, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), MPAVS_ABI_ERR_VALUE_SYNTAX);
    mpavs_abi_type_free(t);
}

static int decode_hex(const char *type, const char *hex, mpavs_abi_value **v) {
    mpavs_abi_type *t;
    if (mpavs_abi_type_parse(&t, type)) return -1;
    static uint8_t buf[1 << 16];
    long n = harness_unhex(buf, sizeof buf, hex);
    int r = mpavs_abi_decode(v, t, buf, (size_t)n);
    if (r == MPAVS_ABI_OK) {
        /* keep the type alive with the value for the caller: leak-free by re-encoding only */
        uint8_t *re;
        size_t rl;
        if (mpavs_abi_encode(&re, &rl, *v) == MPAVS_ABI_OK) free(re);
        mpavs_abi_value_free(*v);
        *v = NULL;
    }
    mpavs_abi_type_free(t);
    return r;
}

#define W0 "0000000000000000000000000000000000000000000000000000000000000000"
#define W1 "0000000000000000000000000000000000000000000000000000000000000001"
#define W20 "0000000000000000000000000000000000000000000000000000000000000020"
#define WBIG "00000000000000000000000000000000000000000000000000000000ffffffff"

TEST(hostile_decoding) {
    mpavs_abi_value *v;
    CHECK_EQ_INT(decode_hex("(uint256)", "", &v), MPAVS_ABI_ERR_TRUNCATED);
    CHECK_EQ_INT(decode_hex("(uint256)", "00", &v), MPAVS_ABI_ERR_TRUNCATED);
    CHECK_EQ_INT(decode_hex("(uint8)", "0000000000000000000000000000000000000000000000000000000000000100", &v),
                 MPAVS_ABI_ERR_DIRTY);
    CHECK_EQ_INT(decode_hex("(bool)", "0000000000000000000000000000000000000000000000000000000000000002", &v),
                 MPAVS_ABI_ERR_DIRTY);
    CHECK_EQ_INT(decode_hex("(address)", "0100000000000000000000000000000000000000000000000000000000000000", &v),
                 MPAVS_ABI_ERR_DIRTY);
    CHECK_EQ_INT(decode_hex("(bytes1)", "0101000000000000000000000000000000000000000000000000000000000000", &v),
                 MPAVS_ABI_ERR_DIRTY);
    CHECK_EQ_INT(decode_hex("(int8)", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80", &v),
                 MPAVS_ABI_OK);
    CHECK_EQ_INT(decode_hex("(int8)", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", &v),
                 MPAVS_ABI_ERR_DIRTY);
    /* offset beyond the data, length beyond the data, absurd length */
    CHECK_EQ_INT(decode_hex("(bytes)", WBIG, &v), MPAVS_ABI_ERR_OFFSET);
    CHECK_EQ_INT(decode_hex("(bytes)", W20 "0000000000000000000000000000000000000000000000000000000000000040", &v),
                 MPAVS_ABI_ERR_TRUNCATED);
    CHECK_EQ_INT(decode_hex("(bytes)", W20 "0000000000000000000000000000000000000000000000000000000000000010", &v),
                 MPAVS_ABI_ERR_TRUNCATED);
    CHECK_EQ_INT(decode_hex("(uint256[])", W20 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", &v),
                 MPAVS_ABI_ERR_OFFSET);
    CHECK_EQ_INT(decode_hex("(uint256[])", W20 "0000000000000000000000000000000000000000000000000000000000000020", &v),
                 MPAVS_ABI_ERR_TRUNCATED);
    /* an empty array and an empty string decode */
    CHECK_EQ_INT(decode_hex("(uint256[],string)", "0000000000000000000000000000000000000000000000000000000000000040"
                                                  "0000000000000000000000000000000000000000000000000000000000000060" W0 W0,
                            &v),
                 MPAVS_ABI_OK);
    /* a zero-size element type with a huge count is bounded by the budget */
    CHECK_EQ_INT(decode_hex("(uint256[0][])", W20 "0000000000000000000000000000000000000000000000000000000010000000", &v),
                 MPAVS_ABI_ERR_OFFSET);
    CHECK_EQ_INT(decode_hex("(uint256[0][])", W20 "0000000000000000000000000000000000000000000000000000000000100000", &v),
                 MPAVS_ABI_ERR_OFFSET);
    /* lengths can never exceed the input size, so zero-size elements stay bounded */
    CHECK_EQ_INT(decode_hex("(uint256[0][])", W20 "0000000000000000000000000000000000000000000000000000000000000040", &v),
                 MPAVS_ABI_OK);
    /* a fixed array far larger than the data is refused before allocation */
    CHECK_EQ_INT(decode_hex("(uint256[60000])", W1, &v), MPAVS_ABI_ERR_TRUNCATED);
}

/* Many offsets aliasing one large array ("decompression bomb") hit the budget. */
TEST(aliasing_bomb_is_bounded) {
    size_t nouter = 2000, ninner = 1000;
    size_t words = 2 + nouter + 1 + ninner;
    uint8_t *d = calloc(words, 32);
    REQUIRE(d);
    d[31] = 0x20;                                         /* offset of the outer array */
    d[32 + 30] = (uint8_t)(nouter >> 8), d[32 + 31] = (uint8_t)nouter;
    size_t inner_off = nouter * 32;                       /* relative to the outer array's element area */
    for (size_t i = 0; i < nouter; i++) {
        uint8_t *w = d + 64 + 32 * i;
        w[30] = (uint8_t)(inner_off >> 8), w[31] = (uint8_t)inner_off;
    }
    uint8_t *inner = d + 64 + nouter * 32;
    inner[30] = (uint8_t)(ninner >> 8), inner[31] = (uint8_t)ninner;
    mpavs_abi_type *t;
    REQUIRE(mpavs_abi_type_parse(&t, "(uint256[][])") == MPAVS_ABI_OK);
    mpavs_abi_value *v = NULL;
    CHECK_EQ_INT(mpavs_abi_decode(&v, t, d, words * 32), MPAVS_ABI_ERR_TOO_LARGE);
    CHECK(v == NULL);
    mpavs_abi_type_free(t);
    free(d);
}

TEST(revert_decoding) {
    const char *errs[] = {"InsufficientStake(uint256,uint256)", "Unauthorized()"};
    uint8_t buf[512];
    char *msg;
    /* Error("Not enough Ether provided.") */
    long n = harness_unhex(buf, sizeof buf,
                           "08c379a0" W20 "000000000000000000000000000000000000000000000000000000000000001a"
                           "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");
    CHECK_EQ_INT(mpavs_abi_decode_revert(&msg, buf, (size_t)n, errs, 2), MPAVS_ABI_OK);
    CHECK_STREQ(msg, "Not enough Ether provided.");
    free(msg);
    n = harness_unhex(buf, sizeof buf, "4e487b71" "0000000000000000000000000000000000000000000000000000000000000011");
    CHECK_EQ_INT(mpavs_abi_decode_revert(&msg, buf, (size_t)n, errs, 2), MPAVS_ABI_OK);
    CHECK_STREQ(msg, "panic 0x11 (arithmetic overflow or underflow)");
    free(msg);
    uint8_t sel[4];
    REQUIRE(mpavs_abi_selector(sel, errs[0]) == MPAVS_ABI_OK);
    memcpy(buf, sel, 4);
    n = harness_unhex(buf + 4, sizeof buf - 4,
                      "0000000000000000000000000000000000000000000000000000000000000005"
                      "0000000000000000000000000000000000000000000000000000000000000007");
    CHECK_EQ_INT(mpavs_abi_decode_revert(&msg, buf, (size_t)n + 4, errs, 2), MPAVS_ABI_OK);
    CHECK_STREQ(msg, "InsufficientStake(5, 7)");
    free(msg);
    CHECK_EQ_INT(mpavs_abi_decode_revert(&msg, buf, 0, errs, 2), MPAVS_ABI_OK);
    CHECK_STREQ(msg, "reverted without data");
    free(msg);
    buf[0] ^= 1;
    CHECK_EQ_INT(mpavs_abi_decode_revert(&msg, buf, 4, errs, 2), MPAVS_ABI_OK);
    CHECK(strncmp(msg, "unknown revert 0x", 17) == 0);
    free(msg);
}

TEST(log_decoding) {
    mpavs_abi_signature *s;
    REQUIRE(mpavs_abi_signature_parse(&s, "Transfer(address indexed from,address indexed to,uint256 value)") ==
            MPAVS_ABI_OK);
    uint8_t topics[3][32] = {{0}};
    mpavs_abi_signature_topic(topics[0], s);
    topics[1][31] = 0xaa;
    topics[2][31] = 0xbb;
    uint8_t data[32] = {0};
    data[31] = 42;
    mpavs_abi_value *v;
    CHECK_EQ_INT(mpavs_abi_decode_log(&v, s, (const uint8_t(*)[32])topics, 3, data, 32, false), MPAVS_ABI_OK);
    REQUIRE(v);
    CHECK_EQ_INT(v->items[0].fixed[19], 0xaa);
    CHECK_EQ_INT(v->items[1].fixed[19], 0xbb);
    CHECK_EQ_INT(v->items[2].word.w[0], 42);
    mpavs_abi_value_free(v);
    CHECK_EQ_INT(mpavs_abi_decode_log(&v, s, (const uint8_t(*)[32])topics, 2, data, 32, false),
                 MPAVS_ABI_ERR_TRUNCATED);
    topics[0][0] ^= 1;
    CHECK_EQ_INT(mpavs_abi_decode_log(&v, s, (const uint8_t(*)[32])topics, 3, data, 32, false), MPAVS_ABI_ERR_SELECTOR);
    mpavs_abi_signature_free(s);
}

TEST(format_output) {
    mpavs_abi_type *t;
    REQUIRE(mpavs_abi_type_parse(&t, "(int16,string[],(bool,bytes2))") == MPAVS_ABI_OK);
    mpavs_abi_value *v;
    REQUIRE(mpavs_abi_value_parse(&v, t, "(-300, [\"a\\\"b\", c d], (true, 0xbeef))") == MPAVS_ABI_OK);
    char *s;
    REQUIRE(mpavs_abi_value_format(&s, v) == MPAVS_ABI_OK);
    CHECK_STREQ(s, "(-300, [\"a\\\"b\", \"c d\"], (true, 0xbeef))");
    free(s);
    mpavs_abi_value_free(v);
    mpavs_abi_type_free(t);
}

int main(void) {
    RUN(solidity_spec_examples);
    RUN(signatures_and_selectors);
    RUN(value_ranges);
    RUN(hostile_decoding);
    RUN(aliasing_bomb_is_bounded);
    RUN(revert_decoding);
    RUN(log_decoding);
    RUN(format_output);
    return harness_summary();
}
