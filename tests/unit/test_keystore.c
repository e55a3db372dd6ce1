/* Keystores: eigensdk's test files (../shared/vectors/keystores), the Web3 Secret Storage
 * wiki vectors (pbkdf2 and scrypt), round trips, file mode and hostile JSON. */
#include "harness.h"
#include "mpavs/ecdsa.h"
#include "mpavs/keystore.h"
#include "mpavs/u256.h"
#include "keystore/scrypt.h"

#include <openssl/evp.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int decrypt_file(uint8_t *sk, size_t *len, mpavs_keystore_info *info, const char *rel,
                        const char *pw) {
    char *json;
    size_t jl;
    int r = mpavs_keystore_read_file(&json, &jl, harness_shared(rel));
    if (r) return r;
    r = mpavs_keystore_decrypt(sk, 64, len, info, json, jl, pw, strlen(pw));
    free(json);
    return r;
}

/* eigensdk-go crypto/utils/test_data/bls_keys/keys/1.bls.key.json (spec §4.1) */
TEST(eigensdk_bls_file) {
    uint8_t sk[64];
    size_t len;
    mpavs_keystore_info info;
    REQUIRE(decrypt_file(sk, &len, &info, "vectors/keystores/1.bls.key.json", "fDUMDLmBROwlzzPXyIcy") == 0);
    CHECK_EQ_INT(len, 32);
    const char *dec = "2215338531151182997276243965065522514190247674553811942190946030173209230351";
    mpavs_u256 v;
    REQUIRE(mpavs_u256_parse(&v, dec, strlen(dec)) == 0);
    uint8_t want[32];
    mpavs_u256_to_be32(want, &v);
    CHECK_MEMEQ(sk, want, 32);
    CHECK_STREQ(info.pubkey, "E([19408553463882111916887171276012224475029133183214861480489485386352635269635,"
                             "17418827901203159022109906145273000034647571131322064812191371351028964064220])");
    CHECK(!info.has_address);
    mpavs_keystore_info_clear(&info);
    CHECK_EQ_INT(decrypt_file(sk, &len, &info, "vectors/keystores/1.bls.key.json", "fDUMDLmBROwlzzPXyIcz"),
                 MPAVS_KEYSTORE_ERR_MAC);
    CHECK(info.pubkey == NULL);
}

/* eigensdk-go crypto/utils/test_data/ecdsa_keys/keys/1.ecdsa.key.json (spec §4.2) */
TEST(eigensdk_ecdsa_file) {
    uint8_t sk[64];
    size_t len;
    mpavs_keystore_info info;
    REQUIRE(decrypt_file(sk, &len, &info, "vectors/keystores/1.ecdsa.key.json", "EnJuncq01CiVk9UbuBYl") == 0);
    REQUIRE(len == 32);
    CHECK_STREQ(harness_hex(sk, 2), "d1d5");
    CHECK_STREQ(harness_hex(sk + 30, 2), "c552");
    CHECK(info.has_address);
    CHECK_STREQ(harness_hex(info.address, 20), "d5a0359da7b310917d7760385516b2426e86ab7f");
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    REQUIRE(ctx);
    mpavs_address a;
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a, sk) == 0);
    CHECK_MEMEQ(a.bytes, info.address, 20);
    mpavs_ecdsa_ctx_destroy(ctx);
    mpavs_keystore_info_clear(&info);
    mpavs_wipe(sk, sizeof sk);
}

/* The two test vectors of the Web3 Secret Storage definition (ethereum wiki), password "testpassword". */
TEST(web3_wiki_pbkdf2) {
    const char *j = "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"},"
                    "\"ciphertext\":\"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46\",\"kdf\":\"pbkdf2\","
                    "\"kdfparams\":{\"c\":262144,\"dklen\":32,\"prf\":\"hmac-sha256\",\"salt\":\"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd\"},"
                    "\"mac\":\"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2\"},"
                    "\"id\":\"3198bc9c-6672-5ab3-d995-4942343ae5b6\",\"version\":3}";
    uint8_t sk[64];
    size_t len;
    mpavs_keystore_info info;
    REQUIRE(mpavs_keystore_decrypt(sk, sizeof sk, &len, &info, j, strlen(j), "testpassword", 12) == 0);
    CHECK(info.is_pbkdf2);
    CHECK_STREQ(harness_hex(sk, len), "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
    mpavs_keystore_info_clear(&info);
}

