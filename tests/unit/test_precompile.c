/*
 * tests/unit/test_precompile.c — the EVM precompiles (src/evm/precompile*.c) against published
 * vectors: EIP-152 (BLAKE2F), EIP-198 (MODEXP), EIP-7951 (P256VERIFY, from its test-vectors.json),
 * the FIPS 180 / RIPEMD-160 "abc" digests, and the fork table. The differential test against
 * anvil (tests/integration/test_precompile_anvil.c) covers many more inputs.
 */
#include <stdlib.h>

#include "evm/precompile.h"
#include "harness.h"

static uint8_t ADDR[20];
static const uint8_t *addr_of(unsigned a) {
    memset(ADDR, 0, sizeof ADDR);
    ADDR[18] = (uint8_t)(a >> 8);
    ADDR[19] = (uint8_t)a;
    return ADDR;
}

/* Runs precompile a on hex input; returns the status; *out gets the hex output (static). */
static evm_pc_status run_hex(evm_pc_result *res, mpavs_evm_fork fork, unsigned a, const char *hex,
                             uint64_t gas) {
    static uint8_t in[4096];
    long n = harness_unhex(in, sizeof in, hex);
    if (n < 0) {
        harness_fail(__FILE__, __LINE__, "bad hex in a test vector");
        n = 0;
    }
    return evm_precompile_run(res, fork, addr_of(a), in, (size_t)n, gas);
}

static bool out_is(const evm_pc_result *res, const char *hex) {
    return strcmp(harness_hex(res->out, res->out_len), hex) == 0;
}

TEST(fork_table) {
    for (unsigned a = 1; a <= 0x0a; a++) {
        CHECK(evm_precompile_exists(MPAVS_EVM_CANCUN, addr_of(a)));
        CHECK(evm_precompile_exists(MPAVS_EVM_OSAKA, addr_of(a)));
    }
    for (unsigned a = 0x0b; a <= 0x11; a++) {
        CHECK(!evm_precompile_exists(MPAVS_EVM_CANCUN, addr_of(a)));
        CHECK(evm_precompile_exists(MPAVS_EVM_PRAGUE, addr_of(a)));
        CHECK(evm_precompile_exists(MPAVS_EVM_OSAKA, addr_of(a)));
    }
    CHECK(!evm_precompile_exists(MPAVS_EVM_CANCUN, addr_of(0)));
    CHECK(!evm_precompile_exists(MPAVS_EVM_PRAGUE, addr_of(0x12)));
    CHECK(!evm_precompile_exists(MPAVS_EVM_PRAGUE, addr_of(0x100)));
    CHECK(evm_precompile_exists(MPAVS_EVM_OSAKA, addr_of(0x100)));
    CHECK(!evm_precompile_exists(MPAVS_EVM_OSAKA, addr_of(0x101)));
    uint8_t far[20] = {0};
    far[0] = 1;
    far[19] = 1;
    CHECK(!evm_precompile_exists(MPAVS_EVM_OSAKA, far));
}

TEST(unsupported_bls12_381) {
    evm_pc_result res;
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x0a, "00", 1000000), EVM_PC_UNSUPPORTED);
    for (unsigned a = 0x0b; a <= 0x11; a++)
        CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_PRAGUE, a, "", 1000000), EVM_PC_UNSUPPORTED);
    CHECK(res.out == NULL && res.out_len == 0);
}

TEST(hashes_and_identity) {
    evm_pc_result res;
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x02, "616263", 72), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 72);
    CHECK(out_is(&res, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    free(res.out);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x02, "616263", 71), EVM_PC_FAILURE);
    CHECK_EQ_INT(res.gas_used, 71);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x02, "", 60), EVM_PC_SUCCESS);
    CHECK(out_is(&res, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    free(res.out);

    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x03, "616263", 1000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 720);
    CHECK(out_is(&res, "0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc"));
    free(res.out);

    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x04, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01", 100), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 15 + 3 * 2);
    CHECK(out_is(&res, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01"));
    free(res.out);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x04, "", 15), EVM_PC_SUCCESS);
    CHECK(res.out == NULL && res.out_len == 0 && res.gas_used == 15);
}

