#include "harness.h"
#include "mpavs/keccak.h"

#include <stdlib.h>

static void check_k(const char *msg, size_t len, const char *hex) {
    uint8_t out[32];
    mpavs_keccak256(out, msg, len);
    CHECK_STREQ(harness_hex(out, 32), hex);
}
static void check_s(const char *msg, size_t len, const char *hex) {
    uint8_t out[32];
    mpavs_sha3_256(out, msg, len);
    CHECK_STREQ(harness_hex(out, 32), hex);
}

/* Ethereum's well-known values (empty string, keccak256("hello world")) */
TEST(keccak256_known) {
    check_k("", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    check_k("hello world", 11, "47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad");
    check_k("transfer(address,uint256)", 25,
            "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b");
}

/* FIPS 202 / NIST example values */
TEST(sha3_256_nist) {
    check_s("", 0, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    check_s("abc", 3, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    check_s("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
            "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376");
}

/* 1,000,000 x 'a' (NIST), fed in uneven chunks to exercise buffering across the rate */
TEST(sha3_256_million_a_chunked) {
    char *buf = malloc(1000000);
    REQUIRE(buf);
    memset(buf, 'a', 1000000);
    mpavs_keccak_ctx c;
    mpavs_sha3_256_init(&c);
    size_t off = 0, step = 1;
    while (off < 1000000) {
        size_t n = step < 1000000 - off ? step : 1000000 - off;
        mpavs_keccak_update(&c, buf + off, n);
        off += n;
        step = step * 7 % 1013 + 1;
    }
    uint8_t out[32];
    mpavs_keccak_final(&c, out);
    CHECK_STREQ(harness_hex(out, 32), "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1");
    free(buf);
}

/* Incremental equals one-shot at every split point around the 136-byte rate */
TEST(split_points) {
    uint8_t msg[300], a[32], b[32];
    for (int i = 0; i < 300; i++) msg[i] = (uint8_t)(i * 31 + 7);
    for (size_t len = 0; len <= 300; len += 17) {
        mpavs_keccak256(a, msg, len);
        for (size_t cut = 0; cut <= len; cut += 5) {
            mpavs_keccak_ctx c;
            mpavs_keccak256_init(&c);
            mpavs_keccak_update(&c, msg, cut);
            mpavs_keccak_update(&c, msg + cut, len - cut);
            mpavs_keccak_final(&c, b);
            CHECK_MEMEQ(a, b, 32);
        }
    }
}

int main(void) {
    RUN(keccak256_known);
    RUN(sha3_256_nist);
    RUN(sha3_256_million_a_chunked);
    RUN(split_points);
    return harness_summary();
}
