/* hex and 256-bit integers: parsing, printing, arithmetic, edge cases. */
#include "harness.h"
#include "mpavs/hex.h"
#include "mpavs/u256.h"

#include <stdlib.h>

#define MAXU "115792089237316195423570985008687907853269984665640564039457584007913129639935"

static mpavs_u256 P(const char *s) {
    mpavs_u256 v = {{0}};
    if (mpavs_u256_parse(&v, s, strlen(s)) != MPAVS_U256_OK) harness_fail(__FILE__, __LINE__, s);
    return v;
}

static const char *dec(const mpavs_u256 *v) {
    static char b[80];
    mpavs_u256_to_dec(b, sizeof b, v);
    return b;
}

static const char *hx(const mpavs_u256 *v) {
    static char b[80];
    mpavs_u256_to_hex(b, sizeof b, v);
    return b;
}

TEST(hex_codec) {
    uint8_t out[8];
    size_t n;
    CHECK_EQ_INT(mpavs_hex_decode(out, sizeof out, &n, "0xDeadBEEF", 10), MPAVS_HEX_OK);
    CHECK(n == 4 && out[0] == 0xde && out[3] == 0xef);
    CHECK_EQ_INT(mpavs_hex_decode(out, sizeof out, &n, "0x", 2), MPAVS_HEX_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mpavs_hex_decode(out, sizeof out, &n, "abc", 3), MPAVS_HEX_ERR_ODD);
    CHECK_EQ_INT(mpavs_hex_decode(out, sizeof out, &n, "0xzz", 4), MPAVS_HEX_ERR_CHAR);
    CHECK_EQ_INT(mpavs_hex_decode(out, sizeof out, &n, "0x 0", 4), MPAVS_HEX_ERR_CHAR);
    CHECK_EQ_INT(mpavs_hex_decode(out, 2, &n, "010203", 6), MPAVS_HEX_ERR_SPACE);
    CHECK_EQ_INT(mpavs_hex_decode_exact(out, 2, "0x0102"), MPAVS_HEX_OK);
    CHECK_EQ_INT(mpavs_hex_decode_exact(out, 2, "0x010203"), MPAVS_HEX_ERR_SPACE);
    char s[16];
    CHECK_EQ_INT(mpavs_hex_encode(s, sizeof s, out, 2, true), MPAVS_HEX_OK);
    CHECK_STREQ(s, "0x0102");
    CHECK_EQ_INT(mpavs_hex_encode(s, 6, out, 2, true), MPAVS_HEX_ERR_SPACE);
    CHECK_STREQ(s, "");
}