TEST(ecrecover) {
    evm_pc_result res;
    /* go-ethereum's core/vm/testdata/precompiles/ecRecover.json "ValidKey" */
    const char *ok = "38d18acb67d25c8bb9942764b62f18e17054f66a817bd4295423adf9ed98873e"
                     "000000000000000000000000000000000000000000000000000000000000001b"
                     "38d18acb67d25c8bb9942764b62f18e17054f66a817bd4295423adf9ed98873e"
                     "789d1dd423d25f0772d2748d60f7e4b81bb14d086eba8e8e8efb6dcff8a4ae02";
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, ok, 3000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 3000);
    CHECK(out_is(&res, "000000000000000000000000ceaccac640adf55b2028469bd36ba501f28b699d"));
    free(res.out);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, ok, 2999), EVM_PC_FAILURE);

    /* v = 27 with a high byte set: not the word 27 -> empty output, still a success */
    char bad[300];
    snprintf(bad, sizeof bad, "%.64s01%.62s%.128s", ok, ok + 66, ok + 128);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, bad, 3000), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0 && res.gas_used == 3000);
    /* v = 29 */
    snprintf(bad, sizeof bad, "%.126s1d%.128s", ok, ok + 128);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, bad, 3000), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0);
    /* s = n */
    snprintf(bad, sizeof bad, "%.192sfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", ok);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, bad, 3000), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0);
    /* empty input */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x01, "", 3000), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0);
}

/* EIP-198's two examples; prices per EIP-2565 (Cancun) and EIP-7883 (Osaka). */
TEST(modexp_eip198) {
    evm_pc_result res;
    const char *fermat = "0000000000000000000000000000000000000000000000000000000000000001"
                         "0000000000000000000000000000000000000000000000000000000000000020"
                         "0000000000000000000000000000000000000000000000000000000000000020"
                         "03"
                         "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
                         "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x05, fermat, 100000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 16 * 255 / 3);
    CHECK(out_is(&res, "0000000000000000000000000000000000000000000000000000000000000001"));
    free(res.out);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, fermat, 100000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 16 * 255);
    free(res.out);
    /* the second example: Bsize 0, so base 0 and the result is 0; the modulus is read past the input */
    const char *zero = "0000000000000000000000000000000000000000000000000000000000000000"
                       "0000000000000000000000000000000000000000000000000000000000000020"
                       "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                       "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
                       "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    /* Msize = 2^256 - 1: out of gas in Cancun, over EIP-7823's bound in Osaka */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x05, zero, 10000000), EVM_PC_FAILURE);
    CHECK_EQ_INT(res.gas_used, 10000000);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, zero, 10000000), EVM_PC_FAILURE);
    /* all lengths zero: empty output at the minimum price */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x05, "", 200), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0 && res.gas_used == 200);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, "", 499), EVM_PC_FAILURE);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, "", 500), EVM_PC_SUCCESS);
    /* Osaka: 1024-byte operands are allowed, 1025 are not */
    const char *m1024 = "0000000000000000000000000000000000000000000000000000000000000001"
                        "0000000000000000000000000000000000000000000000000000000000000001"
                        "0000000000000000000000000000000000000000000000000000000000000400"
                        "0203";
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, m1024, 10000000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.out_len, 1024);
    CHECK_EQ_INT(res.gas_used, 2 * 128 * 128 * 1); /* 2 * words^2, iterations max(bitlen(3)-1, 1) */
    CHECK(res.out_len == 1024 && res.out[1023] == 0); /* M = 0 (read past the input): output zeros */
    free(res.out);
    const char *m1025 = "0000000000000000000000000000000000000000000000000000000000000001"
                        "0000000000000000000000000000000000000000000000000000000000000001"
                        "0000000000000000000000000000000000000000000000000000000000000401"
                        "0203";
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x05, m1025, 10000000), EVM_PC_FAILURE);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x05, m1025, 10000000), EVM_PC_SUCCESS);
    CHECK_EQ_INT(res.gas_used, 129 * 129 / 3);
    free(res.out);
}