TEST(web3_wiki_scrypt) {
    const char *j = "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"83dbcc02d8ccb40e466191a123791e0e\"},"
                    "\"ciphertext\":\"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c\",\"kdf\":\"scrypt\","
                    "\"kdfparams\":{\"dklen\":32,\"n\":262144,\"p\":8,\"r\":1,\"salt\":\"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19\"},"
                    "\"mac\":\"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097\"},"
                    "\"id\":\"3198bc9c-6672-5ab3-d995-4942343ae5b6\",\"version\":3}";
    uint8_t sk[64];
    size_t len;
    /* r = 1 with n = 2^18 breaks RFC 7914's n < 2^(16 r), which OpenSSL's scrypt enforces (geth's
     * does not): this goes through our own scrypt (src/keystore/scrypt.c). */
    REQUIRE(mpavs_keystore_decrypt(sk, sizeof sk, &len, NULL, j, strlen(j), "testpassword", 12) == 0);
    CHECK_STREQ(harness_hex(sk, len), "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
}

/* Our scrypt against RFC 7914's vectors and against OpenSSL's EVP_PBE_scrypt. */
TEST(own_scrypt) {
    uint8_t a[64], b[64];
    REQUIRE(ks_scrypt(a, 64, "", 0, (const uint8_t *)"", 0, 16, 1, 1) == 0);
    CHECK_STREQ(harness_hex(a, 64), "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                                    "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    REQUIRE(ks_scrypt(a, 64, "password", 8, (const uint8_t *)"NaCl", 4, 1024, 8, 16) == 0);
    CHECK_STREQ(harness_hex(a, 64), "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                                    "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    static const struct {
        uint64_t n;
        uint32_t r, p;
    } ps[] = {{2, 1, 1}, {1024, 1, 3}, {4096, 8, 1}, {256, 2, 2}, {8192, 4, 1}};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        uint8_t salt[32];
        REQUIRE(mpavs_random_bytes(salt, sizeof salt) == 0);
        REQUIRE(ks_scrypt(a, 32, "pw", 2, salt, sizeof salt, ps[i].n, ps[i].r, ps[i].p) == 0);
        REQUIRE(EVP_PBE_scrypt("pw", 2, salt, sizeof salt, ps[i].n, ps[i].r, ps[i].p, 0, b, 32) == 1);
        CHECK_MEMEQ(a, b, 32);
    }
}

TEST(roundtrip_small_n) {
    uint8_t secret[32], back[64];
    REQUIRE(mpavs_random_bytes(secret, 32) == 0);
    mpavs_keystore_options o = {.scrypt_n = 1024, .has_address = true};
    memset(o.address, 0xab, 20);
    char *json;
    REQUIRE(mpavs_keystore_encrypt(&json, secret, 32, "pw", 2, &o) == 0);
    CHECK(strstr(json, "\"n\":1024") != NULL);
    CHECK(strstr(json, "\"version\":3") != NULL);
    CHECK(strstr(json, "\"address\":\"abababababababababababababababababababab\"") != NULL);
    size_t len;
    mpavs_keystore_info info;
    REQUIRE(mpavs_keystore_decrypt(back, sizeof back, &len, &info, json, strlen(json), "pw", 2) == 0);
    CHECK_EQ_INT(len, 32);
    CHECK_MEMEQ(back, secret, 32);
    CHECK(info.has_address && info.address[19] == 0xab && info.pubkey == NULL);
    mpavs_keystore_info_clear(&info);
    CHECK_EQ_INT(mpavs_keystore_decrypt(back, sizeof back, &len, NULL, json, strlen(json), "pW", 2),
                 MPAVS_KEYSTORE_ERR_MAC);
    CHECK_EQ_INT(mpavs_keystore_decrypt(back, 16, &len, NULL, json, strlen(json), "pw", 2),
                 MPAVS_KEYSTORE_ERR_SPACE);
    free(json);
    /* empty password, BLS layout (the field order eigensdk writes) */
    o = (mpavs_keystore_options){.scrypt_n = 2, .pubkey = "E([1,2])"};
    REQUIRE(mpavs_keystore_encrypt(&json, secret, 32, "", 0, &o) == 0);
    static const char head[] = "{\"pubKey\":\"E([1,2])\",\"crypto\":{\"cipher\":\"aes-128-ctr\",\"ciphertext\":";
    CHECK(strncmp(json, head, sizeof head - 1) == 0);
    CHECK(strstr(json, "\"version\"") == NULL && strstr(json, "\"id\"") == NULL);
    REQUIRE(mpavs_keystore_decrypt(back, sizeof back, &len, &info, json, strlen(json), "", 0) == 0);
    CHECK_MEMEQ(back, secret, 32);
    CHECK_STREQ(info.pubkey, "E([1,2])");
    mpavs_keystore_info_clear(&info);
    free(json);
    /* bad parameters */
    o = (mpavs_keystore_options){.scrypt_n = 1000};
    CHECK_EQ_INT(mpavs_keystore_encrypt(&json, secret, 32, "pw", 2, &o), MPAVS_KEYSTORE_ERR_PARAMS);
    CHECK(json == NULL);
}

TEST(roundtrip_default_n) {
    uint8_t secret[32], back[64];
    memset(secret, 0x46, 32);
    char *json;
    REQUIRE(mpavs_keystore_encrypt(&json, secret, 32, "correct horse", 13, NULL) == 0);
    CHECK(strstr(json, "\"n\":262144,\"p\":1,\"r\":8") != NULL);
    size_t len;
    REQUIRE(mpavs_keystore_decrypt(back, sizeof back, &len, NULL, json, strlen(json), "correct horse", 13) == 0);
    CHECK_MEMEQ(back, secret, 32);
    free(json);
}

TEST(file_mode_and_exclusive) {
    char dir[] = "/tmp/mpavs-ks-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/key.json", dir);
    REQUIRE(mpavs_keystore_write_file(path, "{}") == 0);
    struct stat st;
    REQUIRE(stat(path, &st) == 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    CHECK_EQ_INT(mpavs_keystore_write_file(path, "{}"), MPAVS_KEYSTORE_ERR_EXISTS);
    unlink(path);
    rmdir(dir);
    char *t;
    size_t n;
    CHECK_EQ_INT(mpavs_keystore_read_file(&t, &n, "/nonexistent/x"), MPAVS_KEYSTORE_ERR_IO);
    char name[100];
    uint8_t a[20];
    memset(a, 0x11, 20);
    REQUIRE(mpavs_keystore_filename(name, sizeof name, a, 1700000000) == 0);
    CHECK_STREQ(name, "UTC--2023-11-14T22-13-20.000000000Z--1111111111111111111111111111111111111111");
    CHECK_EQ_INT(mpavs_keystore_filename(name, 20, a, 0), MPAVS_KEYSTORE_ERR_SPACE);
}

TEST(hostile_json) {
    static const struct {
        const char *json;
        int err;
    } bad[] = {
        {"", MPAVS_KEYSTORE_ERR_JSON},
        {"[1]", MPAVS_KEYSTORE_ERR_JSON},
        {"{\"crypto\":", MPAVS_KEYSTORE_ERR_JSON},
        {"{}", MPAVS_KEYSTORE_ERR_FORMAT},
        {"{\"version\":1,\"crypto\":{}}", MPAVS_KEYSTORE_ERR_UNSUPPORTED},
        {"{\"version\":\"3\",\"crypto\":{}}", MPAVS_KEYSTORE_ERR_UNSUPPORTED},
        {"{\"crypto\":{\"cipher\":\"aes-128-cbc\"}}", MPAVS_KEYSTORE_ERR_UNSUPPORTED},
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\"}}", MPAVS_KEYSTORE_ERR_FORMAT},
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00\"},\"kdfparams\":{},"
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_FORMAT}, /* iv too short */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"n\":1073741824,\"r\":8,\"p\":1},\"kdf\":\"scrypt\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_PARAMS}, /* 1 TiB of scrypt memory */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"n\":1000,\"r\":8,\"p\":1},\"kdf\":\"scrypt\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_PARAMS}, /* n not a power of two */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":16,\"n\":2,\"r\":8,\"p\":1},\"kdf\":\"scrypt\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_PARAMS}, /* dklen 16 */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"n\":2.5,\"r\":8,\"p\":1},\"kdf\":\"scrypt\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_PARAMS}, /* fractional n */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32.0,\"n\":2.0,\"r\":8,\"p\":1},\"kdf\":\"scrypt\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_MAC}, /* integral floats are accepted (geth's ensureInt) */
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"c\":1,\"prf\":\"hmac-sha512\"},\"kdf\":\"pbkdf2\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_UNSUPPORTED},
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"c\":0,\"prf\":\"hmac-sha256\"},\"kdf\":\"pbkdf2\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_PARAMS},
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"c\":1},\"kdf\":\"argon2\","
         "\"ciphertext\":\"00\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_UNSUPPORTED},
        {"{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000000000000000\"},"
         "\"kdfparams\":{\"salt\":\"00\",\"dklen\":32,\"c\":1,\"prf\":\"hmac-sha256\"},\"kdf\":\"pbkdf2\","
         "\"ciphertext\":\"zz\",\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}",
         MPAVS_KEYSTORE_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t sk[64];
        size_t len;
        int r = mpavs_keystore_decrypt(sk, sizeof sk, &len, NULL, bad[i].json, strlen(bad[i].json), "x", 1);
        if (r != bad[i].err) fprintf(stderr, "  case %zu: %s\n", i, mpavs_keystore_strerror(r));
        CHECK_EQ_INT(r, bad[i].err);
    }
    /* every truncation of a real file is an error, never a crash */
    char *json;
    size_t jl;
    REQUIRE(mpavs_keystore_read_file(&json, &jl, harness_shared("vectors/keystores/1.ecdsa.key.json")) == 0);
    for (size_t k = 0; k < jl; k += 7) {
        uint8_t sk[64];
        size_t len;
        CHECK(mpavs_keystore_decrypt(sk, sizeof sk, &len, NULL, json, k, "x", 1) != 0);
    }
    free(json);
}

int main(void) {
    RUN(eigensdk_bls_file);
    RUN(eigensdk_ecdsa_file);
    RUN(web3_wiki_pbkdf2);
    RUN(web3_wiki_scrypt);
    RUN(own_scrypt);
    RUN(roundtrip_small_n);
    RUN(roundtrip_default_n);
    RUN(file_mode_and_exclusive);
    RUN(hostile_json);
    return harness_summary();
}
