/* secp256k1 / EIP-55 / EIP-191 / EIP-712: published vectors and values produced by cast 1.7.1. */
#include "harness.h"
#include "mpavs/ecdsa.h"
#include "mpavs/keccak.h"

#include <stdlib.h>

static mpavs_ecdsa_ctx *ctx;

static void unhex32(uint8_t out[32], const char *hex) {
    if (harness_unhex(out, 32, hex) != 32) memset(out, 0xee, 32);
}

/* The EIP-155 example key 0x4646..46 and its address (cast wallet address). */
TEST(key_to_address) {
    uint8_t k[32];
    memset(k, 0x46, 32);
    mpavs_address a;
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a, k) == MPAVS_ECDSA_OK);
    char s[43];
    mpavs_address_to_checksum(s, &a);
    CHECK_STREQ(s, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    /* key = keccak256("cow") (EIP-712 example) */
    mpavs_keccak256(k, "cow", 3);
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a, k) == MPAVS_ECDSA_OK);
    mpavs_address_to_checksum(s, &a);
    CHECK_STREQ(s, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    /* key 1: the generator's address */
    memset(k, 0, 32);
    k[31] = 1;
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a, k) == MPAVS_ECDSA_OK);
    mpavs_address_to_checksum(s, &a);
    CHECK_STREQ(s, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
}