/* EIP-152's test vectors 0–7 (vector 8, 2^32 - 1 rounds, is checked only for its price). */
TEST(blake2f_eip152) {
    const char *body = "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
                       "6162630000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                       "03000000000000000000000000000000";
    char in[600];
    evm_pc_result res;
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, "", 100), EVM_PC_FAILURE); /* vector 0 */
    snprintf(in, sizeof in, "00000c%s01", body);                                 /* vector 1: 212 bytes */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, 100), EVM_PC_FAILURE);
    snprintf(in, sizeof in, "000000000c%s01", body); /* vector 2: 214 bytes */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, 100), EVM_PC_FAILURE);
    snprintf(in, sizeof in, "0000000c%s02", body); /* vector 3: flag 2 */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, 100), EVM_PC_FAILURE);
    CHECK_EQ_INT(res.gas_used, 100);
    static const struct {
        const char *rounds, *flag, *out;
        uint64_t gas;
    } v[] = {
        {"00000000", "01", "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b", 0},
        {"0000000c", "01", "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923", 12},
        {"0000000c", "00", "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735", 12},
        {"00000001", "01", "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421", 1},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        snprintf(in, sizeof in, "%s%s%s", v[i].rounds, body, v[i].flag);
        CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, 1000), EVM_PC_SUCCESS);
        CHECK_EQ_INT(res.gas_used, v[i].gas);
        CHECK(out_is(&res, v[i].out));
        free(res.out);
        if (v[i].gas > 0) CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, v[i].gas - 1), EVM_PC_FAILURE);
    }
    snprintf(in, sizeof in, "ffffffff%s01", body); /* vector 8: 4294967295 gas, more than given */
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_CANCUN, 0x09, in, 30000000), EVM_PC_FAILURE);
    CHECK_EQ_INT(res.gas_used, 30000000);
}

/* Cases of the EIP-7951 test-vectors.json (wycheproof-derived); the price is the final 6900. */
TEST(p256verify_eip7951) {
    const char *h = "bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023";
    const char *q = "2927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838"
                    "c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e";
    static const struct {
        const char *rs;
        bool valid;
    } v[] = {
        /* #1 signature malleability (valid) */
        {"2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76", true},
        /* #3 r modified by the group order */
        {"d45c5740946b2a147f59262ee6f5bc90bd01ed280528b62b3aed5fc93f06f739b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db", false},
        /* #8 s modified */
        {"2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b865d442f5a3c7b11eb6c4e0ae79578ec6353a20bf783ecb4b6ea97b825", false},
        /* #9 r = s = 0 */
        {"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", false},
        /* #11 r = 0, s = n */
        {"0000000000000000000000000000000000000000000000000000000000000000ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", false},
        /* #25 r = s = n */
        {"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", false},
    };
    char in[400];
    evm_pc_result res;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        snprintf(in, sizeof in, "%s%s%s", h, v[i].rs, q);
        CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x100, in, 6900), EVM_PC_SUCCESS);
        CHECK_EQ_INT(res.gas_used, 6900);
        CHECK(v[i].valid ? out_is(&res, "0000000000000000000000000000000000000000000000000000000000000001")
                         : res.out_len == 0);
        free(res.out);
    }
    /* wrong length, a key off the curve, a key coordinate >= p: empty output, full price */
    snprintf(in, sizeof in, "%s%s%s00", h, v[0].rs, q);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x100, in, 6900), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0 && res.gas_used == 6900);
    snprintf(in, sizeof in, "%s%s%.127s0", h, v[0].rs, q);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x100, in, 6900), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0);
    snprintf(in, sizeof in, "%s%sffffffff00000001000000000000000000000000ffffffffffffffffffffffff%.64s", h,
             v[0].rs, q + 64);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x100, in, 6900), EVM_PC_SUCCESS);
    CHECK(res.out_len == 0);
    CHECK_EQ_INT(run_hex(&res, MPAVS_EVM_OSAKA, 0x100, "", 6899), EVM_PC_FAILURE);
}

int main(void) {
    RUN(fork_table);
    RUN(unsupported_bls12_381);
    RUN(hashes_and_identity);
    RUN(ecrecover);
    RUN(modexp_eip198);
    RUN(blake2f_eip152);
    RUN(p256verify_eip7951);
    return harness_summary();
}