TEST(u256_parse_print) {
    mpavs_u256 v = P(MAXU);
    CHECK_STREQ(dec(&v), MAXU);
    CHECK_STREQ(hx(&v), "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    v = P("0");
    CHECK_STREQ(dec(&v), "0");
    CHECK_STREQ(hx(&v), "0x0");
    v = P("0x00ff");
    CHECK_STREQ(dec(&v), "255");
    v = P("1000000000000000000");
    CHECK_STREQ(hx(&v), "0xde0b6b3a7640000");
    mpavs_u256 w;
    const char *over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    CHECK_EQ_INT(mpavs_u256_parse(&w, over, strlen(over)), MPAVS_U256_ERR_OVERFLOW);
    const char *over_hex = "0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    CHECK_EQ_INT(mpavs_u256_parse(&w, over_hex, strlen(over_hex)), MPAVS_U256_ERR_OVERFLOW);
    const char *bad[] = {"", "0x", "-1", " 1", "1 ", "1e3", "0xg", "12a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(mpavs_u256_parse(&w, bad[i], strlen(bad[i])), MPAVS_U256_ERR_SYNTAX);
    char small[3];
    v = P("1234");
    CHECK_EQ_INT(mpavs_u256_to_dec(small, sizeof small, &v), MPAVS_U256_ERR_SPACE);
}

TEST(u256_arith) {
    mpavs_u256 a = P(MAXU), one = P("1"), r;
    CHECK_EQ_INT(mpavs_u256_add(&r, &a, &one), 1); /* wraps with carry */
    CHECK(mpavs_u256_is_zero(&r));
    CHECK_EQ_INT(mpavs_u256_sub(&r, &r, &one), 1); /* borrows back */
    CHECK_STREQ(dec(&r), MAXU);
    mpavs_u256 x = P("340282366920938463463374607431768211456"); /* 2^128 */
    CHECK(mpavs_u256_mul(&r, &x, &x));                           /* 2^256 overflows */
    CHECK(mpavs_u256_is_zero(&r));
    mpavs_u256 y = P("0xffffffffffffffff"), q, m;
    CHECK(!mpavs_u256_mul(&r, &y, &y));
    CHECK_STREQ(hx(&r), "0xfffffffffffffffe0000000000000001");
    CHECK_EQ_INT(mpavs_u256_divmod(&q, &m, &a, &y), MPAVS_U256_OK);
    mpavs_u256 back;
    mpavs_u256_mul(&back, &q, &y);
    mpavs_u256_add(&back, &back, &m);
    CHECK_EQ_INT(mpavs_u256_cmp(&back, &a), 0);
    CHECK_EQ_INT(mpavs_u256_divmod(&q, &m, &a, &(mpavs_u256){{0}}), MPAVS_U256_ERR_DIV_ZERO);
    mpavs_u256_neg(&r, &one);
    CHECK_STREQ(dec(&r), MAXU);
    mpavs_u256_shl(&r, &one, 255);
    CHECK_EQ_INT(mpavs_u256_bits(&r), 256);
    CHECK_EQ_INT(mpavs_u256_bit(&r, 255), 1);
    mpavs_u256_shr(&r, &r, 200);
    CHECK_STREQ(hx(&r), "0x80000000000000");
    uint8_t be[32], min[32];
    size_t ml;
    mpavs_u256_to_be32(be, &y);
    CHECK(be[23] == 0 && be[24] == 0xff && be[31] == 0xff);
    mpavs_u256_to_be_min(min, &ml, &y);
    CHECK_EQ_INT(ml, 8);
    mpavs_u256 z = mpavs_u256_from_be32(be);
    CHECK_EQ_INT(mpavs_u256_cmp(&z, &y), 0);
    CHECK_EQ_INT(mpavs_u256_from_be(&z, be, 33), MPAVS_U256_ERR_OVERFLOW);
}

/* Decimal and hex printing agree with repeated arithmetic on many values. */
TEST(u256_roundtrip_random) {
    unsigned seed = 42;
    for (int i = 0; i < 2000; i++) {
        mpavs_u256 v;
        for (int k = 0; k < 4; k++) v.w[k] = ((uint64_t)rand_r(&seed) << 33) ^ ((uint64_t)rand_r(&seed) << 11) ^ (uint64_t)rand_r(&seed);
        if (i % 3 == 0) v.w[3] = 0;
        if (i % 5 == 0) v.w[2] = v.w[3] = 0;
        char d[80], h[80];
        mpavs_u256_to_dec(d, sizeof d, &v);
        mpavs_u256_to_hex(h, sizeof h, &v);
        mpavs_u256 a = P(d), b = P(h);
        CHECK(mpavs_u256_cmp(&a, &v) == 0 && mpavs_u256_cmp(&b, &v) == 0);
    }
}

/* Amounts in units and fees per gas: the text an operator writes in a config or on the command line. */
TEST(u256_units_and_fees) {
    const struct {
        const char *s;
        unsigned dec;
        int rc;
        const char *dec_text;
    } u[] = {
        {"1.5", 9, MPAVS_U256_OK, "1500000000"},  {"0.000000001", 9, MPAVS_U256_OK, "1"},
        {"32", 18, MPAVS_U256_OK, "32000000000000000000"}, {"7", 0, MPAVS_U256_OK, "7"},
        {"1.", 9, MPAVS_U256_OK, "1000000000"},   {".5", 1, MPAVS_U256_OK, "5"},
        {"0.0000000001", 9, MPAVS_U256_ERR_SYNTAX, NULL}, {"1.5", 0, MPAVS_U256_ERR_SYNTAX, NULL},
        {"", 9, MPAVS_U256_ERR_SYNTAX, NULL},     {".", 9, MPAVS_U256_ERR_SYNTAX, NULL},
        {"1.2.3", 9, MPAVS_U256_ERR_SYNTAX, NULL}, {"-1", 0, MPAVS_U256_ERR_SYNTAX, NULL},
        {" 1", 0, MPAVS_U256_ERR_SYNTAX, NULL},   {"1e9", 0, MPAVS_U256_ERR_SYNTAX, NULL},
        {"115792089237316195423570985008687907853269984665640564039457584007913129639935", 0, MPAVS_U256_OK,
         "115792089237316195423570985008687907853269984665640564039457584007913129639935"},
        {"115792089237316195423570985008687907853269984665640564039457584007913129639936", 0,
         MPAVS_U256_ERR_OVERFLOW, NULL},
        {"115792089237316195423570985008687907853269984665640564039458", 18, MPAVS_U256_ERR_OVERFLOW, NULL},
        {"115792089237316195423570985008687907853269984665640564039457", 18, MPAVS_U256_OK,
         "115792089237316195423570985008687907853269984665640564039457000000000000000000"},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        mpavs_u256 v;
        char t[80];
        int rc = mpavs_u256_parse_units(&v, u[i].s, u[i].dec);
        CHECK_EQ_INT(rc, u[i].rc);
        if (rc == MPAVS_U256_OK && u[i].dec_text) {
            REQUIRE(mpavs_u256_to_dec(t, sizeof t, &v) == MPAVS_U256_OK);
            CHECK_STREQ(t, u[i].dec_text);
        }
    }
    const struct {
        const char *s;
        int rc;
        const char *wei;
    } f[] = {
        {"1500000000", MPAVS_U256_OK, "1500000000"}, {"1.5gwei", MPAVS_U256_OK, "1500000000"},
        {"20GWei", MPAVS_U256_OK, "20000000000"},     {"7wei", MPAVS_U256_OK, "7"},
        {"1.5wei", MPAVS_U256_ERR_SYNTAX, NULL},      {"gwei", MPAVS_U256_ERR_SYNTAX, NULL},
        {"1 gwei", MPAVS_U256_ERR_SYNTAX, NULL},      {"0x10", MPAVS_U256_ERR_SYNTAX, NULL},
        {"3eth", MPAVS_U256_ERR_SYNTAX, NULL},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        mpavs_u256 v;
        char t[80];
        int rc = mpavs_u256_parse_fee(&v, f[i].s);
        CHECK_EQ_INT(rc, f[i].rc);
        if (rc == MPAVS_U256_OK) {
            REQUIRE(mpavs_u256_to_dec(t, sizeof t, &v) == MPAVS_U256_OK);
            CHECK_STREQ(t, f[i].wei);
        }
    }
}

int main(void) {
    RUN(hex_codec);
    RUN(u256_parse_print);
    RUN(u256_units_and_fees);
    RUN(u256_arith);
    RUN(u256_roundtrip_random);
    return harness_summary();
}