TEST(bad_seckeys) {
    uint8_t k[32];
    bool ok;
    mpavs_address a;
    memset(k, 0, 32);
    REQUIRE(mpavs_ecdsa_seckey_verify(ctx, &ok, k) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(mpavs_ecdsa_seckey_to_address(ctx, &a, k), MPAVS_ECDSA_ERR_SECKEY);
    unhex32(k, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"); /* n */
    REQUIRE(mpavs_ecdsa_seckey_verify(ctx, &ok, k) == 0);
    CHECK(!ok);
    mpavs_ecdsa_sig sig;
    uint8_t h[32] = {1};
    CHECK_EQ_INT(mpavs_ecdsa_sign(ctx, &sig, h, k), MPAVS_ECDSA_ERR_SECKEY);
    unhex32(k, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"); /* n-1 */
    REQUIRE(mpavs_ecdsa_seckey_verify(ctx, &ok, k) == 0);
    CHECK(ok);
}

/* EIP-55's own examples. */
TEST(eip55) {
    static const char *const good[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        mpavs_address a;
        bool ok;
        REQUIRE(mpavs_address_parse(&a, good[i]) == MPAVS_ECDSA_OK);
        char s[43];
        mpavs_address_to_checksum(s, &a);
        REQUIRE(mpavs_address_checksum_verify(&ok, s) == 0);
        CHECK(ok);
        if (i < 6) { /* the mixed-case and all-caps examples are their own checksum */
            CHECK_STREQ(s, good[i]);
            REQUIRE(mpavs_address_checksum_verify(&ok, good[i]) == 0);
            CHECK(ok);
        }
    }
    mpavs_address a;
    bool ok;
    /* one letter's case flipped */
    CHECK_EQ_INT(mpavs_address_parse(&a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
                 MPAVS_ECDSA_ERR_CHECKSUM);
    REQUIRE(mpavs_address_checksum_verify(&ok, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") == 0);
    CHECK(!ok);
    REQUIRE(mpavs_address_checksum_verify(&ok, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == 0);
    CHECK(!ok); /* valid address, but not checksummed */
    CHECK_EQ_INT(mpavs_address_parse(&a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"),
                 MPAVS_ECDSA_ERR_ADDRESS);
    CHECK_EQ_INT(mpavs_address_parse(&a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd"),
                 MPAVS_ECDSA_ERR_ADDRESS);
    CHECK_EQ_INT(mpavs_address_parse(&a, "0xgaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
                 MPAVS_ECDSA_ERR_ADDRESS);
    CHECK_EQ_INT(mpavs_address_parse(&a, ""), MPAVS_ECDSA_ERR_ADDRESS);
    CHECK_EQ_INT(mpavs_address_parse(&a, "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), MPAVS_ECDSA_OK);
}

/* EIP-191: cast hash-message "hello" and cast wallet sign --private-key 0x46..46 "hello". */
TEST(eip191) {
    uint8_t h[32];
    mpavs_eip191_hash(h, "hello", 5);
    CHECK_STREQ(harness_hex(h, 32), "50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750");
    uint8_t k[32];
    memset(k, 0x46, 32);
    mpavs_ecdsa_sig sig;
    REQUIRE(mpavs_ecdsa_sign(ctx, &sig, h, k) == 0);
    uint8_t ser[65];
    mpavs_ecdsa_sig_serialize(ser, &sig);
    CHECK_STREQ(harness_hex(ser, 65),
                "f63c93dc642a4839770b35abf9cb304ac2f1b5463d9a9abd87546feaa0af992e659cf087c433e45c4"
                "5f6135cb819ab1922c6359dbb1b8c8d7a54141de2cd4beb1b");
}

/* EIP-712's "Ether Mail" example: domain separator, digest and the signature with
 * keccak256("cow") (identical to cast wallet sign --data on the example's JSON). */
TEST(eip712_ether_mail) {
    mpavs_address vc;
    REQUIRE(mpavs_address_parse(&vc, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC") == 0);
    mpavs_u256 chain = mpavs_u256_from_u64(1);
    uint8_t ds[32], sh[32], d[32];
    mpavs_eip712_domain_separator(ds, "Ether Mail", "1", &chain, &vc);
    CHECK_STREQ(harness_hex(ds, 32), "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    unhex32(sh, "c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    mpavs_eip712_digest(d, ds, sh);
    CHECK_STREQ(harness_hex(d, 32), "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    uint8_t k[32];
    mpavs_keccak256(k, "cow", 3);
    mpavs_ecdsa_sig sig;
    REQUIRE(mpavs_ecdsa_sign(ctx, &sig, d, k) == 0);
    CHECK_STREQ(harness_hex(sig.r, 32), "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
    CHECK_STREQ(harness_hex(sig.s, 32), "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
    CHECK_EQ_INT(sig.recid + 27, 28);
    mpavs_address signer;
    REQUIRE(mpavs_ecdsa_recover_address(ctx, &signer, &sig, d) == 0);
    char s[43];
    mpavs_address_to_checksum(s, &signer);
    CHECK_STREQ(s, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
}

/* The EIP-155 example's signing hash and signature (v = 37 -> recid 0). */
TEST(eip155_signature) {
    uint8_t h[32], k[32];
    unhex32(h, "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    memset(k, 0x46, 32);
    mpavs_ecdsa_sig sig;
    REQUIRE(mpavs_ecdsa_sign(ctx, &sig, h, k) == 0);
    CHECK_STREQ(harness_hex(sig.r, 32), "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
    CHECK_STREQ(harness_hex(sig.s, 32), "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    CHECK_EQ_INT(sig.recid, 0);
}

TEST(sign_recover_random) {
    for (int i = 0; i < 200; i++) {
        uint8_t k[32], h[32];
        REQUIRE(mpavs_ecdsa_seckey_generate(ctx, k) == 0);
        REQUIRE(mpavs_random_bytes(h, 32) == 0);
        mpavs_ecdsa_sig sig;
        REQUIRE(mpavs_ecdsa_sign(ctx, &sig, h, k) == 0);
        mpavs_address a1, a2;
        REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a1, k) == 0);
        REQUIRE(mpavs_ecdsa_recover_address(ctx, &a2, &sig, h) == 0);
        CHECK_MEMEQ(a1.bytes, a2.bytes, 20);
        bool ok;
        REQUIRE(mpavs_ecdsa_verify_address(ctx, &ok, &sig, h, &a1) == 0);
        CHECK(ok);
        h[0] ^= 1; /* another hash recovers another key */
        REQUIRE(mpavs_ecdsa_verify_address(ctx, &ok, &sig, h, &a1) == 0);
        CHECK(!ok);
        /* serialize/parse */
        uint8_t ser[65];
        mpavs_ecdsa_sig_serialize(ser, &sig);
        mpavs_ecdsa_sig back;
        REQUIRE(mpavs_ecdsa_sig_parse(&back, ser) == 0);
        CHECK(memcmp(&back.r, &sig.r, 32) == 0 && memcmp(&back.s, &sig.s, 32) == 0 &&
              back.recid == sig.recid);
        mpavs_wipe(k, 32);
    }
}

TEST(bad_signatures) {
    uint8_t h[32] = {0}, k[32];
    memset(k, 0x46, 32);
    mpavs_ecdsa_sig sig, bad;
    REQUIRE(mpavs_ecdsa_sign(ctx, &sig, h, k) == 0);
    mpavs_address a;
    bad = sig;
    memset(bad.r, 0, 32);
    CHECK_EQ_INT(mpavs_ecdsa_recover_address(ctx, &a, &bad, h), MPAVS_ECDSA_ERR_SIG);
    bad = sig;
    memset(bad.s, 0, 32);
    CHECK_EQ_INT(mpavs_ecdsa_recover_address(ctx, &a, &bad, h), MPAVS_ECDSA_ERR_SIG);
    bad = sig;
    memset(bad.r, 0xff, 32);
    CHECK_EQ_INT(mpavs_ecdsa_recover_address(ctx, &a, &bad, h), MPAVS_ECDSA_ERR_SIG);
    bad = sig;
    bad.recid = 2;
    CHECK_EQ_INT(mpavs_ecdsa_recover_address(ctx, &a, &bad, h), MPAVS_ECDSA_ERR_RECID);
    /* s -> n - s (the malleable twin) is rejected as high-s */
    bad = sig;
    static const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                  0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = n[i] - sig.s[i] - borrow;
        borrow = d < 0;
        bad.s[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    bad.recid ^= 1;
    CHECK_EQ_INT(mpavs_ecdsa_recover_address(ctx, &a, &bad, h), MPAVS_ECDSA_ERR_HIGH_S);
    uint8_t ser[65] = {0};
    ser[64] = 29;
    CHECK_EQ_INT(mpavs_ecdsa_sig_parse(&bad, ser), MPAVS_ECDSA_ERR_RECID);
    ser[64] = 2;
    CHECK_EQ_INT(mpavs_ecdsa_sig_parse(&bad, ser), MPAVS_ECDSA_ERR_RECID);
    ser[64] = 1;
    CHECK_EQ_INT(mpavs_ecdsa_sig_parse(&bad, ser), MPAVS_ECDSA_OK);
    CHECK_EQ_INT(bad.recid, 1);
}

int main(void) {
    ctx = mpavs_ecdsa_ctx_create();
    if (!ctx) return 1;
    RUN(key_to_address);
    RUN(bad_seckeys);
    RUN(eip55);
    RUN(eip191);
    RUN(eip712_ether_mail);
    RUN(eip155_signature);
    RUN(sign_recover_random);
    RUN(bad_signatures);
    mpavs_ecdsa_ctx_destroy(ctx);
    return harness_summary();
}
